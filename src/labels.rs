//! Code lists: every closed vocabulary with a label in English and Dutch, for
//! spreadsheets, the overview page and whoever reads a code without knowing
//! the law by heart.
//!
//! Each list is built from its enum's `ALL`, so the order is the enum's
//! declaration order, and each label comes from an exhaustive `match` on the
//! enum: a new variant without a label does not compile. Member States are not
//! an enum; their list is a const slice held against the JSON Schema by
//! `tests/api/labels.rs`.
//!
//! Dutch labels follow the wording of the Dutch text of the AI Act
//! ("gebruiksverantwoordelijke", "toepassingsgebied", "afdeling A") and the
//! AVG, and cite articles the way Dutch policy documents do in short form
//! ("art. 9 lid 2 sub a").
//!
//! It sits above `domain` and `classify` because it labels both: the facts
//! vocabularies and the classifier's result vocabularies ([`Outcome`],
//! [`FindingCode`], ...).

use std::sync::LazyLock;

use crate::classify::{
    Art63Reason, FindingCode, Outcome, RegistrationBasis, Section, Severity, TransparencyObligation,
};
use crate::domain::annex::{AnnexIiiPoint, ProhibitedPractice};
use crate::domain::facts::{
    Art63Condition, Authorisation, BiometricFunction, ClaimedException, Comparison, DataSubject,
    DeployerType, InferredAttribute, LawEnforcementObjective, Modality, Purpose, ReferenceDatabase,
    ScopeExclusion, Space, Timing,
};
use crate::domain::registration::{DeploymentRegistrationType, LegalGround, RegistrationType};
use crate::domain::{Code, RecordKind, Role, SystemStatus};

/// A language labels are available in; English unless asked otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Dutch.
    Nl,
}

impl Lang {
    /// The language with this ISO 639-1 code: exactly `"en"` or `"nl"`.
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "nl" => Some(Lang::Nl),
            _ => None,
        }
    }

    /// The ISO 639-1 code of this language.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }
}

/// One label of one code, in English and Dutch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label {
    /// English.
    pub en: &'static str,
    /// Dutch.
    pub nl: &'static str,
}

impl Label {
    /// The label in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Nl => self.nl,
        }
    }
}

/// A vocabulary with its labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeList {
    /// The vocabulary's name as the API uses it (snake_case, e.g. `"space"`).
    pub name: &'static str,
    /// What the vocabulary is, e.g. as a column heading.
    pub title: Label,
    /// Every code with its label, in a stable order: the enum's `ALL` order.
    pub codes: Vec<(&'static str, Label)>,
}

impl CodeList {
    /// The label of `code` in `lang`, if the code is in this list.
    pub fn label(&self, code: &str, lang: Lang) -> Option<&'static str> {
        self.codes
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, l)| l.get(lang))
    }
}

/// Every code list, built once, in a fixed order.
pub fn code_lists() -> &'static [CodeList] {
    static LISTS: LazyLock<Vec<CodeList>> = LazyLock::new(build);
    &LISTS
}

/// The code list named `name`, if any.
pub fn code_list(name: &str) -> Option<&'static CodeList> {
    code_lists().iter().find(|l| l.name == name)
}

/// The label of `code` in the list named `list`, in `lang`; `None` when the
/// list or the code is unknown.
pub fn label(list: &str, code: &str, lang: Lang) -> Option<&'static str> {
    code_list(list)?.label(code, lang)
}

const fn l(en: &'static str, nl: &'static str) -> Label {
    Label { en, nl }
}

/// A list with one entry per value of `T`, in `T::ALL` order.
fn from_enum<T: Code>(name: &'static str, title: Label, label: fn(T) -> Label) -> CodeList {
    CodeList {
        name,
        title,
        codes: T::ALL.iter().map(|&v| (v.code(), label(v))).collect(),
    }
}

fn build() -> Vec<CodeList> {
    vec![
        from_enum(
            "scope_exclusion",
            l(
                "Scope exclusion (Art. 2)",
                "Uitsluiting van het toepassingsgebied (art. 2)",
            ),
            scope_exclusion,
        ),
        from_enum(
            "modality",
            l("Biometric modality", "Biometrisch kenmerk"),
            modality,
        ),
        from_enum(
            "function",
            l("Biometric function", "Biometrische functie"),
            function,
        ),
        from_enum("comparison", l("Comparison", "Vergelijking"), comparison),
        from_enum(
            "reference_database",
            l("Reference database", "Referentiedatabank"),
            reference_database,
        ),
        from_enum(
            "timing",
            l("Real-time or post", "Real time of achteraf"),
            timing,
        ),
        from_enum(
            "inferred_attribute",
            l("Inferred attribute", "Afgeleid kenmerk"),
            inferred_attribute,
        ),
        from_enum("space", l("Place of use", "Plaats van gebruik"), space),
        from_enum("subject", l("Data subjects", "Betrokkenen"), subject),
        from_enum("purpose", l("Purpose", "Doel"), purpose),
        from_enum(
            "deployer_type",
            l("Deployer type", "Soort gebruiksverantwoordelijke"),
            deployer_type,
        ),
        from_enum(
            "law_enforcement_objective",
            l("Law enforcement objective", "Doel van de rechtshandhaving"),
            law_enforcement_objective,
        ),
        from_enum(
            "authorisation",
            l("Prior authorisation", "Voorafgaande toestemming"),
            authorisation,
        ),
        from_enum(
            "claimed_exception",
            l(
                "Exception claimed (Art. 5(1)(f))",
                "Ingeroepen uitzondering (art. 5 lid 1 sub f)",
            ),
            claimed_exception,
        ),
        from_enum(
            "art_6_3_condition",
            l("Art. 6(3) condition", "Voorwaarde art. 6 lid 3"),
            art_6_3_condition,
        ),
        from_enum(
            "annex_iii",
            l("Annex III point", "Punt van bijlage III"),
            annex_iii,
        ),
        from_enum(
            "prohibited_practice",
            l(
                "Prohibited practice (Art. 5(1))",
                "Verboden praktijk (art. 5 lid 1)",
            ),
            prohibited_practice,
        ),
        from_enum(
            "registration_type",
            l("Registration type (system)", "Soort registratie (systeem)"),
            registration_type,
        ),
        from_enum(
            "deployment_registration_type",
            l("Registration type (use)", "Soort registratie (gebruik)"),
            deployment_registration_type,
        ),
        from_enum(
            "legal_ground",
            l("Legal ground for processing", "Grondslag voor verwerking"),
            legal_ground,
        ),
        from_enum(
            "status",
            l("System status", "Status van het systeem"),
            status,
        ),
        from_enum("role", l("Role", "Rol"), role),
        from_enum(
            "outcome",
            l("Classification outcome", "Uitkomst van de classificatie"),
            outcome,
        ),
        from_enum("severity", l("Severity", "Ernst"), severity),
        from_enum(
            "section",
            l("Database section", "Deel van de databank"),
            section,
        ),
        from_enum(
            "registration_basis",
            l("Registration basis", "Grondslag voor registratie"),
            registration_basis,
        ),
        from_enum(
            "transparency_obligation",
            l("Transparency obligation", "Transparantieverplichting"),
            transparency_obligation,
        ),
        from_enum(
            "art_6_3_reason",
            l("Art. 6(3) assessment", "Beoordeling art. 6 lid 3"),
            art_6_3_reason,
        ),
        from_enum("finding", l("Finding", "Bevinding"), finding),
        CodeList {
            name: "member_state",
            title: l("Member State", "Lidstaat"),
            codes: MEMBER_STATES.to_vec(),
        },
        CodeList {
            name: "answer",
            title: l("Answer", "Antwoord"),
            codes: vec![
                ("yes", l("Yes", "Ja")),
                ("no", l("No", "Nee")),
                ("unknown", l("Not stated", "Niet opgegeven")),
            ],
        },
        CodeList {
            name: "record_kind",
            title: l("Kind of registration", "Soort registratie"),
            codes: RecordKind::ALL
                .iter()
                .map(|k| {
                    (
                        k.as_str(),
                        match k {
                            RecordKind::System => l("AI system", "AI-systeem"),
                            RecordKind::Deployment => {
                                l("Use of an AI system", "Gebruik van een AI-systeem")
                            }
                        },
                    )
                })
                .collect(),
        },
    ]
}

/// The 27 EU Member States by ISO 3166-1 alpha-2 code, in the order of
/// `schemas/common.json` (`GR` for Greece, as the schema has it).
const MEMBER_STATES: &[(&str, Label)] = &[
    ("AT", l("Austria", "Oostenrijk")),
    ("BE", l("Belgium", "België")),
    ("BG", l("Bulgaria", "Bulgarije")),
    ("CY", l("Cyprus", "Cyprus")),
    ("CZ", l("Czechia", "Tsjechië")),
    ("DE", l("Germany", "Duitsland")),
    ("DK", l("Denmark", "Denemarken")),
    ("EE", l("Estonia", "Estland")),
    ("ES", l("Spain", "Spanje")),
    ("FI", l("Finland", "Finland")),
    ("FR", l("France", "Frankrijk")),
    ("GR", l("Greece", "Griekenland")),
    ("HR", l("Croatia", "Kroatië")),
    ("HU", l("Hungary", "Hongarije")),
    ("IE", l("Ireland", "Ierland")),
    ("IT", l("Italy", "Italië")),
    ("LT", l("Lithuania", "Litouwen")),
    ("LU", l("Luxembourg", "Luxemburg")),
    ("LV", l("Latvia", "Letland")),
    ("MT", l("Malta", "Malta")),
    ("NL", l("Netherlands", "Nederland")),
    ("PL", l("Poland", "Polen")),
    ("PT", l("Portugal", "Portugal")),
    ("RO", l("Romania", "Roemenië")),
    ("SE", l("Sweden", "Zweden")),
    ("SI", l("Slovenia", "Slovenië")),
    ("SK", l("Slovakia", "Slowakije")),
];

// One function per vocabulary, each an exhaustive match: no wildcard arms.

fn scope_exclusion(v: ScopeExclusion) -> Label {
    use ScopeExclusion::*;
    match v {
        MilitaryDefenceNationalSecurity => l(
            "Military, defence or national security",
            "Militaire doeleinden, defensie of nationale veiligheid",
        ),
        ScientificResearchOnly => l(
            "Scientific research and development only",
            "Uitsluitend wetenschappelijk onderzoek en ontwikkeling",
        ),
        PreMarketResearch => l(
            "Research, testing or development before market",
            "Onderzoek, testen of ontwikkeling vóór het in de handel brengen",
        ),
        PersonalNonProfessional => l(
            "Purely personal, non-professional use",
            "Louter persoonlijk, niet-professioneel gebruik",
        ),
    }
}

fn modality(v: Modality) -> Label {
    use Modality::*;
    match v {
        Face => l("Face", "Gezicht"),
        Voice => l("Voice", "Stem"),
        Gait => l("Gait", "Looppatroon"),
        Fingerprint => l("Fingerprint", "Vingerafdruk"),
        Iris => l("Iris", "Iris"),
        Keystrokes => l("Keystroke dynamics", "Typegedrag"),
        Gaze => l("Gaze or eye movement", "Blikrichting of oogbewegingen"),
        Physiological => l("Physiological signals", "Fysiologische signalen"),
        Other => l("Other", "Overig"),
    }
}

fn function(v: BiometricFunction) -> Label {
    use BiometricFunction::*;
    match v {
        Identification => l("Identification", "Identificatie"),
        Verification => l("Verification", "Verificatie"),
        Categorisation => l("Categorisation", "Categorisering"),
        EmotionRecognition => l("Emotion recognition", "Emotieherkenning"),
        PhysicalStateDetection => l(
            "Detecting physical states",
            "Detecteren van fysieke toestand",
        ),
        BehaviourMonitoring => l("Monitoring behaviour", "Monitoren van gedrag"),
        PersonDetectionOrTracking => l(
            "Detecting or tracking persons",
            "Detecteren of volgen van personen",
        ),
        DatabaseCreation => l(
            "Creating or expanding a database",
            "Aanleggen of aanvullen van een databank",
        ),
    }
}

fn comparison(v: Comparison) -> Label {
    match v {
        Comparison::OneToOne => l("One-to-one (1:1)", "Eén-op-één (1:1)"),
        Comparison::OneToMany => l("One-to-many (1:N)", "Eén-op-veel (1:N)"),
    }
}

fn reference_database(v: ReferenceDatabase) -> Label {
    use ReferenceDatabase::*;
    match v {
        EnrolledPersons => l("Enrolled persons", "Aangemelde personen"),
        Watchlist => l("Watchlist", "Signaleringslijst"),
        TravelDocument => l("Travel document", "Reisdocument"),
        OnDevice => l(
            "On the person's own device",
            "Op eigen apparaat van betrokkene",
        ),
        OpenCollection => l(
            "Open collection (internet, CCTV)",
            "Open verzameling (internet, camerabeelden)",
        ),
    }
}

fn timing(v: Timing) -> Label {
    match v {
        Timing::RealTime => l("Real-time", "In real time"),
        Timing::Post => l("Post (retrospective)", "Achteraf"),
    }
}

fn inferred_attribute(v: InferredAttribute) -> Label {
    use InferredAttribute::*;
    match v {
        Race => l("Race", "Ras"),
        EthnicOrigin => l("Ethnic origin", "Etnische afkomst"),
        PoliticalOpinions => l("Political opinions", "Politieke opvattingen"),
        TradeUnionMembership => l("Trade union membership", "Lidmaatschap van een vakbond"),
        ReligiousBeliefs => l(
            "Religious or philosophical beliefs",
            "Religieuze of levensbeschouwelijke overtuigingen",
        ),
        SexLife => l("Sex life", "Seksleven"),
        SexualOrientation => l("Sexual orientation", "Seksuele gerichtheid"),
        Health => l("Health", "Gezondheid"),
        Genetic => l("Genetic characteristics", "Genetische kenmerken"),
        Age => l("Age", "Leeftijd"),
        Gender => l("Gender", "Geslacht"),
        Other => l("Other", "Overig"),
    }
}

fn space(v: Space) -> Label {
    use Space::*;
    match v {
        PubliclyAccessible => l("Publicly accessible space", "Openbaar toegankelijke ruimte"),
        Workplace => l("Workplace", "Werkplek"),
        Education => l("Education institution", "Onderwijsinstelling"),
        BorderControlArea => l("Border-control area", "Grenscontrolegebied"),
        PrisonOrCustody => l("Prison or custody", "Gevangenis of detentieruimte"),
        PrivatePremises => l("Private premises", "Privéruimte"),
        Online => l("Online", "Online omgeving"),
        Vehicle => l("Vehicle", "Voertuig"),
        Healthcare => l("Healthcare premises", "Zorginstelling"),
        Other => l("Other", "Overig"),
    }
}

fn subject(v: DataSubject) -> Label {
    use DataSubject::*;
    match v {
        GeneralPublic => l("General public", "Algemeen publiek"),
        Visitors => l("Visitors", "Bezoekers"),
        Customers => l("Customers", "Klanten"),
        Employees => l("Employees", "Werknemers"),
        Contractors => l("Contractors", "Opdrachtnemers"),
        JobCandidates => l("Job applicants", "Sollicitanten"),
        Students => l("Students and pupils", "Leerlingen en studenten"),
        Travellers => l("Travellers", "Reizigers"),
        AsylumSeekers => l("Asylum seekers", "Asielzoekers"),
        Suspects => l("Suspects", "Verdachten"),
        Inmates => l("Inmates", "Gedetineerden"),
        Patients => l("Patients", "Patiënten"),
        Users => l(
            "Users of a product or service",
            "Gebruikers van een product of dienst",
        ),
        DatasetSubjects => l("Persons in a dataset", "Personen in een dataset"),
        ResearchParticipants => l("Research participants", "Deelnemers aan onderzoek"),
        Other => l("Other", "Overig"),
    }
}

fn purpose(v: Purpose) -> Label {
    use Purpose::*;
    match v {
        AccessControl => l("Access control", "Toegangscontrole"),
        DeviceUnlock => l("Unlocking a device", "Ontgrendelen van een apparaat"),
        LawEnforcement => l("Law enforcement", "Rechtshandhaving"),
        BorderControl => l("Border control", "Grenscontrole"),
        AsylumVisaResidence => l("Asylum, visa and residence", "Asiel, visum en verblijf"),
        Security => l("Security", "Beveiliging"),
        LossPrevention => l(
            "Loss prevention (shoplifting)",
            "Voorkomen van winkeldiefstal",
        ),
        Marketing => l("Marketing", "Marketing"),
        Advertising => l("Advertising", "Reclame"),
        WorkerManagement => l("Managing workers", "Personeelsbeheer"),
        Recruitment => l("Recruitment and selection", "Werving en selectie"),
        EducationAssessment => l("Assessing learners", "Beoordeling in het onderwijs"),
        ExamProctoring => l("Exam proctoring", "Toezicht bij examens"),
        CredibilityAssessment => l(
            "Credibility assessment",
            "Beoordeling van geloofwaardigheid",
        ),
        RiskAssessment => l("Risk assessment", "Risicobeoordeling"),
        Medical => l("Medical", "Medisch"),
        Safety => l("Safety", "Veiligheid"),
        Research => l("Research", "Onderzoek"),
        Analytics => l("Analytics", "Analyse"),
        CustomerService => l("Customer service", "Klantenservice"),
        AgeAssurance => l("Age assurance", "Leeftijdscontrole"),
        ProductPreview => l(
            "Product preview (try-on, filters)",
            "Productweergave (virtueel passen, filters)",
        ),
        Wellbeing => l("Wellbeing", "Welzijn"),
        IncidentInvestigation => l("Incident investigation", "Onderzoek naar incidenten"),
        DatasetCuration => l("Dataset curation", "Beheer van datasets"),
        Military => l("Military", "Militair"),
        Other => l("Other", "Overig"),
    }
}

fn deployer_type(v: DeployerType) -> Label {
    use DeployerType::*;
    match v {
        PrivateCompany => l("Private company", "Private onderneming"),
        Employer => l("Employer", "Werkgever"),
        EducationInstitution => l("Education institution", "Onderwijsinstelling"),
        PublicAuthority => l("Public authority", "Overheidsinstantie"),
        LawEnforcementAuthority => l("Law enforcement authority", "Rechtshandhavingsinstantie"),
        MigrationAuthority => l(
            "Migration, asylum or border authority",
            "Instantie voor migratie, asiel of grenscontrole",
        ),
        NaturalPerson => l("Natural person", "Natuurlijke persoon"),
        Military => l("Armed forces", "Krijgsmacht"),
    }
}

fn law_enforcement_objective(v: LawEnforcementObjective) -> Label {
    use LawEnforcementObjective::*;
    match v {
        VictimsOrMissingPersons => l(
            "Targeted search for victims or missing persons",
            "Gericht zoeken naar slachtoffers of vermiste personen",
        ),
        ImminentThreat => l(
            "Preventing an imminent threat",
            "Voorkomen van een imminente dreiging",
        ),
        SeriousCrimeSuspect => l(
            "Suspect of a serious crime (Annex II)",
            "Verdachte van een ernstig strafbaar feit (bijlage II)",
        ),
        InitialIdentification => l(
            "Initial identification of a potential suspect",
            "Eerste identificatie van een potentiële verdachte",
        ),
        Other => l("Other", "Overig"),
    }
}

fn authorisation(v: Authorisation) -> Label {
    // No glob import: `Authorisation::None` would shadow `Option::None`.
    match v {
        Authorisation::Granted => l("Granted", "Verleend"),
        Authorisation::RequestedWithinDeadline => l(
            "Requested within the deadline (urgency)",
            "Binnen de termijn aangevraagd (spoed)",
        ),
        Authorisation::Refused => l("Refused", "Geweigerd"),
        Authorisation::None => l("Not sought", "Niet aangevraagd"),
        Authorisation::Unknown => l("Unknown", "Onbekend"),
    }
}

fn claimed_exception(v: ClaimedException) -> Label {
    match v {
        ClaimedException::Medical => l("Medical reasons", "Medische redenen"),
        ClaimedException::Safety => l("Safety reasons", "Veiligheidsredenen"),
    }
}

fn art_6_3_condition(v: Art63Condition) -> Label {
    use Art63Condition::*;
    match v {
        NarrowProceduralTask => l(
            "(a) Narrow procedural task",
            "(a) Beperkte procedurele taak",
        ),
        ImprovesPriorHumanActivity => l(
            "(b) Improving a completed human activity",
            "(b) Verbeteren van een voltooide menselijke activiteit",
        ),
        DetectsDecisionPatterns => l(
            "(c) Detecting decision-making patterns",
            "(c) Detecteren van besluitvormingspatronen",
        ),
        PreparatoryTask => l("(d) Preparatory task", "(d) Voorbereidende taak"),
    }
}

fn annex_iii(v: AnnexIiiPoint) -> Label {
    use AnnexIiiPoint::*;
    match v {
        P1A => l(
            "1(a) Remote biometric identification",
            "1(a) Biometrische identificatie op afstand",
        ),
        P1B => l(
            "1(b) Biometric categorisation by sensitive attributes",
            "1(b) Biometrische categorisering op gevoelige kenmerken",
        ),
        P1C => l("1(c) Emotion recognition", "1(c) Emotieherkenning"),
        P2 => l(
            "2 Critical infrastructure (safety components)",
            "2 Kritieke infrastructuur (veiligheidscomponenten)",
        ),
        P3A => l(
            "3(a) Access or admission to education",
            "3(a) Toegang of toelating tot onderwijs",
        ),
        P3B => l(
            "3(b) Evaluating learning outcomes",
            "3(b) Beoordelen van leerresultaten",
        ),
        P3C => l(
            "3(c) Assessing the appropriate level of education",
            "3(c) Bepalen van het passende onderwijsniveau",
        ),
        P3D => l(
            "3(d) Monitoring prohibited behaviour during tests",
            "3(d) Toezicht op ongeoorloofd gedrag tijdens toetsen",
        ),
        P4A => l("4(a) Recruitment and selection", "4(a) Werving en selectie"),
        P4B => l(
            "4(b) Decisions on work relationships and monitoring",
            "4(b) Besluiten over arbeidsrelaties en monitoring",
        ),
        P5A => l(
            "5(a) Eligibility for public benefits and services",
            "5(a) Recht op overheidsuitkeringen en -diensten",
        ),
        P5B => l(
            "5(b) Creditworthiness and credit scoring",
            "5(b) Kredietwaardigheid en kredietscore",
        ),
        P5C => l(
            "5(c) Life and health insurance pricing",
            "5(c) Premiestelling levens- en ziektekostenverzekering",
        ),
        P5D => l(
            "5(d) Evaluating and classifying emergency calls",
            "5(d) Evalueren en classificeren van noodoproepen",
        ),
        P6A => l(
            "6(a) Risk of becoming a victim of crime",
            "6(a) Risico om slachtoffer van een strafbaar feit te worden",
        ),
        P6B => l(
            "6(b) Polygraphs and similar tools (law enforcement)",
            "6(b) Polygrafen en soortgelijke instrumenten (rechtshandhaving)",
        ),
        P6C => l(
            "6(c) Reliability of evidence",
            "6(c) Betrouwbaarheid van bewijsmateriaal",
        ),
        P6D => l(
            "6(d) Risk of offending or re-offending",
            "6(d) Risico op het plegen van strafbare feiten of recidive",
        ),
        P6E => l(
            "6(e) Profiling in detection, investigation or prosecution",
            "6(e) Profilering bij opsporing, onderzoek of vervolging",
        ),
        P7A => l(
            "7(a) Polygraphs and similar tools (migration)",
            "7(a) Polygrafen en soortgelijke instrumenten (migratie)",
        ),
        P7B => l(
            "7(b) Security, irregular-migration or health risk",
            "7(b) Veiligheidsrisico, risico op irreguliere migratie of gezondheidsrisico",
        ),
        P7C => l(
            "7(c) Examining asylum, visa and residence applications",
            "7(c) Behandelen van asiel-, visum- en verblijfsaanvragen",
        ),
        P7D => l(
            "7(d) Detecting, recognising or identifying persons (migration)",
            "7(d) Detecteren, herkennen of identificeren van personen (migratie)",
        ),
        P8A => l(
            "8(a) Assisting judicial authorities",
            "8(a) Ondersteunen van rechterlijke instanties",
        ),
        P8B => l(
            "8(b) Influencing elections or voting behaviour",
            "8(b) Beïnvloeden van verkiezingen of stemgedrag",
        ),
    }
}

fn prohibited_practice(v: ProhibitedPractice) -> Label {
    use ProhibitedPractice::*;
    match v {
        Art5_1A => l(
            "(a) Manipulative or deceptive techniques",
            "(a) Manipulatieve of misleidende technieken",
        ),
        Art5_1B => l(
            "(b) Exploiting vulnerabilities",
            "(b) Uitbuiten van kwetsbaarheden",
        ),
        Art5_1Ba => l(
            "(ba) Non-consensual intimate deepfakes",
            "(ba) Intieme deepfakes zonder toestemming",
        ),
        Art5_1Bb => l(
            "(bb) Child sexual abuse material",
            "(bb) Seksueel kindermisbruikmateriaal",
        ),
        Art5_1C => l("(c) Social scoring", "(c) Sociale scoring"),
        Art5_1D => l(
            "(d) Predicting crime from profiling",
            "(d) Voorspellen van strafbare feiten op basis van profilering",
        ),
        Art5_1E => l(
            "(e) Untargeted scraping of facial images",
            "(e) Ongerichte scraping van gezichtsafbeeldingen",
        ),
        Art5_1F => l(
            "(f) Emotion recognition at work or in education",
            "(f) Emotieherkenning op de werkplek of in het onderwijs",
        ),
        Art5_1G => l(
            "(g) Biometric categorisation deducing sensitive traits",
            "(g) Biometrische categorisering om gevoelige kenmerken af te leiden",
        ),
        Art5_1H => l(
            "(h) Real-time remote biometric identification for law enforcement",
            "(h) Biometrische identificatie op afstand in real time voor rechtshandhaving",
        ),
    }
}

fn registration_type(v: RegistrationType) -> Label {
    match v {
        RegistrationType::AnnexViiiA => l(
            "Annex VIII Section A (high risk)",
            "Bijlage VIII, afdeling A (hoog risico)",
        ),
        RegistrationType::AnnexViiiB => l(
            "Annex VIII Section B (Art. 6(3))",
            "Bijlage VIII, afdeling B (art. 6 lid 3)",
        ),
    }
}

fn deployment_registration_type(v: DeploymentRegistrationType) -> Label {
    match v {
        DeploymentRegistrationType::AnnexViiiC => l(
            "Annex VIII Section C (public authority)",
            "Bijlage VIII, afdeling C (overheidsinstantie)",
        ),
        DeploymentRegistrationType::NationalUse => l(
            "National mapping (other deployers)",
            "Nationale inventarisatie (overige gebruiksverantwoordelijken)",
        ),
    }
}

fn legal_ground(v: LegalGround) -> Label {
    use LegalGround::*;
    match v {
        Gdpr9_2AExplicitConsent => l(
            "Explicit consent (GDPR Art. 9(2)(a))",
            "Uitdrukkelijke toestemming (AVG art. 9 lid 2 sub a)",
        ),
        Uavg29AuthenticationSecurity => l(
            "Authentication or security (UAVG Art. 29)",
            "Authenticatie of beveiliging (UAVG art. 29)",
        ),
        Gdpr9_2GSubstantialPublicInterest => l(
            "Substantial public interest (GDPR Art. 9(2)(g))",
            "Zwaarwegend algemeen belang (AVG art. 9 lid 2 sub g)",
        ),
        LawEnforcementDirective => l(
            "Law Enforcement Directive (Wpg/Wjsg)",
            "Richtlijn gegevensbescherming opsporing en vervolging (Wpg/Wjsg)",
        ),
        HouseholdExemption => l(
            "Household exemption (GDPR Art. 2(2)(c))",
            "Huishoudelijke exceptie (AVG art. 2 lid 2 sub c)",
        ),
        Other => l("Other ground", "Andere grondslag"),
    }
}

fn status(v: SystemStatus) -> Label {
    use SystemStatus::*;
    match v {
        OnMarket => l("On the market", "In de handel"),
        InService => l("In service", "In gebruik"),
        NoLongerOnMarket => l("No longer on the market", "Niet meer in de handel"),
        NoLongerInService => l("No longer in service", "Niet meer in gebruik"),
        Recalled => l("Recalled", "Teruggeroepen"),
    }
}

fn role(v: Role) -> Label {
    match v {
        Role::Provider => l("Provider", "Aanbieder"),
        Role::Deployer => l("Deployer", "Gebruiksverantwoordelijke"),
        Role::Authority => l("Authority", "Autoriteit"),
        // "Auditor" is the Dutch word too (Auditdienst Rijk).
        Role::Auditor => l("Auditor", "Auditor"),
        Role::Admin => l("Administrator", "Beheerder"),
    }
}

fn outcome(v: Outcome) -> Label {
    use Outcome::*;
    match v {
        Prohibited => l("Prohibited", "Verboden"),
        HighRisk => l("High risk", "Hoog risico"),
        NotHighRisk => l("Not high risk", "Geen hoog risico"),
        TransparencyOnly => l(
            "Transparency obligation only",
            "Alleen transparantieverplichting",
        ),
        OutOfScope => l("Out of scope", "Buiten toepassingsgebied"),
    }
}

fn severity(v: Severity) -> Label {
    match v {
        Severity::Info => l("Information", "Informatie"),
        Severity::Warning => l("Warning", "Waarschuwing"),
        Severity::Violation => l("Violation", "Overtreding"),
    }
}

fn section(v: Section) -> Label {
    match v {
        Section::NonPublic => l("Non-public section", "Niet-openbaar deel"),
        Section::Public => l("Public section", "Openbaar deel"),
        Section::National => l("National registration", "Nationale registratie"),
    }
}

fn registration_basis(v: RegistrationBasis) -> Label {
    use RegistrationBasis::*;
    match v {
        Art49_1 => l(
            "Art. 49(1): provider, high risk",
            "Art. 49 lid 1: aanbieder, hoog risico",
        ),
        Art49_2 => l(
            "Art. 49(2): provider, Art. 6(3)",
            "Art. 49 lid 2: aanbieder, art. 6 lid 3",
        ),
        Art49_3 => l(
            "Art. 49(3): public-authority deployer",
            "Art. 49 lid 3: overheid als gebruiksverantwoordelijke",
        ),
        Art49_4 => l(
            "Art. 49(4): non-public section",
            "Art. 49 lid 4: niet-openbaar deel",
        ),
        Art49_5 => l(
            "Art. 49(5): national registration",
            "Art. 49 lid 5: nationale registratie",
        ),
        Art71 => l(
            "Art. 71(4): public, national mapping",
            "Art. 71 lid 4: openbaar, nationale inventarisatie",
        ),
        Art2_3 => l(
            "Art. 2(3): national security or defence",
            "Art. 2 lid 3: nationale veiligheid of defensie",
        ),
    }
}

fn transparency_obligation(v: TransparencyObligation) -> Label {
    match v {
        TransparencyObligation::Art50_3 => l(
            "Art. 50(3): inform persons exposed",
            "Art. 50 lid 3: blootgestelde personen informeren",
        ),
    }
}

fn art_6_3_reason(v: Art63Reason) -> Label {
    use Art63Reason::*;
    match v {
        NotClaimed => l("Not claimed", "Niet ingeroepen"),
        OutOfScope => l("Out of scope", "Buiten toepassingsgebied"),
        NoAnnexIiiPoint => l(
            "No Annex III point applies",
            "Geen punt van bijlage III van toepassing",
        ),
        ProhibitedPractice => l(
            "Prohibited practice applies",
            "Verboden praktijk van toepassing",
        ),
        AnnexIProduct => l(
            "Annex I product (Art. 6(1))",
            "Product van bijlage I (art. 6 lid 1)",
        ),
        Profiling => l("Profiling", "Profilering"),
        ProfilingNotStated => l("Profiling not stated", "Profilering niet opgegeven"),
        ListedBiometricFunction => l(
            "Biometric function of Annex III point 1",
            "Biometrische functie uit bijlage III punt 1",
        ),
        NoConditionStated => l("No condition stated", "Geen voorwaarde opgegeven"),
    }
}

fn finding(v: FindingCode) -> Label {
    use FindingCode::*;
    match v {
        ProhibitedPractice => l("Prohibited practice", "Verboden praktijk"),
        MissingFact => l("Missing fact", "Ontbrekend gegeven"),
        DeclaredAnnexIiiMismatch => l(
            "Declared Annex III points differ",
            "Opgegeven punten bijlage III wijken af",
        ),
        Art63Unavailable => l(
            "Art. 6(3) not available",
            "Beroep op art. 6 lid 3 niet mogelijk",
        ),
        SectionBButHighRisk => l("Section B, but high risk", "Afdeling B, maar hoog risico"),
        ScopeExclusionRejected => l(
            "Scope exclusion (Art. 2) rejected",
            "Beroep op uitsluiting (art. 2) afgewezen",
        ),
        AncillaryFeatureRejected => l(
            "Ancillary-feature claim rejected",
            "Beroep op bijkomstige functie afgewezen",
        ),
        Art5_1HObjectiveNotListed => l(
            "Objective not listed in Art. 5(1)(h)",
            "Doel niet genoemd in art. 5 lid 1 sub h",
        ),
        Art5_3AuthorisationMissing => l(
            "No prior authorisation (Art. 5(3))",
            "Geen voorafgaande toestemming (art. 5 lid 3)",
        ),
        Art5_5NationalLawMissing => l(
            "No national law (Art. 5(5))",
            "Geen nationale wettelijke regeling (art. 5 lid 5)",
        ),
        Art5_1HConditionsPerUse => l(
            "Art. 5(1)(h) conditions decided per use",
            "Voorwaarden art. 5 lid 1 sub h per gebruik beoordeeld",
        ),
        Art26_10AuthorisationMissing => l(
            "No authorisation for post identification (Art. 26(10))",
            "Geen toestemming voor identificatie achteraf (art. 26 lid 10)",
        ),
        FriaMissing => l(
            "No fundamental rights impact assessment",
            "Geen grondrechteneffectbeoordeling (FRIA)",
        ),
        ConsentInEmployment => l(
            "Consent within employment",
            "Toestemming binnen arbeidsrelatie",
        ),
        ConsentWithoutAlternative => l(
            "Consent without alternative",
            "Toestemming zonder alternatief",
        ),
        Uavg29Purpose => l(
            "UAVG Art. 29 beyond authentication or security",
            "UAVG art. 29 buiten authenticatie of beveiliging",
        ),
        HouseholdExemptionNotPersonal => l(
            "Household exemption does not apply",
            "Huishoudelijke exceptie niet van toepassing",
        ),
        DpiaMissing => l("No DPIA", "Geen DPIA uitgevoerd"),
        NonPublicItemsDropped => l(
            "Items not kept in the non-public section (Art. 49(4))",
            "Gegevens niet bewaard in het niet-openbare deel (art. 49 lid 4)",
        ),
    }
}
