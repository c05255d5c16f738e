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

code_enum! {
    /// What a stored version did to its record.
    pub enum Action {
        /// Registered: version 1.
        Create = "create",
        /// A new version of the document.
        Update = "update",
        /// A change of lifecycle status, with a reason.
        Status = "status",
    }
}
