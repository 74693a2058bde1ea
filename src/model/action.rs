//! What a system is asked to do with a release.

use crate::keyword::keyword_enum;

keyword_enum! {
    /// The four things the rules distinguish. Bans differ by action: the US
    /// Commerce rule on Kaspersky stopped new purchases on 2024-07-20 and
    /// updates on 2024-09-29, while continuing to run a copy already installed
    /// was not itself penalised.
    ///
    /// In Cedar these are `Action::"procure"` and so on.
    ///
    /// ```
    /// use clearance::Action;
    ///
    /// let action: Action = "update".parse()?;
    /// assert_eq!(action, Action::Update);
    /// assert!("buy".parse::<Action>().is_err());
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub enum Action: "action" {
        /// Buy, license or otherwise obtain it.
        Procure = "procure",
        /// Install it on the system.
        Deploy = "deploy",
        /// Keep running a copy that is already installed.
        Operate = "operate",
        /// Receive updates (signatures, patches, new versions) from its vendor.
        Update = "update",
    }
}
