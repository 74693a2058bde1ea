//! What the engine reads off a policy set, once per set.
//!
//! Which policies each action's scope admits, how the policies read
//! `principal`, `resource` and `context` (see [`super::share`]), and
//! their guards (see [`super::guard`]) depend on the policies alone. Working them
//! out means converting every policy to Cedar's JSON form and back, which
//! costs more than building a few hundred entities, so it is done the first
//! time an engine is built from a [`Policies`] and kept there: every later
//! engine built from the same set, or from a clone of it, reuses it.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use cedar_policy::EntityUid;

use super::guard::{self, Guards};
use super::mask::Mask;
use super::share::Reads;
use super::slice::Slicer;
use crate::cedar::entities::uid;
use crate::cedar::mapping::Kind;
use crate::model::Action;
use crate::policy::{with_deep_stack, Policies, Rule};

pub(crate) struct Analysis {
    pub slicer: Slicer,
    /// Each action's uid and the policies its scope admits, in `Action::ALL` order.
    pub actions: Vec<(EntityUid, Mask)>,
    /// How the policies read `principal`, `resource` and `context`, in that order.
    pub reads: [Reads; 3],
    /// How the policies read `principal` after their system guards (see
    /// [`Guards::beyond_system`]).
    pub beyond_system_guards: Reads,
    /// `None` if the policies could not be read (no thread with a deep
    /// enough stack): nothing is then left out of any request.
    pub guards: Option<Guards>,
    /// The systems and releases the policies name as literals
    /// (`Release::"r4"`): Cedar must hold them whatever their class. `None`
    /// if the policies could not be read: then it must hold them all.
    pub named: Option<Vec<(Kind, String)>>,
    /// The policies that read `context.waivers`: a request whose slice has
    /// none of them answers the same whatever is waived.
    pub reads_waivers: Mask,
    /// The binding `forbid`s, and the advice.
    pub forbids: Mask,
    pub advice: Mask,
    /// Each policy's rule, by its index in masks.
    pub rules: Vec<Option<Arc<Rule>>>,
    /// Copies of `slicer` for threads 1, 2, ... of bulk questions, made on
    /// first use.
    replicas: Mutex<Vec<Arc<Slicer>>>,
}

impl Analysis {
    pub fn new(policies: &Policies) -> Analysis {
        let slicer = Slicer::new(policies);
        let actions = Action::ALL
            .iter()
            .map(|a| {
                let uid = uid("Action", a.as_str());
                let mask = slicer.for_action(&uid);
                (uid, mask)
            })
            .collect();
        // One reading of every policy serves both the sharing and the guards.
        let probe = |kind| uid(kind, "__clearance_guard_probe__");
        let (probe_system, probe_action, probe_release) =
            (probe("System"), uid("Action", "operate"), probe("Release"));
        // Read once for the policies' mentions, and handed over here.
        let mut forms = policies.take_forms().unwrap_or_default();
        let read = with_deep_stack(|| {
            let jsons: Vec<Option<serde_json::Value>> = slicer
                .policies()
                .map(|p| match forms.remove(AsRef::<str>::as_ref(p.id())) {
                    Some(json) => json,
                    None => p.to_json().ok(),
                })
                .collect();
            let reads = Reads::from_json(&jsons);
            let beyond: Vec<Option<serde_json::Value>> = jsons
                .iter()
                .map(|json| json.as_ref().and_then(guard::beyond_system_guard))
                .collect();
            let [beyond, _, _] = Reads::from_json(&beyond);
            let guards = Guards::from_json(&jsons, probe_system, probe_action, probe_release);
            let named = match jsons.iter().map(Option::as_ref).collect::<Option<Vec<_>>>() {
                Some(jsons) => {
                    let mut named = BTreeSet::new();
                    jsons
                        .iter()
                        .for_each(|json| members_named(json, &mut named));
                    Some(named.into_iter().collect())
                }
                None => None,
            };
            (reads, beyond, guards, named)
        });
        let (reads, beyond_system_guards, guards, named) = match read {
            Some((reads, beyond, guards, named)) => (reads, beyond, Some(guards), named),
            // No thread: share nothing and leave nothing out.
            None => {
                let [beyond, _, _] = Reads::worst();
                (Reads::worst(), beyond, None, None)
            }
        };
        let mentions = policies.mentions();
        let reads_waivers = {
            let ids: Vec<&str> = slicer
                .policies()
                .map(|p| AsRef::<str>::as_ref(p.id()))
                .collect();
            Mask::new(ids.len(), |i| {
                mentions
                    .get(ids[i])
                    .is_none_or(|m| m.waivers_read_otherwise || !m.waiver_keys.is_empty())
            })
        };
        let (forbids, advice) = slicer.forbids_and_advice();
        let rules = slicer
            .policies()
            .map(|p| policies.shared_rule(p.id()).cloned())
            .collect();
        Analysis {
            reads_waivers,
            forbids,
            advice,
            rules,
            slicer,
            actions,
            reads,
            beyond_system_guards,
            guards,
            named,
            replicas: Mutex::new(Vec::new()),
        }
    }

    /// The slicer for thread `thread` (from 0) of a bulk question: its own
    /// copy of the policies, so that threads evaluating them at once do not
    /// contend (see [`Slicer::replica`]). `None` for thread 0, which uses
    /// [`Analysis::slicer`].
    pub fn replica(&self, thread: usize) -> Option<Arc<Slicer>> {
        let index = thread.checked_sub(1)?;
        let mut replicas = self.replicas.lock().unwrap_or_else(|e| e.into_inner());
        while replicas.len() <= index {
            replicas.push(Arc::new(self.slicer.replica()));
        }
        replicas.get(index).cloned()
    }
}

/// Every system and release a policy's JSON form names as an entity
/// literal (`{"__entity": {"type": "Release", "id": "r4"}}`).
fn members_named(json: &serde_json::Value, into: &mut BTreeSet<(Kind, String)>) {
    match json {
        serde_json::Value::Object(map) => {
            let literal = map.get("__entity").and_then(|entity| {
                let kind = Kind::named(entity.get("type")?.as_str()?)?;
                let id = entity.get("id")?.as_str()?;
                matches!(kind, Kind::System | Kind::Release).then(|| (kind, id.to_owned()))
            });
            match literal {
                Some(named) => {
                    into.insert(named);
                }
                None => map.values().for_each(|value| members_named(value, into)),
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| members_named(item, into)),
        _ => {}
    }
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("policies", &self.slicer.len())
            .finish_non_exhaustive()
    }
}
