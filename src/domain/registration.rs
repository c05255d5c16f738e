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
