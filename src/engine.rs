//! The engine: a loaded inventory and policy set, answering questions.

use cedar_policy::{Authorizer, Entities, EntityUid, Request};

use crate::action::Action;
use crate::decision::{Asked, Decision};
use crate::entities::{build, uid};
use crate::error::{Error, ErrorKind, Result};
use crate::evaluate::{Batch, ContextCache};
use crate::facts::Facts;
use crate::guard::{Guards, Judged};
use crate::model::{Deployment, Id, Inventory};
use crate::policy::Policies;
use crate::share::{with_deep_stack, Reads};
use crate::slice::{Mask, Slicer};
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

/// Judges each class once, on its first member, and gives every member its
/// class's judgement. (Classes are numbered in order of first appearance.)
fn per_class(
    classes: &[usize],
    uids: &[EntityUid],
    policies: usize,
    judge: impl Fn(&EntityUid) -> Judged,
) -> Vec<Judged> {
    let mut judged: Vec<Judged> = Vec::new();
    for (&class, uid) in classes.iter().zip(uids) {
        if class == judged.len() {
            judged.push(judge(uid));
        }
    }
    classes
        .iter()
        .map(|&class| {
            judged
                .get(class)
                .cloned()
                .unwrap_or_else(|| Judged::nothing(policies))
        })
        .collect()
}

/// An inventory and a policy set, ready to answer questions.
///
/// Building an engine checks the inventory, computes what Cedar cannot (the
/// vendors behind embedded code, the countries controlling them, which
/// authorisations cover which version) and builds the Cedar entities once.
/// Every question after that reuses them.
///
/// Bulk questions ([`Engine::sweep`], [`Engine::matrix`]) are answered
/// with exactly the decisions Cedar would give pair by pair, but faster: each
/// request evaluates only the policies whose scope can match it, and releases
/// that look the same to every policy share one evaluation. They run on one
/// thread unless [`Engine::set_threads`] says otherwise.
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
    pub(crate) system_uids: Vec<EntityUid>,
    pub(crate) release_uids: Vec<EntityUid>,
    pub(crate) slicer: Slicer,
    /// Scope masks, by `Action::ALL` order, system and release.
    pub(crate) action_masks: Vec<(EntityUid, Mask)>,
    pub(crate) system_masks: Vec<Mask>,
    pub(crate) release_masks: Vec<Mask>,
    /// Guards of the policies, with the system guards that hold for each
    /// system and the release guards that fail for each release.
    pub(crate) guards: Option<Guards>,
    pub(crate) system_holds: Vec<Mask>,
    pub(crate) release_fails: Vec<Mask>,
    /// Systems in one class look the same to every policy; so do releases.
    pub(crate) system_classes: Vec<usize>,
    pub(crate) release_classes: Vec<usize>,
    /// How the policies read the context.
    pub(crate) context_reads: Reads,
    pub(crate) contexts: ContextCache,
    threads: usize,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("systems", &self.inventory.systems.len())
            .field("releases", &self.inventory.releases.len())
            .field("policies", &self.policies.len())
            .field("threads", &self.threads)
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
        let system_uids: Vec<EntityUid> = inventory
            .systems
            .iter()
            .map(|s| uid("System", s.id.as_str()))
            .collect();
        let release_uids: Vec<EntityUid> = inventory
            .releases
            .iter()
            .map(|r| uid("Release", r.id.as_str()))
            .collect();
        let slicer = Slicer::new(&policies);
        let action_masks = Action::ALL
            .iter()
            .map(|a| {
                let uid = uid("Action", a.as_str());
                let mask = slicer.for_action(&uid);
                (uid, mask)
            })
            .collect();
        let authorizer = Authorizer::new();
        // One reading of every policy serves both the sharing and the guards.
        let probe = |kind| uid(kind, "__clearance_guard_probe__");
        let (probe_system, probe_action, probe_release) =
            (probe("System"), uid("Action", "operate"), probe("Release"));
        let read = with_deep_stack(|| {
            let jsons: Vec<Option<serde_json::Value>> =
                slicer.policies().map(|p| p.to_json().ok()).collect();
            let reads = Reads::from_json(&jsons);
            let guards = Guards::from_json(&jsons, probe_system, probe_action, probe_release);
            (reads, guards)
        });
        let ([principal_reads, resource_reads, context_reads], guards) = match read {
            Some((reads, guards)) => (reads, Some(guards)),
            // No thread: share nothing and leave nothing out.
            None => (Reads::worst(), None),
        };
        let policy_count = slicer.policies().count();
        let none = || Mask::new(policy_count, |_| false);
        let system_scopes: Vec<Mask> = system_uids
            .iter()
            .map(|u| slicer.for_principal(&entities, u))
            .collect();
        let release_masks: Vec<Mask> = release_uids
            .iter()
            .map(|u| slicer.for_resource(&entities, u))
            .collect();
        let system_classes = principal_reads.classes(&entities, &system_uids, &system_scopes);
        let release_classes = resource_reads.classes(&entities, &release_uids, &release_masks);
        // Guards read nothing the classes do not compare, so they are judged
        // once per class, on its first member.
        let (system_masks, system_holds, release_fails) = match &guards {
            Some(guards) => {
                let systems = per_class(&system_classes, &system_uids, policy_count, |u| {
                    guards.for_system(&authorizer, &entities, u)
                });
                let releases = per_class(&release_classes, &release_uids, policy_count, |u| {
                    guards.for_release(&authorizer, &entities, u)
                });
                (
                    // A system's mask leaves out the policies whose scope cannot
                    // match it and those whose system guard is false for it.
                    system_scopes
                        .iter()
                        .zip(&systems)
                        .map(|(s, j)| s.and_not(&j.fails))
                        .collect(),
                    systems.iter().map(|j| j.holds.clone()).collect(),
                    releases.iter().map(|j| j.fails.clone()).collect(),
                )
            }
            None => (
                system_scopes,
                vec![none(); system_uids.len()],
                vec![none(); release_uids.len()],
            ),
        };
        Ok(Engine {
            inventory,
            policies,
            facts,
            entities,
            authorizer,
            system_uids,
            release_uids,
            slicer,
            action_masks,
            system_masks,
            release_masks,
            guards,
            system_holds,
            release_fails,
            system_classes,
            release_classes,
            context_reads,
            contexts: ContextCache::default(),
            threads: 1,
        })
    }

    /// How many threads [`Engine::sweep`] and [`Engine::matrix`] use: 1 (the
    /// default) runs on the calling thread; 0 means one per available core.
    /// Decisions are the same whatever the number.
    pub fn set_threads(&mut self, threads: usize) -> &mut Self {
        self.threads = threads;
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

    /// Answers `(system, release)` cells, in order. With several threads,
    /// the cells are dealt out by class of system, so that systems that look
    /// the same to every policy are answered by the same thread and share
    /// their evaluations as they would on one.
    fn decide_all(&self, cells: &[(usize, usize)], action: Action, at: Instant) -> Vec<Decision> {
        let threads = match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
        .min(cells.len().max(1));
        if threads <= 1 {
            let mut batch = Batch::new(self, at);
            return cells
                .iter()
                .map(|&(s, r)| batch.decide(s, action, r))
                .collect();
        }
        let mut order: Vec<usize> = (0..cells.len()).collect();
        order.sort_by_key(|&i| (self.system_classes[cells[i].0], cells[i].0));
        let chunk = order.len().div_ceil(threads);
        let answered: Vec<Vec<(usize, Decision)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = order
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        let mut batch = Batch::new(self, at);
                        part.iter()
                            .map(|&i| (i, batch.decide(cells[i].0, action, cells[i].1)))
                            .collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        let mut slots: Vec<Option<Decision>> = Vec::new();
        slots.resize_with(cells.len(), || None);
        for (i, decision) in answered.into_iter().flatten() {
            slots[i] = Some(decision);
        }
        slots.into_iter().flatten().collect()
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
