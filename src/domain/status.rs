//! Lifecycle status of a system (Annex VIII A.7, B.8).

code_enum! {
    /// Where a system is in its life on the market.
    pub enum SystemStatus {
        /// Placed on the market.
        OnMarket = "on_market",
        /// Put into service.
        InService = "in_service",
        /// No longer placed on the market.
        NoLongerOnMarket = "no_longer_on_market",
        /// No longer in service.
        NoLongerInService = "no_longer_in_service",
        /// Recalled.
        Recalled = "recalled",
    }
}
