//! Explanations: how a release reaches a company, step by step.
//!
//! A [`Chain`] starts from the release asked about, follows the code it
//! embeds, then the vendor that makes the last of those, and the owners and
//! controllers that lead from it to the company a rule names. Chains are
//! plain data; the engine works them out.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::model::{Country, Id, Share};

/// A company a [`Chain`] passes through: a vendor, or a party (which may
/// have no known country).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// One step of a [`Chain`]. Serde writes and reads it tagged with its
/// `"relation"` (see [`Chain::new`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// The chain of these steps, which start from the release. The engine
    /// works chains out; this rebuilds one from its [`Chain::links`], such
    /// as a chain sent to another process (a [`Chain`] is written as its
    /// sentence, its links as data).
    ///
    /// ```
    /// use clearance::{Chain, Link};
    ///
    /// let links: Vec<Link> = serde_json::from_str(r#"[
    ///     {"relation": "release", "id": "kes-12", "name": "Kaspersky Endpoint Security 12"},
    ///     {"relation": "made-by", "id": "ao-kaspersky-lab", "name": "AO Kaspersky Lab",
    ///      "incorporated": "RU", "headquarters": "RU"}
    /// ]"#).unwrap();
    /// let chain = Chain::new(links.clone());
    /// assert_eq!(chain.links(), links);
    /// assert_eq!(
    ///     chain.to_string(),
    ///     "Kaspersky Endpoint Security 12, made by AO Kaspersky Lab (RU)"
    /// );
    /// ```
    pub fn new(links: Vec<Link>) -> Chain {
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
                    let phrase = match share {
                        Some(share) => format!("owned {share} and controlled by"),
                        None => "controlled by".to_owned(),
                    };
                    step(f, &phrase, company, *unconfirmed)?
                }
                Link::OwnedBy {
                    company,
                    share,
                    unconfirmed,
                } => {
                    let phrase = match share {
                        Some(share) => format!("owned {share} by"),
                        None => "owned in part by".to_owned(),
                    };
                    step(f, &phrase, company, *unconfirmed)?
                }
                Link::Controls {
                    company,
                    share,
                    unconfirmed,
                } => {
                    let phrase = match share {
                        Some(share) => format!("which owns {share} of and controls"),
                        None => "which controls".to_owned(),
                    };
                    step(f, &phrase, company, *unconfirmed)?
                }
                Link::Owns {
                    company,
                    share,
                    unconfirmed,
                } => {
                    let phrase = match share {
                        Some(share) => format!("which owns {share} of"),
                        None => "which owns part of".to_owned(),
                    };
                    step(f, &phrase, company, *unconfirmed)?
                }
            }
        }
        Ok(())
    }
}

/// `, <phrase> <company> (<place>)`, and whether the link is unconfirmed.
fn step(
    f: &mut fmt::Formatter<'_>,
    phrase: &str,
    company: &Company,
    unconfirmed: bool,
) -> fmt::Result {
    let place = place(company.incorporated, company.headquarters);
    write!(f, ", {phrase} {}{place}", company.name)?;
    if unconfirmed {
        write!(f, " (unconfirmed)")?;
    }
    Ok(())
}

fn place(incorporated: Option<Country>, headquarters: Option<Country>) -> String {
    match (incorporated, headquarters) {
        (Some(i), Some(h)) if i != h => format!(" (incorporated {i}, run from {h})"),
        (Some(c), _) | (None, Some(c)) => format!(" ({c})"),
        (None, None) => String::new(),
    }
}

impl Serialize for Chain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(id: &str, country: &str) -> Company {
        Company {
            id: id.parse().unwrap(),
            name: id.to_uppercase(),
            incorporated: Some(country.parse().unwrap()),
            headquarters: country.parse().ok(),
        }
    }

    #[test]
    fn every_step_says_the_relation_and_the_share() {
        let share = |p: u32| Some(Share::from_basis_points(p * 100).unwrap());
        let chain = Chain::new(vec![
            Link::Release {
                id: "r".parse().unwrap(),
                name: "R 1".to_owned(),
            },
            Link::MadeBy {
                id: "a".parse().unwrap(),
                name: "A".to_owned(),
                incorporated: "GB".parse().unwrap(),
                headquarters: "RU".parse().unwrap(),
            },
            Link::OwnedBy {
                company: company("b", "FR"),
                share: share(30),
                unconfirmed: false,
            },
            Link::ControlledBy {
                company: company("c", "DE"),
                share: share(60),
                unconfirmed: true,
            },
            Link::Controls {
                company: company("d", "CH"),
                share: None,
                unconfirmed: false,
            },
            Link::Owns {
                company: company("e", "US"),
                share: share(40),
                unconfirmed: false,
            },
        ]);
        assert_eq!(
            chain.to_string(),
            "R 1, made by A (incorporated GB, run from RU), owned 30% by B (FR), \
             owned 60% and controlled by C (DE) (unconfirmed), which controls D (CH), \
             which owns 40% of E (US)"
        );
        // Every kind of link, shares with decimals and none, reads back as written.
        let mut links = chain.links().to_vec();
        links.push(Link::Embeds {
            id: "sdk".parse().unwrap(),
            name: "SDK 8".to_owned(),
        });
        links.push(Link::OwnedBy {
            company: Company {
                incorporated: None,
                headquarters: None,
                ..company("f", "FR")
            },
            share: Some(Share::from_basis_points(1_234).unwrap()),
            unconfirmed: true,
        });
        let text = serde_json::to_string(&links).unwrap();
        let back: Vec<Link> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, links);
        assert_eq!(Chain::new(back), Chain::new(links));
    }
}
