//! Checking vendors and parties: the companies, who owns them, and the
//! shipped registry merged with them.
//!
//! Vendors and parties share one id space, since an owner may be either. An
//! inventory that uses the registry may name its companies without defining
//! them, but may not define a company with a registry id, nor one with the
//! name of a registry company: a second "AO Kaspersky Lab" under another id
//! would escape every rule anchored on the registry's, which is the worst
//! way to fail.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::error::{invalid, Error, ErrorKind, Result};
use crate::model::registry::{added_stakes, normalise};
use crate::model::{Blocking, Id, Instant, Inventory, Party, Registry, Share, Stake, Vendor};

/// One company, vendor or party, as the checks see it.
struct Company<'a> {
    kind: &'static str,
    id: &'a Id,
    name: &'a str,
    /// Each stake, with the field it comes from.
    stakes: Vec<(&'static str, std::borrow::Cow<'a, Stake>)>,
    blocked: Option<&'a Blocking>,
}

fn fields<'a>(
    controlled_by: Option<&'a Id>,
    owners: &'a [Stake],
) -> Vec<(&'static str, std::borrow::Cow<'a, Stake>)> {
    let shorthand = controlled_by.map(|owner| {
        (
            "controlled_by",
            std::borrow::Cow::Owned(Stake::control(owner.clone())),
        )
    });
    shorthand
        .into_iter()
        .chain(
            owners
                .iter()
                .map(|s| ("owners", std::borrow::Cow::Borrowed(s))),
        )
        .collect()
}

/// The companies of an inventory, with the registry's when it uses it.
pub(super) struct Companies<'a> {
    companies: Vec<Company<'a>>,
    index: HashMap<&'a str, usize>,
    uses_registry: bool,
}

impl<'a> Companies<'a> {
    /// The companies, checked for unique ids and for clashes with the registry.
    pub fn of(inventory: &'a Inventory) -> Result<Companies<'a>> {
        let registry = inventory.registry.then(Registry::shipped);
        if let Some(registry) = registry {
            no_clash_with(registry, inventory)?;
        }
        let extra_vendors = registry.map_or(&[][..], Registry::vendors);
        let extra_parties = registry.map_or(&[][..], Registry::parties);
        let vendor = |v: &'a Vendor| Company {
            kind: "vendor",
            id: &v.id,
            name: &v.name,
            stakes: fields(v.controlled_by.as_ref(), &v.owners),
            blocked: v.blocked.as_ref(),
        };
        let party = |p: &'a Party| Company {
            kind: "party",
            id: &p.id,
            name: &p.name,
            stakes: fields(p.controlled_by.as_ref(), &p.owners),
            blocked: p.blocked.as_ref(),
        };
        // A user's copy of a registry company agrees with it (checked
        // above), so the registry's own entry stands for both, with the
        // owners the copy adds.
        let shipped = |id: &Id| registry.is_some_and(|r| r.contains(id.as_str()));
        let mut added: HashMap<&str, Vec<Stake>> = HashMap::new();
        for v in inventory.vendors.iter().filter(|v| shipped(&v.id)) {
            let listed = registry
                .and_then(|r| r.vendor(v.id.as_str()))
                .map(|s| &s.owners[..]);
            if let Ok(more) =
                added_stakes(v.controlled_by.as_ref(), &v.owners, listed.unwrap_or(&[]))
            {
                added.insert(v.id.as_str(), more);
            }
        }
        for p in inventory.parties.iter().filter(|p| shipped(&p.id)) {
            let listed = registry
                .and_then(|r| r.party(p.id.as_str()))
                .map(|s| &s.owners[..]);
            if let Ok(more) =
                added_stakes(p.controlled_by.as_ref(), &p.owners, listed.unwrap_or(&[]))
            {
                added.insert(p.id.as_str(), more);
            }
        }
        let with_added = |mut company: Company<'a>| {
            if let Some(more) = added.get(company.id.as_str()) {
                company.stakes.extend(
                    more.iter()
                        .cloned()
                        .map(|s| ("owners", std::borrow::Cow::Owned(s))),
                );
            }
            company
        };
        let companies: Vec<Company<'a>> = inventory
            .vendors
            .iter()
            .filter(|v| !shipped(&v.id))
            .map(vendor)
            .chain(extra_vendors.iter().map(vendor).map(&with_added))
            .chain(
                inventory
                    .parties
                    .iter()
                    .filter(|p| !shipped(&p.id))
                    .map(party),
            )
            .chain(extra_parties.iter().map(party).map(&with_added))
            .collect();
        let mut index = HashMap::with_capacity(companies.len());
        for (i, company) in companies.iter().enumerate() {
            if let Some(other) = index.insert(company.id.as_str(), i) {
                let other = &companies[other];
                return Err(Error::new(
                    ErrorKind::DuplicateId,
                    format!(
                        "two companies have the id `{}` (a {} and a {}; vendors and parties share ids)",
                        company.id, other.kind, company.kind
                    ),
                ));
            }
        }
        Ok(Companies {
            companies,
            index,
            uses_registry: registry.is_some(),
        })
    }

    /// The ids of the vendors, the registry's included.
    pub fn vendors(&self) -> HashSet<&'a str> {
        self.companies
            .iter()
            .filter(|c| c.kind == "vendor")
            .map(|c| c.id.as_str())
            .collect()
    }

    /// Names, owners, shares, dates and cycles.
    pub fn check(&self) -> Result<()> {
        for company in &self.companies {
            let item = format!("{} `{}`", company.kind, company.id);
            if company.name.trim().is_empty() {
                return Err(invalid(&item, "`name` is empty"));
            }
            self.check_stakes(&item, company)?;
            if let Some(blocked) = company.blocked {
                if blocked.by.trim().is_empty() {
                    return Err(invalid(&item, "`blocked.by` is empty; say who blocked it"));
                }
                if let (Some(from), Some(until)) = (blocked.from, blocked.until) {
                    if from >= until {
                        return Err(invalid(&item, "`blocked`: `from` is not before `until`"));
                    }
                }
            }
        }
        self.no_ownership_cycles()
    }

    fn check_stakes(&self, item: &str, company: &Company<'_>) -> Result<()> {
        for (n, (field, stake)) in company.stakes.iter().enumerate() {
            if !self.index.contains_key(stake.owner.as_str()) {
                let elsewhere = if self.uses_registry {
                    " (nor in the shipped registry)"
                } else {
                    ""
                };
                return Err(Error::new(
                    ErrorKind::DanglingReference,
                    format!(
                        "{item}: `{field}` names `{}`, which is no vendor or party in the \
                         inventory{elsewhere}",
                        stake.owner
                    ),
                ));
            }
            if stake.owner == *company.id {
                let what = if stake.controls {
                    "control"
                } else {
                    "ownership"
                };
                return Err(Error::new(
                    ErrorKind::Cycle,
                    format!(
                        "{item}: {what} goes round in a cycle: {0} -> {0}",
                        company.id
                    ),
                ));
            }
            if let (Some(from), Some(until)) = (stake.from, stake.until) {
                if from >= until {
                    return Err(invalid(
                        item,
                        format_args!(
                            "the stake of `{}`: `from` is not before `until`",
                            stake.owner
                        ),
                    ));
                }
            }
            if let Some((_, earlier)) = company.stakes[..n]
                .iter()
                .find(|(_, s)| s.owner == stake.owner && overlap(s, stake))
            {
                return Err(invalid(
                    item,
                    format_args!(
                        "`{}` is listed twice as its owner (in `controlled_by` or `owners`) for \
                         overlapping periods; give one stake",
                        earlier.owner
                    ),
                ));
            }
        }
        // Shares may not add up to more than the whole at any instant: check
        // at the start of every period a stake begins.
        let starts: BTreeSet<Option<Instant>> =
            company.stakes.iter().map(|(_, s)| s.from).collect();
        for start in starts {
            let at = start.unwrap_or(Instant::MIN);
            let total: u32 = company
                .stakes
                .iter()
                .map(|(_, s)| s)
                .filter(|s| s.in_force_at(at))
                .filter_map(|s| s.share)
                .map(Share::basis_points)
                .sum();
            if total > Share::WHOLE.basis_points() {
                let when = start.map(|s| format!(" from {s}")).unwrap_or_default();
                return Err(invalid(
                    item,
                    format_args!(
                        "its owners' shares add up to {}%{when}, more than 100%",
                        f64::from(total) / 100.0
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Ownership is a DAG across all time: no company owns itself through others.
    fn no_ownership_cycles(&self) -> Result<()> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Open,
            Done,
        }
        let owners = |c: usize| -> Vec<usize> {
            self.companies[c]
                .stakes
                .iter()
                .filter_map(|(_, s)| self.index.get(s.owner.as_str()).copied())
                .collect()
        };
        // Whether `owned` is controlled by `owner` through some stake.
        let controls = |owned: usize, owner: usize| {
            self.companies[owned]
                .stakes
                .iter()
                .any(|(_, s)| s.controls && s.owner == *self.companies[owner].id)
        };
        let mut marks: Vec<Option<Mark>> = vec![None; self.companies.len()];
        for root in 0..self.companies.len() {
            if marks[root].is_some() {
                continue;
            }
            // Iterative, so a long chain of holding companies cannot overflow the stack.
            let mut stack: Vec<(usize, Vec<usize>)> = vec![(root, owners(root))];
            marks[root] = Some(Mark::Open);
            while let Some((company, pending)) = stack.last_mut() {
                let company = *company;
                match pending.pop() {
                    Some(owner) => match marks[owner] {
                        Some(Mark::Open) => {
                            let mut path: Vec<usize> = stack.iter().map(|(c, _)| *c).collect();
                            let start = path.iter().position(|c| *c == owner).unwrap_or(0);
                            path.drain(..start);
                            path.push(owner);
                            let all_control = path.windows(2).all(|w| controls(w[0], w[1]));
                            let what = if all_control { "control" } else { "ownership" };
                            let names: Vec<&str> = path
                                .iter()
                                .map(|&c| self.companies[c].id.as_str())
                                .collect();
                            let first = &self.companies[path[0]];
                            let _ = company;
                            return Err(Error::new(
                                ErrorKind::Cycle,
                                format!(
                                    "{} `{}`: {what} goes round in a cycle: {}",
                                    first.kind,
                                    first.id,
                                    names.join(" -> ")
                                ),
                            ));
                        }
                        Some(Mark::Done) => {}
                        None => {
                            marks[owner] = Some(Mark::Open);
                            stack.push((owner, owners(owner)));
                        }
                    },
                    None => {
                        marks[company] = Some(Mark::Done);
                        stack.pop();
                    }
                }
            }
        }
        Ok(())
    }
}

fn overlap(a: &Stake, b: &Stake) -> bool {
    let starts_before_end = |s: &Stake, e: &Stake| match (s.from, e.until) {
        (Some(from), Some(until)) => from < until,
        _ => true,
    };
    starts_before_end(a, b) && starts_before_end(b, a)
}

/// How a user's definition of a registry vendor differs from it, if it does.
fn vendor_difference(mine: &Vendor, shipped: &Vendor) -> Option<String> {
    let name = (normalise(&mine.name) != normalise(&shipped.name))
        .then(|| format!("its name is {:?}", shipped.name));
    let countries = (mine.incorporated != shipped.incorporated
        || mine.headquarters != shipped.headquarters)
        .then(|| {
            format!(
                "it is incorporated in {} and run from {}",
                shipped.incorporated, shipped.headquarters
            )
        });
    let owners = added_stakes(mine.controlled_by.as_ref(), &mine.owners, &shipped.owners)
        .err()
        .map(|owner| format!("its owners differ: it lists `{owner}` on other terms"));
    let blocked = (mine.blocked.is_some() != shipped.blocked.is_some())
        .then(|| "its blocking differs".to_owned());
    let found: Vec<String> = [name, countries, owners, blocked]
        .into_iter()
        .flatten()
        .collect();
    (!found.is_empty()).then(|| found.join("; "))
}

/// How a user's definition of a registry party differs from it, if it does.
fn party_difference(mine: &Party, shipped: &Party) -> Option<String> {
    let same = normalise(&mine.name) == normalise(&shipped.name)
        && mine.kind == shipped.kind
        && mine.country == shipped.country
        && added_stakes(mine.controlled_by.as_ref(), &mine.owners, &shipped.owners).is_ok()
        && mine.blocked.is_some() == shipped.blocked.is_some();
    (!same).then(|| "its name, kind, country, owners or blocking differ".to_owned())
}

/// A company the inventory defines that is a registry company, by id or by name.
fn no_clash_with(registry: &Registry, inventory: &Inventory) -> Result<()> {
    let defined = inventory
        .vendors
        .iter()
        .map(|v| ("vendor", &v.id, &v.name))
        .chain(inventory.parties.iter().map(|p| ("party", &p.id, &p.name)));
    for (kind, id, name) in defined {
        if let Some(entry) = registry.entry(id.as_str()) {
            // Saying what the registry says shadows nothing: the registry's
            // entry, with its sources, is the one used, with any owners the
            // user adds (a parent the registry does not know).
            let difference = match kind {
                "vendor" => inventory
                    .vendors
                    .iter()
                    .find(|v| v.id == *id)
                    .zip(registry.vendor(id.as_str()))
                    .and_then(|(mine, shipped)| vendor_difference(mine, shipped)),
                _ => inventory
                    .parties
                    .iter()
                    .find(|p| p.id == *id)
                    .zip(registry.party(id.as_str()))
                    .and_then(|(mine, shipped)| party_difference(mine, shipped)),
            };
            let Some(difference) = difference else {
                continue;
            };
            return Err(Error::new(
                ErrorKind::DuplicateId,
                format!(
                    "{kind} `{id}` is in the shipped registry ({}), which says otherwise ({difference}): \
                     refer to it without defining it, or set \"registry\": false to model the \
                     registry's companies yourself",
                    entry.name()
                ),
            ));
        }
        if normalise(name).is_empty() {
            continue;
        }
        if let Some(entry) = registry.find(name) {
            return Err(Error::new(
                ErrorKind::DuplicateId,
                format!(
                    "{kind} `{id}` is named {name:?}, which is the shipped registry's `{}` ({}): \
                     refer to `{}` instead, or set \"registry\": false to model it yourself",
                    entry.id(),
                    entry.name(),
                    entry.id()
                ),
            ));
        }
    }
    Ok(())
}
