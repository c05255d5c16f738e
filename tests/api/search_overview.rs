//! Search, facets, paging and the overview, checked against a small dataset
//! whose figures are counted by hand below, on SQLite and PostgreSQL.

use std::collections::HashSet;

use crate::common::{assert_problem, example, on_both_backends, send, Backend, TestApp};
use serde_json::{json, Value};

/// The dataset, as registered:
///
/// | record | owner | section | where | notes |
/// | --- | --- | --- | --- | --- |
/// | S1 exam identity check (example B) | Examenzeker | public | NL | not high-risk |
/// | S2 police face search (example A) | Noordlicht | non-public | NL, BE, LU | 1(a) |
/// | S3 advertising mood screens | Noordlicht | public | NL | 1(c) |
/// | D1 festival gates (example) | Zomerfeest | public | Den Haag, Zuid-Holland | consent, alternative, DPIA |
/// | D2 mall screens, uses S3 | Winkelcentrum | public | Rotterdam, Zuid-Holland | no DPIA |
/// | D3 exam checks, uses S1 | Hogeschool | public | Utrecht, Utrecht | consent, no alternative, DPIA |
/// | D4 police (example C) | Politie | non-public | Rotterdam, Zuid-Holland | 1(a) |
struct Dataset {
    app: TestApp,
    authority: String,
    s: Vec<String>,
    d: Vec<String>,
}

fn mood_screens() -> Value {
    let mut doc = example("system-annex-viii-a");
    doc["trade_name"] = json!("MoodMirror");
    doc["reference"] = json!("MM-1");
    doc["member_states"] = json!(["NL"]);
    doc["declared_annex_iii"] = json!(["1_c"]);
    doc["facts"] = json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["emotion_recognition"]},
        "spaces": ["publicly_accessible"], "subjects": ["customers"], "purposes": ["advertising"],
        "deployer_type": "private_company"
    });
    doc
}

fn dataset(backend: Backend) -> Dataset {
    let app = TestApp::spawn(backend);
    let examenzeker = app.token("provider", "Examenzeker B.V.");
    let noordlicht = app.token("provider", "Noordlicht Vision B.V.");
    let mut s1 = example("system-annex-viii-b");
    s1["member_states"] = json!(["NL"]);
    let mut s = Vec::new();
    for (token, doc) in [
        (&examenzeker, s1),
        (&noordlicht, example("system-annex-viii-a")),
        (&noordlicht, mood_screens()),
    ] {
        let (status, body, _) = send(app.post("/v1/systems").bearer_auth(token).json(&doc));
        assert_eq!(status, 201, "{body}");
        s.push(body["id"].as_str().unwrap().to_owned());
    }

    let d1 = example("deployment-national-use");
    let mut d2 = example("deployment-national-use");
    d2.as_object_mut().unwrap().remove("system_url");
    d2.as_object_mut().unwrap().remove("consent");
    d2["system_id"] = json!(s[2]);
    d2["deployer"]["name"] = json!("Winkelcentrum Zuidplein B.V.");
    d2["location"] = json!({"member_state": "NL", "region": "Zuid-Holland", "municipality": "Rotterdam", "site": "Zuidplein"});
    d2["legal_basis"] = json!({"ground": "other"});
    d2["dpia"] = json!({"performed": false});
    d2["facts"] = mood_screens()["facts"].clone();
    d2["facts"].as_object_mut().unwrap().remove("deployer_type");
    let mut d3 = example("deployment-national-use");
    d3.as_object_mut().unwrap().remove("system_url");
    d3["system_id"] = json!(s[0]);
    d3["deployer"]["name"] = json!("Hogeschool Utrecht");
    d3["deployer"]["type"] = json!("education_institution");
    d3["location"] = json!({"member_state": "NL", "region": "Utrecht", "municipality": "Utrecht"});
    d3["consent"] = json!({"alternative_offered": false});
    d3["facts"] = example("system-annex-viii-b")["facts"].clone();
    d3["facts"].as_object_mut().unwrap().remove("deployer_type");
    let d4 = example("deployment-annex-viii-c");
    let mut d = Vec::new();
    for (org, doc) in [
        ("Zomerfeest Evenementen B.V.", d1),
        ("Winkelcentrum Zuidplein B.V.", d2),
        ("Hogeschool Utrecht", d3),
        ("Politie", d4),
    ] {
        let token = app.token("deployer", org);
        let (status, body, _) = send(app.post("/v1/deployments").bearer_auth(&token).json(&doc));
        assert_eq!(status, 201, "{org}: {body}");
        d.push(body["id"].as_str().unwrap().to_owned());
    }
    let authority = app.token("authority", "Ministerie van BZK");
    Dataset {
        app,
        authority,
        s,
        d,
    }
}

fn cell(list: &Value, value: &str) -> Value {
    list.as_array()
        .and_then(|l| l.iter().find(|c| c["value"] == value))
        .map_or(Value::Null, |c| c["count"].clone())
}

fn ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

fn overview_matches_the_hand_count_for_the_public(backend: Backend) {
    let data = dataset(backend);
    let (s, o, _) = send(data.app.get("/v1/overview"));
    assert_eq!(s, 200, "{o}");
    assert_eq!(
        o["totals"],
        json!({"systems": 2, "deployments": 3, "providers": 2, "deployers": 3})
    );
    let dep = &o["deployments"];
    assert_eq!(cell(&dep["by_municipality"], "Den Haag"), 1);
    assert_eq!(
        cell(&dep["by_municipality"], "Rotterdam"),
        1,
        "D4 is not public"
    );
    assert_eq!(cell(&dep["by_municipality"], "Utrecht"), 1);
    assert_eq!(cell(&dep["by_region"], "Zuid-Holland"), 2);
    assert_eq!(
        cell(&dep["by_legal_basis"], "gdpr_9_2_a_explicit_consent"),
        2
    );
    assert_eq!(cell(&dep["by_legal_basis"], "other"), 1);
    assert_eq!(cell(&dep["by_deployer_type"], "private_company"), 2);
    assert_eq!(cell(&dep["by_timing"], "real_time"), 2);
    assert_eq!(cell(&dep["by_timing"], "unknown"), 1);
    let sys = &o["systems"];
    assert_eq!(cell(&sys["by_outcome"], "high_risk"), 1);
    assert_eq!(cell(&sys["by_outcome"], "not_high_risk"), 1);
    assert_eq!(cell(&sys["by_annex_iii"], "1_c"), 1);
    assert_eq!(
        cell(&sys["by_annex_iii"], "1_a"),
        Value::Null,
        "S2 is not public"
    );
    assert_eq!(cell(&sys["by_status"], "on_market"), 2);
    let sg = &o["safeguards"];
    assert_eq!(
        (sg["dpia"]["yes"].clone(), sg["dpia"]["of"].clone()),
        (json!(2), json!(3))
    );
    assert_eq!(sg["alternative_offered_where_consent"]["yes"], 1);
    assert_eq!(sg["alternative_offered_where_consent"]["of"], 2);
    assert_eq!(sg["alternative_offered_where_consent"]["share"], 0.5);
    assert!(cell(&o["findings"]["deployments"], "consent_without_alternative").as_u64() >= Some(1));
    let months = o["registrations_per_month"].as_array().unwrap();
    assert_eq!(months.len(), 1);
    assert_eq!(
        (
            months[0]["systems"].clone(),
            months[0]["deployments"].clone()
        ),
        (json!(2), json!(3))
    );
    // The non-public section: S2 in NL, BE and LU, D4 in NL; each under five.
    let np = o["non_public"].as_array().unwrap();
    let figure = |ms: &str| {
        np.iter()
            .find(|c| c["annex_iii"] == "1_a" && c["member_state"] == ms)
            .map(|c| c["count"].clone())
    };
    assert_eq!(figure("NL"), Some(json!("<5")));
    assert_eq!(figure("BE"), Some(json!("<5")));
    assert_eq!(figure("LU"), Some(json!("<5")));
    // A fixed grid: points 1, 6 and 7 times all 27 Member States, so an
    // empty cell looks the same as a cell of one to four.
    assert_eq!(np.len(), 12 * 27);
    assert_eq!(figure("DE"), Some(json!("<5")));
    assert!(o["data_timestamp"].is_string());
}

fn overview_for_an_authority_and_with_filters(backend: Backend) {
    let data = dataset(backend);
    let app = &data.app;
    let (_, o, _) = send(app.get("/v1/overview").bearer_auth(&data.authority));
    assert_eq!(
        o["totals"],
        json!({"systems": 3, "deployments": 4, "providers": 2, "deployers": 4})
    );
    assert_eq!(cell(&o["deployments"]["by_municipality"], "Rotterdam"), 2);
    assert_eq!(
        o["non_public"],
        json!([]),
        "an authority sees the records themselves"
    );
    // A deployment-only filter narrows systems to those the uses name.
    let (_, o, _) = send(
        app.get("/v1/overview?region=Zuid-Holland")
            .bearer_auth(&data.authority),
    );
    assert_eq!(o["totals"]["deployments"], 3);
    assert_eq!(o["totals"]["systems"], 1, "only S3 is named by D2 by id");
    // A system-only filter narrows deployments to uses of those systems.
    let (_, o, _) = send(
        app.get("/v1/overview?provider=Examenzeker%20B.V.")
            .bearer_auth(&data.authority),
    );
    assert_eq!(
        (
            o["totals"]["systems"].clone(),
            o["totals"]["deployments"].clone()
        ),
        (json!(1), json!(1))
    );
    // Filters combine; values of one filter are alternatives.
    let (_, o, _) = send(
        app.get("/v1/overview?member_state=NL&modality=face&outcome=high_risk")
            .bearer_auth(&data.authority),
    );
    assert_eq!(o["totals"]["systems"], 2);
    assert_eq!(o["filters"]["modality"], json!(["face"]));
    let (_, o, _) =
        send(app.get("/v1/overview?deployer_type=private_company,education_institution"));
    assert_eq!(o["totals"]["deployments"], 3, "codes are comma-separated");
    let (_, o, _) = send(app.get("/v1/overview?municipality=Utrecht,Den%20Haag"));
    assert_eq!(
        o["totals"]["deployments"], 0,
        "a name may hold a comma: it is one value"
    );
    assert_eq!(
        o["deployments"]["by_space"],
        json!([]),
        "empty breakdowns are still there"
    );
    let (_, o, _) = send(app.get("/v1/overview?municipality=Utrecht&municipality=Den%20Haag"));
    assert_eq!(o["totals"]["deployments"], 2);
    let (_, o, _) =
        send(app.get("/v1/overview?registered_from=2000-01-01&registered_to=2001-01-01"));
    assert_eq!(o["totals"]["deployments"], 0);
}

fn overview_csv_and_labels(backend: Backend) {
    let data = dataset(backend);
    let app = &data.app;
    let (_, json_overview, _) = send(app.get("/v1/overview?lang=nl"));
    let csv = app
        .get("/v1/overview?lang=nl")
        .header("accept", "text/csv")
        .send()
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "group",
            "breakdown",
            "value",
            "label",
            "count",
            "data_timestamp"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.iter().all(|r| r.len() == 6));
    let row = |group: &str, breakdown: &str, value: &str| {
        rows.iter()
            .find(|r| &r[0] == group && &r[1] == breakdown && &r[2] == value)
            .cloned()
    };
    assert_eq!(&row("totals", "total", "deployments").unwrap()[4], "3");
    assert_eq!(
        &row("deployments", "by_region", "Zuid-Holland").unwrap()[4],
        "2"
    );
    assert_eq!(&row("non_public", "annex_iii=1_a", "NL").unwrap()[4], "<5");
    let same = app
        .get("/v1/overview?format=csv&lang=nl")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(same, text, "format=csv is the same as Accept: text/csv");

    // Labels in both languages come from the code lists.
    let (s, lists, _) = send(app.get("/v1/code-lists"));
    assert_eq!(s, 200);
    let space = lists["lists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "space")
        .unwrap();
    let public_space = space["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "publicly_accessible")
        .unwrap();
    let nl_label = public_space["nl"].as_str().unwrap();
    let en_label = public_space["en"].as_str().unwrap();
    assert_ne!(nl_label, en_label);
    let find_label = |o: &Value| {
        o["deployments"]["by_space"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["value"] == "publicly_accessible")
            .unwrap()["label"]
            .clone()
    };
    assert_eq!(find_label(&json_overview), nl_label);
    let (_, en, _) = send(app.get("/v1/overview?lang=en"));
    assert_eq!(find_label(&en), en_label);
    assert_eq!(
        &row("deployments", "by_space", "publicly_accessible").unwrap()[3],
        nl_label
    );
    let (s, b, h) = send(app.get("/v1/overview?lang=fr"));
    assert_problem(s, &b, &h, 400, "invalid-parameter");
}

fn search_filters_facets_and_visibility(backend: Backend) {
    let data = dataset(backend);
    let app = &data.app;
    let (s, b, _) = send(app.get("/v1/deployments?municipality=Rotterdam"));
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["total"], 1);
    assert_eq!(ids(&b), vec![data.d[1].clone()]);
    let (_, b, _) = send(
        app.get("/v1/deployments?municipality=Rotterdam")
            .bearer_auth(&data.authority),
    );
    assert_eq!(b["total"], 2);
    let (_, b, _) = send(app.get("/v1/deployments"));
    assert_eq!(b["total"], 3);
    assert_eq!(cell(&b["facets"]["region"], "Zuid-Holland"), 2);
    assert_eq!(
        cell(&b["facets"]["legal_basis"], "gdpr_9_2_a_explicit_consent"),
        2
    );
    assert!(b["items"][0]["document"].get("submitted_by").is_none());
    let (_, b, _) = send(app.get(&format!("/v1/deployments?system_id={}", data.s[2])));
    assert_eq!(ids(&b), vec![data.d[1].clone()]);
    let (_, b, _) = send(
        app.get("/v1/systems?annex_iii=1_a")
            .bearer_auth(&data.authority),
    );
    assert_eq!(ids(&b), vec![data.s[1].clone()]);
    let (_, b, _) = send(app.get("/v1/systems?annex_iii=1_a"));
    assert_eq!(
        b["total"], 0,
        "the public never sees non-public records, not even as a total"
    );
    assert_eq!(b["facets"]["annex_iii"], json!([]));
    // The owner sees its own non-public system.
    let owner = app.token("provider", "Noordlicht Vision B.V.");
    let (_, b, _) = send(app.get("/v1/systems?annex_iii=1_a").bearer_auth(&owner));
    assert_eq!(b["total"], 1);
    for (query, want) in [
        ("outcome=high_risk", 1),
        ("status=on_market", 2),
        ("member_state=NL", 2),
        ("function=verification", 1),
        ("modality=face", 2),
        ("provider=Examenzeker%20B.V.", 1),
        ("registration_type=annex_viii_b", 1),
        ("space=online", 1),
        ("purpose=advertising", 1),
        ("timing=real_time", 1),
    ] {
        let (s, b, _) = send(app.get(&format!("/v1/systems?{query}")));
        assert_eq!((s, b["total"].clone()), (200, json!(want)), "{query}");
    }
    for (query, want) in [
        ("deployer_type=education_institution", 1),
        ("legal_basis=other", 1),
        ("region=Utrecht", 1),
        ("space=publicly_accessible", 2),
        ("purpose=access_control", 1),
        ("outcome=high_risk", 1),
        ("annex_iii=1_c", 1),
    ] {
        let (s, b, _) = send(app.get(&format!("/v1/deployments?{query}")));
        assert_eq!((s, b["total"].clone()), (200, json!(want)), "{query}");
    }
}

fn full_text_search_survives_hostile_input(backend: Backend) {
    let data = dataset(backend);
    let app = &data.app;
    let (_, b, _) = send(app.get("/v1/deployments?q=zuidplein"));
    assert_eq!(ids(&b), vec![data.d[1].clone()]);
    let (_, b, _) = send(app.get("/v1/deployments?q=MoodMirror"));
    assert_eq!(
        ids(&b),
        vec![data.d[1].clone()],
        "a use is found by its system's name"
    );
    let (_, b, _) = send(app.get("/v1/systems?q=examenzeker%20exam"));
    assert_eq!(ids(&b), vec![data.s[0].clone()]);
    let (_, b, _) = send(app.get("/v1/systems?q=facetrace"));
    assert_eq!(
        b["total"], 0,
        "non-public records are not found by the public"
    );
    let (_, b, _) = send(
        app.get("/v1/systems?q=facetrace")
            .bearer_auth(&data.authority),
    );
    assert_eq!(b["total"], 1);
    for hostile in [
        "\"",
        "\"unbalanced",
        "AND",
        "OR NOT",
        "*",
        "exam*",
        "((((",
        "a) OR (b",
        "'; DROP TABLE records; --",
        "NEAR(a b)",
        "column:value",
        "^start",
        "\\",
        "%",
        "ä ö ü € 😀",
        "",
        "                ",
    ] {
        let url = format!("/v1/systems?q={}", urlencode(hostile));
        let (s, b, _) = send(app.get(&url));
        assert_eq!(s, 200, "{hostile:?}: {b}");
        assert!(b["total"].is_u64());
        let (s, _, _) = send(app.get(&format!("/v1/overview?q={}", urlencode(hostile))));
        assert_eq!(s, 200, "{hostile:?}");
    }
    let (_, b, _) = send(app.get("/v1/systems").bearer_auth(&data.authority));
    assert_eq!(b["total"], 3, "the table is still there");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn bad_parameters_are_400(backend: Backend) {
    let app = TestApp::spawn(backend);
    for url in [
        "/v1/systems?colour=red",
        "/v1/systems?region=Utrecht",
        "/v1/systems?outcome=bogus",
        "/v1/systems?annex_iii=9_z",
        "/v1/systems?page_size=0",
        "/v1/systems?page_size=1000",
        "/v1/systems?page_size=ten",
        "/v1/systems?page_token=zz",
        "/v1/systems?page_token=00",
        "/v1/systems?sort=name",
        "/v1/systems?registered_from=yesterday",
        "/v1/systems?registered_from=2027-01-02&registered_to=2027-01-01",
        "/v1/deployments?system_id=not-a-uuid",
        "/v1/deployments?status=on_market",
        "/v1/overview?colour=red",
        "/v1/overview?format=xml",
        "/v1/overview?page_size=3",
        "/v1/code-lists?x=1",
    ] {
        let (s, b, h) = send(app.get(url));
        assert_eq!(s, 400, "{url}");
        assert_problem(s, &b, &h, 400, "invalid-parameter");
    }
}

fn paging_while_inserting_loses_and_repeats_nothing(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = app.token("provider", "Examenzeker B.V.");
    let register = |i: usize| {
        let mut doc = example("system-annex-viii-b");
        doc["reference"] = json!(format!("EIC-{i}"));
        let (s, b, _) = send(app.post("/v1/systems").bearer_auth(&token).json(&doc));
        assert_eq!(s, 201, "{b}");
        b["id"].as_str().unwrap().to_owned()
    };
    let before: Vec<String> = (0..23).map(register).collect();
    let mut all = before.clone();
    for sort in ["registered_at", "-registered_at"] {
        let present = all.clone();
        let mut seen = Vec::new();
        let mut token_param = String::new();
        loop {
            let (s, b, _) =
                send(app.get(&format!("/v1/systems?sort={sort}&page_size=5{token_param}")));
            assert_eq!(s, 200, "{b}");
            seen.extend(ids(&b));
            // A registration between pages.
            all.push(register(100 + all.len()));
            match b["next_page_token"].as_str() {
                Some(t) => token_param = format!("&page_token={t}"),
                None => break,
            }
        }
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "{sort}: nothing repeated");
        if sort == "registered_at" {
            // Oldest first: everything, then what was added while paging.
            assert_eq!(
                &seen[..present.len()],
                &present[..],
                "{sort}: in order, none lost"
            );
            assert!(
                seen.len() > present.len(),
                "later registrations follow at the end"
            );
        } else {
            // Newest first: what was added while paging is before the cursor.
            let mut expected = present.clone();
            expected.reverse();
            assert_eq!(seen, expected, "{sort}: in order, none lost");
        }
    }
}

fn non_public_figures_show_five_or_more_and_filters_only_choose_cells(backend: Backend) {
    let app = TestApp::spawn(backend);
    let police = app.token("deployer", "Politie");
    for _ in 0..5 {
        let (s, b, _) = send(
            app.post("/v1/deployments")
                .bearer_auth(&police)
                .json(&example("deployment-annex-viii-c")),
        );
        assert_eq!(s, 201, "{b}");
    }
    let (_, o, _) = send(app.get("/v1/overview"));
    let np = o["non_public"].as_array().unwrap();
    let nl = np
        .iter()
        .find(|c| c["annex_iii"] == "1_a" && c["member_state"] == "NL")
        .unwrap();
    assert_eq!(nl["count"], 5, "five or more is shown as a number");
    assert_eq!(
        o["totals"]["deployments"], 0,
        "and none of them is counted in the public figures"
    );
    let (_, o, _) = send(app.get("/v1/overview?member_state=BE&annex_iii=1_a"));
    assert_eq!(
        o["non_public"],
        json!([{"annex_iii": "1_a", "label": o["non_public"][0]["label"], "member_state": "BE", "count": "<5"}])
    );
    let (_, o, _) = send(app.get("/v1/overview?municipality=Rotterdam"));
    let nl = o["non_public"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["annex_iii"] == "1_a" && c["member_state"] == "NL")
        .unwrap()
        .clone();
    assert_eq!(
        nl["count"], 5,
        "other filters do not narrow the non-public figure"
    );
}

/// A page token names the last record of its page and nothing else: no
/// audit sequence number whose gaps would count the writes in between that
/// the caller may not see, and no way to page from a record it may not see.
fn page_tokens_carry_nothing_a_caller_could_subtract(backend: Backend) {
    let app = TestApp::spawn(backend);
    let provider = app.token("provider", "Examenzeker B.V.");
    let police_vendor = app.token("provider", "Noordlicht Vision B.V.");
    let mut public_ids = Vec::new();
    let mut hidden_ids = Vec::new();
    for i in 0..6 {
        let mut doc = example("system-annex-viii-b");
        doc["reference"] = json!(format!("TOK-{i}"));
        let (s, b, _) = send(app.post("/v1/systems").bearer_auth(&provider).json(&doc));
        assert_eq!(s, 201, "{b}");
        public_ids.push(b["id"].as_str().unwrap().to_owned());
        // A non-public write between every two public ones.
        let mut police = example("system-annex-viii-a");
        police["reference"] = json!(format!("POL-{i}"));
        let (s, b, _) = send(
            app.post("/v1/systems")
                .bearer_auth(&police_vendor)
                .json(&police),
        );
        assert_eq!(s, 201, "{b}");
        assert_eq!(b["classification"]["registration"]["section"], "non_public");
        hidden_ids.push(b["id"].as_str().unwrap().to_owned());
    }
    let decode = |token: &str| -> String {
        let bytes: Vec<u8> = (0..token.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&token[i..i + 2], 16).unwrap())
            .collect();
        String::from_utf8(bytes).unwrap()
    };
    let mut seen = Vec::new();
    let mut token_param = String::new();
    loop {
        let (s, b, _) = send(app.get(&format!(
            "/v1/systems?sort=registered_at&page_size=2{token_param}"
        )));
        assert_eq!(s, 200, "{b}");
        let page = ids(&b);
        seen.extend(page.clone());
        match b["next_page_token"].as_str() {
            Some(t) => {
                // The token says which record the page ended with: an id the
                // caller has just read, and nothing more.
                assert_eq!(decode(t), format!("v2:{}", page.last().unwrap()), "{t}");
                token_param = format!("&page_token={t}");
            }
            None => break,
        }
    }
    assert_eq!(seen, public_ids, "every public system, in order, once");
    // A token made from a hidden record's id is refused like a made-up one.
    let forged: String = format!("v2:{}", hidden_ids[2])
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    let (s, b, h) = send(app.get(&format!("/v1/systems?page_token={forged}")));
    assert_problem(s, &b, &h, 400, "invalid-parameter");
    // Its owner may page from it.
    let (s, b, _) = send(
        app.get(&format!("/v1/systems?page_token={forged}"))
            .bearer_auth(&police_vendor),
    );
    assert_eq!(s, 200, "{b}");
}

on_both_backends!(
    non_public_figures_show_five_or_more_and_filters_only_choose_cells,
    overview_matches_the_hand_count_for_the_public,
    overview_for_an_authority_and_with_filters,
    overview_csv_and_labels,
    search_filters_facets_and_visibility,
    full_text_search_survives_hostile_input,
    bad_parameters_are_400,
    paging_while_inserting_loses_and_repeats_nothing,
    page_tokens_carry_nothing_a_caller_could_subtract,
);
