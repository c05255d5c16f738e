//! The overview page at `/`: served as HTML with a strict
//! Content-Security-Policy, loading only same-origin files that are served
//! with the right types, and asking the API only for what it answers.
//! One backend is enough: the page is static.

use std::collections::BTreeSet;

use crate::common::{send, Backend, TestApp};
use reqwest::blocking::Response;
use serde_json::Value;

/// Fetches `path` and returns status, content type, CSP and body text.
fn fetch(app: &TestApp, path: &str) -> (u16, String, Option<String>, String) {
    let resp: Response = app.get(path).send().expect("request sent");
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type").unwrap_or_default();
    let csp = header("content-security-policy");
    let status = resp.status().as_u16();
    (status, content_type, csp, resp.text().expect("body"))
}

/// The values of every `name="…"` (or `name='…'`) attribute in `html`, where
/// the attribute name starts the attribute (follows white space).
fn attributes(html: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let needle = format!("{name}={quote}");
        let mut rest = html;
        while let Some(at) = rest.find(&needle) {
            let preceded_by_space = rest[..at].ends_with(|c: char| c.is_ascii_whitespace());
            let value_start = at + needle.len();
            let Some(len) = rest[value_start..].find(quote) else {
                break;
            };
            if preceded_by_space {
                out.push(rest[value_start..value_start + len].to_owned());
            }
            rest = &rest[value_start + len..];
        }
    }
    out
}

/// The string arguments of `call('…')` in `js`.
fn call_arguments(js: &str, call: &str) -> BTreeSet<String> {
    let needle = format!("{call}('");
    js.match_indices(&needle)
        .filter_map(|(at, _)| {
            let start = at + needle.len();
            js[start..]
                .find('\'')
                .map(|len| js[start..start + len].to_owned())
        })
        .collect()
}

#[test]
fn the_page_is_html_with_a_strict_content_security_policy() {
    let app = TestApp::spawn(Backend::Sqlite);
    for path in ["/", "/?lang=en&member_state=NL&modality=face"] {
        let (status, content_type, csp, body) = fetch(&app, path);
        assert_eq!(status, 200, "{path}");
        assert_eq!(content_type, "text/html; charset=utf-8", "{path}");
        assert!(body.starts_with("<!doctype html>"), "{path}: {body:.80}");
        let csp = csp.expect("a Content-Security-Policy header");
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{directive} missing from {csp}");
        }
        for loose in ["unsafe-inline", "unsafe-eval", "*", "http:", "https:"] {
            assert!(!csp.contains(loose), "{loose} in {csp}");
        }
    }
    // Only GET: the page is not a form endpoint.
    let (status, _, _) = send(app.post("/"));
    assert_eq!(status, 405);
}

#[test]
fn the_page_loads_only_same_origin_files_and_they_are_served() {
    let app = TestApp::spawn(Backend::Sqlite);
    let (_, _, _, html) = fetch(&app, "/");
    let lower = html.to_ascii_lowercase();

    // Under `script-src 'self'; style-src 'self'` inline code would not run:
    // every script has a src, there is no style element or attribute, no
    // event-handler attribute.
    assert!(!lower.contains("<style"), "inline style element");
    assert!(attributes(&lower, "style").is_empty(), "style attribute");
    for handler in [
        "onclick", "onload", "onchange", "onsubmit", "oninput", "onerror",
    ] {
        assert!(
            attributes(&lower, handler).is_empty(),
            "{handler} attribute"
        );
    }
    let scripts = lower.matches("<script").count();
    assert_eq!(
        scripts,
        attributes(&lower, "src").len(),
        "a script without src"
    );

    // Every resource URL is a path on this server (or the empty data: icon).
    let mut urls: Vec<String> = Vec::new();
    for attr in ["src", "href", "action"] {
        urls.extend(attributes(&html, attr));
    }
    assert!(!urls.is_empty());
    for url in &urls {
        let same_origin = (url.starts_with('/') && !url.starts_with("//"))
            || url.starts_with('#')
            || url == "data:,";
        assert!(same_origin, "{url:?} is not a same-origin reference");
    }
    for text in [&html, &app_text(&app, "/static/overview.js")] {
        for scheme in ["http://", "https://", "//cdn", "@import"] {
            assert!(!text.contains(scheme), "{scheme} in a page file");
        }
    }

    // Each file the page names is served, with its type and the same policy.
    let mut files: Vec<&str> = urls
        .iter()
        .map(String::as_str)
        .filter(|u| u.starts_with("/static/"))
        .collect();
    files.sort();
    assert_eq!(files, ["/static/overview.css", "/static/overview.js"]);
    for (path, want) in [
        ("/static/overview.js", "text/javascript; charset=utf-8"),
        ("/static/overview.css", "text/css; charset=utf-8"),
    ] {
        let (status, content_type, csp, body) = fetch(&app, path);
        assert_eq!(status, 200, "{path}");
        assert_eq!(content_type, want, "{path}");
        assert!(
            csp.is_some_and(|c| c.contains("default-src 'none'")),
            "{path}"
        );
        assert!(!body.is_empty(), "{path}");
    }
    let css = app_text(&app, "/static/overview.css");
    assert!(!css.contains("url("), "the style sheet loads nothing");
}

fn app_text(app: &TestApp, path: &str) -> String {
    fetch(app, path).3
}

#[test]
fn the_script_and_the_form_agree_with_the_page_and_the_api() {
    let app = TestApp::spawn(Backend::Sqlite);
    let (_, _, _, html) = fetch(&app, "/");
    let js = app_text(&app, "/static/overview.js");

    // Every element the script looks up by id is on the page.
    let ids: BTreeSet<String> = attributes(&html, "id").into_iter().collect();
    let wanted = call_arguments(&js, "byId");
    assert!(wanted.len() > 5, "the script looks elements up: {wanted:?}");
    for id in &wanted {
        if let Some(prefix) = id.strip_suffix('-') {
            // `byId('f-' + name)`: the filter fields, checked below.
            assert_eq!(prefix, "f");
            continue;
        }
        assert!(
            ids.contains(id),
            "the script wants #{id}, the page has none"
        );
    }

    // The drop-downs name code lists that exist.
    let (status, lists, _) = send(app.get("/v1/code-lists"));
    assert_eq!(status, 200);
    let lists: Vec<&Value> = lists["lists"].as_array().expect("lists").iter().collect();
    let first_code = |name: &str| -> Option<String> {
        lists
            .iter()
            .find(|l| l["name"] == name)
            .and_then(|l| l["codes"][0]["code"].as_str())
            .map(str::to_owned)
    };
    let list_names = attributes(&html, "data-list");
    assert!(
        list_names.len() >= 9 * 2,
        "labels and selects: {list_names:?}"
    );
    for name in &list_names {
        assert!(first_code(name).is_some(), "no code list called {name}");
    }

    // Every filter field is a parameter the overview takes, with the value
    // the page would send: the field named `x` has the id `f-x`.
    let names = attributes(&html, "name");
    assert!(names.len() >= 13, "{names:?}");
    for name in names
        .iter()
        .filter(|n| n.as_str() != "viewport" && n.as_str() != "referrer")
    {
        assert!(
            ids.contains(&format!("f-{name}")),
            "field {name} has no id f-{name}"
        );
        let value = match name.as_str() {
            "registered_from" | "registered_to" => "2025-01-01".to_owned(),
            "region" | "municipality" => "Utrecht".to_owned(),
            "lang" => "nl".to_owned(),
            // A select: its id names the code list in data-list.
            select => {
                let list = html
                    .split(&format!("id=\"f-{select}\""))
                    .nth(1)
                    .and_then(|rest| attributes(rest, "data-list").into_iter().next())
                    .unwrap_or_else(|| panic!("select {select} has no data-list"));
                first_code(&list).unwrap_or_else(|| panic!("empty list {list}"))
            }
        };
        let (status, body, _) = send(app.get(&format!("/v1/overview?{name}={value}")));
        assert_eq!(status, 200, "{name}={value}: {body}");
    }
    let (status, _, headers) = send(app.get("/v1/overview?lang=nl&format=csv"));
    assert_eq!(status, 200);
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
}
