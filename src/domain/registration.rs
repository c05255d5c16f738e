//! Registration types and the GDPR grounds a deployment relies on.

code_enum! {
    /// How a provider registers a system (Annex VIII).
    pub enum RegistrationType {
        /// Section A: a high-risk system (Art. 49(1)).
        AnnexViiiA = "annex_viii_a",
        /// Section B: the provider claims Art. 6(3) (Art. 49(2)).
        AnnexViiiB = "annex_viii_b",
    }
}

code_enum! {
    /// How a deployer registers a use.
    pub enum DeploymentRegistrationType {
        /// Section C: a public-authority deployer (Art. 49(3)).
        AnnexViiiC = "annex_viii_c",
        /// The national mapping extension, for every other deployer.
        NationalUse = "national_use",
    }
}

code_enum! {
    /// The legal ground a deployment relies on for processing the data.
    pub enum LegalGround {
        /// GDPR Art. 9(2)(a): explicit consent.
        Gdpr9_2AExplicitConsent = "gdpr_9_2_a_explicit_consent",
        /// UAVG Art. 29 (on GDPR Art. 9(2)(g)): necessary for authentication
        /// or security.
        Uavg29AuthenticationSecurity = "uavg_29_authentication_security",
        /// GDPR Art. 9(2)(g): substantial public interest laid down in law.
        Gdpr9_2GSubstantialPublicInterest = "gdpr_9_2_g_substantial_public_interest",
        /// The Law Enforcement Directive (EU) 2016/680 (Wpg, Wjsg).
        LawEnforcementDirective = "law_enforcement_directive",
        /// GDPR Art. 2(2)(c): purely personal or household activity.
        HouseholdExemption = "household_exemption",
        /// Any other ground.
        Other = "other",
    }
}

code_enum! {
    /// The form a record was registered on: a system's Annex VIII section
    /// or a use's. One column of the store holds either kind's, so the store
    /// and the rows speak this union; the documents speak
    /// [`RegistrationType`] or [`DeploymentRegistrationType`].
    pub enum RegistrationForm {
        /// Section A: a high-risk system (Art. 49(1)).
        AnnexViiiA = "annex_viii_a",
        /// Section B: the provider claims Art. 6(3) (Art. 49(2)).
        AnnexViiiB = "annex_viii_b",
        /// Section C: a public-authority deployer (Art. 49(3)).
        AnnexViiiC = "annex_viii_c",
        /// The national mapping extension, for every other deployer.
        NationalUse = "national_use",
    }
}

impl From<RegistrationType> for RegistrationForm {
    fn from(t: RegistrationType) -> Self {
        match t {
            RegistrationType::AnnexViiiA => RegistrationForm::AnnexViiiA,
            RegistrationType::AnnexViiiB => RegistrationForm::AnnexViiiB,
        }
    }
}

impl From<DeploymentRegistrationType> for RegistrationForm {
    fn from(t: DeploymentRegistrationType) -> Self {
        match t {
            DeploymentRegistrationType::AnnexViiiC => RegistrationForm::AnnexViiiC,
            DeploymentRegistrationType::NationalUse => RegistrationForm::NationalUse,
        }
    }
}
