//! Guards: the part of a policy that depends on the system alone.
//!
//! Most policies open with conditions on the system (`principal.country ==
//! "GB" && principal.tier >= 3 && ...`). Cedar evaluates a `when` clause left
//! to right and stops at the first false conjunct, so if the leading
//! conjuncts that read only `principal` are false for a system, the policy is
//! false for that system whatever the release, action or instant, and raises
//! no error. Such a policy can be left out of every request about the system,
//! exactly as a policy whose scope cannot match is (see [`crate::slice`]).
//!
//! The guard of each policy is evaluated by Cedar itself, once per system
//! when the engine is built: each becomes a `permit` whose condition is that
//! leading run of conjuncts. A guard that errors, or a policy with no guard,
//! is kept.

use serde_json::{json, Value};

use cedar_policy::{
    AuthorizationError, Authorizer, Context, Entities, EntityUid, Policy, PolicyId, PolicySet,
    Request,
};

/// The guards of a list of policies, as one Cedar policy set.
pub(crate) struct Guards {
    /// Guard policies; the id of each is the index of its policy.
    set: PolicySet,
    /// Any request needs an action and a resource; guards read neither.
    action: EntityUid,
    resource: EntityUid,
}

impl Guards {
    /// Reads the guards of `policies`, which must be called on a thread with
    /// room for deep expressions (see [`crate::share::with_deep_stack`]).
    pub fn new(policies: &[&Policy], action: EntityUid, resource: EntityUid) -> Guards {
        let mut set = PolicySet::new();
        for (i, policy) in policies.iter().enumerate() {
            let Some(guard) = policy.to_json().ok().and_then(|json| guard_of(&json)) else {
                continue;
            };
            let text = json!({
                "effect": "permit",
                "principal": {"op": "All"},
                "action": {"op": "All"},
                "resource": {"op": "All"},
                "conditions": [{"kind": "when", "body": guard}],
            });
            if let Ok(guard) = Policy::from_json(Some(PolicyId::new(i.to_string())), text) {
                // Ids are distinct indices, so adding cannot fail; if it did,
                // the policy would simply have no guard.
                let _ = set.add(guard);
            }
        }
        Guards {
            set,
            action,
            resource,
        }
    }

    /// The indices of the policies whose guard is false for `system`.
    pub fn false_for(
        &self,
        authorizer: &Authorizer,
        entities: &Entities,
        system: &EntityUid,
    ) -> Vec<usize> {
        let Ok(request) = Request::new(
            system.clone(),
            self.action.clone(),
            self.resource.clone(),
            Context::empty(),
            None,
        ) else {
            return Vec::new();
        };
        let response = authorizer.is_authorized(&request, &self.set, entities);
        let true_or_failed: Vec<&PolicyId> = response
            .diagnostics()
            .reason()
            .chain(response.diagnostics().errors().map(|e| match e {
                AuthorizationError::PolicyEvaluationError(e) => e.policy_id(),
            }))
            .collect();
        self.set
            .policies()
            .map(Policy::id)
            .filter(|id| !true_or_failed.contains(id))
            .filter_map(|id| AsRef::<str>::as_ref(id).parse().ok())
            .collect()
    }
}

/// The leading conjuncts of the first `when` clause that read nothing but
/// `principal`, joined by `&&` as they were; `None` if there are none.
fn guard_of(policy: &Value) -> Option<Value> {
    let first = policy["conditions"].as_array()?.first()?;
    if first["kind"] != "when" {
        return None;
    }
    let mut conjuncts = Vec::new();
    flatten_and(&first["body"], &mut conjuncts);
    let leading: Vec<&Value> = conjuncts
        .into_iter()
        .take_while(|c| reads_only_principal(c))
        .collect();
    let mut guard = leading.first().map(|c| (*c).clone())?;
    for next in &leading[1..] {
        guard = json!({"&&": {"left": guard, "right": (*next).clone()}});
    }
    Some(guard)
}

/// `a && b && c` (nested to the left) as `[a, b, c]`.
fn flatten_and<'a>(node: &'a Value, into: &mut Vec<&'a Value>) {
    match node.get("&&") {
        Some(and) => {
            flatten_and(&and["left"], into);
            into.push(&and["right"]);
        }
        None => into.push(node),
    }
}

/// Whether an expression reads no variable but `principal` (and no slot).
fn reads_only_principal(node: &Value) -> bool {
    match node {
        Value::Object(map) => map.iter().all(|(key, value)| match key.as_str() {
            "Var" => value == "principal",
            "Slot" | "Unknown" => false,
            _ => reads_only_principal(value),
        }),
        Value::Array(items) => items.iter().all(reads_only_principal),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(text: &str) -> Option<String> {
        let policy: Policy = text.parse().unwrap();
        guard_of(&policy.to_json().unwrap()).map(|g| g.to_string())
    }

    #[test]
    fn the_guard_is_the_leading_run_of_principal_conditions() {
        let g = guard(
            r#"forbid (principal, action, resource) when {
                principal.country == "GB" && principal.tier >= 3 &&
                resource.audited && principal.critical };"#,
        )
        .unwrap();
        assert!(g.contains("country") && g.contains("tier"), "{g}");
        assert!(!g.contains("audited") && !g.contains("critical"), "{g}");
    }

    #[test]
    fn no_guard_when_the_first_condition_reads_more_or_is_an_unless() {
        assert!(guard(r#"forbid (principal, action, resource) when { resource.audited && principal.critical };"#).is_none());
        assert!(guard(
            r#"forbid (principal, action, resource) when { context.now > datetime("2020-01-01") };"#
        )
        .is_none());
        assert!(
            guard(r#"forbid (principal, action, resource) unless { principal.critical };"#)
                .is_none()
        );
        assert!(guard(r#"permit (principal, action, resource);"#).is_none());
    }
}
