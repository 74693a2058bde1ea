//! Guards: the parts of a policy that depend on the system, the instant or
//! the release alone.
//!
//! Most policies open with conditions on the system, then on the date, then
//! on the release: `principal.country == "GB" && context.now >=
//! datetime("2022-03-14") && resource.controlCountries.contains("RU")`. Cedar
//! evaluates a `when` clause left to right and stops at the first false
//! conjunct, so:
//!
//! - if the leading conjuncts that read only `principal` (the *system
//!   guard*) are false for a system, the policy is false for that system
//!   whatever else, and raises no error;
//! - if the system guard is true and the conjuncts after it that read only
//!   `context.now` (the *date guard*) are false at the instant (a rule not
//!   yet in force, or no longer), the policy is false for that system at
//!   that instant whatever the release, without error;
//! - if the system guard is true, the date guard is true, and the
//!   conjuncts after it that read only `resource` (the *release guard*) are
//!   false for a release, the policy is false for that system and release,
//!   without error.
//!
//! Such a policy can be left out of the request, exactly as a policy whose
//! scope cannot match is (see [`crate::engine::fast::slice`]). The other way
//! round, a policy whose whole condition is its guards (one `when` clause,
//! every conjunct in a guard) is satisfied, without error, when all three
//! hold: such a `forbid` or advice needs no evaluation at all, and a `forbid`
//! known to match decides Deny. Each guard is evaluated by
//! Cedar itself, as a `permit` whose condition is that run of conjuncts.
//! Date guards are judged together, once per instant. A system or release
//! guard is judged alone, once for each distinct thing it observes of a
//! class of systems or releases (see [`crate::engine::fast::share`]): it
//! reads a little of what the whole policies read (`principal.country ==
//! "GB"`), so thousands of classes show it a handful of values. A guard
//! that errors counts as neither true nor false, so its policy is kept.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use serde_json::{json, Value};

use cedar_policy::{
    AuthorizationError, Authorizer, Context, Entities, EntityUid, Policy, PolicyId, PolicySet,
    Request, RestrictedExpression,
};

use super::mask::Mask;
use super::share::{Observation, Reads};
use crate::cedar::mapping::{Mapping, Ref};
use crate::model::Instant;

/// One kind of guard for every policy that has one.
struct GuardSet {
    /// Date guards, judged together; the id of each is the index of its
    /// policy.
    set: PolicySet,
    /// Policies with no guard of this kind (the guard is empty, so true).
    empty: Vec<usize>,
    /// System and release guards, each judged alone.
    singles: Vec<Single>,
    /// For system and release guards, which variable they read: 0 for
    /// `principal`, 1 for `resource` (as [`Reads::from_json`] orders them).
    reads: Option<usize>,
}

/// One system or release guard, judged apart from the others. It reads
/// little of its variable (`principal.country == "GB"`), so many classes
/// look alike to it, and Cedar judges it once for all of them.
struct Single {
    policy: usize,
    /// The guard alone.
    set: PolicySet,
    /// How it reads its variable.
    reads: Reads,
}

/// How Cedar judged each system guard, or each release guard, by what it
/// observed, for one set of entities. Observations compare members of one
/// store only: a guard may read another entity (`Organisation::"o1".country`),
/// and `principal in ...` reads the parents the store holds, so judgements
/// are never carried from one epoch or inventory to another.
#[derive(Default)]
pub(crate) struct Judgements(Mutex<Vec<BTreeMap<Observation, Held>>>);

/// How Cedar judged one guard.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    True,
    False,
    Erred,
}

/// How Cedar judged one kind of guard for one request.
#[derive(Clone)]
pub(crate) struct Judged {
    /// Guards that are true, or empty.
    pub holds: Mask,
    /// Guards that are false, without error.
    pub fails: Mask,
}

pub(crate) struct Guards {
    len: usize,
    /// Policies whose whole condition is their three guards: one `when`
    /// clause, every conjunct of it in a guard (or no condition at all). When
    /// all three hold, such a policy is satisfied, without error.
    pub complete: Mask,
    /// Policies that read `principal` anywhere but in their system guard
    /// (or that could not be read). For any other, once its system guard
    /// holds for two systems, Cedar answers it alike for both.
    pub beyond_system: Mask,
    system: GuardSet,
    date: GuardSet,
    release: GuardSet,
    /// Any request needs all four parts; a guard reads only one.
    probe_system: EntityUid,
    probe_action: EntityUid,
    probe_release: EntityUid,
    dates: Mutex<HashMap<Instant, Judged>>,
}

impl Judged {
    /// Nothing known: nothing holds, nothing fails, so nothing is left out.
    pub fn nothing(policies: usize) -> Judged {
        Judged {
            holds: Mask::new(policies, |_| false),
            fails: Mask::new(policies, |_| false),
        }
    }
}

impl Guards {
    /// Reads the guards of policies in their JSON form (`None` where Cedar
    /// could not give it); call it on a thread with room for deep expressions
    /// (see [`crate::policy::with_deep_stack`]).
    pub fn from_json(
        policies: &[Option<Value>],
        probe_system: EntityUid,
        probe_action: EntityUid,
        probe_release: EntityUid,
    ) -> Guards {
        let mut system = GuardSet::new(Some(0));
        let mut date = GuardSet::new(None);
        let mut release = GuardSet::new(Some(1));
        let complete = Mask::new(policies.len(), |i| {
            policies[i].as_ref().is_some_and(is_all_guards)
        });
        let beyond_system = Mask::new(policies.len(), |i| {
            policies[i]
                .as_ref()
                .is_none_or(reads_principal_beyond_system_guard)
        });
        for (i, policy) in policies.iter().enumerate() {
            let runs = policy.as_ref().map(runs_of).unwrap_or_default();
            for (kind, run) in [&mut system, &mut date, &mut release].into_iter().zip(runs) {
                match run {
                    Some(guard) => kind.add(i, guard),
                    None => kind.empty.push(i),
                }
            }
        }
        Guards {
            len: policies.len(),
            complete,
            beyond_system,
            system,
            date,
            release,
            probe_system,
            probe_action,
            probe_release,
            dates: Mutex::new(HashMap::new()),
        }
    }

    /// The system guards, for one system (`principal`, among the entities),
    /// as judged before for the same entities where they observe the same.
    pub fn for_system(
        &self,
        (authorizer, entities, mapping): (&Authorizer, &Entities, &Mapping<'_>),
        system: (Ref, &EntityUid),
        judgements: &Judgements,
    ) -> Judged {
        let store = (authorizer, entities, mapping);
        self.judge_each(&self.system, store, system, judgements)
    }

    /// The release guards, for one release (`resource`, among the entities),
    /// as [`Guards::for_system`].
    pub fn for_release(
        &self,
        (authorizer, entities, mapping): (&Authorizer, &Entities, &Mapping<'_>),
        release: (Ref, &EntityUid),
        judgements: &Judgements,
    ) -> Judged {
        let store = (authorizer, entities, mapping);
        self.judge_each(&self.release, store, release, judgements)
    }

    /// Judges each guard of a kind for one member: as Cedar judged it for
    /// the first member that showed it the same, or by asking Cedar.
    fn judge_each(
        &self,
        guards: &GuardSet,
        (authorizer, entities, mapping): (&Authorizer, &Entities, &Mapping<'_>),
        (member, uid): (Ref, &EntityUid),
        judgements: &Judgements,
    ) -> Judged {
        let (mut held, mut failed) = (Vec::new(), Vec::new());
        let mut judgements = judgements.0.lock().unwrap_or_else(|e| e.into_inner());
        judgements.resize_with(guards.singles.len(), BTreeMap::new);
        for (single, judged) in guards.singles.iter().zip(judgements.iter_mut()) {
            let observed = single.reads.observe(mapping, member);
            let verdict = *judged.entry(observed).or_insert_with(|| {
                let (principal, resource) = match guards.reads {
                    Some(0) => (uid.clone(), self.probe_release.clone()),
                    _ => (self.probe_system.clone(), uid.clone()),
                };
                let Ok(request) = Request::new(
                    principal,
                    self.probe_action.clone(),
                    resource,
                    Context::empty(),
                    None,
                ) else {
                    return Held::Erred;
                };
                let response = authorizer.is_authorized(&request, &single.set, entities);
                if response.diagnostics().errors().next().is_some() {
                    Held::Erred
                } else if response.diagnostics().reason().next().is_some() {
                    Held::True
                } else {
                    Held::False
                }
            });
            match verdict {
                Held::True => held.push(single.policy),
                Held::False => failed.push(single.policy),
                Held::Erred => {}
            }
        }
        Judged {
            holds: Mask::new(self.len, |i| guards.empty.contains(&i) || held.contains(&i)),
            fails: Mask::new(self.len, |i| failed.contains(&i)),
        }
    }

    /// How the date guards are judged at `at`: those that hold, and those
    /// false without error. Remembered per instant.
    pub fn dates(&self, authorizer: &Authorizer, entities: &Entities, at: Instant) -> Judged {
        if let Some(judged) = self
            .dates
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&at)
        {
            return judged.clone();
        }
        let now = RestrictedExpression::new_datetime(at.to_cedar_string());
        let judged = match Context::from_pairs([("now".to_owned(), now)]) {
            Ok(context) => self.judge(
                &self.date,
                authorizer,
                entities,
                &self.probe_system,
                &self.probe_release,
                context,
            ),
            // Without a context nothing is known: no policy is left out.
            Err(_) => Judged::nothing(self.len),
        };
        let mut dates = self.dates.lock().unwrap_or_else(|e| e.into_inner());
        if dates.len() >= 1024 {
            dates.clear();
        }
        dates.insert(at, judged.clone());
        judged
    }

    fn judge(
        &self,
        guards: &GuardSet,
        authorizer: &Authorizer,
        entities: &Entities,
        principal: &EntityUid,
        resource: &EntityUid,
        context: Context,
    ) -> Judged {
        let nothing = || Judged {
            holds: Mask::new(self.len, |i| guards.empty.contains(&i)),
            fails: Mask::new(self.len, |_| false),
        };
        let Ok(request) = Request::new(
            principal.clone(),
            self.probe_action.clone(),
            resource.clone(),
            context,
            None,
        ) else {
            return nothing();
        };
        let response = authorizer.is_authorized(&request, &guards.set, entities);
        let index = |id: &PolicyId| AsRef::<str>::as_ref(id).parse::<usize>().ok();
        let held: Vec<usize> = response.diagnostics().reason().filter_map(index).collect();
        let failed_to_evaluate: Vec<usize> = response
            .diagnostics()
            .errors()
            .filter_map(|e| match e {
                AuthorizationError::PolicyEvaluationError(e) => index(e.policy_id()),
            })
            .collect();
        let guarded: Vec<usize> = guards
            .set
            .policies()
            .filter_map(|p| index(p.id()))
            .collect();
        Judged {
            holds: Mask::new(self.len, |i| guards.empty.contains(&i) || held.contains(&i)),
            fails: Mask::new(self.len, |i| {
                guarded.contains(&i) && !held.contains(&i) && !failed_to_evaluate.contains(&i)
            }),
        }
    }
}

/// Guards larger than this many JSON nodes are not built: real guards are a
/// few comparisons, and Cedar takes time to read a huge expression back.
const MAX_GUARD_NODES: usize = 512;

fn nodes(value: &Value) -> usize {
    1 + match value {
        Value::Object(map) => map.values().map(nodes).sum(),
        Value::Array(items) => items.iter().map(nodes).sum(),
        _ => 0,
    }
}

impl GuardSet {
    fn new(reads: Option<usize>) -> GuardSet {
        GuardSet {
            set: PolicySet::new(),
            empty: Vec::new(),
            singles: Vec::new(),
            reads,
        }
    }

    fn add(&mut self, index: usize, guard: Value) {
        if nodes(&guard) > MAX_GUARD_NODES {
            // Unbuilt: it never holds and never fails (see below).
            return;
        }
        let policy = json!({
            "effect": "permit",
            "principal": {"op": "All"},
            "action": {"op": "All"},
            "resource": {"op": "All"},
            "conditions": [{"kind": "when", "body": guard}],
        });
        // A guard Cedar does not take back is neither empty nor judged: it
        // never holds and never fails, so its policy is never left out.
        let Ok(built) = Policy::from_json(Some(PolicyId::new(index.to_string())), policy.clone())
        else {
            return;
        };
        let Some(var) = self.reads else {
            let _ = self.set.add(built);
            return;
        };
        let mut set = PolicySet::new();
        if set.add(built).is_ok() {
            let [principal, resource, _] = Reads::from_json(&[Some(policy)]);
            self.singles.push(Single {
                policy: index,
                set,
                reads: if var == 0 { principal } else { resource },
            });
        }
    }
}

/// The system, date and release guards of a policy (see the module docs):
/// consecutive runs of the first `when` clause's leading conjuncts, each
/// joined by `&&` as written; `None` for an empty run. A policy whose first
/// condition is not a `when` has no guards.
fn runs_of(policy: &Value) -> [Option<Value>; 3] {
    let none = [None, None, None];
    let Some(first) = policy["conditions"].as_array().and_then(|c| c.first()) else {
        return none;
    };
    if first["kind"] != "when" {
        return none;
    }
    let mut conjuncts = Vec::new();
    flatten_and(&first["body"], &mut conjuncts);
    let mut rest = conjuncts.as_slice();
    let mut take = |reads: fn(&Value) -> bool| {
        let n = rest.iter().take_while(|c| reads(c)).count();
        let (run, after) = rest.split_at(n);
        rest = after;
        join(run)
    };
    let system = take(|c| reads_only(c, "principal"));
    let date = take(reads_only_now);
    let release = take(|c| reads_only(c, "resource"));
    [system, date, release]
}

/// Whether a policy reads `principal` (or a slot, which may be it) other than
/// in its system guard: in a later conjunct of its first `when` clause, or
/// in any other clause.
fn reads_principal_beyond_system_guard(policy: &Value) -> bool {
    beyond_system_guard(policy)
        .as_ref()
        .is_none_or(|beyond| mentions_principal(&beyond["conditions"]))
}

/// The conditions of a policy after its system guard, as a policy of their
/// own (each conjunct after the guard a `when` clause, then the other
/// clauses), for [`super::share::Reads`] to read; `None` if the policy has no
/// conditions to read.
pub(crate) fn beyond_system_guard(policy: &Value) -> Option<Value> {
    let conditions = policy["conditions"].as_array()?.as_slice();
    let (after_guard, others): (Vec<&Value>, &[Value]) = match conditions {
        [first, others @ ..] if first["kind"] == "when" => {
            let mut conjuncts = Vec::new();
            flatten_and(&first["body"], &mut conjuncts);
            let guard = conjuncts
                .iter()
                .take_while(|c| reads_only(c, "principal"))
                .count();
            (conjuncts.split_off(guard), others)
        }
        all => (Vec::new(), all),
    };
    let clauses: Vec<Value> = after_guard
        .into_iter()
        .map(|body| json!({"kind": "when", "body": body}))
        .chain(others.iter().cloned())
        .collect();
    Some(json!({ "conditions": clauses }))
}

fn mentions_principal(node: &Value) -> bool {
    match node {
        Value::Object(map) => map.iter().any(|(key, value)| match key.as_str() {
            "Var" => value == "principal",
            "Slot" | "Unknown" => true,
            _ => mentions_principal(value),
        }),
        Value::Array(items) => items.iter().any(mentions_principal),
        _ => false,
    }
}

/// Whether a policy's condition is nothing but its guards (see
/// [`Guards::complete`]).
fn is_all_guards(policy: &Value) -> bool {
    let Some(conditions) = policy["conditions"].as_array() else {
        return false;
    };
    match conditions.as_slice() {
        [] => true,
        [only] if only["kind"] == "when" => {
            let mut conjuncts = Vec::new();
            flatten_and(&only["body"], &mut conjuncts);
            let mut rest = conjuncts.as_slice();
            for reads in [
                (|c: &Value| reads_only(c, "principal")) as fn(&Value) -> bool,
                reads_only_now,
                |c: &Value| reads_only(c, "resource"),
            ] {
                let n = rest.iter().take_while(|c| reads(c)).count();
                rest = &rest[n..];
            }
            // Guards too large to build never hold, so they cannot make a
            // policy known to match either.
            rest.is_empty()
        }
        _ => false,
    }
}

fn join(run: &[&Value]) -> Option<Value> {
    let (first, more) = run.split_first()?;
    Some(more.iter().fold(
        (*first).clone(),
        |left, right| json!({"&&": {"left": left, "right": (*right).clone()}}),
    ))
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

/// Whether an expression reads no variable but `var` (and no slot).
fn reads_only(node: &Value, var: &str) -> bool {
    match node {
        Value::Object(map) => map.iter().all(|(key, value)| match key.as_str() {
            "Var" => value == var,
            "Slot" | "Unknown" => false,
            _ => reads_only(value, var),
        }),
        Value::Array(items) => items.iter().all(|item| reads_only(item, var)),
        _ => true,
    }
}

/// Whether an expression reads nothing but `context.now`.
fn reads_only_now(node: &Value) -> bool {
    let is_now = |node: &Value| {
        node.get(".").is_some_and(|dot| {
            dot["left"].get("Var") == Some(&json!("context")) && dot["attr"] == "now"
        })
    };
    match node {
        _ if is_now(node) => true,
        Value::Object(map) => map.iter().all(|(key, value)| match key.as_str() {
            "Var" | "Slot" | "Unknown" => false,
            _ => reads_only_now(value),
        }),
        Value::Array(items) => items.iter().all(reads_only_now),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<Option<String>> {
        let policy: Policy = text.parse().unwrap();
        runs_of(&policy.to_json().unwrap())
            .map(|r| r.map(|v| v.to_string()))
            .to_vec()
    }

    #[test]
    fn the_guards_are_consecutive_runs_of_system_date_and_release_conditions() {
        let r = runs(
            r#"forbid (principal, action, resource) when {
                principal.country == "GB" && principal.tier >= 3 &&
                context.now >= datetime("2022-03-14") &&
                resource.audited && resource.major > 2 &&
                principal.critical };"#,
        );
        let [system, date, release] = [&r[0], &r[1], &r[2]].map(|r| r.clone().unwrap());
        assert!(
            system.contains("country") && system.contains("tier") && !system.contains("now"),
            "{system}"
        );
        assert!(date.contains("now") && !date.contains("tier"), "{date}");
        assert!(
            release.contains("audited") && release.contains("major"),
            "{release}"
        );
        assert!(!release.contains("critical"), "{release}");
    }

    #[test]
    fn principal_read_after_the_system_guard_or_in_another_clause_is_beyond_it() {
        let beyond = |text: &str| {
            let policy: Policy = text.parse().unwrap();
            reads_principal_beyond_system_guard(&policy.to_json().unwrap())
        };
        assert!(!beyond(
            r#"forbid (principal, action, resource) when {
                principal.country == "GB" && principal.tier >= 3 &&
                context.now >= datetime("2022-03-14") && resource.audited };"#
        ));
        assert!(!beyond("permit (principal, action, resource);"));
        assert!(beyond(
            r#"forbid (principal, action, resource) when {
                principal.country == "GB" && resource.audited && principal.critical };"#
        ));
        assert!(beyond(
            r#"forbid (principal, action, resource) when { resource.audited }
               unless { principal.critical };"#
        ));
        assert!(beyond(
            r#"forbid (principal, action, resource) when {
                resource.owner == principal.owner };"#
        ));
        assert!(beyond(
            r#"forbid (principal, action, resource) unless { principal.critical };"#
        ));
    }

    #[test]
    fn a_policy_is_all_guards_when_one_when_clause_splits_into_them_whole() {
        let all = |text: &str| {
            let policy: Policy = text.parse().unwrap();
            is_all_guards(&policy.to_json().unwrap())
        };
        assert!(all(r#"forbid (principal, action, resource);"#));
        assert!(all(
            r#"forbid (principal, action, resource) when { principal.critical && context.now >= datetime("2020-01-01") && resource.audited };"#
        ));
        assert!(all(
            r#"forbid (principal, action, resource) when { resource.audited };"#
        ));
        // A conjunct out of order, a second clause, or an `unless`: not all guards.
        assert!(!all(
            r#"forbid (principal, action, resource) when { resource.audited && principal.critical };"#
        ));
        assert!(!all(
            r#"forbid (principal, action, resource) when { principal.critical } when { resource.audited };"#
        ));
        assert!(!all(
            r#"forbid (principal, action, resource) when { principal.critical } unless { resource.audited };"#
        ));
        assert!(!all(
            r#"forbid (principal, action, resource) when { principal.tier > resource.major };"#
        ));
    }

    #[test]
    fn runs_stop_at_the_first_conjunct_of_another_kind() {
        let r = runs(
            r#"forbid (principal, action, resource) when { resource.audited && principal.critical };"#,
        );
        assert_eq!(r[0], None);
        assert_eq!(r[1], None);
        assert!(r[2].as_ref().unwrap().contains("audited"));
        let r = runs(
            r#"forbid (principal, action, resource) when { context.waivers.isEmpty() && resource.audited };"#,
        );
        assert_eq!(r, [None, None, None]);
        assert_eq!(
            runs(r#"forbid (principal, action, resource) unless { principal.critical };"#),
            [None, None, None]
        );
        assert_eq!(
            runs(r#"permit (principal, action, resource);"#),
            [None, None, None]
        );
    }
}
