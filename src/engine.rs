//! The engine: a loaded inventory and policy set, answering questions.

use cedar_policy::{Authorizer, Entities, Request};

use crate::action::Action;
use crate::analysis::Analysis;
use crate::classes::{Classes, Lookup, Profile, Side};
use crate::decision::{Asked, Decision};
use crate::entities::{build, uid};
use crate::error::{Error, ErrorKind, Result};
use crate::evaluate::{Batch, ContextCache};
use crate::facts::Facts;
use crate::model::{Deployment, Id, Inventory};
use crate::policy::Policies;
use crate::time::Instant;
use crate::workers::Workers;

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

impl From<&Asked> for Query {
    /// The question a decision answered, to ask it again.
    fn from(asked: &Asked) -> Query {
        Query::new(asked.system.as_str(), asked.action, asked.release.as_str()).at(asked.at)
    }
}

impl Deployment {
    /// The question [`Engine::sweep`] asks of this deployment: may its system
    /// keep running ([`Action::Operate`]) its release, as of `at`?
    pub fn query(&self, at: Instant) -> Query {
        Query::new(self.system.as_str(), Action::Operate, self.release.as_str()).at(at)
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

    /// Every decision, row by row, without copying.
    pub fn into_decisions(self) -> Vec<Decision> {
        self.decisions
    }
}

/// An inventory and a policy set, ready to answer questions.
///
/// Building an engine checks the inventory, computes what Cedar cannot (the
/// vendors behind embedded code, the countries controlling them, which
/// authorisations cover which version) and builds the Cedar entities once.
/// Every question after that reuses them. What the engine reads off the
/// policies is worked out for the first engine built from a [`Policies`] and
/// kept with it, so building another engine from the same policies (or a
/// clone of them), for a new inventory say, costs little more than its
/// entities.
///
/// Bulk questions ([`Engine::sweep`], [`Engine::matrix`]) are answered
/// with exactly the decisions Cedar would give pair by pair, but faster: each
/// request evaluates only the policies whose scope can match it, and systems
/// and releases that look the same to every policy share one evaluation.
/// They run on one thread unless [`Engine::set_threads`] says otherwise.
/// What the sharing needs to know of a system or a release is worked out the
/// first time a question names it, so a single question costs no more than
/// the two it names.
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
    pub(crate) inventory: Inventory,
    pub(crate) policies: Policies,
    pub(crate) facts: Facts,
    pub(crate) entities: Entities,
    pub(crate) authorizer: Authorizer,
    pub(crate) systems: Classes,
    pub(crate) releases: Classes,
    pub(crate) contexts: ContextCache,
    workers: Workers,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("systems", &self.inventory.systems.len())
            .field("releases", &self.inventory.releases.len())
            .field("policies", &self.policies.len())
            .field("threads", &self.workers.threads())
            .finish_non_exhaustive()
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
        let systems = inventory.systems.iter();
        let systems = systems.map(|s| uid("System", s.id.as_str())).collect();
        let releases = inventory.releases.iter();
        let releases = releases.map(|r| uid("Release", r.id.as_str())).collect();
        Ok(Engine {
            systems: Classes::new(Side::System, systems),
            releases: Classes::new(Side::Release, releases),
            inventory,
            policies,
            facts,
            entities,
            authorizer: Authorizer::new(),
            contexts: ContextCache::default(),
            workers: Workers::new(1),
        })
    }

    /// What the engine reads off its policies, worked out once per policy set.
    pub(crate) fn analysis(&self) -> &Analysis {
        self.policies.analysis()
    }

    fn lookup(&self) -> Lookup<'_> {
        Lookup {
            analysis: self.analysis(),
            entities: &self.entities,
            authorizer: &self.authorizer,
        }
    }

    /// What the engine knows of a system, worked out on first use.
    pub(crate) fn system(&self, system: usize) -> &Profile {
        self.systems.profile(system, &self.lookup())
    }

    /// What the engine knows of a release, worked out on first use.
    pub(crate) fn release(&self, release: usize) -> &Profile {
        self.releases.profile(release, &self.lookup())
    }

    /// How many threads [`Engine::sweep`] and [`Engine::matrix`] use: 1 (the
    /// default) runs on the calling thread; 0 means one per available core.
    /// Decisions are the same whatever the number.
    ///
    /// The threads are rayon's: its global pool for 0, otherwise a pool of
    /// this engine's own, started by the first bulk question and kept. They
    /// share out the Cedar evaluations, then the building of the decisions;
    /// working out which evaluations a bulk question needs stays on the
    /// calling thread. Each extra thread evaluates its own copy of the
    /// policies (made the first time it is needed, and kept with the
    /// policies), since threads reading the same Cedar policies contend. A
    /// matrix of 50,000 cells ran about 1.35 times faster on two threads; a
    /// sweep of a few hundred deployments has too few evaluations to gain.
    pub fn set_threads(&mut self, threads: usize) -> &mut Self {
        self.workers = Workers::new(threads);
        self
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
        Ok(Batch::new(self, at).decide(system, query.action, release))
    }

    /// The compliance sweep: may each deployed release keep running
    /// ([`Action::Operate`]) on its system, as of `at`? One decision per
    /// deployment, in inventory order.
    pub fn sweep(&self, at: Instant) -> Vec<(Deployment, Decision)> {
        let pairs: Vec<(usize, usize)> = self
            .inventory
            .deployments
            .iter()
            .map(|d| {
                (
                    self.facts.system_index[d.system.as_str()],
                    self.facts.release_index[d.release.as_str()],
                )
            })
            .collect();
        let decisions = self.decide_all(&pairs, Action::Operate, at);
        self.inventory
            .deployments
            .iter()
            .cloned()
            .zip(decisions)
            .collect()
    }

    /// Every release against every system for `action`, as of `at`.
    pub fn matrix(&self, action: Action, at: Instant) -> Matrix {
        let systems = self.inventory.systems.len();
        let cells: Vec<(usize, usize)> = (0..self.inventory.releases.len())
            .flat_map(|r| (0..systems).map(move |s| (s, r)))
            .collect();
        let decisions = self.decide_all(&cells, action, at);
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

    /// Answers `(system, release)` cells, in order.
    fn decide_all(&self, cells: &[(usize, usize)], action: Action, at: Instant) -> Vec<Decision> {
        Batch::new(self, at).decide_all(cells, action, &self.workers)
    }

    /// The Cedar request this engine evaluates for `query`, with the context
    /// it computes: the instant, the waivers in force and the assurance held.
    ///
    /// With [`Engine::entities`], [`Policies::binding`] and
    /// [`Policies::advice`] this lets you ask Cedar directly, to check or to
    /// benchmark the engine: its verdicts and reasons are Cedar's, except that
    /// any evaluation error makes the verdict Deny.
    pub fn request(&self, query: &Query) -> Result<Request> {
        let system = self.system_index(&query.system)?;
        let release = self.release_index(&query.release)?;
        let at = query.at.unwrap_or_else(Instant::now);
        Batch::new(self, at).request(system, query.action, release)
    }

    /// The Cedar entities built from the inventory.
    pub fn entities(&self) -> &Entities {
        &self.entities
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
}
