//! Explanations: how a release reaches a company, step by step.
//!
//! A [`Chain`] starts from the release asked about, follows the code it
//! embeds, then the vendor that makes the last of those and the companies
//! that control it. Chains are plain data; the engine works them out.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::model::{Country, Id};

/// One step of a [`Chain`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case", tag = "relation")]
pub enum Link {
    /// The release the chain starts from.
    Release {
        /// Its id.
        id: Id,
        /// Its display name.
        name: String,
    },
    /// ... embeds the code of this release.
    Embeds {
        /// Its id.
        id: Id,
        /// Its display name.
        name: String,
    },
    /// ... which is made by this vendor.
    MadeBy {
        /// Its id.
        id: Id,
        /// Its legal name.
        name: String,
        /// Where it is incorporated.
        incorporated: Country,
        /// Where it is run from.
        headquarters: Country,
    },
    /// ... which is controlled by this vendor.
    ControlledBy {
        /// Its id.
        id: Id,
        /// Its legal name.
        name: String,
        /// Where it is incorporated.
        incorporated: Country,
        /// Where it is run from.
        headquarters: Country,
    },
}

/// How a release reaches a vendor: through the vendors that control its
/// maker, and through the code it embeds.
///
/// ```text
/// Orange Security Suite 2018 embeds Kaspersky Anti-Virus SDK 8, made by AO Kaspersky Lab (RU)
/// Reseller Shield 1.0.0, made by Shield Resellers Ltd (GB), controlled by Kaspersky Lab UK Ltd (GB), controlled by AO Kaspersky Lab (RU)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Chain {
    links: Vec<Link>,
}

impl Chain {
    pub(crate) fn new(links: Vec<Link>) -> Chain {
        Chain { links }
    }

    /// The steps, starting from the release.
    pub fn links(&self) -> &[Link] {
        &self.links
    }
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = |incorporated: &Country, headquarters: &Country| {
            if incorporated == headquarters {
                format!("({incorporated})")
            } else {
                format!("(incorporated {incorporated}, run from {headquarters})")
            }
        };
        for link in &self.links {
            match link {
                Link::Release { name, .. } => write!(f, "{name}")?,
                Link::Embeds { name, .. } => write!(f, " embeds {name}")?,
                Link::MadeBy {
                    name,
                    incorporated,
                    headquarters,
                    ..
                } => write!(f, ", made by {name} {}", place(incorporated, headquarters))?,
                Link::ControlledBy {
                    name,
                    incorporated,
                    headquarters,
                    ..
                } => write!(
                    f,
                    ", controlled by {name} {}",
                    place(incorporated, headquarters)
                )?,
            }
        }
        Ok(())
    }
}

impl Serialize for Chain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
