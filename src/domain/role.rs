//! Roles of API tokens.

code_enum! {
    /// What a token may do; see the authorisation table in `api`.
    pub enum Role {
        /// Registers and updates its organisation's AI systems.
        Provider = "provider",
        /// Registers its organisation's uses of AI systems.
        Deployer = "deployer",
        /// Ministries, market surveillance, the Commission: sees everything.
        Authority = "authority",
        /// Pulls exports and verifies the audit chain.
        Auditor = "auditor",
        /// Operates the registry.
        Admin = "admin",
    }
}

impl Role {
    /// The role with this code.
    pub fn parse(code: &str) -> Option<Role> {
        Role::from_code(code)
    }
}
