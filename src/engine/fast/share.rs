//! Sharing work between requests that look the same to every policy.
//!
//! A decision depends on the release only through what the policies can
//! observe of it: its scope (the [`crate::engine::fast::slice`] mask), the context computed
//! for it, and the attribute paths the policies follow from `resource`. The
//! same holds of the system and `principal`, and of the context's attributes.
//! Of a
//! path, a policy often observes only a little: `resource.codeVendors.
//! contains(Vendor::"ao-kaspersky-lab")` sees whether one vendor is in the
//! set, `["telecom", "video-surveillance"].contains(resource.product.
//! category)` whether the category is one of two words. Releases that agree
//! on every observation get the same decision for the same system, action
//! and instant, so one Cedar evaluation serves them all; likewise systems.
//!
//! The observations are found by walking each policy's JSON form. Any use of
//! a path that is not a membership or equality test against literals
//! observes the whole value, and a policy that uses `resource` other than
//! through its attributes (`resource == ...` in a condition) makes every
//! release a class of its own (and likewise for `principal`).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use crate::cedar::mapping::{Mapping, Ref, Value};

#[cfg(test)]
use crate::policy::with_deep_stack;

/// What the policies observe of one attribute path.
#[derive(Debug, Default)]
struct Observed {
    /// Some use sees the whole value.
    whole: bool,
    /// Literals whose membership in the (set) value is tested.
    members: BTreeSet<Value<'static>>,
    /// Literals the value is compared with.
    equals: BTreeSet<Value<'static>>,
}

/// What one release shows of one path.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Seen {
    Value(Option<Value<'static>>),
    Tests(Vec<bool>),
}

const VARS: [&str; 3] = ["principal", "resource", "context"];

/// How the policies read one of the request's variables.
#[derive(Debug)]
pub(crate) struct Reads {
    /// `"principal"`, `"resource"` or `"context"`.
    var: &'static str,
    paths: BTreeMap<Vec<String>, Observed>,
    /// Some policy uses the variable itself, not only its attributes.
    whole: bool,
}

impl Reads {
    /// How `sets` read `principal`, `resource` and `context`, in that order.
    #[cfg(test)]
    pub fn of(sets: &[&cedar_policy::PolicySet]) -> [Reads; 3] {
        with_deep_stack(|| {
            let jsons: Vec<Option<Json>> = sets
                .iter()
                .flat_map(|set| set.policies())
                .map(|p| p.to_json().ok())
                .collect();
            Reads::from_json(&jsons)
        })
        .unwrap_or_else(Reads::worst)
    }

    /// Knowing nothing: every class a singleton, nothing shared.
    pub fn worst() -> [Reads; 3] {
        VARS.map(|var| Reads {
            var,
            paths: BTreeMap::new(),
            whole: true,
        })
    }

    /// How policies, in their JSON form (`None` if Cedar could not give it),
    /// read `principal`, `resource` and `context`, in that order. Call it on
    /// a thread with room for deep expressions ([`with_deep_stack`]).
    pub fn from_json(policies: &[Option<Json>]) -> [Reads; 3] {
        let mut reads = VARS.map(|var| Reads {
            var,
            paths: BTreeMap::new(),
            whole: false,
        });
        for policy in policies {
            match policy {
                Some(json) => {
                    for condition in json["conditions"].as_array().into_iter().flatten() {
                        reads.iter_mut().for_each(|r| r.walk(&condition["body"]));
                    }
                }
                // Unreadable: assume the worst.
                None => reads.iter_mut().for_each(|r| r.whole = true),
            }
        }
        reads
    }

    fn path(&mut self, path: Vec<String>) -> &mut Observed {
        self.paths.entry(path).or_default()
    }

    fn walk(&mut self, node: &Json) {
        let map = match node {
            Json::Object(map) => map,
            Json::Array(items) => return items.iter().for_each(|item| self.walk(item)),
            _ => return,
        };
        for (op, operand) in map {
            let (left, right) = (&operand["left"], &operand["right"]);
            match op.as_str() {
                "Var" if operand == self.var => self.whole = true,
                "." | "has" => match var_path(left, self.var) {
                    Some(mut path) => {
                        path.push(operand["attr"].as_str().unwrap_or_default().to_owned());
                        self.path(path).whole = true;
                    }
                    None => self.walk(operand),
                },
                "contains" | "containsAll" | "containsAny" => {
                    let single = op == "contains";
                    if let (Some(path), Some(literals)) =
                        (attribute_path(left, self.var), literals(right, !single))
                    {
                        self.path(path).members.extend(literals);
                    } else if let (true, Some(literals), Some(path)) = (
                        single,
                        literals(left, true),
                        attribute_path(right, self.var),
                    ) {
                        self.path(path).equals.extend(literals);
                    } else {
                        self.walk(left);
                        self.walk(right);
                    }
                }
                "==" | "!=" => {
                    let compared = match (
                        attribute_path(left, self.var),
                        attribute_path(right, self.var),
                    ) {
                        (Some(path), None) => literals(right, false).map(|l| (path, l)),
                        (None, Some(path)) => literals(left, false).map(|l| (path, l)),
                        _ => None,
                    };
                    match compared {
                        Some((path, literals)) => self.path(path).equals.extend(literals),
                        None => {
                            self.walk(left);
                            self.walk(right);
                        }
                    }
                }
                _ => self.walk(operand),
            }
        }
    }

    /// What the policies can observe of a set of strings held at `path` (such
    /// as the context's `waivers`): `Some` of the membership tests when only
    /// those are made (none at all if the path is not read), `None` when some
    /// use sees the whole set.
    pub fn tests_of(&self, path: &[&str], values: &BTreeSet<String>) -> Option<Vec<bool>> {
        if self.whole {
            return None;
        }
        let key: Vec<String> = path.iter().map(|p| (*p).to_owned()).collect();
        let Some(observed) = self.paths.get(&key) else {
            return Some(Vec::new());
        };
        if observed.whole || !observed.equals.is_empty() {
            return None;
        }
        observed
            .members
            .iter()
            .map(|m| match m {
                Value::String(m) => Some(values.contains(m.as_ref())),
                _ => None,
            })
            .collect()
    }

    /// What the policies can observe of one system or release: members
    /// that observe alike (and whose scopes agree, which callers compare)
    /// look the same to every policy, given equal contexts.
    pub fn observe(&self, mapping: &Mapping<'_>, entity: Ref) -> Observation {
        if self.whole {
            return Observation::Itself(entity.index);
        }
        // Paths are in order, so those from one attribute of the entity
        // (`essentialGroupsByCategory.telecom`, `.videoSurveillance`) come
        // together: its value is worked out once for them all.
        let mut first_step: Option<(&str, Option<Value<'_>>)> = None;
        Observation::Seen(
            self.paths
                .iter()
                .map(|(path, observed)| {
                    let Some((attr, rest)) = path.split_first() else {
                        return seen(None, observed);
                    };
                    if !matches!(&first_step, Some((last, _)) if last == attr) {
                        first_step = Some((attr.as_str(), mapping.attribute(entity, attr)));
                    }
                    let start = first_step.as_ref().and_then(|(_, v)| v.as_ref());
                    if rest.is_empty() {
                        seen(start, observed)
                    } else {
                        let value = start.and_then(|start| follow(mapping, start, rest));
                        seen(value.as_ref(), observed)
                    }
                })
                .collect(),
        )
    }
}

/// What the policies observe of one entity (see [`Reads::observe`]).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Observation {
    /// Some policy uses the entity itself: it looks like no other. The
    /// entity's place among those of its type.
    Itself(usize),
    /// What it shows of each path the policies read.
    Seen(Vec<Seen>),
}

fn seen(value: Option<&Value<'_>>, observed: &Observed) -> Seen {
    match (observed.whole, value) {
        (false, Some(value @ Value::Set(_))) => Seen::Tests(
            observed
                .members
                .iter()
                .map(|m| value.contains(m))
                .chain(observed.equals.iter().map(|e| e == value))
                .collect(),
        ),
        (false, Some(value)) if observed.members.is_empty() => {
            Seen::Tests(observed.equals.iter().map(|e| e == value).collect())
        }
        (_, value) => Seen::Value(value.cloned().map(Value::into_owned)),
    }
}

/// The attribute path of `node` if it is `var.a.b...` with at least one step.
fn attribute_path(node: &Json, var: &str) -> Option<Vec<String>> {
    var_path(node, var).filter(|path| !path.is_empty())
}

/// The attribute path of `node` if it is `var.a.b...`, with `var` alone as `[]`.
fn var_path(node: &Json, var: &str) -> Option<Vec<String>> {
    if node.get("Var").and_then(Json::as_str) == Some(var) {
        return Some(Vec::new());
    }
    let inner = node.get(".")?;
    let mut path = var_path(&inner["left"], var)?;
    path.push(inner["attr"].as_str()?.to_owned());
    Some(path)
}

/// The values of a literal (`"RU"`, `Vendor::"zte"`) or, if `sets`, of a set
/// of literals (`["telecom", "video-surveillance"]`).
fn literals(node: &Json, sets: bool) -> Option<Vec<Value<'static>>> {
    if let Some(value) = node.get("Value") {
        return Some(vec![literal(value)?]);
    }
    if sets {
        let items = node.get("Set")?.as_array()?;
        return items
            .iter()
            .map(|item| literal(item.get("Value")?))
            .collect();
    }
    None
}

fn literal(value: &Json) -> Option<Value<'static>> {
    let owned = |text: &str| Cow::Owned(text.to_owned());
    match value {
        Json::Bool(b) => Some(Value::Bool(*b)),
        Json::Number(n) => n.as_i64().map(Value::Long),
        Json::String(s) => Some(Value::String(owned(s))),
        Json::Object(map) => {
            let entity = map.get("__entity")?;
            Some(Value::Entity {
                kind: owned(entity["type"].as_str()?),
                id: owned(entity["id"].as_str()?),
            })
        }
        _ => None,
    }
}

/// The value at `path` from a value, following entity references into the
/// entity's attributes and records into their fields; `None` where an
/// attribute is absent (which `has` can observe).
fn follow<'a>(mapping: &Mapping<'a>, start: &Value<'a>, path: &[String]) -> Option<Value<'a>> {
    let step = |value: &Value<'a>, attr: &str| match value {
        Value::Entity { .. } => mapping.attribute(mapping.referred(value)?, attr),
        Value::Record(fields) => fields
            .iter()
            .find(|(name, _)| *name == attr)
            .map(|(_, value)| value.clone()),
        _ => None,
    };
    let (first, rest) = path.split_first()?;
    let mut value = step(start, first)?;
    for attr in rest {
        value = step(&value, attr)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Policies;

    fn reads(text: &str) -> Reads {
        let mut policies = Policies::new();
        policies.add_text("t", text).unwrap();
        let [_, resource, _] = Reads::of(&[policies.binding(), policies.advice()]);
        resource
    }

    #[test]
    fn the_shipped_packs_only_test_memberships_and_equalities() {
        let policies = Policies::all_packs().unwrap();
        let [_, reads, _] = Reads::of(&[policies.binding(), policies.advice()]);
        assert!(!reads.whole);
        let observed: Vec<(String, bool, usize, usize)> = reads
            .paths
            .iter()
            .map(|(p, o)| (p.join("."), o.whole, o.members.len(), o.equals.len()))
            .collect();
        assert_eq!(
            observed,
            [
                ("codeGroups".to_owned(), false, 4, 0),
                ("codeGroupsByCategory.antivirus".to_owned(), false, 3, 0),
                (
                    "codeGroupsByCategory.securityConsulting".to_owned(),
                    false,
                    2,
                    0
                ),
                (
                    "codeGroupsByCategory.securitySoftware".to_owned(),
                    false,
                    3,
                    0
                ),
                (
                    "codeGroupsByCategory.securityTraining".to_owned(),
                    false,
                    2,
                    0
                ),
                ("codeGroupsByCategory.telecom".to_owned(), false, 2, 0),
                (
                    "codeGroupsByCategory.telecomService".to_owned(),
                    false,
                    2,
                    0
                ),
                (
                    "codeGroupsByCategory.threatIntelligence".to_owned(),
                    false,
                    2,
                    0
                ),
                (
                    "codeGroupsByCategory.videoSurveillance".to_owned(),
                    false,
                    2,
                    0
                ),
                (
                    "codeGroupsByCategory.videoSurveillanceService".to_owned(),
                    false,
                    2,
                    0
                ),
                ("codeMajorityOwnerGroups".to_owned(), false, 2, 0),
                ("controlCountries".to_owned(), false, 2, 0),
                ("dataCountries".to_owned(), false, 1, 0),
                ("equipment".to_owned(), true, 0, 0),
                ("equipment.approvedBy".to_owned(), true, 1, 0),
                ("equipment.authorisation".to_owned(), false, 0, 3),
                ("equipment.authorisedOn".to_owned(), true, 0, 0),
                (
                    "equipment.criticalComponentsProducedIn".to_owned(),
                    true,
                    0,
                    0
                ),
                (
                    "equipment.criticalComponentsProductionKnown".to_owned(),
                    true,
                    0,
                    0
                ),
                (
                    "equipment.exceptedCriticalComponentsProducedIn".to_owned(),
                    true,
                    0,
                    0
                ),
                (
                    "equipment.exceptedCriticalComponentsProductionKnown".to_owned(),
                    true,
                    0,
                    0
                ),
                ("equipment.exceptions".to_owned(), false, 3, 0),
                ("equipment.kind".to_owned(), false, 0, 5),
                ("equipment.producedIn".to_owned(), true, 0, 0),
                ("equipment.productionKnown".to_owned(), true, 0, 0),
                ("essentialGroupsByCategory.telecom".to_owned(), false, 5, 0),
                (
                    "essentialGroupsByCategory.telecomService".to_owned(),
                    false,
                    5,
                    0
                ),
                (
                    "essentialGroupsByCategory.videoSurveillance".to_owned(),
                    false,
                    3,
                    0
                ),
                (
                    "essentialGroupsByCategory.videoSurveillanceService".to_owned(),
                    false,
                    5,
                    0
                ),
                ("essentialUserDataTelecomGroups".to_owned(), false, 5, 0),
                ("form".to_owned(), false, 0, 1),
                ("product.category".to_owned(), false, 0, 8),
                ("product.informationSecurity".to_owned(), true, 0, 0),
                ("product.knownAs".to_owned(), false, 0, 3),
                ("product.service".to_owned(), true, 0, 0),
                ("product.thirdPartyInterconnection".to_owned(), true, 0, 0),
                ("securityCodeVendors".to_owned(), false, 1, 0),
                ("serviceCountries".to_owned(), false, 1, 0),
                ("vendor".to_owned(), false, 0, 1),
                ("vendorBlocked".to_owned(), true, 0, 0),
                ("vendorForeignAdversaryControlled".to_owned(), true, 0, 0),
                ("vendorGroup".to_owned(), false, 16, 0),
                ("vendorLists".to_owned(), false, 1, 0),
            ]
        );
    }

    #[test]
    fn other_uses_observe_the_whole_value() {
        let r = reads(
            r#"@id("t") @reason("r") forbid (principal, action, resource)
               when { resource.major > 3 && resource.dataCountries.isEmpty() };"#,
        );
        assert!(!r.whole);
        assert!(r.paths.values().all(|o| o.whole));
        assert_eq!(r.paths.len(), 2);
    }

    #[test]
    fn paths_step_into_records_as_well_as_entities() {
        let inventory = crate::Inventory::from_json(
            r#"{
            "registry": false,
            "vendors": [{"id": "h", "name": "H", "incorporated": "CN", "headquarters": "CN"},
                        {"id": "a", "name": "A", "incorporated": "US", "headquarters": "US"}],
            "products": [{"id": "module", "name": "M", "vendor": "h", "category": "telecom"},
                         {"id": "laptop", "name": "L", "vendor": "a", "category": "software"}],
            "releases": [{"id": "m", "product": "module", "version": "1.0.0"},
                         {"id": "essential", "product": "laptop", "version": "1.0.0", "components": ["m"]},
                         {"id": "incidental", "product": "laptop", "version": "1.0.1", "components": ["m"],
                          "nonessential_components": ["m"]}]
        }"#,
        )
        .unwrap();
        let engine = crate::Engine::new(inventory, Policies::new()).unwrap();
        let loaded = &engine.loaded;
        let epoch = loaded.epoch(crate::Instant::now()).unwrap();
        let mapping = loaded.mapping(epoch);
        let release = |id: &str| {
            let index = loaded
                .ids
                .get(crate::cedar::mapping::Kind::Release, id)
                .unwrap();
            Value::Entity {
                kind: "Release".into(),
                id: mapping
                    .id(Ref::new(crate::cedar::mapping::Kind::Release, index))
                    .into(),
            }
        };
        let path =
            |steps: &[&str]| -> Vec<String> { steps.iter().map(|s| (*s).to_owned()).collect() };
        let telecom = path(&["essentialGroupsByCategory", "telecom"]);
        let seen = |id: &str| follow(&mapping, &release(id), &telecom);
        let h = Value::Entity {
            kind: "Vendor".into(),
            id: "h".into(),
        };
        assert!(matches!(seen("essential"), Some(set @ Value::Set(_)) if set.contains(&h)));
        assert_eq!(seen("incidental"), Some(Value::Set(Vec::new())));
        // The product's category, through an entity reference.
        let category = follow(&mapping, &release("m"), &path(&["product", "category"]));
        assert_eq!(category, Some(Value::String("telecom".into())));
    }

    #[test]
    fn any_other_use_of_resource_makes_classes_singletons() {
        let r = reads(
            r#"@id("t") @reason("by identity") forbid (principal, action, resource) when { resource == Release::"x" };"#,
        );
        assert!(r.whole);
    }
}
