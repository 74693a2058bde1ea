//! Checking an inventory whole: what types alone cannot check.
//!
//! Ids are unique per kind, references resolve, control, ownership and
//! embedding have no cycles, versions fit Cedar's integers, waivers have a
//! scope, and markings fit the tier. Each problem is an [`Error`] naming the
//! item (by kind and id) and the field. The checks of vendors and parties,
//! and of the shipped registry merged with them, are in [`companies`].

mod companies;

use std::collections::{HashMap, HashSet};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Classification, CountryGroup, Id, Inventory, Release, Waiver};
use companies::Companies;

impl Inventory {
    /// Checks what types alone cannot: ids are unique per kind, references
    /// resolve, control, ownership and embedding have no cycles, versions fit
    /// Cedar's integers, waivers have a scope, and markings fit the tier.
    ///
    /// [`Inventory::from_json`] and [`crate::Engine::new`] call this; call it
    /// yourself after building or editing an inventory in Rust.
    pub fn validate(&self) -> Result<()> {
        let groups = unique("country group", self.country_groups.iter().map(|g| &g.id))?;
        if groups.contains(CountryGroup::US_FOREIGN_ADVERSARIES) {
            return Err(Error::new(
                ErrorKind::DuplicateId,
                format!(
                    "country group `{}` is built in and cannot be redefined",
                    CountryGroup::US_FOREIGN_ADVERSARIES
                ),
            ));
        }
        let companies = Companies::of(self)?;
        let vendors = companies.vendors();
        let products = unique("product", self.products.iter().map(|p| &p.id))?;
        let releases = unique("release", self.releases.iter().map(|r| &r.id))?;
        unique("authorisation", self.authorisations.iter().map(|a| &a.id))?;
        let organisations = unique("organisation", self.organisations.iter().map(|o| &o.id))?;
        let systems = unique("system", self.systems.iter().map(|s| &s.id))?;
        unique("waiver", self.waivers.iter().map(|w| &w.id))?;
        companies.check()?;

        for product in &self.products {
            let item = format!("product `{}`", product.id);
            named(&item, &product.name)?;
            refers(&item, "vendor", "vendor", Some(&product.vendor), &vendors)?;
            if let Some(equipment) = &product.equipment {
                check_equipment(&item, equipment)?;
            }
        }
        for vendor in &self.vendors {
            let item = format!("vendor `{}`", vendor.id);
            check_approvals(&item, &vendor.conditional_approvals)?;
            for listing in &vendor.listed {
                if listing.source.trim().is_empty() {
                    return Err(crate::error::invalid(
                        &item,
                        format_args!("listing on `{}` has an empty `source`", listing.list),
                    ));
                }
                if let (Some(from), Some(until)) = (listing.from, listing.until) {
                    if from >= until {
                        return Err(crate::error::invalid(
                            &item,
                            format_args!(
                                "listing on `{}`: `from` is not before `until`",
                                listing.list
                            ),
                        ));
                    }
                }
            }
        }
        for release in &self.releases {
            let item = format!("release `{}`", release.id);
            refers(
                &item,
                "product",
                "product",
                Some(&release.product),
                &products,
            )?;
            for component in &release.components {
                refers(&item, "components", "release", Some(component), &releases)?;
            }
            if let Some(stray) = release
                .nonessential_components
                .difference(&release.components)
                .next()
            {
                return Err(crate::error::invalid(
                    item,
                    format_args!(
                        "`nonessential_components` names `{stray}`, which is not one of its `components`"
                    ),
                ));
            }
            let v = &release.version;
            if [v.major, v.minor, v.patch]
                .iter()
                .any(|n| i64::try_from(*n).is_err())
            {
                return Err(crate::error::invalid(
                    item,
                    format_args!("version {v} has a number larger than {}", i64::MAX),
                ));
            }
        }
        self.no_component_cycles()?;
        for authorisation in &self.authorisations {
            let item = format!("authorisation `{}`", authorisation.id);
            refers(
                &item,
                "product",
                "product",
                Some(&authorisation.product),
                &products,
            )?;
        }
        for organisation in &self.organisations {
            let item = format!("organisation `{}`", organisation.id);
            named(&item, &organisation.name)?;
            refers(
                &item,
                "parent",
                "organisation",
                organisation.parent.as_ref(),
                &organisations,
            )?;
        }
        no_chain_cycles(
            "organisation",
            "parent",
            &self.organisations,
            |o| &o.id,
            |o| o.parent.as_ref(),
        )?;
        for system in &self.systems {
            let item = format!("system `{}`", system.id);
            named(&item, &system.name)?;
            refers(
                &item,
                "owner",
                "organisation",
                Some(&system.owner),
                &organisations,
            )?;
            refers(
                &item,
                "operated_for",
                "organisation",
                system.operated_for.as_ref(),
                &organisations,
            )?;
            if system.official_sensitive && system.classification != Classification::Official {
                return Err(crate::error::invalid(
                    item,
                    format_args!(
                        "the OFFICIAL-SENSITIVE marking applies only within OFFICIAL, not {}",
                        system.classification
                    ),
                ));
            }
        }
        for waiver in &self.waivers {
            self.check_waiver(waiver, &products, &vendors, &systems, &organisations)?;
        }
        let mut seen = HashSet::new();
        for (i, deployment) in self.deployments.iter().enumerate() {
            let item = format!(
                "deployment #{i} ({} on {})",
                deployment.release, deployment.system
            );
            refers(
                &item,
                "system",
                "system",
                Some(&deployment.system),
                &systems,
            )?;
            refers(
                &item,
                "release",
                "release",
                Some(&deployment.release),
                &releases,
            )?;
            if !seen.insert(deployment) {
                return Err(Error::new(
                    ErrorKind::DuplicateId,
                    format!("{item} is listed twice"),
                ));
            }
        }
        Ok(())
    }

    fn check_waiver(
        &self,
        waiver: &Waiver,
        products: &HashSet<&str>,
        vendors: &HashSet<&str>,
        systems: &HashSet<&str>,
        organisations: &HashSet<&str>,
    ) -> Result<()> {
        let item = format!("waiver `{}`", waiver.id);
        let empty = |field: &str| {
            crate::error::invalid(
                &item,
                format_args!("`{field}` is empty; a waiver must say what it covers"),
            )
        };
        if waiver.rules.is_empty() {
            return Err(empty("rules"));
        }
        if waiver.actions.is_empty() {
            return Err(empty("actions"));
        }
        if waiver.products.is_empty() && waiver.vendors.is_empty() {
            return Err(empty("products` and `vendors"));
        }
        if waiver.systems.is_empty() && waiver.organisations.is_empty() {
            return Err(empty("systems` and `organisations"));
        }
        for product in &waiver.products {
            refers(&item, "products", "product", Some(product), products)?;
        }
        for vendor in &waiver.vendors {
            refers(&item, "vendors", "vendor", Some(vendor), vendors)?;
        }
        for system in &waiver.systems {
            refers(&item, "systems", "system", Some(system), systems)?;
        }
        for organisation in &waiver.organisations {
            refers(
                &item,
                "organisations",
                "organisation",
                Some(organisation),
                organisations,
            )?;
        }
        named(&item, &waiver.granted_by).map_err(|_| {
            crate::error::invalid(&item, "`granted_by` is empty; say who granted it")
        })?;
        if waiver.from.is_some_and(|from| from >= waiver.until) {
            return Err(crate::error::invalid(&item, "`from` is not before `until`"));
        }
        Ok(())
    }

    /// Embedding may form a DAG (two suites sharing an engine) but no cycle.
    fn no_component_cycles(&self) -> Result<()> {
        let index: HashMap<&str, &Release> =
            self.releases.iter().map(|r| (r.id.as_str(), r)).collect();
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Open,
            Done,
        }
        let mut marks: HashMap<&str, Mark> = HashMap::new();
        for root in &self.releases {
            // Iterative depth-first search, so a deep chain cannot overflow the stack.
            let mut stack: Vec<(&Release, std::collections::btree_set::Iter<'_, Id>)> = Vec::new();
            if marks.contains_key(root.id.as_str()) {
                continue;
            }
            marks.insert(root.id.as_str(), Mark::Open);
            stack.push((root, root.components.iter()));
            while let Some((release, children)) = stack.last_mut() {
                let release: &Release = release;
                match children.next() {
                    Some(child) => match marks.get(child.as_str()) {
                        Some(Mark::Open) => {
                            let mut path: Vec<&str> =
                                stack.iter().map(|(r, _)| r.id.as_str()).collect();
                            let start = path
                                .iter()
                                .position(|id| *id == child.as_str())
                                .unwrap_or(0);
                            path.drain(..start);
                            path.push(child.as_str());
                            return Err(Error::new(
                                ErrorKind::Cycle,
                                format!(
                                    "release `{}`: components embed each other in a cycle: {}",
                                    release.id,
                                    path.join(" embeds ")
                                ),
                            ));
                        }
                        Some(Mark::Done) => {}
                        None => {
                            let next = index[child.as_str()];
                            marks.insert(next.id.as_str(), Mark::Open);
                            stack.push((next, next.components.iter()));
                        }
                    },
                    None => {
                        marks.insert(release.id.as_str(), Mark::Done);
                        stack.pop();
                    }
                }
            }
        }
        Ok(())
    }
}

/// A model's equipment facts: exceptions only where the entry making them
/// could apply (drones and their critical components), and approvals that
/// say where they come from and end after they start.
fn check_equipment(item: &str, equipment: &crate::model::Equipment) -> Result<()> {
    use crate::model::EquipmentKind;
    let drone = matches!(
        equipment.kind,
        Some(EquipmentKind::Uas | EquipmentKind::UasCriticalComponent)
    );
    if let (false, Some(exception)) = (drone, equipment.exceptions.first()) {
        return Err(crate::error::invalid(
            item,
            format_args!(
                "`equipment.exceptions` names `{exception}`, an exception of the FCC's UAS entry, \
                 but `equipment.kind` is not `uas` or `uas-critical-component`"
            ),
        ));
    }
    check_approvals(item, &equipment.conditional_approvals)
}

fn check_approvals(item: &str, approvals: &[crate::model::ConditionalApproval]) -> Result<()> {
    for approval in approvals {
        if approval.source.trim().is_empty() {
            return Err(crate::error::invalid(
                item,
                format_args!(
                    "a Conditional Approval by {} has an empty `source`",
                    approval.by
                ),
            ));
        }
        if approval.until.is_some_and(|until| approval.from >= until) {
            return Err(crate::error::invalid(
                item,
                format_args!(
                    "a Conditional Approval by {}: `from` is not before `until`",
                    approval.by
                ),
            ));
        }
    }
    Ok(())
}

fn unique<'a>(kind: &str, ids: impl Iterator<Item = &'a Id>) -> Result<HashSet<&'a str>> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id.as_str()) {
            return Err(Error::new(
                ErrorKind::DuplicateId,
                format!("two items of kind {kind} have the id `{id}`"),
            ));
        }
    }
    Ok(seen)
}

fn named(item: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        Err(crate::error::invalid(item, "`name` is empty"))
    } else {
        Ok(())
    }
}

fn refers(
    item: &str,
    field: &str,
    kind: &str,
    target: Option<&Id>,
    known: &HashSet<&str>,
) -> Result<()> {
    match target {
        Some(id) if !known.contains(id.as_str()) => Err(Error::new(
            ErrorKind::DanglingReference,
            format!("{item}: `{field}` names {kind} `{id}`, which is not in the inventory"),
        )),
        _ => Ok(()),
    }
}

/// Finds a cycle in single-parent links (control of vendors, parents of organisations).
fn no_chain_cycles<T>(
    kind: &str,
    link: &str,
    items: &[T],
    id: impl Fn(&T) -> &Id,
    parent: impl Fn(&T) -> Option<&Id>,
) -> Result<()> {
    let parents: HashMap<&str, Option<&Id>> =
        items.iter().map(|i| (id(i).as_str(), parent(i))).collect();
    let mut cleared: HashSet<&str> = HashSet::new();
    for item in items {
        let mut path: Vec<&str> = vec![id(item).as_str()];
        let mut on_path: HashSet<&str> = path.iter().copied().collect();
        let mut next = parent(item);
        while let Some(up) = next {
            let up = up.as_str();
            if cleared.contains(up) {
                break;
            }
            path.push(up);
            if !on_path.insert(up) {
                let start = path.iter().position(|p| *p == up).unwrap_or(0);
                return Err(Error::new(
                    ErrorKind::Cycle,
                    format!(
                        "{kind} `{}`: {link} goes round in a cycle: {}",
                        id(item),
                        path[start..].join(" -> ")
                    ),
                ));
            }
            next = parents.get(up).copied().flatten();
        }
        cleared.extend(path);
    }
    Ok(())
}
