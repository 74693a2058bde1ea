//! Evaluating requests: one [`Batch`] per instant (and per thread).
//!
//! A batch remembers what it has built for its instant, so a sweep or a
//! matrix builds each Cedar context once, and evaluates each (system, action,
//! release class, context) once. Nothing here changes what Cedar decides:
//! slicing drops only policies whose scope cannot match, sharing reuses an
//! answer only between releases no policy can tell apart, and an answer with
//! errors is never shared.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use cedar_policy::{Context, PolicySet, Request, Response, RestrictedExpression};

use crate::action::Action;
use crate::decision::{Asked, Chain, Decision, Verdict};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::model::Assurance;
use crate::policy::{Effect, Rule};
use crate::slice::Mask;
use crate::time::Instant;

/// What Cedar said about one request, before it is dressed as a [`Decision`].
struct Outcome {
    verdict: Verdict,
    deciding: Arc<[Arc<Rule>]>,
    advice: Arc<[Arc<Rule>]>,
    /// Rules that matched only because no waiver was in the context.
    lifted: Vec<String>,
    errors: Vec<String>,
}

/// Interns values so that keys are small numbers.
struct Interned<T> {
    ids: HashMap<T, usize>,
    values: Vec<T>,
}

impl<T: std::hash::Hash + Eq + Clone> Interned<T> {
    fn new() -> Self {
        Interned {
            ids: HashMap::new(),
            values: Vec::new(),
        }
    }

    fn id(&mut self, value: T) -> usize {
        if let Some(&id) = self.ids.get(&value) {
            return id;
        }
        self.values.push(value.clone());
        self.ids.insert(value, self.values.len() - 1);
        self.values.len() - 1
    }
}

pub(crate) struct Batch<'e> {
    engine: &'e Engine,
    at: Instant,
    /// The policies whose date guard holds at `at`, found on first use.
    dates_hold: Option<Mask>,
    /// Cedar's `datetime` value of `at`, built on first use.
    now: Option<RestrictedExpression>,
    assurance: Interned<BTreeSet<Assurance>>,
    assurance_of_release: Vec<Option<usize>>,
    /// The rule ids waived for a request, and what policies can see of them.
    waived: Interned<BTreeSet<String>>,
    waived_seen: Interned<Seen>,
    seen_of_waived: Vec<usize>,
    contexts: HashMap<(usize, usize), Context>,
    /// Outcomes without errors, by (system class, action, release class,
    /// assurance, what is seen of the waivers).
    shared: HashMap<(usize, Action, usize, usize, usize), Arc<Outcome>>,
}

impl<'e> Batch<'e> {
    pub fn new(engine: &'e Engine, at: Instant) -> Batch<'e> {
        let mut waived = Interned::new();
        waived.id(BTreeSet::new());
        let mut waived_seen = Interned::new();
        waived_seen.id(seen_of(engine, &BTreeSet::new()));
        Batch {
            engine,
            at,
            now: None,
            dates_hold: None,
            assurance: Interned::new(),
            assurance_of_release: vec![None; engine.inventory.releases.len()],
            waived,
            waived_seen,
            seen_of_waived: vec![0],
            contexts: HashMap::new(),
            shared: HashMap::new(),
        }
    }

    /// The waivers in force for a request, the id of the rules they lift, and
    /// the id of what the policies can see of those rules.
    fn waivers(
        &mut self,
        system: usize,
        action: Action,
        release: usize,
    ) -> (Vec<usize>, usize, usize) {
        let engine = self.engine;
        if engine.inventory.waivers.is_empty() {
            return (Vec::new(), 0, 0);
        }
        let waivers = engine
            .facts
            .waivers_for(&engine.inventory, system, action, release, self.at);
        if waivers.is_empty() {
            return (waivers, 0, 0);
        }
        let rules: BTreeSet<String> = waivers
            .iter()
            .flat_map(|&w| engine.inventory.waivers[w].rules.iter().cloned())
            .collect();
        let id = self.waived.id(rules);
        if id == self.seen_of_waived.len() {
            let seen = seen_of(engine, &self.waived.values[id]);
            let seen_id = self.waived_seen.id(seen);
            self.seen_of_waived.push(seen_id);
        }
        (waivers, id, self.seen_of_waived[id])
    }

    fn assurance_id(&mut self, release: usize) -> usize {
        if let Some(id) = self.assurance_of_release[release] {
            return id;
        }
        let id = self
            .assurance
            .id(self.engine.facts.assurance_at(release, self.at));
        self.assurance_of_release[release] = Some(id);
        id
    }

    fn context(&mut self, assurance: usize, waived: usize) -> Result<Context> {
        if let Some(context) = self.contexts.get(&(assurance, waived)) {
            return Ok(context.clone());
        }
        let key = (
            self.at,
            self.assurance.values[assurance].clone(),
            self.waived.values[waived].clone(),
        );
        let context = match self.engine.contexts.get(&key) {
            Some(context) => context,
            None => {
                let at = self.at;
                let now = self
                    .now
                    .get_or_insert_with(|| RestrictedExpression::new_datetime(at.to_cedar_string()))
                    .clone();
                let context = build_context(now, &key.1, &key.2)?;
                self.engine.contexts.put(key, context.clone());
                context
            }
        };
        self.contexts.insert((assurance, waived), context.clone());
        Ok(context)
    }

    fn cedar_request(
        &self,
        system: usize,
        action: Action,
        release: usize,
        context: Context,
    ) -> Result<Request> {
        let engine = self.engine;
        Request::new(
            engine.system_uids[system].clone(),
            engine.action_masks[action_index(action)].0.clone(),
            engine.release_uids[release].clone(),
            context,
            None,
        )
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("building the Cedar request: {e}"),
            )
        })
    }

    /// The request as [`Engine::request`] describes it.
    pub fn request(&mut self, system: usize, action: Action, release: usize) -> Result<Request> {
        let (_, waived, _) = self.waivers(system, action, release);
        let assurance = self.assurance_id(release);
        let context = self.context(assurance, waived)?;
        self.cedar_request(system, action, release, context)
    }

    pub fn decide(&mut self, system: usize, action: Action, release: usize) -> Decision {
        let engine = self.engine;
        let (waivers, waived, seen) = self.waivers(system, action, release);
        let assurance = self.assurance_id(release);
        let key = (
            engine.system_classes[system],
            action,
            engine.release_classes[release],
            assurance,
            seen,
        );
        let outcome = match self.shared.get(&key) {
            Some(outcome) => Arc::clone(outcome),
            None => {
                // Only a waiver whose rule some policy tests can lift anything.
                let liftable = match &self.waived_seen.values[seen] {
                    Seen::Tests(tests) => tests.contains(&true),
                    Seen::Whole(_) => waived != 0,
                };
                let outcome =
                    Arc::new(self.evaluate(system, action, release, assurance, waived, liftable));
                if outcome.errors.is_empty() {
                    self.shared.insert(key, Arc::clone(&outcome));
                }
                outcome
            }
        };

        let used_waivers = if outcome.lifted.is_empty() {
            Vec::new()
        } else {
            waivers
                .iter()
                .map(|&w| &engine.inventory.waivers[w])
                .filter(|w| w.rules.iter().any(|rule| outcome.lifted.contains(rule)))
                .map(|w| w.id.clone())
                .collect()
        };
        let explained = outcome.verdict == Verdict::Deny && !outcome.deciding.is_empty()
            || !outcome.advice.is_empty();
        let chains: Arc<[Chain]> = if explained {
            engine.facts.chains(&engine.inventory, release)
        } else {
            Arc::from([])
        };
        let asked = Asked {
            system: engine.inventory.systems[system].id.clone(),
            action,
            release: engine.inventory.releases[release].id.clone(),
            at: self.at,
        };
        Decision::new(
            asked,
            outcome.verdict,
            Arc::clone(&outcome.deciding),
            Arc::clone(&outcome.advice),
            used_waivers,
            outcome.errors.clone(),
            chains,
        )
    }

    fn evaluate(
        &mut self,
        system: usize,
        action: Action,
        release: usize,
        assurance: usize,
        waived: usize,
        liftable: bool,
    ) -> Outcome {
        let engine = self.engine;
        let mut mask = engine.action_masks[action_index(action)]
            .1
            .and(&engine.system_masks[system])
            .and(&engine.release_masks[release]);
        if let Some(guards) = &engine.guards {
            let dates = self.dates_hold.get_or_insert_with(|| {
                guards.dates_hold(&engine.authorizer, &engine.entities, self.at)
            });
            // The system and date guards hold and the release guard fails:
            // the policy is false for this request, without error.
            let false_here = engine.system_holds[system]
                .and(dates)
                .and(&engine.release_fails[release]);
            mask = mask.and_not(&false_here);
        }
        let slice = engine.slicer.slice(&mask);

        let mut errors = Vec::new();
        let mut ask = |batch: &mut Self, policies: &PolicySet, waived: usize| -> Option<Response> {
            let request = batch
                .context(assurance, waived)
                .and_then(|context| batch.cedar_request(system, action, release, context))
                .map_err(|e| errors.push(e.to_string()))
                .ok()?;
            Some(
                engine
                    .authorizer
                    .is_authorized(&request, policies, &engine.entities),
            )
        };

        if let Some(permits) = &slice.allowed_by {
            let mut deciding: Vec<Arc<Rule>> = permits
                .iter()
                .filter_map(|id| engine.policies.shared_rule(id).cloned())
                .collect();
            deciding.sort_by(|a, b| a.id().cmp(b.id()));
            return Outcome {
                verdict: Verdict::Allow,
                deciding: deciding.into(),
                advice: Arc::from([]),
                lifted: Vec::new(),
                errors: Vec::new(),
            };
        }
        let binding = slice.binding.as_ref().map(|set| ask(self, set, waived));
        let advice = slice.advice.as_ref().map(|set| ask(self, set, waived));
        // A waiver counts as used only if its rule would have matched without it.
        let unwaived = match &slice.binding {
            Some(set) if liftable => ask(self, set, 0),
            _ => None,
        };

        let (verdict, deciding) = match binding {
            // No binding policy in scope: nothing permits it.
            None => (Verdict::Deny, Vec::new()),
            // The request could not be built.
            Some(None) => (Verdict::Deny, Vec::new()),
            Some(Some(response)) => {
                errors.extend(response.diagnostics().errors().map(|e| e.to_string()));
                let allowed = response.decision() == cedar_policy::Decision::Allow;
                (
                    if allowed {
                        Verdict::Allow
                    } else {
                        Verdict::Deny
                    },
                    self.rules_of(&response),
                )
            }
        };
        let advice = match advice.flatten() {
            Some(response) => {
                errors.extend(response.diagnostics().errors().map(|e| e.to_string()));
                self.rules_of(&response)
            }
            None => Vec::new(),
        };
        let lifted = match unwaived {
            Some(response) => response
                .diagnostics()
                .reason()
                .map(|id| AsRef::<str>::as_ref(id).to_owned())
                .filter(|id| !deciding.iter().any(|r| r.id() == id))
                .collect(),
            None => Vec::new(),
        };

        // Fail closed: Cedar skips a policy that errors, which could drop a forbid.
        let verdict = if errors.is_empty() {
            verdict
        } else {
            Verdict::Deny
        };
        let deciding: Vec<Arc<Rule>> = if verdict == Verdict::Deny {
            deciding
                .into_iter()
                .filter(|r| r.effect() != Effect::Permit)
                .collect()
        } else {
            deciding
        };
        Outcome {
            verdict,
            deciding: deciding.into(),
            advice: advice.into(),
            lifted,
            errors,
        }
    }

    fn rules_of(&self, response: &Response) -> Vec<Arc<Rule>> {
        let mut rules: Vec<Arc<Rule>> = response
            .diagnostics()
            .reason()
            .filter_map(|id| self.engine.policies.shared_rule(id).cloned())
            .collect();
        rules.sort_by(|a, b| a.id().cmp(b.id()));
        rules
    }
}

fn build_context(
    now: RestrictedExpression,
    assurance: &BTreeSet<Assurance>,
    waived: &BTreeSet<String>,
) -> Result<Context> {
    let strings = |items: Vec<String>| {
        RestrictedExpression::new_set(items.into_iter().map(RestrictedExpression::new_string))
    };
    Context::from_pairs([
        ("now".to_owned(), now),
        (
            "waivers".to_owned(),
            strings(waived.iter().cloned().collect()),
        ),
        (
            "assurance".to_owned(),
            strings(assurance.iter().map(|a| a.to_string()).collect()),
        ),
    ])
    .map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("building the Cedar context: {e}"),
        )
    })
}

type ContextKey = (Instant, BTreeSet<Assurance>, BTreeSet<String>);

/// Contexts an engine has built, shared by every batch, so that single
/// questions about the same instant do not rebuild them. Bounded: when full
/// it starts again, as a sweep at a new instant would anyway.
#[derive(Default)]
pub(crate) struct ContextCache {
    built: std::sync::Mutex<HashMap<ContextKey, Context>>,
}

impl ContextCache {
    const CAPACITY: usize = 4096;

    fn get(&self, key: &ContextKey) -> Option<Context> {
        self.built
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    fn put(&self, key: ContextKey, context: Context) {
        let mut built = self.built.lock().unwrap_or_else(|e| e.into_inner());
        if built.len() >= Self::CAPACITY {
            built.clear();
        }
        built.insert(key, context);
    }
}

/// What the policies can see of a set of waived rule ids: which of the ids
/// they test, or, if some policy reads the set another way, the set itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seen {
    Tests(Vec<bool>),
    Whole(BTreeSet<String>),
}

fn seen_of(engine: &Engine, waived: &BTreeSet<String>) -> Seen {
    match engine.context_reads.tests_of(&["waivers"], waived) {
        Some(tests) => Seen::Tests(tests),
        None => Seen::Whole(waived.clone()),
    }
}

fn action_index(action: Action) -> usize {
    Action::ALL.iter().position(|a| *a == action).unwrap_or(0)
}
