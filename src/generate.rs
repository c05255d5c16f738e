//! Synthetic, realistic registration documents: systems (Annex VIII A and B)
//! and deployments (Annex VIII C and the national mapping), for demos, load
//! tests and the benchmark (50,000 systems, 1,000,000 deployments).
//!
//! Systems come from archetypes with coherent facts (police post face
//! identification, border e-gates, festival face lanes, shop watchlists, age
//! estimation, workplace emotion monitoring, ...). A deployment follows the
//! archetype of the system it uses: a matching deployer, a place in the
//! Netherlands (sometimes elsewhere in the EU), a consistent legal ground and
//! facts narrowed to the use. Every document validates against its schema.
//!
//! Pure: no I/O, no clock. A document depends only on the seed and its index
//! (and, for a deployment, on the system it uses), so generation can run in
//! parallel and in any order.
#![expect(
    clippy::expect_used,
    reason = "the generator reads tables compiled into the binary: a malformed entry is a bug its tests catch at once, never input"
)]

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value};
use uuid::Uuid;

/// The 12 Dutch provinces with real municipalities, the largest first.
/// Flevoland has only six municipalities; all of them are listed.
#[rustfmt::skip]
pub const PROVINCES: &[(&str, &[&str])] = &[
    ("Groningen", &["Groningen", "Midden-Groningen", "Oldambt", "Eemsdelta", "Westerkwartier", "Het Hogeland", "Veendam", "Stadskanaal", "Westerwolde", "Pekela"]),
    ("Fryslân", &["Leeuwarden", "Súdwest-Fryslân", "Smallingerland", "Heerenveen", "De Fryske Marren", "Noardeast-Fryslân", "Waadhoeke", "Tytsjerksteradiel", "Ooststellingwerf", "Harlingen"]),
    ("Drenthe", &["Assen", "Emmen", "Hoogeveen", "Meppel", "Coevorden", "Midden-Drenthe", "Tynaarlo", "Noordenveld", "Aa en Hunze", "Borger-Odoorn"]),
    ("Overijssel", &["Zwolle", "Enschede", "Deventer", "Hengelo", "Almelo", "Kampen", "Hardenberg", "Oldenzaal", "Rijssen-Holten", "Raalte"]),
    ("Flevoland", &["Almere", "Lelystad", "Dronten", "Noordoostpolder", "Zeewolde", "Urk"]),
    ("Gelderland", &["Nijmegen", "Arnhem", "Apeldoorn", "Ede", "Doetinchem", "Harderwijk", "Zutphen", "Tiel", "Wageningen", "Barneveld", "Zevenaar"]),
    ("Utrecht", &["Utrecht", "Amersfoort", "Nieuwegein", "Veenendaal", "Zeist", "Houten", "IJsselstein", "Stichtse Vecht", "Woerden", "De Ronde Venen"]),
    ("Noord-Holland", &["Amsterdam", "Haarlem", "Zaanstad", "Haarlemmermeer", "Alkmaar", "Amstelveen", "Hilversum", "Purmerend", "Hoorn", "Den Helder", "Velsen"]),
    ("Zuid-Holland", &["Rotterdam", "Den Haag", "Leiden", "Dordrecht", "Zoetermeer", "Delft", "Westland", "Alphen aan den Rijn", "Gouda", "Schiedam", "Vlaardingen", "Rijswijk"]),
    ("Zeeland", &["Middelburg", "Vlissingen", "Goes", "Terneuzen", "Hulst", "Schouwen-Duiveland", "Sluis", "Veere", "Borsele", "Kapelle"]),
    ("Noord-Brabant", &["Eindhoven", "Tilburg", "Breda", "'s-Hertogenbosch", "Helmond", "Oss", "Roosendaal", "Bergen op Zoom", "Oosterhout", "Waalwijk", "Cranendonck"]),
    ("Limburg", &["Maastricht", "Venlo", "Sittard-Geleen", "Heerlen", "Roermond", "Weert", "Kerkrade", "Venray", "Beek", "Valkenburg aan de Geul"]),
];

/// Population of each province in hundred thousands, in the order of [`PROVINCES`].
const PROVINCE_WEIGHTS: [u32; 12] = [6, 7, 5, 12, 4, 21, 14, 30, 38, 4, 26, 11];

/// Deployments elsewhere in the EU: member state, region, city, street,
/// police, public authority.
#[rustfmt::skip]
const FOREIGN: &[[&str; 6]] = &[
    ["BE", "Antwerpen", "Antwerpen", "Meir", "Politiezone Antwerpen", "Stad Antwerpen"],
    ["BE", "Brussels Hoofdstedelijk Gewest", "Brussel", "Wetstraat", "Politiezone Brussel-Hoofdstad-Elsene", "Stad Brussel"],
    ["DE", "Nordrhein-Westfalen", "Köln", "Hohe Straße", "Polizeipräsidium Köln", "Stadt Köln"],
    ["DE", "Niedersachsen", "Osnabrück", "Große Straße", "Polizeidirektion Osnabrück", "Stadt Osnabrück"],
    ["FR", "Île-de-France", "Paris", "Rue de Rivoli", "Préfecture de police de Paris", "Ville de Paris"],
    ["ES", "Comunidad de Madrid", "Madrid", "Calle de Alcalá", "Policía Municipal de Madrid", "Ayuntamiento de Madrid"],
    ["IT", "Lombardia", "Milano", "Corso Buenos Aires", "Polizia Locale di Milano", "Comune di Milano"],
    ["PL", "Mazowieckie", "Warszawa", "ul. Marszałkowska", "Komenda Stołeczna Policji", "Miasto Stołeczne Warszawa"],
    ["AT", "Wien", "Wien", "Mariahilfer Straße", "Landespolizeidirektion Wien", "Stadt Wien"],
    ["DK", "Hovedstaden", "København", "Vesterbrogade", "Københavns Politi", "Københavns Kommune"],
    ["SE", "Stockholms län", "Stockholm", "Drottninggatan", "Polisregion Stockholm", "Stockholms stad"],
    ["IE", "Dublin", "Dublin", "Grafton Street", "An Garda Síochána, Dublin Metropolitan Region", "Dublin City Council"],
    ["PT", "Lisboa", "Lisboa", "Avenida da Liberdade", "PSP, Comando Metropolitano de Lisboa", "Câmara Municipal de Lisboa"],
    ["LU", "Luxembourg", "Luxembourg", "Grand-Rue", "Police Grand-Ducale", "Ville de Luxembourg"],
];

/// Places bound to a kind of deployer: kind, name (empty: from the kind's
/// names), province, municipality, site.
#[rustfmt::skip]
const FIXED: &[[&str; 5]] = &[
    ["kmar", "", "Noord-Holland", "Haarlemmermeer", "Schiphol, vertrekhal 2"],
    ["kmar", "", "Noord-Holland", "Haarlemmermeer", "Schiphol, aankomsthal 3"],
    ["kmar", "", "Noord-Holland", "Haarlemmermeer", "Schiphol, non-Schengen transfer"],
    ["kmar", "", "Zuid-Holland", "Rotterdam", "Rotterdam The Hague Airport"],
    ["kmar", "", "Noord-Brabant", "Eindhoven", "Eindhoven Airport"],
    ["kmar", "", "Limburg", "Beek", "Maastricht Aachen Airport"],
    ["kmar", "", "Drenthe", "Tynaarlo", "Groningen Airport Eelde"],
    ["kmar", "", "Noord-Holland", "Amsterdam", "Passenger Terminal Amsterdam"],
    ["ind", "", "Groningen", "Westerwolde", "Aanmeldcentrum Ter Apel"],
    ["ind", "", "Noord-Brabant", "Cranendonck", "Aanmeldcentrum Budel"],
    ["ind", "", "Zuid-Holland", "Rijswijk", "IND-loket Rijswijk"],
    ["ind", "", "Noord-Brabant", "'s-Hertogenbosch", "IND-loket Den Bosch"],
    ["ind", "", "Overijssel", "Zwolle", "IND-loket Zwolle"],
    ["ind", "", "Noord-Holland", "Amsterdam", "IND-loket Amsterdam"],
    ["military", "", "Zuid-Holland", "Den Haag", "Frederikkazerne"],
    ["military", "", "Noord-Holland", "Den Helder", "Marinebasis Nieuwe Haven"],
    ["military", "", "Utrecht", "Utrecht", "Kromhout Kazerne"],
    ["military", "", "Fryslân", "Leeuwarden", "Vliegbasis Leeuwarden"],
    ["military", "", "Noord-Brabant", "Eindhoven", "Vliegbasis Eindhoven"],
    ["university", "Universiteit Utrecht", "Utrecht", "Utrecht", "Utrecht Science Park"],
    ["university", "Universiteit van Amsterdam", "Noord-Holland", "Amsterdam", "Roeterseilandcampus"],
    ["university", "Vrije Universiteit Amsterdam", "Noord-Holland", "Amsterdam", "Campus Zuidas"],
    ["university", "Erasmus Universiteit Rotterdam", "Zuid-Holland", "Rotterdam", "Campus Woudestein"],
    ["university", "Universiteit Leiden", "Zuid-Holland", "Leiden", "Pieter de la Court-gebouw"],
    ["university", "Technische Universiteit Delft", "Zuid-Holland", "Delft", "Campus TU Delft"],
    ["university", "Rijksuniversiteit Groningen", "Groningen", "Groningen", "Zernike Campus"],
    ["university", "Radboud Universiteit", "Gelderland", "Nijmegen", "Campus Heyendaal"],
    ["university", "Technische Universiteit Eindhoven", "Noord-Brabant", "Eindhoven", "TU/e Campus"],
    ["university", "Universiteit Twente", "Overijssel", "Enschede", "Campus Universiteit Twente"],
    ["university", "Tilburg University", "Noord-Brabant", "Tilburg", "Campus Tilburg"],
    ["university", "Maastricht University", "Limburg", "Maastricht", "Campus Randwyck"],
    ["university", "Wageningen University & Research", "Gelderland", "Wageningen", "Campus Wageningen"],
];

/// Kinds of deployer: key; deployer type; persons affected (range); names;
/// sites; purposes a use may add. `{m}` municipality, `{p}` name part, `{s}`
/// surname, `{i}` initial, `{unit}` police unit; `-` none.
#[rustfmt::skip]
const KINDS: &[&str] = &[
    "police; law_enforcement_authority; 50-60000; Politie Eenheid {unit}|Politie Eenheid {unit}|Politie Eenheid {unit}|Politie Landelijke Eenheid; Politiebureau {m}|Recherche, team digitale opsporing|Cameratoezicht binnenstad {m}|Stationsgebied {m}|Uitgaansgebied {m}; incident_investigation|security",
    "prison; public_authority; 100-3000; Dienst Justitiële Inrichtingen; Penitentiaire Inrichting {m}|Huis van Bewaring {m}|Justitieel Complex {m}; safety",
    "kmar; migration_authority; 20000-5000000; Koninklijke Marechaussee; -; security",
    "ind; migration_authority; 500-60000; Immigratie- en Naturalisatiedienst; -; other",
    "gemeente; public_authority; 1000-300000; Gemeente {m}; Stadhuis {m}|Stadskantoor {m}, publieksbalie|Binnenstad {m}|Afdeling Werk en Inkomen|Parkeergarage centrum {m}; safety|security",
    "agency; public_authority; 5000-2000000; Uitvoeringsinstituut Werknemersverzekeringen|Belastingdienst|Dienst Uitvoering Onderwijs|Sociale Verzekeringsbank|Centraal Orgaan opvang asielzoekers|Rijkswaterstaat|Centraal Bureau Rijvaardigheidsbewijzen; Kantoor {m}|Servicecentrum {m}|Examencentrum {m}; other",
    "events; private_company; 1500-120000; {p} Events B.V.|Stichting {p} Festival|{p} Live B.V.|Stadion {m} B.V.|{p} Concerten B.V.|Evenementenhal {m} B.V.; Festivalterrein {m}|Stadion {m}, hoofdingang|Evenementenhal {m}|Poppodium {m}|Strand, festivalterrein|Sportpark {m}; safety|security",
    "casino; private_company; 2000-150000; Casino {p} B.V.|Speelhal {p} B.V.|{p} Gaming B.V.; Casino {m}, entree|Speelhal {m}|Speelautomatenhal {m}; security",
    "retail; private_company; 500-250000; {s} Supermarkten B.V.|{p} Retail B.V.|Winkelcentrum {m} B.V.|{p} Mode B.V.|Drogisterij {s} B.V.|{p} Elektronica B.V.|Bouwmarkt {s} B.V.; Filiaal {m} centrum|Winkelcentrum {m}|Hoofdingang filiaal {m}|Zelfscankassa's filiaal {m}|Outletcentrum {m}; security|analytics|loss_prevention",
    "vending; private_company; 200-40000; {p} Vending B.V.|Tankstation {s}|{p} Tabak & Lectuur B.V.|Slijterij {s}|{p} Automaten B.V.; Sigarettenautomaat {m}|Slijterij {m}|Tankstationshop {m}|Station {m}, automatenwand; customer_service",
    "online; private_company; 10000-5000000; {p} Online B.V.|{p} Media B.V.|{p} Gaming B.V.|Webshop {p} B.V.|{p} Dating B.V.|{p} Data B.V.; Website en app|Mobiele app|Webshop|Platform; marketing|customer_service",
    "employer; employer; 30-8000; {p} Logistiek B.V.|Transportbedrijf {s} B.V.|{p} Contactcenter B.V.|{p} Schoonmaak B.V.|{s} Bouw B.V.|{p} Distributie B.V.|{p} Uitzendgroep B.V.|{s} Techniek B.V.; Distributiecentrum {m}|Kantoor {m}|Klantcontactcentrum {m}|Hoofdkantoor|Depot {m}|Wagenpark; safety|analytics",
    "callcentre; private_company; 5000-900000; {p} Verzekeringen N.V.|{p} Energie B.V.|{p} Telecom B.V.|{p} Bank N.V.|{p} Klantenservice B.V.; Klantcontactcentrum {m}|Telefonische klantenservice|Online klantenservice; analytics|security",
    "education; education_institution; 200-40000; ROC {m}|Scholengemeenschap {p}|{p} College|Hogeschool {p}|{p} Lyceum; Examenzaal|Digitale toetsomgeving|Campus {m}|Hoofdgebouw; education_assessment",
    "university; education_institution; 20-3000; {p} Instituut; Onderzoekslab; research",
    "infra; private_company; 50-6000; {p} Datacenters B.V.|{p} Energie B.V.|Havenbedrijf {m}|{p} Netbeheer B.V.|Waterbedrijf {p}|{p} Chemie B.V.; Datacenter {m}|Centrale {m}|Haventerminal|Productielocatie {m}|Schakelstation {m}; safety",
    "hospital; private_company; 300-60000; {m} Medisch Centrum|Ziekenhuis {p}|{p} Ziekenhuis|Zorggroep {p}|Revalidatiecentrum {p}; Spoedeisende hulp|Intensive care|Verpleegafdeling|Polikliniek|Revalidatieafdeling; safety|wellbeing",
    "household; natural_person; 1-40; {i}. {s}|{i}.{i}. {s}; Woning|Voordeur|Oprit; other",
    "military; military; 100-100000; Ministerie van Defensie|Commando Landstrijdkrachten|Commando Zeestrijdkrachten|Militaire Inlichtingen- en Veiligheidsdienst; -; security",
];

/// Archetypes: key; weight as Section A, as Section B; declared Annex III
/// (`|` alternatives, `,` several); deployer kinds; legal grounds with
/// weights; trade-name stems; facts; intended purpose. Facts are `key=value`
/// with `|` alternatives (`-` absent) and `,` lists; keys in [`FACT_KEYS`].
#[rustfmt::skip]
const ARCHETYPES: &[&str] = &[
    "police_post_face; 70,0; 1_a; police; led:1; Trace|Retrospect|Face Search|Recall|Sherlock; \
     mod=face fn=identification cmp=one_to_many ref=watchlist act=0 tim=post sp=publicly_accessible sub=suspects,general_public|suspects pur=law_enforcement,incident_investigation prof=0|-; \
     Retrospective comparison of faces in lawfully obtained camera footage against a reference database of photographs, to support the identification of suspects in criminal investigations by police forces.",
    "police_post_gait; 8,0; 1_a; police; led:1; Stride|GaitPrint|WalkID; \
     mod=gait|gait,face fn=identification cmp=one_to_many ref=watchlist act=0 tim=post sp=publicly_accessible sub=suspects pur=law_enforcement,incident_investigation; \
     Compares the gait of persons in recorded camera footage with the gait of known suspects, to support forensic investigators in criminal cases.",
    "police_post_voice; 6,0; 1_a; police; led:1; VoiceMatch|Phonetica|Speaker ID; \
     mod=voice fn=identification cmp=one_to_many ref=watchlist act=0 tim=post sp=other sub=suspects pur=law_enforcement,incident_investigation; \
     Forensic speaker identification: compares voices in lawfully intercepted or seized recordings with voice samples of suspects and reports likelihood ratios to the investigator.",
    "police_live_face; 10,0; 1_a; police; led:1; LiveWatch|Sentinel|Argus; \
     mod=face fn=identification cmp=one_to_many ref=watchlist act=0 tim=real_time sp=publicly_accessible sub=general_public,suspects pur=law_enforcement,security; \
     Real-time comparison of faces in live camera streams with a watchlist of wanted or missing persons, alerting an operator who decides on follow-up.",
    "police_risk; 8,0; 6_d|6_a; police; led:1; CrimeRadar|Prio|Predict; \
     bio=0 sp=other sub=suspects,general_public pur=law_enforcement,risk_assessment prof=1; \
     Scores the risk that known persons commit (or fall victim to) a serious offence, based on police records, to prioritise the work of district teams.",
    "prison_face; 12,0; 1_a; prison; g:6,led:4; Custodia|Warden|GateKeeper; \
     mod=face|face,iris fn=identification,verification cmp=one_to_many ref=enrolled_persons act=1|0 tim=real_time sp=prison_or_custody sub=inmates,visitors pur=security,access_control; \
     Identifies inmates and registered visitors at internal gates and the visitors' area of a custodial institution, against the institution's own enrolment.",
    "border_egate; 45,5; 7_d|7_d|1_a; kmar; g:1; Gate|Passage|BorderPass|SmartGate; \
     mod=face fn=verification cmp=one_to_one ref=travel_document act=1 tim=real_time sp=border_control_area sub=travellers pur=border_control prof=0; \
     Automated border control gate: compares the live face of the traveller with the photo on the chip of the travel document; a border guard handles every mismatch.",
    "border_egate_watchlist; 15,0; 7_d,1_a|7_d; kmar; g:1; Gate Plus|Passage Check|BorderPass Plus; \
     mod=face fn=verification,identification cmp=one_to_one ref=travel_document wl=1 act=1 tim=real_time sp=border_control_area sub=travellers pur=border_control,law_enforcement; \
     Automated border control gate that verifies the traveller against the travel document and also checks the face against the Schengen Information System and national watchlists.",
    "border_iris; 8,2; 7_d; kmar; g:3,consent:7; IrisLane|Iris Pass; \
     mod=iris fn=verification cmp=one_to_one ref=enrolled_persons act=1 tim=real_time sp=border_control_area sub=travellers pur=border_control,access_control; \
     Iris-based fast lane for enrolled frequent travellers at airport border control; the traveller looks into the iris camera and the gate compares with the enrolled template.",
    "migration_voice; 10,0; 7_a|7_a,1_c; ind; g:1; Veritas|VoiceStress|Credo; \
     mod=voice fn=emotion_recognition act=0 tim=real_time sp=other|border_control_area sub=asylum_seekers pur=credibility_assessment,asylum_visa_residence prof=1; \
     Analyses voice stress and emotional cues during asylum interviews to indicate to the case officer which statements may need further questioning.",
    "migration_risk; 15,0; 7_b; kmar,ind; g:8,other:2; RiskLens|Travel Risk|Horizon; \
     bio=0 sp=border_control_area|online sub=travellers|travellers,asylum_seekers pur=risk_assessment,border_control prof=1; \
     Assesses the security and irregular-migration risk of travellers from advance passenger data and visa files, ranking them for secondary checks by border guards.",
    "asylum_triage; 6,25; 7_c; ind; g:1; Dossier Triage|CaseSort|Intake Assist; \
     bio=0 sp=other sub=asylum_seekers pur=asylum_visa_residence prof=0 cond=preparatory_task|narrow_procedural_task|preparatory_task,narrow_procedural_task; \
     Sorts incoming asylum files by procedure track and summarises the documents submitted, so that case officers can plan interviews; it gives no advice on the merits.",
    "festival_face_entry; 45,5; 1_a; events; consent:9,other:1; FaceEntry|Fast Lane|Entree|Gate; \
     mod=face fn=identification cmp=one_to_many ref=enrolled_persons act=1 tim=real_time sp=publicly_accessible sub=visitors pur=access_control prof=0; \
     Face lane at festival entrances: ticket holders who enrolled a selfie walk through and are matched against all enrolled ticket holders of the event.",
    "stadium_face_entry; 20,0; 1_a; events; consent:6,g:2,other:2; StadiumID|Tribune|Turnstile; \
     mod=face fn=identification,verification cmp=one_to_many ref=enrolled_persons wl=1 act=1 tim=real_time sp=publicly_accessible sub=visitors pur=access_control,security; \
     Face recognition at stadium turnstiles for season-ticket holders, which also checks each face against the list of persons with a stadium ban.",
    "casino_watchlist; 20,0; 1_a; casino; g:6,uavg:2,consent:2; Entry Guard|Guardian|Exclusion Check; \
     mod=face fn=identification cmp=one_to_many ref=watchlist act=0 tim=real_time sp=publicly_accessible sub=visitors,customers pur=security,access_control; \
     Recognises self-excluded and banned players at the entrance of gaming venues by comparing camera images with the venue's exclusion list, alerting the host.",
    "shop_watchlist; 35,0; 1_a; retail; uavg:5,other:3,consent:2; StoreGuard|ShopSafe|Retail Watch; \
     mod=face fn=identification cmp=one_to_many ref=watchlist act=0 tim=real_time sp=publicly_accessible sub=customers,general_public pur=loss_prevention,security; \
     Compares the faces of persons entering a shop with a list of persons banned for shoplifting or violence and alerts staff on a match.",
    "retail_emotion; 25,0; 1_c|1_c,1_b; retail; consent:3,other:7; Mood Metrics|ShopperSense|Emotica; \
     mod=face fn=emotion_recognition,categorisation inf=age,gender act=0 tim=real_time sp=publicly_accessible sub=customers pur=analytics,marketing prof=1|0; \
     Measures the emotional reactions, age group and gender of shoppers at displays and checkouts, reported to store management as aggregated statistics.",
    "retail_advertising; 15,10; 1_b|1_c; retail; consent:2,other:8; Smart Signage|Audience|AdFit; \
     mod=face fn=categorisation inf=age,gender|age,gender,other act=0 tim=real_time sp=publicly_accessible sub=general_public,customers pur=advertising prof=0|-; \
     Estimates the age group and gender of passers-by in front of digital signage to select the advertisement shown; no image is stored.",
    "age_vending; 30,20; 1_b; vending,retail; other:5,consent:5; AgeCheck|Age Gate|Leeftijdscheck; \
     mod=face fn=categorisation inf=age act=1 tim=real_time sp=publicly_accessible,other sub=customers pur=age_assurance prof=0; \
     Estimates from a face image whether a customer is over 18 before a vending machine or self-checkout sells tobacco or alcohol; the image is discarded immediately.",
    "age_online; 25,20; 1_b; online; consent:8,other:2; AgeKey|Age Verify|Selfie Age; \
     mod=face fn=categorisation inf=age act=1 tim=real_time sp=online sub=users pur=age_assurance,customer_service prof=0; \
     Online age assurance: estimates the age of a user from a selfie before access to age-restricted content or products.",
    "workplace_emotion; 20,3; 1_c|4_b|1_c,4_b; employer,callcentre; consent:6,other:4; Mood Monitor|Engage|Pulse; \
     mod=face|voice|face,voice fn=emotion_recognition act=0 tim=real_time sp=workplace sub=employees pur=worker_management|wellbeing|worker_management,wellbeing prof=1; \
     Infers the emotions and stress of employees from webcam images and call audio, reported to team leads to manage workload and wellbeing.",
    "school_emotion; 5,0; 3_b|1_c; education; consent:7,other:3; Attentio|Classroom Pulse; \
     mod=face,gaze fn=emotion_recognition,behaviour_monitoring act=0 tim=real_time sp=education sub=students pur=education_assessment; \
     Infers the engagement, boredom and confusion of pupils from classroom cameras to give teachers feedback on their lessons.",
    "driver_fatigue; 12,12; 4_b; employer; other:6,consent:4; Drowsy Alert|DriverGuard|Vigil; \
     mod=face,gaze|physiological fn=physical_state_detection act=0 tim=real_time sp=vehicle sub=employees pur=safety exc=-|safety; \
     Detects fatigue and drowsiness of professional drivers from an in-cab camera or a wearable sensor and warns the driver in time.",
    "customer_voice; 20,0; 1_c; callcentre; consent:3,other:7; Call Sense|Tone|Voice Insight; \
     mod=voice fn=emotion_recognition act=0 tim=real_time|post sp=online|other sub=customers pur=customer_service,analytics prof=0|1; \
     Detects frustration and anger in the voices of customers calling a service line, to route calls and coach agents.",
    "staff_turnstile; 15,30; 1_a|1_a|2; infra,employer,gemeente,hospital,agency; uavg:5,consent:4,other:1; Access|Staff Gate|Entrance|Badge-Free; \
     mod=face|fingerprint|face|other fn=verification cmp=one_to_one ref=enrolled_persons act=1 tim=real_time sp=workplace sub=employees,contractors|employees pur=access_control,security prof=0; \
     Verifies at turnstiles and doors that a badge holder is the enrolled employee or contractor, by a one-to-one comparison with the enrolled template.",
    "phone_unlock; 5,30; 1_a; household,employer; household:7,consent:3; Unlock|FaceKey|TouchKey; \
     mod=face|fingerprint fn=verification cmp=one_to_one ref=on_device act=1 tim=real_time sp=private_premises,other sub=users pur=device_unlock prof=0; \
     Unlocks a smartphone or laptop by comparing the user's face or fingerprint with a template stored only on the device.",
    "doorbell; 3,5; 1_a; household; household:9,other:1; DoorView|Smart Bell; \
     scope=personal_non_professional|- mod=face fn=identification cmp=one_to_many ref=enrolled_persons act=0 tim=real_time sp=private_premises sub=visitors,general_public pur=security; \
     Video doorbell that recognises household members and known visitors at the front door and notifies the resident of unknown persons.",
    "exam_proctoring; 30,5; 3_d; education,university; consent:4,other:3,g:3; Proctor|ExamGuard|Invigilate; \
     mod=face,gaze|face|face,keystrokes fn=behaviour_monitoring,verification|behaviour_monitoring,identification cmp=one_to_one act=1 tim=real_time sp=education,online sub=students pur=exam_proctoring,education_assessment prof=1|0; \
     Online proctoring: verifies the candidate and monitors gaze, presence and keystrokes during a remote exam, flagging possible fraud for review by an examiner.",
    "exam_identity; 5,25; 3_d; education,university; consent:5,g:3,other:2; ExamID|Candidate Check|ID Start; \
     mod=face fn=verification cmp=one_to_one ref=enrolled_persons act=1 tim=real_time sp=education,online sub=students pur=exam_proctoring prof=0; \
     Confirms at the start of an exam that the person at the webcam is the registered candidate, by a one-to-one comparison with the photo on file; an invigilator decides in case of doubt.",
    "recruitment_video; 25,5; 4_a; employer; consent:7,other:3; HireVision|Interview Insight|TalentLens; \
     mod=face,voice|voice fn=behaviour_monitoring|categorisation inf=-|other sp=online sub=job_candidates pur=recruitment prof=1; \
     Analyses recorded video interviews of job candidates (speech content, fluency and presentation) and ranks the candidates for the recruiter.",
    "recruitment_emotion; 8,0; 4_a|4_a,1_c; employer; consent:8,other:2; Candidate Mood|Affect Hire; \
     mod=face,voice fn=emotion_recognition,behaviour_monitoring sp=online sub=job_candidates pur=recruitment prof=1; \
     Scores the enthusiasm, nervousness and honesty of job candidates from facial expressions and voice in video interviews.",
    "worker_keystrokes; 15,5; 4_b; employer,callcentre; other:5,consent:5; WorkPulse|Productiv|TaskTrack; \
     mod=keystrokes|keystrokes,gaze fn=behaviour_monitoring,verification cmp=one_to_one sp=workplace,online sub=employees,contractors|employees pur=worker_management,analytics prof=1; \
     Monitors the productivity of remote workers from typing rhythm and screen attention, and confirms that the logged-in worker is at the keyboard.",
    "keystroke_auth; 3,10; 1_a; callcentre,online; consent:6,uavg:4; TypeID|KeyAuth; \
     mod=keystrokes fn=verification cmp=one_to_one ref=enrolled_persons act=0 tim=real_time sp=online sub=users,customers pur=security,access_control prof=0; \
     Continuous authentication for online banking: compares typing rhythm with the customer's enrolled profile to detect account takeover.",
    "health_categorisation; 10,0; 1_b; hospital; other:8,consent:2; Clinica Face|Syndrome Finder|Pain Scan; \
     mod=face fn=categorisation|categorisation,physical_state_detection inf=health|genetic|health,genetic act=1 tim=post|real_time sp=healthcare sub=patients pur=medical exc=medical; \
     Suggests genetic syndromes or health conditions from facial photographs of patients to support the diagnosis by clinical geneticists and physicians.",
    "ethnic_categorisation; 5,0; 1_b; retail,gemeente,online; other:1; Demographics|Census Vision; \
     mod=face fn=categorisation inf=ethnic_origin|ethnic_origin,age,gender act=0 tim=real_time|post sp=publicly_accessible|online sub=general_public pur=analytics|marketing; \
     Estimates the ethnic origin, age and gender of visitors to produce demographic statistics of the audience of a place or website.",
    "sensitive_categorisation; 6,0; 1_b; online,retail,gemeente; other:8,consent:2; Profiler|Insight360; \
     mod=face|face,voice fn=categorisation inf=political_opinions,religious_beliefs|race,ethnic_origin|trade_union_membership,political_opinions|sex_life,sexual_orientation|religious_beliefs,sexual_orientation|race,sex_life,trade_union_membership act=0 tim=post|real_time sp=online|publicly_accessible sub=general_public|users pur=advertising|analytics|other prof=1; \
     Infers political, religious and other personal characteristics of persons from their photos and voice, to segment audiences.",
    "scraping; 4,0; 1_a; online,police; other:7,led:3; FaceCrawler|OpenFace Index; \
     mod=face fn=database_creation,identification cmp=one_to_many ref=open_collection scr=1 act=0 tim=post sp=online sub=general_public pur=law_enforcement|security|other prof=1; \
     Builds a searchable face database from images on public websites and social media, and finds matching faces for an uploaded photo.",
    "research_only; 5,3; 1_c|1_a|1_b; university; other:6,consent:4; LabFace|Affect Lab|Research Toolkit; \
     scope=scientific_research_only mod=face|voice|gait|physiological fn=emotion_recognition|identification|categorisation inf=-|-|age,gender sp=other sub=research_participants,dataset_subjects pur=research lab=1|0; \
     Research prototype used solely in university experiments on emotion and identity recognition with consenting participants; not placed on the market.",
    "dataset_curation; 4,6; 1_b; online,university; other:6,consent:4; DataLabel|Annotate; \
     mod=face fn=categorisation inf=age,gender|age lab=1 act=0 tim=post sp=online sub=dataset_subjects pur=dataset_curation; \
     Labels and filters a lawfully acquired face image dataset by estimated age and gender, to balance training data for other models.",
    "national_security; 3,0; 1_a; military; other:1; Sentry|Bastion; \
     scope=military_defence_national_security mod=face|face,gait fn=identification,person_detection_or_tracking cmp=one_to_many ref=watchlist act=0 tim=real_time|post sp=other|border_control_area sub=other,general_public pur=military,security; \
     Identifies persons of interest around military installations and in intelligence operations, exclusively for defence and national security.",
    "benefits_risk; 15,5; 5_a; gemeente,agency; g:7,other:3; Signaal|RiskScan|Toeslag Check; \
     bio=0 sp=other|online sub=general_public|customers pur=risk_assessment prof=1; \
     Scores applications for social benefits and allowances for the risk of fraud or error, selecting files for extra checks by an official.",
    "crowd_counting; 3,15; 1_a; gemeente,events; g:5,other:5; CrowdFlow|Crowd Count|Drukte; \
     bio=0 fn=person_detection_or_tracking tim=real_time sp=publicly_accessible sub=general_public pur=safety,analytics prof=0; \
     Counts and tracks anonymous persons in camera images of busy streets and event grounds to warn crowd managers of dangerous densities.",
    "patient_monitoring; 8,6; 1_c|5_d; hospital; other:8,consent:2; CareWatch|Pain Assist|Ward View; \
     mod=face|face,physiological fn=physical_state_detection|physical_state_detection,emotion_recognition inf=health act=0 tim=real_time sp=healthcare sub=patients pur=medical,wellbeing exc=medical prof=0; \
     Monitors pain, agitation and distress of patients who cannot express themselves from bedside camera images and vital signs, alerting nursing staff.",
    "product_preview; 2,10; 1_b; online,retail; consent:8,other:2; TryOn|Mirror|Virtual Fit; \
     mod=face fn=categorisation inf=other anc=1 act=1 tim=real_time sp=online|publicly_accessible sub=customers,users pur=product_preview,marketing prof=0; \
     Virtual try-on of glasses and make-up: locates facial features in the camera image to overlay the product, as a feature of an online shop.",
];

/// Fact keys of [`ARCHETYPES`]: short key, where (0 top, 1 biometric, 2
/// law_enforcement), kind (0 code, 1 list, 2 boolean), field.
const FACT_KEYS: &[(&str, u8, u8, &str)] = &[
    ("scope", 0, 0, "scope_exclusion"),
    ("bio", 1, 2, "uses_biometric_data"),
    ("mod", 1, 1, "modalities"),
    ("fn", 1, 1, "functions"),
    ("cmp", 1, 0, "comparison"),
    ("ref", 1, 0, "reference_database"),
    ("wl", 1, 2, "watchlist_check"),
    ("act", 1, 2, "active_involvement"),
    ("tim", 1, 0, "timing"),
    ("inf", 1, 1, "inferred_attributes"),
    ("anc", 1, 2, "ancillary_feature"),
    ("scr", 1, 2, "untargeted_scraping"),
    ("lab", 1, 2, "dataset_labelling"),
    ("sp", 0, 1, "spaces"),
    ("sub", 0, 1, "subjects"),
    ("pur", 0, 1, "purposes"),
    ("crime", 2, 2, "crime_detection_permitted_by_law"),
    ("exc", 0, 1, "exceptions_claimed"),
    ("prof", 0, 2, "profiling"),
    ("cond", 0, 1, "art_6_3_conditions"),
];

#[rustfmt::skip]
const ORG_PARTS: &[&str] = &[
    "Noord", "Delta", "Lumen", "Polder", "Kompas", "Vector", "Helix", "Orion", "Tulp", "Zuid", "Kern", "Prisma", "Nova",
    "Atlas", "Vesta", "Merel", "Duin", "Aurora", "Quanta", "Baken", "Sigma", "Fjord", "Linde", "Hanze", "Rijnmond",
    "Kennemer", "Veluwe", "Maas", "Amstel", "Twente", "Kempen", "Waddenzee", "Horizon", "Zeeuws", "Eiland",
];
#[rustfmt::skip]
const VENDOR_SUFFIXES: &[&str] = &[
    "Vision", "Biometrics", "AI", "Analytics", "Sense", "Systems", "Labs", "Identity", "Technologies", "Security",
];
#[rustfmt::skip]
const SURNAMES: &[&str] = &[
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
    "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kaya", "Yilmaz", "El Amrani", "Bouzid", "Nguyen",
];
#[rustfmt::skip]
const NL_STREETS: &[&str] = &[
    "Stationsplein", "Kerkstraat", "Marktplein", "Europalaan", "Kanaalweg", "Industrieweg", "Havenstraat",
    "Laan van Nieuw Oost-Indië", "Science Park", "Marconistraat", "Dorpsstraat", "Stadhuisplein", "Beursplein",
];
/// Vendor legal forms: form, country, weight, phone prefix, streets, cities.
#[rustfmt::skip]
const LEGAL_FORMS: &[(&str, &str, u32, &str, &str, &str)] = &[
    ("B.V.", "NL", 40, "+31", "", "Utrecht|Amsterdam|Eindhoven|Rotterdam|Den Haag|Enschede|Groningen|Delft"),
    ("GmbH", "DE", 14, "+49", "Hauptstraße|Friedrichstraße|Am Sandtorkai", "Berlin|München|Köln|Hamburg"),
    ("SAS", "FR", 8, "+33", "Rue de Rivoli|Avenue de France", "Paris|Lyon|Grenoble"),
    ("NV", "BE", 6, "+32", "Wetstraat|Meir|Kortrijksesteenweg", "Brussel|Antwerpen|Gent|Leuven"),
    ("S.r.l.", "IT", 5, "+39", "Via Roma|Corso Buenos Aires", "Milano|Torino|Roma"),
    ("S.L.", "ES", 5, "+34", "Calle de Alcalá|Carrer de Balmes", "Madrid|Barcelona|Valencia"),
    ("AB", "SE", 4, "+46", "Kungsgatan|Drottninggatan", "Stockholm|Göteborg|Lund"),
    ("Oy", "FI", 3, "+358", "Mannerheimintie|Hämeenkatu", "Helsinki|Tampere|Oulu"),
    ("ApS", "DK", 3, "+45", "Vesterbrogade|Nørregade", "København|Aarhus"),
    ("sp. z o.o.", "PL", 4, "+48", "ul. Marszałkowska|ul. Piotrkowska", "Warszawa|Kraków|Łódź"),
    ("Ltd", "IE", 4, "+353", "Grand Canal Street|Harcourt Street", "Dublin|Cork|Galway"),
    ("Inc.", "US", 4, "+1", "Market Street|Congress Avenue", "San Francisco|Austin|Boston"),
];
#[rustfmt::skip]
const AUTHORISED_REPRESENTATIVES: &[[&str; 4]] = &[
    ["EU AI Representative Services B.V.", "Herengracht 420, 1017 BZ Amsterdam", "NL", "ar@euairep.example"],
    ["AI Act Vertretung GmbH", "Neue Mainzer Straße 52, 60311 Frankfurt am Main", "DE", "vertretung@aiact-rep.example"],
    ["Représentant IA SAS", "12 Rue de la Paix, 75002 Paris", "FR", "contact@representant-ia.example"],
];
#[rustfmt::skip]
const NOTIFIED_BODIES: &[(&str, &str)] = &[
    ("Keurmerk AI Certificering", "2797"),
    ("Noordzee Conformiteit B.V.", "2834"),
    ("Alpen Prüfstelle für KI GmbH", "0456"),
    ("Bureau de Certification IA SAS", "0711"),
    ("Nordic AI Assessment AB", "2961"),
];
#[rustfmt::skip]
const MEMBER_STATES: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "PL", "PT", "RO", "SE", "SI", "SK",
];
const STATUSES: &[(&str, u32)] = &[
    ("on_market", 52),
    ("in_service", 30),
    ("no_longer_on_market", 8),
    ("no_longer_in_service", 7),
    ("recalled", 3),
];
#[rustfmt::skip]
const EDITIONS: &[&str] = &[
    "", "", "", " Pro", " 2", " 3", " Enterprise", " Cloud", " Edge", " Lite", " One", " X", " Plus", " Go",
];
#[rustfmt::skip]
const OFF_POINTS: &[&str] = &["1_a", "1_b", "1_c", "2", "3_d", "4_a", "4_b", "5_a", "6_d", "7_d"];
const DEFAULT_CONDITIONS: &[&[&str]] = &[
    &["narrow_procedural_task"],
    &["preparatory_task"],
    &["narrow_procedural_task", "preparatory_task"],
    &["improves_prior_human_activity"],
    &["detects_decision_patterns"],
];

/// Components and logic (Annex VIII A.5-6) by the first biometric function.
#[rustfmt::skip]
const FUNCTION_TEXTS: &[(&str, &str, &str)] = &[
    ("identification", "Detection, template extraction, one-to-many search with ranked candidate lists, an operator review screen and an audit log of every search.", "Templates are extracted by a neural network and compared with the reference database; candidates above a configurable threshold go to a trained operator, who decides. Error rates per demographic group are documented in the instructions for use."),
    ("verification", "Capture module with liveness detection, template extraction, one-to-one comparison with the claimed identity, and a fallback to a manual check.", "A live sample is compared with a single reference (document chip, enrolled template or on-device template) against a fixed threshold. No template is kept after the check unless the person enrolled."),
    ("categorisation", "Detection, attribute classifier, aggregation and reporting module.", "A convolutional network estimates the attributes from a single frame; only the estimate and a confidence are passed on, the image is discarded within one second."),
    ("emotion_recognition", "Signal capture, feature extraction (facial action units, prosody), affect classifier and dashboard.", "A model trained on annotated recordings maps facial action units or voice features to affect categories with a confidence score; outputs are aggregated per session."),
    ("physical_state_detection", "Camera or sensor module, eyelid and head-pose tracking or vital-sign processing, and an alert unit.", "Eyelid closure, head pose or heart-rate variability are tracked over a sliding window; a calibrated threshold raises an alert. No identity is determined."),
    ("behaviour_monitoring", "Session recorder, event detector and a review queue for human assessors.", "Signals such as gaze direction, keystroke timing or presence in front of the camera are scored against rules and a learned model; flagged events go to a human reviewer who decides."),
    ("person_detection_or_tracking", "Person detector, anonymous tracker, counting and density map.", "Persons are detected as bounding boxes and tracked across frames without biometric templates; counts and densities are published every minute."),
    ("database_creation", "Crawler, face detector, template indexer and search interface.", "Images are collected from public web pages and video, faces are detected and indexed as templates, and the index can be searched with a probe image."),
    ("", "Data intake, feature pipeline, risk model and case-management integration.", "A gradient-boosted model scores cases on administrative data; the score and its main contributing factors are shown to a case handler, who decides."),
];
#[rustfmt::skip]
const ART_6_3_GROUNDS: &[&str] = &[
    "The system performs a narrow procedural task: it checks one thing at one moment and hands the result to a person; it does not evaluate the person or influence the decision on the merits.",
    "The system performs a preparatory task: it sorts and summarises material before an official examines it; every decision is taken by a person on the full file.",
    "The system only improves the result of an activity a person has already completed and does not replace or influence that person's assessment.",
    "The system detects deviations from earlier decision patterns and flags them for human review; it does not replace the assessment itself.",
];
#[rustfmt::skip]
const FRIA_SUMMARIES: &[&str] = &[
    "Risks to privacy and non-discrimination were assessed with the affected groups in mind; mitigations are a human check of every match, short retention and an annual bias test.",
    "The assessment found a risk of unequal error rates for people with darker skin; the deployer set a stricter threshold and requires a second human review before any action.",
    "Affected persons are informed by signs and on the website; complaints go to the data protection officer. Residual risks were accepted by the board after review.",
    "The use is limited to the stated purpose and period; logs are audited quarterly; persons who object get an alternative without disadvantage.",
    "The assessment covers dignity, privacy, non-discrimination and the right to an effective remedy; the main mitigation is that no decision rests on the system's output alone.",
    "Fundamental-rights risks were judged high for vulnerable groups; the scope was narrowed and an independent review is planned after six months.",
];
/// What a DPIA summary says when the supervisory authority was consulted
/// before the start (Art. 36 GDPR).
pub const CONSULTED: &str = "the supervisory authority was consulted";
#[rustfmt::skip]
const DPIA_SUMMARIES: &[&str] = &[
    "Biometric templates are deleted directly after the comparison; only the result and a time stamp are logged, kept for 28 days.",
    "Processing under the stated legal basis; access limited to trained staff; retention of results limited to the case file.",
    "Data are processed within the EU by the supplier as processor under a processing agreement; encryption at rest and in transit.",
    "The DPIA identified a high residual risk for the persons affected; the supervisory authority was consulted before the start.",
    "Images are processed on the device and never leave the premises; the supplier has no access to personal data.",
    "Retention: 24 hours for footage, 4 weeks for alerts; every query is logged and reviewed monthly by the privacy officer.",
];
/// What a deployer relying on consent offers those who refuse, by the kinds
/// of deployer ([`KINDS`] keys, `*` for any) it fits: a job interview is no
/// alternative at a vending machine.
#[rustfmt::skip]
const ALTERNATIVES: &[(&str, &str)] = &[
    ("events|casino", "Every entrance has a staffed lane where a ticket and ID are checked by hand; it is as fast as the face lanes."),
    ("employer|callcentre|infra|hospital|education|university", "Persons who do not consent use their badge and a PIN code instead."),
    ("*", "A staff member checks the identity document at the counter."),
    ("retail|vending", "Customers can ask a member of staff for an age check instead of the camera."),
    ("employer", "Candidates may choose a live interview with a recruiter without any analysis."),
    ("online", "Customers can prove their age with a bank or identity app instead of a selfie."),
];

/// The alternatives of [`ALTERNATIVES`] that fit deployers of `kind`.
fn alternatives_for(kind: &str) -> Vec<&'static str> {
    ALTERNATIVES
        .iter()
        .filter(|(kinds, _)| *kinds == "*" || kinds.split('|').any(|k| k == kind))
        .map(|(_, text)| *text)
        .collect()
}

const CERTIFICATE_TYPES: &str = "EU technical documentation assessment certificate (Annex VII)|\
    EU quality management system approval (Annex VII)";
/// Legal grounds: the short code of [`ARCHETYPES`] and the schema's code.
const GROUNDS: &[(&str, &str)] = &[
    ("led", "law_enforcement_directive"),
    ("consent", "gdpr_9_2_a_explicit_consent"),
    ("uavg", "uavg_29_authentication_security"),
    ("g", "gdpr_9_2_g_substantial_public_interest"),
    ("household", "household_exemption"),
    ("other", "other"),
];
/// The law cited for a ground, by kind of deployer (`*`: any); the first match wins.
#[rustfmt::skip]
const REFERENCES: &[(&str, &str, &str)] = &[
    ("led", "abroad", "Directive (EU) 2016/680, national implementation"),
    ("household", "abroad", "GDPR Art. 2(2)(c)"),
    ("consent", "abroad", "GDPR Art. 9(2)(a)"),
    ("g", "abroad", "GDPR Art. 9(2)(g), national law"),
    ("other", "abroad", "GDPR Art. 9(2)(h)|GDPR Art. 6(1)(f)|GDPR Art. 9(2)(e)"),
    ("led", "*", "Wet politiegegevens, art. 8|Wet politiegegevens, art. 9|Wet politiegegevens, art. 13|Wetboek van Strafvordering, art. 126nd"),
    ("consent", "*", "AVG art. 9 lid 2 onder a"),
    ("uavg", "*", "UAVG art. 29"),
    ("household", "*", "AVG art. 2 lid 2 onder c"),
    ("g", "casino", "Wet op de kansspelen, art. 33h (Cruks)"),
    ("g", "kmar", "Vreemdelingenwet 2000, art. 106a|Schengengrenscode, art. 8"),
    ("g", "ind", "Vreemdelingenwet 2000, art. 106a|Vreemdelingenwet 2000, art. 107"),
    ("g", "prison", "Penitentiaire beginselenwet, art. 28a"),
    ("g", "gemeente", "Participatiewet, art. 64|Gemeentewet, art. 151c"),
    ("g", "agency", "Wet SUWI, art. 64|Algemene wet inkomensafhankelijke regelingen, art. 39"),
    ("g", "education", "Wet op het hoger onderwijs en wetenschappelijk onderzoek, art. 7.12b"),
    ("g", "university", "Wet op het hoger onderwijs en wetenschappelijk onderzoek, art. 7.12b"),
    ("g", "*", "AVG art. 9 lid 2 onder g|UAVG art. 23"),
    ("other", "hospital", "AVG art. 9 lid 2 onder h"),
    ("other", "university", "AVG art. 9 lid 2 onder j, UAVG art. 24"),
    ("other", "employer", "AVG art. 9 lid 2 onder b"),
    ("other", "military", "Wet op de inlichtingen- en veiligheidsdiensten 2017"),
    ("other", "*", "AVG art. 6 lid 1 onder f (gerechtvaardigd belang)|AVG art. 9 lid 2 onder e|Algemene voorwaarden"),
];
/// First postcode of each province, in the order of [`PROVINCES`].
const POSTCODES: [u32; 12] = [
    9700, 8400, 9400, 7400, 8200, 6500, 3500, 1000, 2500, 4330, 5000, 6200,
];
/// 2024-09-01 and 2027-01-01 as days from the common era.
const DAY_2024_09_01: i32 = 739_130;
const DAY_2027_01_01: i32 = 739_982;

/// The tables above, parsed once.
struct Tables {
    archetypes: Vec<Archetype>,
    kinds: Vec<Kind>,
    /// Intended purposes with their archetype, sorted for a binary search.
    by_purpose: Vec<(&'static str, usize)>,
}

struct Archetype {
    weights: [u32; 2],
    annex: Vec<Vec<&'static str>>,
    kinds: Vec<usize>,
    grounds: Vec<(&'static str, u32)>,
    stems: Vec<&'static str>,
    facts: Vec<Slot>,
    purpose: &'static str,
    /// Meant for the police or a migration authority: no public instructions (A.12).
    restricted: bool,
}

/// One fact: where it goes, its field, its alternatives (`None`: absent).
struct Slot {
    section: u8,
    key: &'static str,
    alternatives: Vec<Option<Value>>,
}

struct Kind {
    key: &'static str,
    deployer_type: &'static str,
    persons: (f64, f64),
    names: Vec<&'static str>,
    sites: Vec<&'static str>,
    extra_purposes: Vec<&'static str>,
    /// Rows of [`FIXED`] this kind is bound to.
    fixed: Vec<usize>,
}

fn alternatives(s: &'static str) -> Vec<&'static str> {
    s.split('|')
        .filter(|x| !x.is_empty() && *x != "-")
        .collect()
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let kinds: Vec<Kind> = KINDS.iter().map(|spec| kind(spec)).collect();
        let kind_of = |k: &str| kinds.iter().position(|x| x.key == k).expect("kind");
        let archetypes: Vec<Archetype> = ARCHETYPES
            .iter()
            .map(|spec| {
                let f: Vec<&'static str> = spec.split(';').map(str::trim).collect();
                let (wa, wb) = f[1].split_once(',').expect("weights");
                let kinds: Vec<usize> = f[3].split(',').map(kind_of).collect();
                let number = |w: &str| w.parse::<u32>().expect("number");
                let ground = |g: &'static str| g.split_once(':').map(|(g, w)| (g, number(w)));
                Archetype {
                    weights: [number(wa), number(wb)],
                    annex: f[2].split('|').map(|a| a.split(',').collect()).collect(),
                    grounds: f[4]
                        .split(',')
                        .map(|g| ground(g).expect("ground:weight"))
                        .collect(),
                    stems: alternatives(f[5]),
                    facts: f[6].split_whitespace().map(slot).collect(),
                    purpose: f[7],
                    restricted: ["law_enforcement_authority;", "migration_authority;"]
                        .iter()
                        .any(|t| KINDS[kinds[0]].contains(t)),
                    kinds,
                }
            })
            .collect();
        Tables {
            by_purpose: {
                let mut v: Vec<_> = archetypes
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a.purpose, i))
                    .collect();
                v.sort_unstable();
                v
            },
            archetypes,
            kinds,
        }
    })
}

fn kind(spec: &'static str) -> Kind {
    let f: Vec<&'static str> = spec.split(';').map(str::trim).collect();
    let (lo, hi) = f[2].split_once('-').expect("persons range");
    let bound = |row: &[&str; 5]| row[0] == f[0] || (f[0] == "education" && row[0] == "university");
    Kind {
        key: f[0],
        deployer_type: f[1],
        persons: (lo.parse().expect("lo"), hi.parse().expect("hi")),
        names: alternatives(f[3]),
        sites: alternatives(f[4]),
        extra_purposes: alternatives(f[5]),
        fixed: (0..FIXED.len()).filter(|&j| bound(&FIXED[j])).collect(),
    }
}

fn slot(spec: &'static str) -> Slot {
    let (short, values) = spec.split_once('=').expect("key=value");
    let &(_, section, kind, key) = FACT_KEYS.iter().find(|k| k.0 == short).expect("fact key");
    let alternatives = values
        .split('|')
        .map(|v| match (v, kind) {
            ("-", _) => None,
            (v, 1) => Some(v.split(',').collect::<Vec<_>>().into()),
            (v, 2) => Some(Value::Bool(v == "1")),
            (v, _) => Some(v.into()),
        })
        .collect();
    Slot {
        section,
        key,
        alternatives,
    }
}

/// SplitMix64: a fast, well-mixed hash of a number.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn pick<T: Copy>(rng: &mut StdRng, xs: &[T]) -> T {
    xs[rng.random_range(0..xs.len())]
}

/// One of the `|`-separated alternatives of `list`.
fn pick_of(rng: &mut StdRng, list: &'static str) -> &'static str {
    let n = list.split('|').count();
    list.split('|').nth(rng.random_range(0..n)).unwrap_or(list)
}

/// An index drawn with the given weights.
fn windex(rng: &mut StdRng, weights: impl Iterator<Item = u32> + Clone) -> usize {
    let mut r = rng.random_range(0..weights.clone().sum::<u32>());
    weights
        .into_iter()
        .position(|w| {
            r < w || {
                r -= w;
                false
            }
        })
        .unwrap_or(0)
}

fn weighted<T: Copy>(rng: &mut StdRng, xs: &[(T, u32)]) -> T {
    xs[windex(rng, xs.iter().map(|x| x.1))].0
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

/// Some value, for a field that is always there.
fn some(v: impl Into<Value>) -> Option<Value> {
    Some(v.into())
}

/// An object from its fields, leaving out the absent ones.
fn obj<const N: usize>(fields: [(&str, Option<Value>); N]) -> Value {
    let present = fields
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_owned(), v?)));
    Value::Object(present.collect())
}

/// With probability `present`, a flag that is true with probability `yes`.
fn flag(rng: &mut StdRng, present: f64, yes: f64) -> Option<Value> {
    rng.random_bool(present)
        .then(|| rng.random_bool(yes).into())
}

/// With probability `present`, one of `texts`.
fn text(rng: &mut StdRng, present: f64, texts: &[&str]) -> Option<Value> {
    rng.random_bool(present).then(|| s(pick(rng, texts)))
}

/// Lower-case ASCII letters and digits of the words of `name` without a
/// dot, common accented letters folded.
fn slug(name: &str) -> String {
    let fold = |c: char| match c.to_lowercase().next().unwrap_or(c) {
        'à'..='å' => 'a',
        'ç' => 'c',
        'è'..='ë' => 'e',
        'ì'..='ï' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' => 'n',
        'ò'..='ö' | 'ø' => 'o',
        'ù'..='ü' => 'u',
        c => c,
    };
    let words = name.split(' ').filter(|w| !w.contains('.'));
    let out: String = words
        .flat_map(str::chars)
        .map(fold)
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if out.is_empty() {
        "deployer".to_owned()
    } else {
        out
    }
}

fn date(days_from_ce: i32) -> Value {
    let d = NaiveDate::from_num_days_from_ce_opt(days_from_ce).expect("date in range");
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()).into()
}

fn address(rng: &mut StdRng, street: &str, postcode: u32, town: &str) -> String {
    let [a, b] = [0; 2].map(|_| rng.random_range(b'A'..=b'Z') as char);
    let (n, pc) = (
        rng.random_range(1..200),
        postcode + rng.random_range(0..300),
    );
    format!("{street} {n}, {pc} {a}{b} {town}")
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// The Dutch police unit that covers a municipality.
fn police_unit(province: usize, municipality: &str) -> &'static str {
    match (province, municipality) {
        (0..=2, _) => "Noord-Nederland",
        (3 | 5, _) => "Oost-Nederland",
        (4 | 6, _) => "Midden-Nederland",
        (7, "Amsterdam" | "Amstelveen") => "Amsterdam",
        (7, _) => "Noord-Holland",
        (8, "Rotterdam" | "Dordrecht" | "Schiedam" | "Vlaardingen" | "Gouda") => "Rotterdam",
        (8, _) => "Den Haag",
        (10, "Eindhoven" | "Helmond" | "'s-Hertogenbosch" | "Oss" | "Cranendonck") => {
            "Oost-Brabant"
        }
        (9 | 10, _) => "Zeeland-West-Brabant",
        _ => "Limburg",
    }
}

/// Where a use takes place, with the deployer's name when the place fixes it.
struct Place {
    member_state: &'static str,
    region: &'static str,
    municipality: &'static str,
    /// Index into [`PROVINCES`]; meaningless abroad.
    province: usize,
    foreign: Option<&'static [&'static str; 6]>,
    name: Option<&'static str>,
    site: Option<String>,
}

/// A deterministic generator of registration documents.
pub struct Generator {
    seed: u64,
    rng: StdRng,
    t: &'static Tables,
}

impl Generator {
    /// A generator for `seed`; the same seed gives the same documents.
    pub fn new(seed: u64) -> Generator {
        let (rng, t) = (StdRng::seed_from_u64(seed), tables());
        Generator { seed, rng, t }
    }

    /// Each document draws from its own stream, so it depends only on the
    /// seed, the kind of document and its index.
    fn reseed(&mut self, stream: u64, i: u64) {
        self.rng = StdRng::seed_from_u64(mix(self.seed ^ mix(stream) ^ mix(!i)));
    }

    /// The i-th system document: a valid `annex_viii_a` (about 85%) or
    /// `annex_viii_b` registration drawn from an archetype, with a unique
    /// (trade_name, reference) per `i`.
    pub fn system(&mut self, i: u64) -> Value {
        self.reseed(1, i);
        let (t, rng) = (self.t, &mut self.rng);
        let b = usize::from(rng.random_bool(0.15));
        let section_a = b == 0;
        let a = &t.archetypes[windex(rng, t.archetypes.iter().map(|a| a.weights[b]))];
        // Vendors: a few large ones with many systems, a long tail of small ones.
        let vendors = (ORG_PARTS.len() * VENDOR_SUFFIXES.len() * 3) as f64;
        let (provider, brand, domain, non_eu) =
            vendor((vendors * rng.random::<f64>().powi(2)) as u64);
        let (stem, edition) = (pick(rng, &a.stems), pick(rng, EDITIONS));
        let sep = if stem.contains(' ') { " " } else { "" };
        let trade_name = match rng.random_bool(0.5) {
            true => format!("{brand}{sep}{stem}{edition}"),
            false => format!("{stem}{edition}"),
        };
        let initials = trade_name.chars().filter(char::is_ascii_uppercase).take(4);
        let (major, minor) = (rng.random_range(1..8), rng.random_range(0..10));
        let reference = format!("{}-{major}.{minor}-{i:06}", initials.collect::<String>());
        let path = reference.to_ascii_lowercase();
        let url = |what: &str| Value::from(format!("https://{domain}/{path}/{what}"));

        let mut facts = archetype_facts(a, rng);
        let conditions = "art_6_3_conditions";
        if section_a {
            facts.remove(conditions);
        } else if !facts.contains_key(conditions) {
            facts.insert(conditions.into(), pick(rng, DEFAULT_CONDITIONS).into());
        }
        if rng.random_bool(0.85) {
            facts.insert("deployer_type".into(), s(t.kinds[a.kinds[0]].deployer_type));
        }
        let mut declared = a.annex[rng.random_range(0..a.annex.len())].clone();
        if rng.random_bool(0.08) {
            // Deliberately off: a wrong or an extra point.
            let off = pick(rng, OFF_POINTS);
            if rng.random_bool(0.5) {
                declared.clear();
            }
            if !declared.contains(&off) {
                declared.push(off);
            }
        }
        if section_a && declared.is_empty() {
            declared.push(a.annex[0][0]);
        }
        let mut states = vec!["NL"];
        for _ in 0..weighted(rng, &[(0, 30), (1, 25), (2, 20), (3, 12), (5, 8), (8, 5)]) {
            let state = pick(rng, MEMBER_STATES);
            if !states.contains(&state) {
                states.push(state);
            }
        }
        let function = facts.get("biometric").and_then(|b| b.get("functions"));
        let function = function.and_then(|f| f[0].as_str()).unwrap_or("");
        let texts = FUNCTION_TEXTS.iter().find(|f| f.0 == function);
        let &(_, components, logic) = texts.unwrap_or(&FUNCTION_TEXTS[FUNCTION_TEXTS.len() - 1]);
        let certificate = (section_a && rng.random_bool(0.35)).then(|| {
            let (body, number) = pick(rng, NOTIFIED_BODIES);
            let expiry = date(DAY_2027_01_01 + rng.random_range(0..1800));
            let notified_body = obj([("name", some(body)), ("number", some(number))]);
            let scan = rng.random_bool(0.6).then(|| url("certificate.pdf"));
            obj([
                ("type", some(pick_of(rng, CERTIFICATE_TYPES))),
                ("number", some(format!("NB-{number}-AI-{i:05}"))),
                ("expiry", Some(expiry)),
                ("notified_body", Some(notified_body)),
                ("scan_url", scan),
            ])
        });
        let representative = non_eu.then(|| {
            let [name, address, country, email] = pick(rng, AUTHORISED_REPRESENTATIVES);
            let contact = some(obj([("email", some(email))]));
            obj([
                ("name", some(name)),
                ("address", some(address)),
                ("country", some(country)),
                ("contact", contact),
            ])
        });
        let instructions = section_a && (!a.restricted || rng.random_bool(0.1));
        let keep_declared = !declared.is_empty() && (section_a || rng.random_bool(0.85));
        let submitted_by = rng.random_bool(0.3).then(|| submitter(rng, &domain));
        let grounds = text(rng, if section_a { 0.0 } else { 0.8 }, ART_6_3_GROUNDS);
        let states = (section_a || rng.random_bool(0.6)).then(|| states.into());
        let info = rng.random_bool(if section_a { 0.6 } else { 0.4 });
        obj([
            (
                "registration_type",
                some(["annex_viii_a", "annex_viii_b"][b]),
            ),
            ("provider", Some(provider)),
            ("submitted_by", submitted_by),
            ("authorised_representative", representative),
            ("trade_name", some(trade_name)),
            ("reference", some(reference.as_str())),
            ("intended_purpose", some(a.purpose)),
            (
                "components_and_functions",
                section_a.then_some(components.into()),
            ),
            ("data_and_logic", section_a.then_some(logic.into())),
            ("status", some(weighted(rng, STATUSES))),
            ("certificate", certificate),
            ("art_6_3_grounds", grounds),
            ("member_states", states),
            (
                "declaration_of_conformity_url",
                section_a.then(|| url("declaration.pdf")),
            ),
            (
                "instructions_for_use_url",
                instructions.then(|| url("instructions.pdf")),
            ),
            ("more_info_url", info.then(|| url("info"))),
            ("declared_annex_iii", keep_declared.then(|| declared.into())),
            ("facts", some(facts)),
        ])
    }

    /// A deployment document using `system` (its registry id and document):
    /// about 90% name it by `system_id`, the rest by `system_url`.
    /// `annex_viii_c` when the deployer is a public body (public,
    /// law-enforcement or migration authority), `national_use` otherwise.
    /// The facts follow the system's, narrowed to the use, without
    /// `deployer_type` (the registry copies it from `deployer.type`).
    pub fn deployment(&mut self, i: u64, system: (&Uuid, &Value)) -> Value {
        self.reseed(2, i);
        let (t, rng) = (self.t, &mut self.rng);
        let (id, sys) = system;
        let purpose = sys.get("intended_purpose").and_then(Value::as_str);
        let sys_facts = sys.get("facts");
        let found = purpose.and_then(|p| t.by_purpose.binary_search_by_key(&p, |x| x.0).ok());
        let archetype = found.map(|k| &t.archetypes[t.by_purpose[k].1]);
        let kind = &t.kinds[match archetype {
            Some(a) => pick(rng, &a.kinds),
            None => {
                let declared = sys_facts.and_then(|f| f.get("deployer_type")?.as_str());
                let kind = t
                    .kinds
                    .iter()
                    .position(|k| Some(k.deployer_type) == declared);
                kind.unwrap_or(8)
            }
        }];
        let biometric = sys_facts.and_then(|f| f.get("biometric")?.get("uses_biometric_data"));
        let biometric = biometric == Some(&Value::Bool(true));
        let place = place(kind, biometric, rng);
        let public = kind.deployer_type.ends_with("_authority");
        let (deployer, domain) = deployer(kind, &place, public, rng);
        let location = obj([
            ("member_state", some(place.member_state)),
            ("region", some(place.region)),
            ("municipality", some(place.municipality)),
            ("site", place.site.map(Value::from)),
        ]);
        let start = DAY_2024_09_01 + rng.random_range(0..1030);
        let end = match kind.key {
            "events" if rng.random_bool(0.7) => Some(start + rng.random_range(1..4)),
            _ if rng.random_bool(0.25) => Some(start + rng.random_range(30..900)),
            _ => None,
        };
        let period = obj([("start", Some(date(start))), ("end", end.map(date))]);

        let ground = match kind.key {
            "police" => "led",
            "household" => weighted(rng, &[("household", 85), ("other", 15)]),
            "infra" if rng.random_bool(0.8) => "uavg",
            _ => {
                let fallback: &[(&str, u32)] = &[("g", 1), ("consent", 1), ("other", 1)];
                weighted(rng, archetype.map_or(fallback, |a| a.grounds.as_slice()))
            }
        };
        let abroad = place.foreign.is_some();
        // UAVG Art. 29 is Dutch law: abroad, the same use rests on "other".
        let ground = if abroad && ground == "uavg" {
            "other"
        } else {
            ground
        };
        let code = GROUNDS
            .iter()
            .find(|g| g.0 == ground)
            .map_or("other", |g| g.1);
        let key = if abroad { "abroad" } else { kind.key };
        let reference = REFERENCES
            .iter()
            .find(|r| r.0 == ground && (r.1 == key || r.1 == "*"));
        let reference = reference.filter(|_| rng.random_bool(0.85));
        let legal = obj([
            ("ground", some(code)),
            ("reference", reference.map(|r| pick_of(rng, r.2).into())),
        ]);
        let consent = (ground == "consent").then(|| {
            let offered = rng.random_bool(0.8);
            let alternative = text(
                rng,
                if offered { 0.85 } else { 0.0 },
                &alternatives_for(kind.key),
            );
            obj([
                ("alternative_offered", some(offered)),
                ("alternative_description", alternative),
            ])
        });

        let facts = use_facts(sys_facts, kind, place.foreign.is_some(), rng);
        let subjects = facts.get("subjects").and_then(Value::as_array);
        let employees = subjects.is_some_and(|xs| xs.iter().any(|x| x == "employees"));
        let employed = employees || kind.deployer_type == "employer";
        let performed = rng.random_bool(if public { 0.92 } else { 0.8 });
        let dpia = rng.random_bool(0.95).then(|| {
            let date = (performed && rng.random_bool(0.95))
                .then(|| date(start - rng.random_range(14..300)));
            obj([("performed", some(performed)), ("date", date)])
        });
        let (lo, hi) = kind.persons;
        let persons = (lo.ln() + rng.random::<f64>() * (hi.ln() - lo.ln())).exp();
        let scale = 10f64.powi((persons.log10().floor() as i32 - 1).max(0));
        let persons = rng
            .random_bool(0.9)
            .then(|| (((persons / scale).round() * scale) as u64).into());
        let dpo = match (public, kind.deployer_type) {
            (_, "natural_person") => 0.0,
            (true, _) => 0.97,
            _ => 0.55,
        };
        let by_id = rng.random_bool(0.9);
        let url = || format!("https://eu-ai-database.example/systems/{id}").into();
        let registration_type = if public {
            "annex_viii_c"
        } else {
            "national_use"
        };
        let submitted_by = rng.random_bool(0.25).then(|| submitter(rng, &domain));
        let fria_summary = text(rng, if public { 1.0 } else { 0.3 }, FRIA_SUMMARIES);
        // Prior consultation (Art. 36 GDPR) follows a DPIA; a summary says
        // the regulator was consulted only where it was.
        let consulted = flag(rng, 0.8, if performed { 0.12 } else { 0.0 });
        let summaries: Vec<&str> = DPIA_SUMMARIES
            .iter()
            .copied()
            .filter(|t| consulted == Some(Value::Bool(true)) || !t.contains(CONSULTED))
            .collect();
        let dpia_summary = text(rng, if performed { 0.7 } else { 0.0 }, &summaries);
        let employed = rng.random_bool(0.85).then_some(Value::Bool(employed));
        let fria = flag(rng, 0.85, if public { 0.85 } else { 0.25 });
        obj([
            ("registration_type", some(registration_type)),
            ("deployer", Some(deployer)),
            ("submitted_by", submitted_by),
            ("system_id", by_id.then(|| id.to_string().into())),
            ("system_url", (!by_id).then(url)),
            ("fria_summary", fria_summary),
            ("dpia_summary", dpia_summary),
            ("location", Some(location)),
            ("period", Some(period)),
            ("legal_basis", Some(legal)),
            ("consent", consent),
            ("employment_relationship", employed),
            ("dpia", dpia),
            ("prior_consultation_dpa", consulted),
            ("fria_performed", fria),
            ("dpo_appointed", flag(rng, 0.85, dpo)),
            ("persons_affected_estimate", persons),
            ("facts", some(facts)),
        ])
    }

    /// When the i-th of `n` records was registered: spread over the 18
    /// months before `end`, denser towards the end, increasing with `i`,
    /// never after `end`.
    pub fn registered_at(&mut self, i: u64, n: u64, end: DateTime<Utc>) -> DateTime<Utc> {
        self.reseed(3, i);
        let n = n.max(1);
        let u = (i.min(n - 1) as f64 + self.rng.random::<f64>()) / n as f64;
        let t = (0.25 * u + 0.75 * u.sqrt()).min(1.0);
        const SPAN: f64 = 548.0 * 86_400.0;
        end - Duration::seconds(((1.0 - t) * SPAN) as i64)
    }
}

/// The facts of an archetype, alternatives drawn.
fn archetype_facts(a: &Archetype, rng: &mut StdRng) -> Map<String, Value> {
    let mut sections = [Map::new(), Map::new(), Map::new()];
    for slot in &a.facts {
        let n = slot.alternatives.len();
        if let Some(v) = &slot.alternatives[if n == 1 { 0 } else { rng.random_range(0..n) }] {
            sections[usize::from(slot.section)].insert(slot.key.into(), v.clone());
        }
    }
    let [mut top, mut biometric, law_enforcement] = sections;
    if !biometric.is_empty() {
        biometric
            .entry("uses_biometric_data")
            .or_insert(Value::Bool(true));
        top.insert("biometric".into(), biometric.into());
    }
    if !law_enforcement.is_empty() {
        top.insert("law_enforcement".into(), law_enforcement.into());
    }
    top
}

/// The facts of a use: the system's, narrowed to some of its spaces,
/// subjects and purposes, perhaps with a purpose of the deployer's own.
fn use_facts(
    facts: Option<&Value>,
    kind: &Kind,
    foreign: bool,
    rng: &mut StdRng,
) -> Map<String, Value> {
    let mut facts = facts
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    facts.remove("deployer_type");
    facts.remove("art_6_3_conditions");
    for key in ["spaces", "subjects", "purposes"] {
        if let Some(Value::Array(xs)) = facts.get_mut(key) {
            if xs.len() > 1 && rng.random_bool(0.3) {
                let mut first = true;
                xs.retain(|_| std::mem::take(&mut first) || rng.random_bool(0.5));
            }
        }
    }
    if !kind.extra_purposes.is_empty() && rng.random_bool(0.25) {
        let extra = s(pick(rng, &kind.extra_purposes));
        if let Value::Array(xs) = facts
            .entry("purposes")
            .or_insert_with(|| Value::Array(vec![]))
        {
            if !xs.contains(&extra) {
                xs.push(extra);
            }
        }
    }
    if kind.deployer_type == "law_enforcement_authority" {
        // The objective, the authorisation, and whether a national Art. 5(5)
        // law permits real-time use (the Netherlands has none).
        let timing = facts.get("biometric").and_then(|b| b.get("timing"));
        let real_time = timing.is_some_and(|t| t == "real_time");
        let objectives = match real_time {
            true => "victims_or_missing_persons|imminent_threat|serious_crime_suspect|serious_crime_suspect|other",
            false => "serious_crime_suspect|serious_crime_suspect|initial_identification|other",
        };
        let authorisation = "granted|granted|granted|granted|granted|requested_within_deadline|none|none|unknown|refused";
        let national_law = rng.random_bool(if real_time { 1.0 } else { 0.2 });
        let le = obj([
            ("objective", some(pick_of(rng, objectives))),
            ("authorisation", some(pick_of(rng, authorisation))),
            (
                "national_law_permits",
                national_law.then(|| (foreign && rng.random_bool(0.5)).into()),
            ),
            (
                "crime_detection_permitted_by_law",
                rng.random_bool(0.3).then_some(Value::Bool(true)),
            ),
        ]);
        facts.insert("law_enforcement".into(), le);
    } else if matches!(kind.key, "retail" | "gemeente" | "events") && rng.random_bool(0.04) {
        facts.insert("on_behalf_of_law_enforcement".into(), true.into());
    }
    facts
}

/// A vendor's party, brand, web domain and whether it sits outside the EU;
/// the same `v` always gives the same vendor.
fn vendor(v: u64) -> (Value, &'static str, String, bool) {
    let rng = &mut StdRng::seed_from_u64(mix(v));
    let part = ORG_PARTS[v as usize % ORG_PARTS.len()];
    let suffix = pick(rng, VENDOR_SUFFIXES);
    let (form, country, _, prefix, streets, cities) =
        LEGAL_FORMS[windex(rng, LEGAL_FORMS.iter().map(|f| f.2))];
    let (street, city) = (pick_of(rng, streets), pick_of(rng, cities));
    let address = match country {
        "NL" => {
            let (postcode, street) = (1000 + 100 * rng.random_range(0..87), pick(rng, NL_STREETS));
            address(rng, street, postcode, city)
        }
        _ => format!(
            "{street} {}, {:05} {city}",
            rng.random_range(1..200),
            rng.random_range(1000..99_999)
        ),
    };
    let brand = format!("{part}{suffix}").to_ascii_lowercase();
    let domain = match country {
        "NL" => format!("{brand}.example"),
        _ => format!("{brand}-{}.example", country.to_ascii_lowercase()),
    };
    let n = rng.random_range(0..100_000_000u64);
    let identifier = match country {
        "NL" => format!("KVK {n:08}"),
        "DE" => format!("HRB {}", n % 1_000_000),
        "FR" => format!("SIREN {:09}", n * 7),
        "US" => format!("EIN {:02}-{:07}", n % 100, n % 10_000_000),
        _ => format!("VAT {country}{n:09}"),
    };
    let (a, b, c) = (
        rng.random_range(10..100),
        rng.random_range(100..1000),
        rng.random_range(1000..10_000),
    );
    let phone = rng
        .random_bool(0.6)
        .then(|| format!("{prefix} {a} {b} {c}").into());
    let party = obj([
        ("name", some(format!("{part} {suffix} {form}"))),
        ("address", some(address)),
        ("country", some(country)),
        ("identifier", some(identifier)),
        (
            "contact",
            some(obj([
                ("email", some(format!("compliance@{domain}"))),
                ("phone", phone),
            ])),
        ),
    ]);
    (party, part, domain, country == "US")
}

/// A firm or a person that submits a registration on someone's behalf.
fn submitter(rng: &mut StdRng, domain: &str) -> Value {
    let surname = pick(rng, SURNAMES);
    let province = rng.random_range(0..PROVINCES.len());
    let street = pick(rng, NL_STREETS);
    let address = address(rng, street, POSTCODES[province], PROVINCES[province].1[0]);
    let initial = rng.random_range(b'A'..=b'Z') as char;
    let (name, email) = match rng.random_bool(0.5) {
        true => (
            format!("Registratiebureau {}", capitalised(surname)),
            format!("registraties@{}.example", slug(surname)),
        ),
        false => (
            format!("{initial}. {surname}"),
            format!(
                "{}.{}@{domain}",
                initial.to_ascii_lowercase(),
                slug(surname)
            ),
        ),
    };
    let contact = some(obj([("email", some(email))]));
    obj([
        ("name", some(name)),
        ("address", some(address)),
        ("country", some("NL")),
        ("contact", contact),
    ])
}

/// Where a use takes place: a place bound to the kind of deployer, about 5%
/// elsewhere in the EU, otherwise in the Netherlands weighted by population.
fn place(kind: &Kind, biometric: bool, rng: &mut StdRng) -> Place {
    let fixed_share = if kind.key == "education" { 0.35 } else { 1.0 };
    if !kind.fixed.is_empty() && rng.random_bool(fixed_share) {
        let [_, name, region, municipality, site] = FIXED[pick(rng, &kind.fixed)];
        let province = PROVINCES
            .iter()
            .position(|p| p.0 == region)
            .expect("province");
        let (name, site) = ((!name.is_empty()).then_some(name), Some(site.to_owned()));
        return Place {
            member_state: "NL",
            region,
            municipality,
            province,
            foreign: None,
            name,
            site,
        };
    }
    let stays_home = !kind.fixed.is_empty() || matches!(kind.key, "prison" | "household");
    if !stays_home && rng.random_bool(0.05) {
        let f = &FOREIGN[rng.random_range(0..FOREIGN.len())];
        let (member_state, region, municipality) = (f[0], f[1], f[2]);
        return Place {
            member_state,
            region,
            municipality,
            province: 0,
            foreign: Some(f),
            name: None,
            site: None,
        };
    }
    let province = windex(rng, PROVINCE_WEIGHTS.iter().copied());
    let (region, list) = PROVINCES[province];
    let municipality = list[((list.len() as f64) * rng.random::<f64>().powf(1.6)) as usize];
    let with_site =
        !kind.sites.is_empty() && (biometric || kind.key == "online") && rng.random_bool(0.8);
    let site = with_site.then(|| pick(rng, &kind.sites).replace("{m}", municipality));
    Place {
        member_state: "NL",
        region,
        municipality,
        province,
        foreign: None,
        name: None,
        site,
    }
}

/// The deployer's party and type, and its web domain. Abroad, a local
/// public body, or a Dutch organisation with its seat in the Netherlands.
fn deployer(kind: &Kind, place: &Place, public: bool, rng: &mut StdRng) -> (Value, String) {
    let local = place.foreign.filter(|_| public);
    let name = match (place.name, local, kind.deployer_type) {
        (Some(name), _, _) => name.to_owned(),
        (_, Some(f), "law_enforcement_authority") => f[4].to_owned(),
        (_, Some(f), _) => f[5].to_owned(),
        _ => {
            let template = pick(rng, &kind.names);
            fill(template, place, rng)
        }
    };
    let natural = kind.deployer_type == "natural_person";
    let slug = slug(&name);
    let domain = format!("{slug}.example");
    let street = pick(rng, NL_STREETS);
    let address = match (local, place.foreign) {
        (Some(f), _) => format!("{} {}, {}", f[3], rng.random_range(1..200), f[2]),
        (None, Some(_)) => {
            let seat = windex(rng, PROVINCE_WEIGHTS.iter().copied());
            address(rng, street, POSTCODES[seat], PROVINCES[seat].1[0])
        }
        (None, None) => address(rng, street, POSTCODES[place.province], place.municipality),
    };
    let email = match natural {
        true => format!("{slug}@mail.example"),
        false => format!("privacy@{domain}"),
    };
    let n = rng.random_range(0..100_000_000u64);
    let identifier = match public || kind.deployer_type == "military" {
        true => format!("OIN 000000010{n:011}"),
        false => format!("KVK {n:08}"),
    };
    let identifier =
        (local.is_none() && !natural && rng.random_bool(0.85)).then(|| identifier.into());
    let [a, b, c] = [10..100, 100..1000, 1000..10_000].map(|r| rng.random_range(r));
    let phone =
        (local.is_none() && rng.random_bool(0.4)).then(|| format!("+31 {a} {b} {c}").into());
    let party = obj([
        ("name", some(name)),
        ("address", some(address)),
        ("country", some(local.map_or("NL", |f| f[0]))),
        ("identifier", identifier),
        (
            "contact",
            some(obj([("email", some(email)), ("phone", phone)])),
        ),
        ("type", some(kind.deployer_type)),
    ]);
    (party, domain)
}

/// A name template with `{m}`, `{p}`, `{s}`, `{i}` and `{unit}` filled in.
fn fill(template: &str, place: &Place, rng: &mut StdRng) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("closing brace");
        match &rest[open + 1..close] {
            "m" => out.push_str(place.municipality),
            "p" => out.push_str(pick(rng, ORG_PARTS)),
            "s" => out.push_str(pick(rng, SURNAMES)),
            "i" => out.push(rng.random_range(b'A'..=b'Z') as char),
            _ => out.push_str(police_unit(place.province, place.municipality)),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    if out.starts_with(char::is_lowercase) && !template.starts_with("{i}") {
        out = capitalised(&out);
    }
    out
}
