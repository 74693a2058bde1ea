//! Slicing the policy set: each request evaluates only the policies whose
//! scope can match it.
//!
//! Cedar checks a policy's scope (`principal in ...`, `action == ...`,
//! `resource in ...`) before its conditions, so a policy whose scope does not
//! match a request is neither satisfied nor able to fail: leaving it out
//! changes no decision, reason or error. Which policies' scopes match depends
//! on the action, the system and the release separately, so each is reduced
//! to a bit mask once, and a request's slice is the intersection of three.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use cedar_policy::{
    ActionConstraint, EntityTypeName, EntityUid, Policy, PolicyId, PolicySet, PrincipalConstraint,
    ResourceConstraint,
};

use super::mask::Mask;
use crate::policy::Policies;

/// The policies of one slice, split as [`Policies`] splits them.
pub(crate) struct Slice {
    /// `None` when no binding policy is in scope: nothing permits, so Deny.
    pub binding: Option<PolicySet>,
    /// `None` when no advice is in scope.
    pub advice: Option<PolicySet>,
    /// When the slice is nothing but permits without conditions (the
    /// baseline, typically) and no advice, Cedar's answer is known without
    /// asking: Allow, because of these.
    pub allowed_by: Option<Vec<PolicyId>>,
    /// Whether the binding policies are all permits without conditions: they
    /// can neither fail nor forbid, so a Deny known otherwise needs no
    /// question of them.
    pub binding_plain_permits: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Binding,
    Advice,
}

pub(crate) struct Slicer {
    policies: Vec<(Policy, Kind)>,
    /// The whole sets, used if a slice cannot be built: never fewer policies.
    whole: Arc<Slice>,
    built: RwLock<HashMap<Mask, Arc<Slice>>>,
}

impl Slicer {
    pub fn new(policies: &Policies) -> Slicer {
        let binding = policies
            .binding()
            .policies()
            .map(|p| (p.clone(), Kind::Binding));
        let advice = policies
            .advice()
            .policies()
            .map(|p| (p.clone(), Kind::Advice));
        Slicer {
            policies: binding.chain(advice).collect(),
            whole: Arc::new(Slice {
                binding: Some(policies.binding().clone()),
                advice: Some(policies.advice().clone()),
                allowed_by: None,
                binding_plain_permits: false,
            }),
            built: RwLock::new(HashMap::new()),
        }
    }

    /// A slicer over copies of these policies that share no memory with
    /// them, for another thread. Evaluating a policy updates reference counts
    /// inside it (Cedar clones the values it reads, entity literals among
    /// them), and two threads updating the same counts slow each other down.
    /// Each copy is parsed again from its text; one that does not parse again
    /// (none should) is shared, which is slower but exact.
    pub fn replica(&self) -> Slicer {
        let copy = |policy: &Policy| copy_of(policy).unwrap_or_else(|| policy.clone());
        let policies: Vec<(Policy, Kind)> = self
            .policies
            .iter()
            .map(|(p, kind)| (copy(p), *kind))
            .collect();
        let set_of = |kind: Kind| {
            let mut set = PolicySet::new();
            for (policy, _) in policies.iter().filter(|(_, k)| *k == kind) {
                set.add(policy.clone()).ok()?;
            }
            Some(set)
        };
        let whole = match (set_of(Kind::Binding), set_of(Kind::Advice)) {
            (Some(binding), Some(advice)) => Arc::new(Slice {
                binding: Some(binding),
                advice: Some(advice),
                allowed_by: None,
                binding_plain_permits: false,
            }),
            _ => Arc::clone(&self.whole),
        };
        Slicer {
            policies,
            whole,
            built: RwLock::new(HashMap::new()),
        }
    }

    /// How many policies masks index.
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// The policies that are binding `forbid`s, and those that are advice.
    pub fn forbids_and_advice(&self) -> (Mask, Mask) {
        let forbid = |i: usize| {
            let (policy, kind) = &self.policies[i];
            *kind == Kind::Binding && policy.effect() == cedar_policy::Effect::Forbid
        };
        let advice = |i: usize| self.policies[i].1 == Kind::Advice;
        (
            Mask::new(self.policies.len(), forbid),
            Mask::new(self.policies.len(), advice),
        )
    }

    /// Every policy, binding then advice, in the order masks index them.
    pub fn policies(&self) -> impl Iterator<Item = &Policy> {
        self.policies.iter().map(|(policy, _)| policy)
    }

    pub fn for_action(&self, action: &EntityUid) -> Mask {
        Mask::new(self.policies.len(), |i| {
            match self.policies[i].0.action_constraint() {
                ActionConstraint::Any => true,
                ActionConstraint::Eq(a) => &a == action,
                ActionConstraint::In(actions) => actions.contains(action),
            }
        })
    }

    /// The mask for a principal (a system), from its uid and ancestors.
    pub fn for_principal(&self, uid: &EntityUid, ancestors: &[EntityUid]) -> Mask {
        self.for_entity(uid, ancestors, |p| match p.principal_constraint() {
            PrincipalConstraint::Any => Scope::Any,
            PrincipalConstraint::Eq(e) => Scope::Eq(e),
            PrincipalConstraint::In(group) => Scope::In(group),
            PrincipalConstraint::Is(kind) => Scope::Is(kind),
            PrincipalConstraint::IsIn(kind, group) => Scope::IsIn(kind, group),
        })
    }

    /// The mask for a resource (a release), from its uid and ancestors.
    pub fn for_resource(&self, uid: &EntityUid, ancestors: &[EntityUid]) -> Mask {
        self.for_entity(uid, ancestors, |p| match p.resource_constraint() {
            ResourceConstraint::Any => Scope::Any,
            ResourceConstraint::Eq(e) => Scope::Eq(e),
            ResourceConstraint::In(group) => Scope::In(group),
            ResourceConstraint::Is(kind) => Scope::Is(kind),
            ResourceConstraint::IsIn(kind, group) => Scope::IsIn(kind, group),
        })
    }

    fn for_entity(
        &self,
        uid: &EntityUid,
        ancestors: &[EntityUid],
        scope: impl Fn(&Policy) -> Scope,
    ) -> Mask {
        let within = |group: &EntityUid| group == uid || ancestors.contains(group);
        Mask::new(self.policies.len(), |i| match scope(&self.policies[i].0) {
            Scope::Any => true,
            Scope::Eq(e) => &e == uid,
            Scope::In(group) => within(&group),
            Scope::Is(kind) => &kind == uid.type_name(),
            Scope::IsIn(kind, group) => &kind == uid.type_name() && within(&group),
        })
    }

    /// The policy sets of a slice, built once per distinct mask.
    pub fn slice(&self, mask: &Mask) -> Arc<Slice> {
        if let Some(slice) = self
            .built
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(mask)
        {
            return Arc::clone(slice);
        }
        let mut binding = PolicySet::new();
        let mut advice = PolicySet::new();
        let (mut any_binding, mut any_advice) = (false, false);
        for (i, (policy, kind)) in self.policies.iter().enumerate() {
            if !mask.contains(i) {
                continue;
            }
            let added = match kind {
                Kind::Binding => {
                    any_binding = true;
                    binding.add(policy.clone())
                }
                Kind::Advice => {
                    any_advice = true;
                    advice.add(policy.clone())
                }
            };
            // Ids are unique in the whole set, so this cannot fail; if it did,
            // evaluating every policy is still exact, where a short slice is not.
            if added.is_err() {
                return Arc::clone(&self.whole);
            }
        }
        let unconditional_permits_only = binding
            .policies()
            .all(|p| p.effect() == cedar_policy::Effect::Permit && !p.has_non_scope_constraint());
        let allowed_by = (any_binding && !any_advice && unconditional_permits_only)
            .then(|| binding.policies().map(|p| p.id().clone()).collect());
        let slice = Arc::new(Slice {
            binding: any_binding.then_some(binding),
            advice: any_advice.then_some(advice),
            allowed_by,
            binding_plain_permits: unconditional_permits_only,
        });
        self.built
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(mask.clone(), Arc::clone(&slice));
        slice
    }
}

/// The policy parsed again from its text, under a copy of its id: equal to
/// it, sharing nothing with it.
fn copy_of(policy: &Policy) -> Option<Policy> {
    let id = PolicyId::new(AsRef::<str>::as_ref(policy.id()));
    Policy::parse(Some(id), policy.to_string()).ok()
}

/// A principal or resource scope constraint; Cedar has one type for each.
enum Scope {
    Any,
    Eq(EntityUid),
    In(EntityUid),
    Is(EntityTypeName),
    IsIn(EntityTypeName, EntityUid),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_are_the_same_policies_parsed_again() {
        let mut policies = Policies::all_packs().unwrap();
        policies
            .add_text(
                "odd.cedar",
                r#"// a comment first
                @id("odd/one")   @reason("spacing, a comment and \"quotes\"") @advice
                forbid (principal in Organisation::"o", action in [Action::"deploy", Action::"operate"], resource is Release)
                when { if resource.audited then context.now < datetime("2030-01-01") else true }
                unless { principal.purposes.containsAny(["research"]) };"#,
            )
            .unwrap();
        let slicer = Slicer::new(&policies);
        let replica = slicer.replica();
        assert_eq!(replica.len(), slicer.len());
        for ((original, kind), (copy, copy_kind)) in slicer.policies.iter().zip(&replica.policies) {
            assert!(
                copy_of(original).is_some(),
                "{} does not parse again",
                original.id()
            );
            assert_eq!(copy.id(), original.id());
            assert!(kind == copy_kind);
            assert_eq!(copy.to_json().unwrap(), original.to_json().unwrap());
        }
    }
}
