//! Annex III points and Art. 5(1) prohibited practices, as codes.

code_enum! {
    /// A point of Annex III (high-risk use cases), in annex order.
    ///
    /// `Ord` follows the annex, so sorted lists read like the annex.
    #[derive(PartialOrd, Ord)]
    pub enum AnnexIiiPoint {
        /// 1(a) remote biometric identification, except verification whose
        /// sole purpose is to confirm a claimed identity.
        P1A = "1_a",
        /// 1(b) biometric categorisation by sensitive or protected attributes.
        P1B = "1_b",
        /// 1(c) emotion recognition.
        P1C = "1_c",
        /// 2 safety components of critical infrastructure.
        P2 = "2",
        /// 3(a) access or admission to education.
        P3A = "3_a",
        /// 3(b) evaluating learning outcomes.
        P3B = "3_b",
        /// 3(c) assessing the appropriate level of education.
        P3C = "3_c",
        /// 3(d) monitoring and detecting prohibited behaviour during tests.
        P3D = "3_d",
        /// 4(a) recruitment and selection.
        P4A = "4_a",
        /// 4(b) decisions on work relationships, task allocation, monitoring.
        P4B = "4_b",
        /// 5(a) eligibility for public assistance benefits and services.
        P5A = "5_a",
        /// 5(b) creditworthiness and credit scoring (fraud detection excluded).
        P5B = "5_b",
        /// 5(c) risk assessment and pricing in life and health insurance.
        P5C = "5_c",
        /// 5(d) evaluating and classifying emergency calls.
        P5D = "5_d",
        /// 6(a) risk of a person becoming a victim of crime.
        P6A = "6_a",
        /// 6(b) polygraphs and similar tools in law enforcement.
        P6B = "6_b",
        /// 6(c) reliability of evidence.
        P6C = "6_c",
        /// 6(d) risk of offending or re-offending, not solely by profiling.
        P6D = "6_d",
        /// 6(e) profiling in detection, investigation or prosecution.
        P6E = "6_e",
        /// 7(a) polygraphs and similar tools in migration.
        P7A = "7_a",
        /// 7(b) security, irregular-migration or health risk of a person.
        P7B = "7_b",
        /// 7(c) examining asylum, visa and residence applications.
        P7C = "7_c",
        /// 7(d) detecting, recognising or identifying persons, except the
        /// verification of travel documents.
        P7D = "7_d",
        /// 8(a) assisting judicial authorities.
        P8A = "8_a",
        /// 8(b) influencing elections or voting behaviour.
        P8B = "8_b",
    }
}

impl AnnexIiiPoint {
    /// The Annex III area (1 to 8) the point belongs to.
    pub fn area(&self) -> u8 {
        use AnnexIiiPoint::*;
        match self {
            P1A | P1B | P1C => 1,
            P2 => 2,
            P3A | P3B | P3C | P3D => 3,
            P4A | P4B => 4,
            P5A | P5B | P5C | P5D => 5,
            P6A | P6B | P6C | P6D | P6E => 6,
            P7A | P7B | P7C | P7D => 7,
            P8A | P8B => 8,
        }
    }
}

code_enum! {
    /// A practice prohibited by Art. 5(1), in the order of the article.
    #[derive(PartialOrd, Ord)]
    pub enum ProhibitedPractice {
        /// (a) manipulative or deceptive techniques.
        Art5_1A = "art_5_1_a",
        /// (b) exploiting vulnerabilities.
        Art5_1B = "art_5_1_b",
        /// (ba) non-consensual intimate deepfakes (added by Regulation (EU)
        /// 2026/1744).
        Art5_1Ba = "art_5_1_ba",
        /// (bb) child sexual abuse material (added by Regulation (EU) 2026/1744).
        Art5_1Bb = "art_5_1_bb",
        /// (c) social scoring.
        Art5_1C = "art_5_1_c",
        /// (d) predicting crime solely from profiling or personality traits.
        Art5_1D = "art_5_1_d",
        /// (e) untargeted scraping of facial images into a recognition database.
        Art5_1E = "art_5_1_e",
        /// (f) emotion recognition in the workplace and education.
        Art5_1F = "art_5_1_f",
        /// (g) biometric categorisation deducing race, political opinions,
        /// trade union membership, beliefs, sex life or sexual orientation.
        Art5_1G = "art_5_1_g",
        /// (h) real-time remote biometric identification in publicly
        /// accessible spaces for law enforcement.
        Art5_1H = "art_5_1_h",
    }
}
