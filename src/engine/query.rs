//! Questions: may this system do this with this release, as of when?

use crate::decision::Asked;
use crate::model::{Action, Deployment, Instant};

/// A question: may `system` `action` `release`, as of `at`?
///
/// ```
/// use clearance::{Action, Query};
///
/// let query = Query::new("mod-secret-network", Action::Deploy, "kes-12")
///     .at("2018-01-10".parse()?);
/// assert_eq!(query.release, "kes-12");
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The id of the system.
    pub system: String,
    /// What it would do.
    pub action: Action,
    /// The id of the release.
    pub release: String,
    /// The instant asked about; now if `None`.
    pub at: Option<Instant>,
}

impl Query {
    /// A question about now; see [`Query::at`].
    pub fn new(system: impl Into<String>, action: Action, release: impl Into<String>) -> Query {
        Query {
            system: system.into(),
            action,
            release: release.into(),
            at: None,
        }
    }

    /// The same question as of `at`.
    pub fn at(mut self, at: Instant) -> Query {
        self.at = Some(at);
        self
    }
}

impl From<&Asked> for Query {
    /// The question a decision answered, to ask it again.
    fn from(asked: &Asked) -> Query {
        Query::new(asked.system.as_str(), asked.action, asked.release.as_str()).at(asked.at)
    }
}

impl Deployment {
    /// The question [`crate::Engine::sweep`] asks of this deployment: may its system
    /// keep running ([`Action::Operate`]) its release, as of `at`?
    pub fn query(&self, at: Instant) -> Query {
        Query::new(self.system.as_str(), Action::Operate, self.release.as_str()).at(at)
    }
}
