//! The classifier's input: observable facts, never legal conclusions
//! (`docs/legal-readings.md`, "Facts, not conclusions").
//!
//! The same object describes a system's intended purpose and a deployment's
//! actual use. Every field is optional: an absent fact means "no" or
//! "unknown", and the classifier says so in a finding where it decides the
//! outcome. Unknown fields are rejected so that a misspelt fact can never pass
//! silently as an absent one.

use serde::{Deserialize, Serialize};

code_enum! {
    /// Art. 2 exclusions from the scope of the AI Act.
    pub enum ScopeExclusion {
        /// Art. 2(3): exclusively military, defence or national security.
        MilitaryDefenceNationalSecurity = "military_defence_national_security",
        /// Art. 2(6): developed and put into service for the sole purpose of
        /// scientific research and development.
        ScientificResearchOnly = "scientific_research_only",
        /// Art. 2(8): research, testing or development before it is placed on
        /// the market or put into service.
        PreMarketResearch = "pre_market_research",
        /// Art. 2(10): a natural person's purely personal, non-professional use.
        PersonalNonProfessional = "personal_non_professional",
    }
}

code_enum! {
    /// The biometric trait a system processes.
    pub enum Modality {
        /// Face images or video.
        Face = "face",
        /// Voice.
        Voice = "voice",
        /// Gait.
        Gait = "gait",
        /// Fingerprint.
        Fingerprint = "fingerprint",
        /// Iris.
        Iris = "iris",
        /// Keystroke dynamics.
        Keystrokes = "keystrokes",
        /// Gaze or eye movement.
        Gaze = "gaze",
        /// Physiological signals (heart rate, skin conductance, ...).
        Physiological = "physiological",
        /// Any other trait.
        Other = "other",
    }
}

code_enum! {
    /// What a system does with biometric data.
    pub enum BiometricFunction {
        /// Who is this person: comparison with a database (Art. 3(35)).
        Identification = "identification",
        /// Is this person who they claim to be (Art. 3(36)).
        Verification = "verification",
        /// Assigning persons to categories (Art. 3(40)).
        Categorisation = "categorisation",
        /// Inferring emotions or intentions (Art. 3(39)).
        EmotionRecognition = "emotion_recognition",
        /// Physical states such as fatigue, drowsiness or pain: not emotions.
        PhysicalStateDetection = "physical_state_detection",
        /// Observing what persons do.
        BehaviourMonitoring = "behaviour_monitoring",
        /// Detecting or following persons without identifying them.
        PersonDetectionOrTracking = "person_detection_or_tracking",
        /// Building or growing a biometric database.
        DatabaseCreation = "database_creation",
    }
}

code_enum! {
    /// How a captured sample is compared.
    pub enum Comparison {
        /// Against one reference: verification.
        OneToOne = "one_to_one",
        /// Against many references: identification.
        OneToMany = "one_to_many",
    }
}

code_enum! {
    /// What the captured sample is compared with.
    pub enum ReferenceDatabase {
        /// Persons who enrolled themselves (staff, ticket holders, students).
        EnrolledPersons = "enrolled_persons",
        /// A list of persons sought (suspects, banned or self-excluded persons).
        Watchlist = "watchlist",
        /// The holder's own travel document (passport chip).
        TravelDocument = "travel_document",
        /// A template kept on the person's own device.
        OnDevice = "on_device",
        /// Images collected at large (internet, CCTV).
        OpenCollection = "open_collection",
    }
}

code_enum! {
    /// When the comparison happens relative to capture (Art. 3(42), 3(43)).
    pub enum Timing {
        /// Capture, comparison and identification without significant delay.
        RealTime = "real_time",
        /// Everything else: retrospective.
        Post = "post",
    }
}

code_enum! {
    /// A characteristic inferred about a person.
    pub enum InferredAttribute {
        /// Race.
        Race = "race",
        /// Ethnic origin.
        EthnicOrigin = "ethnic_origin",
        /// Political opinions.
        PoliticalOpinions = "political_opinions",
        /// Trade union membership.
        TradeUnionMembership = "trade_union_membership",
        /// Religious or philosophical beliefs.
        ReligiousBeliefs = "religious_beliefs",
        /// Sex life.
        SexLife = "sex_life",
        /// Sexual orientation.
        SexualOrientation = "sexual_orientation",
        /// Health.
        Health = "health",
        /// Genetic characteristics.
        Genetic = "genetic",
        /// Age.
        Age = "age",
        /// Gender.
        Gender = "gender",
        /// Any other attribute.
        Other = "other",
    }
}

code_enum! {
    /// Where a system is used.
    pub enum Space {
        /// Open to an undetermined number of people, whoever owns it (Art. 3(44)).
        PubliclyAccessible = "publicly_accessible",
        /// A workplace.
        Workplace = "workplace",
        /// An education institution.
        Education = "education",
        /// A border-control area: not publicly accessible (recital 19).
        BorderControlArea = "border_control_area",
        /// A prison or custody: not publicly accessible (recital 19).
        PrisonOrCustody = "prison_or_custody",
        /// Private premises.
        PrivatePremises = "private_premises",
        /// Online: not a physical space.
        Online = "online",
        /// A vehicle.
        Vehicle = "vehicle",
        /// Healthcare premises.
        Healthcare = "healthcare",
        /// Any other space.
        Other = "other",
    }
}

code_enum! {
    /// Who the system is used on (the `subjects` fact).
    pub enum DataSubject {
        /// The public at large.
        GeneralPublic = "general_public",
        /// Visitors.
        Visitors = "visitors",
        /// Customers.
        Customers = "customers",
        /// Employees.
        Employees = "employees",
        /// Contractors.
        Contractors = "contractors",
        /// Job candidates.
        JobCandidates = "job_candidates",
        /// Students and pupils.
        Students = "students",
        /// Travellers.
        Travellers = "travellers",
        /// Asylum seekers.
        AsylumSeekers = "asylum_seekers",
        /// Suspects.
        Suspects = "suspects",
        /// Inmates.
        Inmates = "inmates",
        /// Patients.
        Patients = "patients",
        /// Users of a product or service.
        Users = "users",
        /// Persons in a dataset.
        DatasetSubjects = "dataset_subjects",
        /// Research participants.
        ResearchParticipants = "research_participants",
        /// Anyone else.
        Other = "other",
    }
}

code_enum! {
    /// What the system is used for.
    pub enum Purpose {
        /// Access to premises or a service.
        AccessControl = "access_control",
        /// Unlocking a device.
        DeviceUnlock = "device_unlock",
        /// Law enforcement (Art. 3(46)).
        LawEnforcement = "law_enforcement",
        /// Border control.
        BorderControl = "border_control",
        /// Asylum, visa and residence procedures.
        AsylumVisaResidence = "asylum_visa_residence",
        /// Security.
        Security = "security",
        /// Loss prevention (shoplifting).
        LossPrevention = "loss_prevention",
        /// Marketing.
        Marketing = "marketing",
        /// Advertising.
        Advertising = "advertising",
        /// Managing workers.
        WorkerManagement = "worker_management",
        /// Recruitment and selection.
        Recruitment = "recruitment",
        /// Assessing learners.
        EducationAssessment = "education_assessment",
        /// Proctoring exams.
        ExamProctoring = "exam_proctoring",
        /// Assessing whether a person tells the truth.
        CredibilityAssessment = "credibility_assessment",
        /// Assessing a risk a person runs or poses.
        RiskAssessment = "risk_assessment",
        /// Medical.
        Medical = "medical",
        /// Safety.
        Safety = "safety",
        /// Research.
        Research = "research",
        /// Analytics.
        Analytics = "analytics",
        /// Customer service.
        CustomerService = "customer_service",
        /// Age assurance.
        AgeAssurance = "age_assurance",
        /// Previewing a product (try-on, filters).
        ProductPreview = "product_preview",
        /// Wellbeing.
        Wellbeing = "wellbeing",
        /// Investigating an incident.
        IncidentInvestigation = "incident_investigation",
        /// Curating datasets.
        DatasetCuration = "dataset_curation",
        /// Military.
        Military = "military",
        /// Anything else.
        Other = "other",
    }
}

code_enum! {
    /// The kind of organisation or person that deploys the system.
    pub enum DeployerType {
        /// A private company.
        PrivateCompany = "private_company",
        /// An employer, towards its own workers.
        Employer = "employer",
        /// An education institution.
        EducationInstitution = "education_institution",
        /// A public authority.
        PublicAuthority = "public_authority",
        /// A law enforcement authority (Art. 3(45)).
        LawEnforcementAuthority = "law_enforcement_authority",
        /// A migration, asylum or border-control authority.
        MigrationAuthority = "migration_authority",
        /// A natural person.
        NaturalPerson = "natural_person",
        /// The military.
        Military = "military",
    }
}

code_enum! {
    /// What a law-enforcement use of identification is for.
    pub enum LawEnforcementObjective {
        /// Art. 5(1)(h)(i): targeted search for victims or missing persons.
        VictimsOrMissingPersons = "victims_or_missing_persons",
        /// Art. 5(1)(h)(ii): specific, substantial and imminent threat.
        ImminentThreat = "imminent_threat",
        /// Art. 5(1)(h)(iii): a suspect of an Annex II offence.
        SeriousCrimeSuspect = "serious_crime_suspect",
        /// Art. 26(10): initial identification of a potential suspect.
        InitialIdentification = "initial_identification",
        /// Anything else.
        Other = "other",
    }
}

code_enum! {
    /// Prior authorisation by a judicial or independent administrative authority.
    pub enum Authorisation {
        /// Granted.
        Granted = "granted",
        /// Urgent use; requested within the legal deadline.
        RequestedWithinDeadline = "requested_within_deadline",
        /// Refused.
        Refused = "refused",
        /// Not sought.
        None = "none",
        /// Not known.
        Unknown = "unknown",
    }
}

code_enum! {
    /// An exception the deployer or provider relies on (Art. 5(1)(f)).
    pub enum ClaimedException {
        /// Medical reasons.
        Medical = "medical",
        /// Safety reasons.
        Safety = "safety",
    }
}

code_enum! {
    /// An Art. 6(3) condition, second subparagraph, points (a)-(d).
    pub enum Art63Condition {
        /// (a) performs a narrow procedural task.
        NarrowProceduralTask = "narrow_procedural_task",
        /// (b) improves the result of a previously completed human activity.
        ImprovesPriorHumanActivity = "improves_prior_human_activity",
        /// (c) detects decision-making patterns without replacing human review.
        DetectsDecisionPatterns = "detects_decision_patterns",
        /// (d) performs a preparatory task to an Annex III assessment.
        PreparatoryTask = "preparatory_task",
    }
}

/// Facts about the biometric processing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Biometric {
    /// Processes biometric data (Art. 3(34)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uses_biometric_data: Option<bool>,
    /// Traits processed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modalities: Vec<Modality>,
    /// What is done with them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<BiometricFunction>,
    /// One-to-one or one-to-many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// What samples are compared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_database: Option<ReferenceDatabase>,
    /// The check also searches a watchlist or another database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watchlist_check: Option<bool>,
    /// The person consciously presents to a sensor set up for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_involvement: Option<bool>,
    /// Real-time or post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<Timing>,
    /// Characteristics inferred about persons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred_attributes: Vec<InferredAttribute>,
    /// Strictly ancillary to another commercial service (Art. 3(40)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ancillary_feature: Option<bool>,
    /// Builds or grows a face database from the internet or CCTV, untargeted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub untargeted_scraping: Option<bool>,
    /// Labels or filters lawfully acquired biometric datasets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_labelling: Option<bool>,
}

impl Biometric {
    /// An empty set of biometric facts, for callers that need a reference
    /// when `Facts::biometric` is absent.
    pub const EMPTY: Biometric = Biometric {
        uses_biometric_data: None,
        modalities: Vec::new(),
        functions: Vec::new(),
        comparison: None,
        reference_database: None,
        watchlist_check: None,
        active_involvement: None,
        timing: None,
        inferred_attributes: Vec::new(),
        ancillary_feature: None,
        untargeted_scraping: None,
        dataset_labelling: None,
    };
}

/// Facts about a law-enforcement use.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawEnforcement {
    /// What the use is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<LawEnforcementObjective>,
    /// Judicial or independent administrative authorisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorisation: Option<Authorisation>,
    /// An Art. 5(5) national opt-in law exists where it is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_law_permits: Option<bool>,
    /// Permitted by law to detect, prevent or investigate crime (the Art.
    /// 50(3) exception).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crime_detection_permitted_by_law: Option<bool>,
}

impl LawEnforcement {
    /// An empty set of law-enforcement facts.
    pub const EMPTY: LawEnforcement = LawEnforcement {
        objective: None,
        authorisation: None,
        national_law_permits: None,
        crime_detection_permitted_by_law: None,
    };
}

// Statics, not consts: a reference to a const holding a `Vec` is not promoted
// to 'static, and the accessors below hand out references.
static NO_BIOMETRIC: Biometric = Biometric::EMPTY;
static NO_LAW_ENFORCEMENT: LawEnforcement = LawEnforcement::EMPTY;

/// The classifier's input (`docs/legal-readings.md`, "Facts, not
/// conclusions").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// An Art. 2 scope exclusion the registrant relies on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_exclusion: Option<ScopeExclusion>,
    /// Biometric processing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biometric: Option<Biometric>,
    /// Where it is used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spaces: Vec<Space>,
    /// Who it is used on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<DataSubject>,
    /// What it is used for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<Purpose>,
    /// Who deploys it; for a deployment the registry copies `deployer.type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployer_type: Option<DeployerType>,
    /// Used on behalf of a law enforcement authority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of_law_enforcement: Option<bool>,
    /// Law-enforcement conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub law_enforcement: Option<LawEnforcement>,
    /// A safety component of, or itself, a product of Annex I.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annex_i_product: Option<bool>,
    /// Exceptions relied on (Art. 5(1)(f)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions_claimed: Vec<ClaimedException>,
    /// Profiles natural persons (Art. 3(52), GDPR Art. 4(4)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profiling: Option<bool>,
    /// Art. 6(3) conditions relied on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub art_6_3_conditions: Vec<Art63Condition>,
}

impl Facts {
    /// The biometric facts, or an empty set when none were given.
    pub fn biometric(&self) -> &Biometric {
        self.biometric.as_ref().unwrap_or(&NO_BIOMETRIC)
    }

    /// The law-enforcement facts, or an empty set when none were given.
    pub fn law_enforcement(&self) -> &LawEnforcement {
        self.law_enforcement.as_ref().unwrap_or(&NO_LAW_ENFORCEMENT)
    }
}
