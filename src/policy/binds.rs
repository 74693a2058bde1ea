//! Who a rule binds: the `@binds` annotation.
//!
//! A law binds some organisations and not others. PAFACA binds app stores
//! and internet hosting providers, never the people who install TikTok; the
//! FCC's subsidy rules bind the recipients of the subsidy; section 889 binds
//! executive agencies and their contractors. A rule says whom it binds with
//! `@binds`, in a small language, so that a reader sees it and a test can
//! check it: a system outside the classes a rule binds never gets a Deny from
//! it.
//!
//! The language is [`Binds`]'s.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use crate::error::{invalid, Error};
use crate::model::{ContractClause, Country, Id, Inventory, Role, Sector, System};

/// One condition of a [`Binds`] class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Facet {
    Role(Role),
    OperatedFor(Role),
    Sector(Sector),
    Country(Country),
    Location(Country),
    Clause(ContractClause),
    Anyone,
}

/// The classes of systems a rule binds, read from its `@binds` annotation.
///
/// `@binds` is a list of classes separated by `|`; a class is a list of facets
/// separated by `&`, all of which the system must meet:
///
/// | facet | the system meets it when |
/// |---|---|
/// | `role:R` | its owner, or an organisation above it, holds role `R` |
/// | `operated-for:R` | it is operated for an organisation holding `R` (or under one) |
/// | `sector:S` | its owner is in sector `S` |
/// | `country:C` | its owner is of country `C` |
/// | `location:C` | it is in country `C` (its owner's, unless it says otherwise) |
/// | `clause:K` | it is used in performing a contract with clause `K` |
/// | `anyone` | always |
///
/// ```
/// use clearance::Binds;
///
/// let binds: Binds = "role:app-store | role:internet-hosting-provider".parse()?;
/// assert_eq!(binds.to_string(), "role:app-store | role:internet-hosting-provider");
/// assert!("role:app-shop".parse::<Binds>().is_err());
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Binds {
    classes: Vec<Vec<Facet>>,
}

impl FromStr for Binds {
    type Err = Error;
    fn from_str(text: &str) -> Result<Binds, Error> {
        let facet = |word: &str| -> Result<Facet, Error> {
            let word = word.trim();
            if word == "anyone" {
                return Ok(Facet::Anyone);
            }
            let Some((kind, value)) = word.split_once(':') else {
                return Err(invalid(
                    format_args!("@binds facet {word:?}"),
                    "write `kind:value` (role, operated-for, sector, country, location, clause) or `anyone`",
                ));
            };
            Ok(match kind {
                "role" => Facet::Role(value.parse()?),
                "operated-for" => Facet::OperatedFor(value.parse()?),
                "sector" => Facet::Sector(value.parse()?),
                "country" => Facet::Country(value.parse()?),
                "location" => Facet::Location(value.parse()?),
                "clause" => Facet::Clause(value.parse()?),
                _ => {
                    return Err(invalid(
                        format_args!("@binds facet {word:?}"),
                        "the kinds are role, operated-for, sector, country, location and clause",
                    ))
                }
            })
        };
        let classes = text
            .split('|')
            .map(|class| class.split('&').map(facet).collect::<Result<Vec<_>, _>>())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Binds { classes })
    }
}

impl fmt::Display for Binds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, class) in self.classes.iter().enumerate() {
            if n > 0 {
                f.write_str(" | ")?;
            }
            for (m, facet) in class.iter().enumerate() {
                if m > 0 {
                    f.write_str(" & ")?;
                }
                match facet {
                    Facet::Role(r) => write!(f, "role:{r}")?,
                    Facet::OperatedFor(r) => write!(f, "operated-for:{r}")?,
                    Facet::Sector(s) => write!(f, "sector:{s}")?,
                    Facet::Country(c) => write!(f, "country:{c}")?,
                    Facet::Location(c) => write!(f, "location:{c}")?,
                    Facet::Clause(k) => write!(f, "clause:{k}")?,
                    Facet::Anyone => f.write_str("anyone")?,
                }
            }
        }
        Ok(())
    }
}

impl Binds {
    /// Whether a system of an inventory is in one of the classes: the
    /// owner's and its ancestors' roles, the roles of whom it is operated
    /// for, the owner's sector and country, its location and its contract
    /// clauses, as the policies see them. A system whose owner is not in the
    /// inventory is in no class.
    pub fn covers(&self, inventory: &Inventory, system: &System) -> bool {
        let Some(owner) = inventory
            .organisations
            .iter()
            .find(|o| o.id == system.owner)
        else {
            return false;
        };
        let roles = roles_up(inventory, &system.owner);
        let operated_for = system
            .operated_for
            .as_ref()
            .map(|o| roles_up(inventory, o))
            .unwrap_or_default();
        let location = system.location.unwrap_or(owner.country);
        self.classes.iter().any(|class| {
            class.iter().all(|facet| match *facet {
                Facet::Role(r) => roles.contains(&r),
                Facet::OperatedFor(r) => operated_for.contains(&r),
                Facet::Sector(s) => owner.sector == s,
                Facet::Country(c) => owner.country == c,
                Facet::Location(c) => location == c,
                Facet::Clause(k) => system.contract_clauses.contains(&k),
                Facet::Anyone => true,
            })
        })
    }
}

/// The roles of an organisation and of every organisation above it.
fn roles_up(inventory: &Inventory, from: &Id) -> BTreeSet<Role> {
    let mut roles = BTreeSet::new();
    let mut at = Some(from);
    // Parents are acyclic in a valid inventory; the bound is a second guard.
    for _ in 0..=inventory.organisations.len() {
        let Some(id) = at else { break };
        let Some(org) = inventory.organisations.iter().find(|o| &o.id == id) else {
            break;
        };
        roles.extend(org.roles.iter().copied());
        at = org.parent.as_ref();
    }
    roles
}
