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
    ActionConstraint, EntityUid, Policy, PolicyId, PolicySet, PrincipalConstraint,
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
    /// Each policy's principal and resource scopes: Cedar hands them out as
    /// copies, too dear to ask for once per system and release.
    scopes: Vec<[Scope; 2]>,
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
        let listed: Vec<(Policy, Kind)> = binding.chain(advice).collect();
        Slicer {
            scopes: listed.iter().map(|(p, _)| Scope::of(p)).collect(),
            policies: listed,
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
            scopes: self.scopes.clone(),
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

    /// The mask for a principal (a system), from its name and ancestors.
    pub fn for_principal(&self, entity: Named<'_>, ancestors: &[Named<'_>]) -> Mask {
        self.for_entity(0, entity, ancestors)
    }

    /// The mask for a resource (a release), from its name and ancestors.
    pub fn for_resource(&self, entity: Named<'_>, ancestors: &[Named<'_>]) -> Mask {
        self.for_entity(1, entity, ancestors)
    }

    fn for_entity(&self, side: usize, entity: Named<'_>, ancestors: &[Named<'_>]) -> Mask {
        let within = |group: &Owned| group.is(entity) || ancestors.iter().any(|a| group.is(*a));
        Mask::new(self.scopes.len(), |i| match &self.scopes[i][side] {
            Scope::Any => true,
            Scope::Eq(e) => e.is(entity),
            Scope::In(group) => within(group),
            Scope::Is(kind) => kind == entity.kind,
            Scope::IsIn(kind, group) => kind == entity.kind && within(group),
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
/// An entity by the name of its type and its id, as the inventory holds
/// them: scopes are compared with these, without building Cedar's uids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Named<'a> {
    pub kind: &'a str,
    pub id: &'a str,
}

/// An entity a scope names.
#[derive(Clone)]
struct Owned {
    kind: String,
    id: String,
}

impl Owned {
    fn of(uid: &EntityUid) -> Owned {
        Owned {
            kind: uid.type_name().to_string(),
            id: uid.id().unescaped().to_owned(),
        }
    }

    fn is(&self, entity: Named<'_>) -> bool {
        self.id == entity.id && self.kind == entity.kind
    }
}

/// A policy's scope of `principal` or of `resource`, read once.
#[derive(Clone)]
enum Scope {
    Any,
    Eq(Owned),
    In(Owned),
    Is(String),
    IsIn(String, Owned),
}

impl Scope {
    /// A policy's principal and resource scopes.
    fn of(policy: &Policy) -> [Scope; 2] {
        let principal = match policy.principal_constraint() {
            PrincipalConstraint::Any => Scope::Any,
            PrincipalConstraint::Eq(e) => Scope::Eq(Owned::of(&e)),
            PrincipalConstraint::In(group) => Scope::In(Owned::of(&group)),
            PrincipalConstraint::Is(kind) => Scope::Is(kind.to_string()),
            PrincipalConstraint::IsIn(kind, group) => {
                Scope::IsIn(kind.to_string(), Owned::of(&group))
            }
        };
        let resource = match policy.resource_constraint() {
            ResourceConstraint::Any => Scope::Any,
            ResourceConstraint::Eq(e) => Scope::Eq(Owned::of(&e)),
            ResourceConstraint::In(group) => Scope::In(Owned::of(&group)),
            ResourceConstraint::Is(kind) => Scope::Is(kind.to_string()),
            ResourceConstraint::IsIn(kind, group) => {
                Scope::IsIn(kind.to_string(), Owned::of(&group))
            }
        };
        [principal, resource]
    }
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
