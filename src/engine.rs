//! The engine: a loaded inventory and policy set, answering questions.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use cedar_policy::{
    Authorizer, Context, Entities, EntityUid, PolicySet, Request, Response, RestrictedExpression,
};

use crate::action::Action;
use crate::decision::{Asked, Chain, Decision, Verdict};
use crate::entities::{build, uid};
use crate::error::{Error, ErrorKind, Result};
use crate::facts::Facts;
use crate::model::{Assurance, Deployment, Id, Inventory};
use crate::policy::{Effect, Policies, Rule};
use crate::time::Instant;

/// A question: may `system` `action` `release`, as of `at`?
///
/// ```
/// use clearance::{Action, Query};
///
/// let query = Query::new("mod-secret-network", Action::Deploy, "kes-12")
///     .at("2018-01-10".parse()?);
/// assert_eq!(query.release, "kes-12");
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The id of the system.
    pub system: String,
    /// What it would do.
    pub action: Action,
    /// The id of the release.
    pub release: String,
    /// The instant asked about; now if `None`.
    pub at: Option<Instant>,
}

impl Query {
    /// A question about now; see [`Query::at`].
    pub fn new(system: impl Into<String>, action: Action, release: impl Into<String>) -> Query {
        Query {
            system: system.into(),
            action,
            release: release.into(),
            at: None,
        }
    }

    /// The same question as of `at`.
    pub fn at(mut self, at: Instant) -> Query {
        self.at = Some(at);
        self
    }
}

/// Every release against every system, for one action at one instant.
#[derive(Debug, Clone)]
pub struct Matrix {
    releases: Vec<Id>,
    systems: Vec<Id>,
    decisions: Vec<Decision>,
}

impl Matrix {
    /// The releases, in inventory order (the rows).
    pub fn releases(&self) -> &[Id] {
        &self.releases
    }

    /// The systems, in inventory order (the columns).
    pub fn systems(&self) -> &[Id] {
        &self.systems
    }

    /// The decision for one cell.
    pub fn get(&self, release: &str, system: &str) -> Option<&Decision> {
        let row = self.releases.iter().position(|r| r.as_str() == release)?;
        let column = self.systems.iter().position(|s| s.as_str() == system)?;
        self.decisions.get(row * self.systems.len() + column)
    }

    /// Every decision, row by row.
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }
}

/// An inventory and a policy set, ready to answer questions.
///
/// Building an engine checks the inventory, computes what Cedar cannot (the
/// vendors behind embedded code, the countries controlling them, which
/// authorisations cover which version) and builds the Cedar entities once.
/// Every question after that reuses them.
///
/// ```
/// use clearance::{Action, Engine, Inventory, Policies, Query};
///
/// let inventory = Inventory::from_json(r#"{
///     "vendors": [{"id": "ao-kaspersky-lab", "name": "AO Kaspersky Lab",
///                  "incorporated": "RU", "headquarters": "RU"}],
///     "products": [{"id": "kes", "name": "Kaspersky Endpoint Security",
///                   "vendor": "ao-kaspersky-lab", "category": "antivirus"}],
///     "releases": [{"id": "kes-12", "product": "kes", "version": "12.0.0"}],
///     "organisations": [{"id": "uk-mod", "name": "Ministry of Defence",
///                        "country": "GB", "sector": "defence"}],
///     "systems": [{"id": "mod-secret", "name": "MOD SECRET network",
///                  "owner": "uk-mod", "classification": "secret"}]
/// }"#)?;
/// let engine = Engine::new(inventory, Policies::all_packs()?)?;
///
/// let query = Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?);
/// let decision = engine.decide(&query)?;
/// assert!(!decision.allowed());
/// assert_eq!(decision.rule_ids(), ["uk-ncsc-2017/secret-and-above"]);
/// println!("{decision}");
/// # Ok::<(), clearance::Error>(())
/// ```
pub struct Engine {
    inventory: Inventory,
    policies: Policies,
    facts: Facts,
    entities: Entities,
    authorizer: Authorizer,
    system_uids: Vec<EntityUid>,
    release_uids: Vec<EntityUid>,
    action_uids: HashMap<Action, EntityUid>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("systems", &self.inventory.systems.len())
            .field("releases", &self.inventory.releases.len())
            .field("policies", &self.policies.len())
            .finish_non_exhaustive()
    }
}

/// Contexts for one instant, shared by every request with the same waivers
/// and assurance, so bulk questions build each at most once.
struct Contexts {
    now: RestrictedExpression,
    built: HashMap<(BTreeSet<String>, BTreeSet<Assurance>), Context>,
}

impl Contexts {
    fn new(at: Instant) -> Contexts {
        Contexts {
            now: RestrictedExpression::new_datetime(at.to_cedar_string()),
            built: HashMap::new(),
        }
    }

    fn get(&mut self, waived: BTreeSet<String>, assurance: BTreeSet<Assurance>) -> Result<Context> {
        if let Some(context) = self.built.get(&(waived.clone(), assurance.clone())) {
            return Ok(context.clone());
        }
        let set = |items: Vec<String>| {
            RestrictedExpression::new_set(items.into_iter().map(RestrictedExpression::new_string))
        };
        let context = Context::from_pairs([
            ("now".to_owned(), self.now.clone()),
            ("waivers".to_owned(), set(waived.iter().cloned().collect())),
            (
                "assurance".to_owned(),
                set(assurance.iter().map(|a| a.to_string()).collect()),
            ),
        ])
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("building the Cedar context: {e}"),
            )
        })?;
        self.built.insert((waived, assurance), context.clone());
        Ok(context)
    }
}

impl Engine {
    /// Checks the inventory and builds the engine.
    ///
    /// # Errors
    /// Any inventory error of [`Inventory::validate`]; [`ErrorKind::Internal`]
    /// if Cedar rejects the entities built (a bug).
    pub fn new(inventory: Inventory, policies: Policies) -> Result<Engine> {
        inventory.validate()?;
        let facts = Facts::new(&inventory);
        let entities = build(&inventory, &facts)?;
        let system_uids = inventory
            .systems
            .iter()
            .map(|s| uid("System", s.id.as_str()))
            .collect();
        let release_uids = inventory
            .releases
            .iter()
            .map(|r| uid("Release", r.id.as_str()))
            .collect();
        let action_uids = Action::ALL
            .iter()
            .map(|a| (*a, uid("Action", a.as_str())))
            .collect();
        Ok(Engine {
            inventory,
            policies,
            facts,
            entities,
            authorizer: Authorizer::new(),
            system_uids,
            release_uids,
            action_uids,
        })
    }

    /// The inventory.
    pub fn inventory(&self) -> &Inventory {
        &self.inventory
    }

    /// The policies.
    pub fn policies(&self) -> &Policies {
        &self.policies
    }

    /// Answers one question.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownSystem`] or [`ErrorKind::UnknownRelease`] when the
    /// query names something not in the inventory. Problems met while
    /// evaluating are not errors here: they make the decision Deny and are
    /// listed in [`Decision::errors`].
    pub fn decide(&self, query: &Query) -> Result<Decision> {
        let system = self.system_index(&query.system)?;
        let release = self.release_index(&query.release)?;
        let at = query.at.unwrap_or_else(Instant::now);
        Ok(self.evaluate(&mut Contexts::new(at), system, query.action, release, at))
    }

    /// The compliance sweep: may each deployed release keep running
    /// ([`Action::Operate`]) on its system, as of `at`? One decision per
    /// deployment, in inventory order.
    pub fn sweep(&self, at: Instant) -> Vec<(Deployment, Decision)> {
        let mut contexts = Contexts::new(at);
        self.inventory
            .deployments
            .iter()
            .map(|d| {
                let system = self.facts.system_index[d.system.as_str()];
                let release = self.facts.release_index[d.release.as_str()];
                (
                    d.clone(),
                    self.evaluate(&mut contexts, system, Action::Operate, release, at),
                )
            })
            .collect()
    }

    /// Every release against every system for `action`, as of `at`.
    pub fn matrix(&self, action: Action, at: Instant) -> Matrix {
        let mut contexts = Contexts::new(at);
        let systems = self.inventory.systems.len();
        let mut decisions = Vec::with_capacity(self.inventory.releases.len() * systems);
        for release in 0..self.inventory.releases.len() {
            for system in 0..systems {
                decisions.push(self.evaluate(&mut contexts, system, action, release, at));
            }
        }
        Matrix {
            releases: self
                .inventory
                .releases
                .iter()
                .map(|r| r.id.clone())
                .collect(),
            systems: self
                .inventory
                .systems
                .iter()
                .map(|s| s.id.clone())
                .collect(),
            decisions,
        }
    }

    /// The Cedar request this engine evaluates for `query` against the
    /// binding rules (and, separately, the advice), with the context it
    /// computes: the instant, the waivers in force and the assurance held.
    ///
    /// With [`Engine::entities`] and [`Policies::binding`] this lets you ask
    /// Cedar directly, to check or to benchmark the engine.
    pub fn request(&self, query: &Query) -> Result<Request> {
        let system = self.system_index(&query.system)?;
        let release = self.release_index(&query.release)?;
        let at = query.at.unwrap_or_else(Instant::now);
        let waived = self.waived_rules(&self.facts.waivers_for(
            &self.inventory,
            system,
            query.action,
            release,
            at,
        ));
        let context = Contexts::new(at).get(waived, self.facts.assurance_at(release, at))?;
        self.cedar_request(system, query.action, release, context)
    }

    /// The Cedar entities built from the inventory.
    pub fn entities(&self) -> &Entities {
        &self.entities
    }

    fn waived_rules(&self, waivers: &[usize]) -> BTreeSet<String> {
        waivers
            .iter()
            .flat_map(|&w| self.inventory.waivers[w].rules.iter().cloned())
            .collect()
    }

    fn cedar_request(
        &self,
        system: usize,
        action: Action,
        release: usize,
        context: Context,
    ) -> Result<Request> {
        Request::new(
            self.system_uids[system].clone(),
            self.action_uids[&action].clone(),
            self.release_uids[release].clone(),
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

    fn system_index(&self, id: &str) -> Result<usize> {
        self.facts.system_index.get(id).copied().ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownSystem,
                format!(
                    "query: system `{}` is not in the inventory",
                    crate::model::id::truncate(id)
                ),
            )
        })
    }

    fn release_index(&self, id: &str) -> Result<usize> {
        self.facts.release_index.get(id).copied().ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownRelease,
                format!(
                    "query: release `{}` is not in the inventory",
                    crate::model::id::truncate(id)
                ),
            )
        })
    }

    fn evaluate(
        &self,
        contexts: &mut Contexts,
        system: usize,
        action: Action,
        release: usize,
        at: Instant,
    ) -> Decision {
        let asked = Asked {
            system: self.inventory.systems[system].id.clone(),
            action,
            release: self.inventory.releases[release].id.clone(),
            at,
        };
        let waivers = self
            .facts
            .waivers_for(&self.inventory, system, action, release, at);
        let waived = self.waived_rules(&waivers);
        let assurance = self.facts.assurance_at(release, at);

        let mut errors = Vec::new();
        let mut ask = |policies: &PolicySet, waived: BTreeSet<String>| -> Option<Response> {
            let context = contexts
                .get(waived, assurance.clone())
                .map_err(|e| errors.push(e.to_string()))
                .ok()?;
            let request = Request::new(
                self.system_uids[system].clone(),
                self.action_uids[&action].clone(),
                self.release_uids[release].clone(),
                context,
                None,
            )
            .map_err(|e| errors.push(format!("building the Cedar request: {e}")))
            .ok()?;
            Some(
                self.authorizer
                    .is_authorized(&request, policies, &self.entities),
            )
        };

        let binding = ask(self.policies.binding(), waived.clone());
        let advice = ask(self.policies.advice(), waived.clone());
        // A waiver counts as used only if its rule would have matched without it.
        let unwaived = if waived.is_empty() {
            None
        } else {
            ask(self.policies.binding(), BTreeSet::new())
        };

        let (verdict, deciding) = match &binding {
            Some(response) => {
                errors.extend(response.diagnostics().errors().map(|e| e.to_string()));
                let allowed = response.decision() == cedar_policy::Decision::Allow;
                (
                    if allowed {
                        Verdict::Allow
                    } else {
                        Verdict::Deny
                    },
                    self.rules_of(response),
                )
            }
            None => (Verdict::Deny, Vec::new()),
        };
        let advice = match &advice {
            Some(response) => {
                errors.extend(response.diagnostics().errors().map(|e| e.to_string()));
                self.rules_of(response)
            }
            None => Vec::new(),
        };
        let used_waivers = match &unwaived {
            Some(response) => {
                let lifted: Vec<&str> = response
                    .diagnostics()
                    .reason()
                    .map(|id| id.as_ref())
                    .filter(|id| !deciding.iter().any(|r| r.id() == *id))
                    .collect();
                waivers
                    .iter()
                    .map(|&w| &self.inventory.waivers[w])
                    .filter(|w| w.rules.iter().any(|rule| lifted.contains(&rule.as_str())))
                    .map(|w| w.id.clone())
                    .collect()
            }
            None => Vec::new(),
        };

        // Fail closed: Cedar skips a policy that errors, which could drop a forbid.
        let verdict = if errors.is_empty() {
            verdict
        } else {
            Verdict::Deny
        };
        let deciding = if verdict == Verdict::Deny {
            deciding
                .into_iter()
                .filter(|r| r.effect() != Effect::Permit)
                .collect()
        } else {
            deciding
        };
        let explained = verdict == Verdict::Deny && !deciding.is_empty() || !advice.is_empty();
        let chains: Arc<[Chain]> = if explained {
            Arc::clone(&self.facts.releases[release].chains)
        } else {
            Arc::from([])
        };
        Decision::new(
            asked,
            verdict,
            deciding,
            advice,
            used_waivers,
            errors,
            chains,
        )
    }

    fn rules_of(&self, response: &Response) -> Vec<Arc<Rule>> {
        let mut rules: Vec<Arc<Rule>> = response
            .diagnostics()
            .reason()
            .filter_map(|id| self.policies.shared_rule(id).cloned())
            .collect();
        rules.sort_by(|a, b| a.id().cmp(b.id()));
        rules
    }
}
