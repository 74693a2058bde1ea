//! Explanations: how a release reaches a company, step by step.
//!
//! A [`Chain`] starts from the release asked about, follows the code it
//! embeds, then the vendor that makes the last of those, and the owners and
//! controllers that lead from it to the company a rule names. Chains are
//! plain data; the engine works them out.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::model::{Country, Id, Share};

/// A company a [`Chain`] passes through: a vendor, or a party (which may
/// have no known country).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Company {
    /// Its id.
    pub id: Id,
    /// Its legal name.
    pub name: String,
    /// Where it is incorporated (for a party, where it is based), if known.
    pub incorporated: Option<Country>,
    /// Where it is run from, if known.
    pub headquarters: Option<Country>,
}

/// One step of a [`Chain`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case", tag = "relation")]
#[non_exhaustive]
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
    /// ... which is controlled by this company (holding `share` of it).
    ControlledBy {
        /// The controlling company.
        company: Company,
        /// The share it holds, if known.
        share: Option<Share>,
        /// Whether the link is not confirmed by its source.
        unconfirmed: bool,
    },
    /// ... which is owned, in part, by this company, without control.
    OwnedBy {
        /// The owner.
        company: Company,
        /// The share it holds, if known.
        share: Option<Share>,
        /// Whether the link is not confirmed by its source.
        unconfirmed: bool,
    },
    /// ... which controls this company (holding `share` of it): a step down,
    /// to a subsidiary or, after a step up, a sister company.
    Controls {
        /// The controlled company.
        company: Company,
        /// The share held, if known.
        share: Option<Share>,
        /// Whether the link is not confirmed by its source.
        unconfirmed: bool,
    },
    /// ... which owns `share` of this company, without control.
    Owns {
        /// The owned company.
        company: Company,
        /// The share held, if known.
        share: Option<Share>,
        /// Whether the link is not confirmed by its source.
        unconfirmed: bool,
    },
}

/// How a release reaches a company: through the code it embeds, the vendor
/// that makes it, and the owners and controllers of that vendor, up to a
/// company a rule names and, if need be, down again to a sister company.
///
/// ```text
/// Hexagone Security Suite 2018 embeds Kaspersky Anti-Virus SDK 8, made by AO Kaspersky Lab (RU)
/// Kaspersky Internet Security 19.0.0, made by Kaspersky Lab, Inc. (US), controlled by Kaspersky Labs Limited (incorporated GB, run from RU), which controls AO Kaspersky Lab (RU)
/// Acme Camera 2.0.0, made by Acme Ltd (GB), owned 60% by Globex (CN)
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
        for link in &self.links {
            match link {
                Link::Release { name, .. } => write!(f, "{name}")?,
                Link::Embeds { name, .. } => write!(f, " embeds {name}")?,
                Link::MadeBy {
                    name,
                    incorporated,
                    headquarters,
                    ..
                } => write!(
                    f,
                    ", made by {name}{}",
                    place(Some(*incorporated), Some(*headquarters))
                )?,
                Link::ControlledBy {
                    company,
                    share,
                    unconfirmed,
                } => {
                    match share {
                        Some(share) => {
                            write!(f, ", owned {share} and controlled by {}", named(company))?
                        }
                        None => write!(f, ", controlled by {}", named(company))?,
                    }
                    flagged(f, *unconfirmed)?;
                }
                Link::OwnedBy {
                    company,
                    share,
                    unconfirmed,
                } => {
                    match share {
                        Some(share) => write!(f, ", owned {share} by {}", named(company))?,
                        None => write!(f, ", owned in part by {}", named(company))?,
                    }
                    flagged(f, *unconfirmed)?;
                }
                Link::Controls {
                    company,
                    share,
                    unconfirmed,
                } => {
                    match share {
                        Some(share) => {
                            write!(f, ", which owns {share} of and controls {}", named(company))?
                        }
                        None => write!(f, ", which controls {}", named(company))?,
                    }
                    flagged(f, *unconfirmed)?;
                }
                Link::Owns {
                    company,
                    share,
                    unconfirmed,
                } => {
                    match share {
                        Some(share) => write!(f, ", which owns {share} of {}", named(company))?,
                        None => write!(f, ", which owns part of {}", named(company))?,
                    }
                    flagged(f, *unconfirmed)?;
                }
            }
        }
        Ok(())
    }
}

fn named(company: &Company) -> String {
    format!(
        "{}{}",
        company.name,
        place(company.incorporated, company.headquarters)
    )
}

fn place(incorporated: Option<Country>, headquarters: Option<Country>) -> String {
    match (incorporated, headquarters) {
        (Some(i), Some(h)) if i != h => format!(" (incorporated {i}, run from {h})"),
        (Some(c), _) | (None, Some(c)) => format!(" ({c})"),
        (None, None) => String::new(),
    }
}

fn flagged(f: &mut fmt::Formatter<'_>, unconfirmed: bool) -> fmt::Result {
    if unconfirmed {
        write!(f, " (unconfirmed)")?;
    }
    Ok(())
}

impl Serialize for Chain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
