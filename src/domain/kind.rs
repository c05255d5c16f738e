//! The two kinds of registration the registry keeps.

code_enum! {
    /// What a record is.
    pub enum RecordKind {
        /// An AI system, registered by its provider (Annex VIII A or B).
        System = "system",
        /// A use of an AI system, registered by its deployer (Annex VIII C
        /// or the national mapping extension).
        Deployment = "deployment",
    }
}
