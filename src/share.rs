//! Sharing work between releases that look the same to every policy.
//!
//! A decision depends on the release only through what the policies read of
//! it: the attribute paths they follow from `resource` (`resource.product.
//! category`, `resource.codeVendors`), its scope (the [`crate::slice`] mask),
//! and the context computed for it. Releases that agree on all of these get
//! the same decision for the same system, action and instant, so one Cedar
//! evaluation serves them all. Which paths the policies read is found by
//! walking each policy's JSON form; a policy that uses `resource` in any
//! other way (`resource == ...`, `resource in ...` in a condition) makes
//! every release a class of its own.

use std::collections::{BTreeMap, BTreeSet};

use cedar_policy::{Entities, EntityUid, EvalResult, PolicySet};
use serde_json::Value;

/// How the policies read `resource`.
#[derive(Debug, Default)]
pub(crate) struct ResourceReads {
    /// Attribute paths followed from `resource`, longest form only.
    paths: BTreeSet<Vec<String>>,
    /// Whether some policy uses `resource` itself, not only its attributes.
    whole: bool,
}

impl ResourceReads {
    pub fn of(sets: &[&PolicySet]) -> ResourceReads {
        let mut reads = ResourceReads::default();
        for policy in sets.iter().flat_map(|set| set.policies()) {
            match policy.to_json() {
                Ok(json) => {
                    for condition in json["conditions"].as_array().into_iter().flatten() {
                        reads.walk(&condition["body"]);
                    }
                }
                // Unreadable: assume the worst.
                Err(_) => reads.whole = true,
            }
        }
        reads
    }

    fn walk(&mut self, node: &Value) {
        match node {
            Value::Object(map) => {
                for (op, operand) in map {
                    if op == "Var" && operand == "resource" {
                        self.whole = true;
                    } else if matches!(op.as_str(), "." | "has") {
                        if let Some(mut path) = resource_path(&operand["left"]) {
                            path.push(operand["attr"].as_str().unwrap_or_default().to_owned());
                            self.paths.insert(path);
                        } else {
                            self.walk(operand);
                        }
                    } else {
                        self.walk(operand);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.walk(item)),
            _ => {}
        }
    }

    /// Assigns each release a class; releases in one class look the same to
    /// every policy (given equal masks and contexts, which callers compare).
    pub fn classes(&self, entities: &Entities, releases: &[EntityUid]) -> Vec<usize> {
        if self.whole {
            return (0..releases.len()).collect();
        }
        let mut classes: BTreeMap<Vec<Option<EvalResult>>, usize> = BTreeMap::new();
        releases
            .iter()
            .map(|uid| {
                let key: Vec<Option<EvalResult>> = self
                    .paths
                    .iter()
                    .map(|path| follow(entities, uid, path))
                    .collect();
                let next = classes.len();
                *classes.entry(key).or_insert(next)
            })
            .collect()
    }
}

/// The attribute path of `node` if it is `resource.a.b...`, with `resource` alone as `[]`.
fn resource_path(node: &Value) -> Option<Vec<String>> {
    if node.get("Var").and_then(Value::as_str) == Some("resource") {
        return Some(Vec::new());
    }
    let inner = node.get(".")?;
    let mut path = resource_path(&inner["left"])?;
    path.push(inner["attr"].as_str()?.to_owned());
    Some(path)
}

/// The value at `path` from an entity, following entity references; `None`
/// where an attribute is absent (which `has` can observe).
fn follow(entities: &Entities, start: &EntityUid, path: &[String]) -> Option<EvalResult> {
    let mut uid = start.clone();
    let mut value = None;
    for attr in path {
        let entity = entities.get(&uid)?;
        let next = entity.attr(attr)?.ok()?;
        if let EvalResult::EntityUid(next_uid) = &next {
            uid = next_uid.clone();
        }
        value = Some(next);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Policies;

    #[test]
    fn the_shipped_packs_read_a_few_paths_and_never_the_release_itself() {
        let policies = Policies::all_packs().unwrap();
        let reads = ResourceReads::of(&[policies.binding(), policies.advice()]);
        assert!(!reads.whole);
        let paths: Vec<String> = reads.paths.iter().map(|p| p.join(".")).collect();
        assert_eq!(
            paths,
            [
                "codeVendors",
                "controlCountries",
                "dataCountries",
                "product.category"
            ]
        );
    }

    #[test]
    fn any_other_use_of_resource_makes_classes_singletons() {
        let mut policies = Policies::from_packs(&[crate::Pack::Baseline]).unwrap();
        policies
            .add_text(
                "t",
                r#"@id("t") @reason("by identity") forbid (principal, action, resource) when { resource == Release::"x" };"#,
            )
            .unwrap();
        assert!(ResourceReads::of(&[policies.binding()]).whole);
    }
}
