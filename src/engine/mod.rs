//! The engine: a loaded inventory and policy set, answering questions.
//!
//! [`Engine`] is the crate's front door. Building one checks the inventory
//! and builds what Cedar is handed ([`crate::cedar`]); each question then goes
//! through a [`batch::Batch`], which works out the Cedar request (context,
//! waivers, assurance), evaluates it through the [`fast`] path, and dresses
//! Cedar's answer as a [`Decision`], failing closed on any error.
//!
//! - [`query`]: the question asked; [`matrix`]: the answer to a bulk one;
//! - [`loaded`]: what a built engine holds, which batches read;
//! - [`batch`]: one question or bulk question at one instant;
//! - [`context`]: Cedar contexts, shared between questions;
//! - [`explain`]: the chains shown with a decision;
//! - [`timeline`]: when decisions change, exactly; [`impact`]: what a policy
//!   change changes;
//! - [`workers`]: the threads of bulk questions;
//! - [`fast`]: slicing, guards and sharing, which change no answer.

mod ask;
mod batch;
mod context;
mod explain;
mod export;
pub(crate) mod fast;
mod impact;
mod loaded;
mod matrix;
mod query;
mod timeline;
mod waivers;
mod workers;

use cedar_policy::{Entities, Request};

use crate::audit::{Audit, AuditLog, Recorded};
use crate::cedar::mapping::Kind;
use crate::decision::{Change, Decision, Impact, Timeline};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Action, Deployment, Instant, Inventory};
use crate::policy::Policies;
use batch::Batch;
use loaded::Loaded;
use workers::Workers;

pub use export::Export;
pub use matrix::{Cell, Matrix};
pub use query::Query;

/// An inventory and a policy set, ready to answer questions.
///
/// Building an engine checks the inventory, merges the shipped
/// [`Registry`](crate::Registry) into it (unless it opts out), computes what
/// Cedar cannot (each vendor's corporate group, majority owners and blocking;
/// the vendors behind embedded code and the countries controlling them; which
/// authorisations cover which version), sorts systems and releases into
/// classes that no policy can tell apart, and builds the Cedar entities:
/// every organisation, vendor and product, and one system and one release
/// per class, which every question is asked about in its members' place
/// (see [`Engine::entities_at`] for all of them). Stakes carry dates, so
/// this is done once per period in which the structure does not change: the
/// period of the instant the engine is built, then any other the first time
/// a question falls in it. Every question after that reuses them. What the
/// engine reads off the
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
///
/// ```
/// use clearance::{Action, Engine, Inventory, Policies, Query};
///
/// // AO Kaspersky Lab is in the shipped registry, with its parent and sisters.
/// let inventory = Inventory::from_json(r#"{
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
    loaded: Loaded,
    /// Where decisions are recorded, if anywhere.
    audit: Option<Audit>,
    /// The inventory as given, when it differs from the one decided on (which
    /// has the shipped registry merged in).
    given: Option<Inventory>,
    workers: Workers,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("systems", &self.loaded.inventory.systems.len())
            .field("releases", &self.loaded.inventory.releases.len())
            .field("policies", &self.loaded.policies.len())
            .field("threads", &self.workers.threads())
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Checks the inventory, merges the shipped registry into it (unless it
    /// opts out), checks that its waivers name keys the policies test, and
    /// builds the engine.
    ///
    /// # Errors
    /// Any inventory error of [`Inventory::validate`];
    /// [`ErrorKind::DanglingReference`] for a waiver naming a rule the
    /// policies do not have, or a rule that accepts no waivers;
    /// [`ErrorKind::Internal`] if Cedar rejects the entities built (a bug).
    pub fn new(inventory: Inventory, policies: Policies) -> Result<Engine> {
        inventory.validate()?;
        let (merged, given) = if inventory.registry {
            (inventory.clone().with_registry(), Some(inventory))
        } else {
            (inventory, None)
        };
        let loaded = Loaded::new(merged, policies, Instant::now())?;
        waivers::check(&loaded)?;
        Ok(Engine {
            loaded,
            audit: None,
            given,
            workers: Workers::new(1),
        })
    }

    /// How many threads [`Engine::sweep`] and [`Engine::matrix`] use: 1 (the
    /// default) runs on the calling thread; 0 means one per available core.
    /// Decisions are the same whatever the number.
    ///
    /// The threads are rayon's, in a pool (one thread per core for 0) of
    /// this engine's own, started by the first bulk question and kept. They
    /// share out the Cedar evaluations, then the building of the decisions
    /// (for a matrix, also working out which of its cells share an
    /// evaluation, filling its rows and answering the cells waivers cover);
    /// grouping those cells, and numbering what is shared, stays on the
    /// calling thread. Each extra thread evaluates its own copy of the
    /// policies (made the first time it is needed, and kept with the
    /// policies), since threads reading the same Cedar policies contend. A
    /// matrix of 50,000 cells, and one of 100 million, ran about 1.7 times
    /// faster on two threads; a sweep of a few hundred deployments has too
    /// few evaluations to gain.
    pub fn set_threads(&mut self, threads: usize) -> &mut Self {
        self.workers = Workers::new(threads);
        self
    }

    /// The inventory, as given. The engine decides on it with the shipped
    /// [`Registry`](crate::Registry) merged in (unless it opts out).
    pub fn inventory(&self) -> &Inventory {
        self.given.as_ref().unwrap_or(&self.loaded.inventory)
    }

    /// The policies.
    pub fn policies(&self) -> &Policies {
        &self.loaded.policies
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
        let mut decision = ask::decide(&self.loaded, system, query.action, release, at);
        self.record("decide", None, &mut decision);
        Ok(decision)
    }

    /// Records every decision this engine gives (by [`Engine::decide`],
    /// [`Engine::sweep`] and [`Engine::matrix`]) in `log`, or, with `None`,
    /// stops recording. See [`AuditLog`] for what a record holds. A decision
    /// that cannot be recorded is Deny, with the error.
    pub fn set_audit(&mut self, log: impl Into<Option<AuditLog>>) -> &mut Self {
        self.audit = log.into().map(Audit::new);
        self
    }

    fn record(
        &self,
        path: &'static str,
        bulk: Option<(Action, Instant)>,
        decisions: &mut dyn Recorded,
    ) {
        if let Some(audit) = &self.audit {
            audit.record(
                path,
                bulk,
                decisions,
                self.inventory(),
                &self.loaded.inventory,
                &self.loaded.policies,
            );
        }
    }

    /// The compliance sweep: may each deployed release keep running
    /// ([`Action::Operate`]) on its system, as of `at`? One decision per
    /// deployment, in inventory order.
    pub fn sweep(&self, at: Instant) -> Vec<(Deployment, Decision)> {
        let cells = ask::deployment_cells(&self.loaded);
        let mut decisions =
            ask::decide_all(&self.loaded, &self.workers, &cells, Action::Operate, at);
        self.record("sweep", Some((Action::Operate, at)), &mut decisions);
        self.loaded
            .inventory
            .deployments
            .iter()
            .cloned()
            .zip(decisions)
            .collect()
    }

    /// Every release against every system for `action`, as of `at`.
    ///
    /// The matrix holds each distinct answer once and four bytes a cell
    /// (see [`Matrix`]). Cedar is asked at most once per release class (and
    /// assurance) and system class, and classes that no policy left to ask
    /// can tell apart share that, so a matrix costs less per cell the larger
    /// it is: about 10,000 releases against 10,000 systems of the
    /// benchmarks' workload are a hundred million cells, 1,200 release
    /// classes (with assurance) and 4,794 system classes, but 209,829
    /// evaluations, plus those of cells a waiver covers.
    pub fn matrix(&self, action: Action, at: Instant) -> Matrix {
        let mut matrix = ask::whole_matrix(&self.loaded, &self.workers, action, at);
        self.record("matrix", Some((action, at)), &mut matrix);
        matrix
    }

    /// One release against every system, for `action` as of `at`: the
    /// matrix's row, without the rest of the matrix. With
    /// [`Matrix::denials`], the systems it is denied on.
    ///
    /// ```
    /// use clearance::{Action, Engine, Inventory, Policies};
    ///
    /// let engine = Engine::new(
    ///     Inventory::from_path("examples/article-inventory.json")?,
    ///     Policies::all_packs()?,
    /// )?;
    /// let row = engine.row("kes-12", Action::Deploy, "2025-06-01".parse()?)?;
    /// let denied_on: Vec<&str> = row.denials().map(|c| c.system().as_str()).collect();
    /// assert!(denied_on.contains(&"mod-secret"));
    /// assert_eq!(row.releases().len(), 1);
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::UnknownRelease`] when `release` is not in the inventory.
    pub fn row(&self, release: &str, action: Action, at: Instant) -> Result<Matrix> {
        let release = self.release_index(release)?;
        let systems: Vec<usize> = (0..self.loaded.inventory.systems.len()).collect();
        let mut row = ask::matrix(
            &self.loaded,
            &self.workers,
            action,
            at,
            &[release],
            &systems,
        );
        self.record("matrix", Some((action, at)), &mut row);
        Ok(row)
    }

    /// Every release against one system, for `action` as of `at`: the
    /// matrix's column, without the rest of the matrix. With
    /// [`Cell::allowed`](crate::Cell::allowed), the releases the system may
    /// use.
    ///
    /// ```
    /// use clearance::{Action, Engine, Inventory, Policies};
    ///
    /// let engine = Engine::new(
    ///     Inventory::from_path("examples/article-inventory.json")?,
    ///     Policies::all_packs()?,
    /// )?;
    /// let column = engine.column("mod-secret", Action::Deploy, "2025-06-01".parse()?)?;
    /// let may_use: Vec<&str> = column
    ///     .cells()
    ///     .filter(|c| c.allowed())
    ///     .map(|c| c.release().as_str())
    ///     .collect();
    /// assert!(!may_use.contains(&"kes-12"));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::UnknownSystem`] when `system` is not in the inventory.
    pub fn column(&self, system: &str, action: Action, at: Instant) -> Result<Matrix> {
        let system = self.system_index(system)?;
        let releases: Vec<usize> = (0..self.loaded.inventory.releases.len()).collect();
        let mut column = ask::matrix(
            &self.loaded,
            &self.workers,
            action,
            at,
            &releases,
            &[system],
        );
        self.record("matrix", Some((action, at)), &mut column);
        Ok(column)
    }

    /// The decisions about one question over `[from, until)`: the decision at
    /// `from`, then a [`Step`](crate::Step) at every instant where it changes, with what
    /// changed (the verdict, which rules start or stop deciding, which advice
    /// starts or stops, which waivers start or end being used).
    ///
    /// ```
    /// use clearance::{Action, Engine, Inventory, Policies, Verdict};
    ///
    /// let engine = Engine::new(
    ///     Inventory::from_path("examples/article-inventory.json")?,
    ///     Policies::all_packs()?,
    /// )?;
    /// // A Kaspersky product on a US agency's desktops, 2017 to 2025.
    /// let timeline = engine.timeline(
    ///     "gsa-desktops", Action::Deploy, "kes-12",
    ///     "2017-01-01".parse()?, "2025-01-01".parse()?,
    /// )?;
    /// let first_deny = timeline.steps().iter().find(|s| s.verdict_changed()).unwrap();
    /// assert_eq!(first_deny.decision().verdict(), Verdict::Deny);
    /// println!("{timeline}");
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::UnknownSystem`] or [`ErrorKind::UnknownRelease`] as for
    /// [`Engine::decide`]; [`ErrorKind::InvalidValue`] when `from` is not
    /// before `until`; [`ErrorKind::UnboundedTime`] naming a policy that
    /// reads the time in a way whose changes cannot be listed (arithmetic on
    /// `context.now`, durations, a comparison with anything but a literal).
    pub fn timeline(
        &self,
        system: &str,
        action: Action,
        release: &str,
        from: Instant,
        until: Instant,
    ) -> Result<Timeline> {
        let system = self.system_index(system)?;
        let release = self.release_index(release)?;
        timeline::timeline(&self.loaded, system, action, release, from, until)
    }

    /// Every deployment whose answer to `action` changes in `(from, until)`,
    /// in date order (deployments in inventory order at each instant), each
    /// with its new decision and what changed. With [`Action::Operate`], the
    /// changes of the compliance sweep; with [`Action::Update`], "from
    /// 12:00 AM EDT on 29 September 2024 these deployments may no longer be
    /// updated".
    ///
    /// ```
    /// use clearance::{Action, Engine, Inventory, Policies};
    ///
    /// let engine = Engine::new(
    ///     Inventory::from_path("examples/article-inventory.json")?,
    ///     Policies::all_packs()?,
    /// )?;
    /// let changes = engine.changes(Action::Update, "2024-01-01".parse()?, "2025-01-01".parse()?)?;
    /// let ban_day: Vec<_> = changes
    ///     .iter()
    ///     .filter(|c| c.at().to_string() == "2024-09-29T04:00:00Z")
    ///     .collect();
    /// assert!(ban_day.iter().all(|c| !c.step().decision().allowed()));
    /// assert!(ban_day.iter().any(|c| c.deployment().system.as_str() == "us-home-laptop"));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Engine::timeline`], but for unknown systems and releases, which
    /// a valid inventory's deployments cannot name.
    pub fn changes(&self, action: Action, from: Instant, until: Instant) -> Result<Vec<Change>> {
        timeline::changes(&self.loaded, &self.workers, action, from, until)
    }

    /// What changing this engine's policies to `after` would change, for
    /// `action` as of `at`: every cell of the matrix (every release against
    /// every system) and every deployment whose answer differs, with the
    /// rules that make the difference ([`Impact::by_rule`]).
    ///
    /// The new engine is built over the same inventory. Waivers that name
    /// only rules `after` lacks are left out of it, and listed in
    /// [`Impact::waivers_left_out`]; a waiver naming some rules `after` keeps
    /// loses only the others. It costs two matrices (and, unless `action` is
    /// [`Action::Operate`], two sweeps), answered with the engines' threads.
    ///
    /// ```
    /// use clearance::{Action, Engine, Inventory, Pack, Policies, Verdict};
    ///
    /// // What would the NCSC's advice change, on top of every other pack?
    /// let inventory = Inventory::from_path("examples/article-inventory.json")?;
    /// let mut packs: Vec<Pack> = Pack::ALL.to_vec();
    /// packs.retain(|p| *p != Pack::UkNcsc2017);
    /// let engine = Engine::new(inventory, Policies::from_packs(&packs)?)?;
    ///
    /// let impact = engine.impact(&Policies::all_packs()?, Action::Deploy, "2025-06-01".parse()?)?;
    /// assert!(impact.count(Verdict::Allow, Verdict::Deny) > 0);
    /// assert_eq!(impact.count(Verdict::Deny, Verdict::Allow), 0);
    /// assert!(impact.by_rule().keys().all(|rule| rule.starts_with("uk-ncsc-2017/")));
    /// let (deployment, difference) = &impact.deployments()[0];
    /// assert_eq!(deployment.system.as_str(), "fco-official");
    /// assert!(difference.rules_added().contains(&"uk-ncsc-2017/national-security-assessed".to_owned()));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Errors
    /// Those of [`Engine::new`] for the new engine (other than the waivers
    /// it leaves out).
    pub fn impact(&self, after: &Policies, action: Action, at: Instant) -> Result<Impact> {
        let mut inventory = self.inventory().clone();
        let left_out = impact::leave_out_waivers(&mut inventory, after);
        let mut other = Engine::new(inventory, after.clone())?;
        other.set_threads(self.workers.threads());
        Ok(impact::compare(
            &self.loaded,
            &other.loaded,
            &self.workers,
            action,
            at,
            left_out,
        ))
    }

    /// What this engine hands Cedar to answer `query`, as Cedar's own
    /// formats, with the engine's answer: see [`Export`].
    ///
    /// The entities are those that matter to the question: the system, the
    /// release and the action, every ancestor of theirs, every entity their
    /// attributes refer to, and so on, transitively; and, for a policy that
    /// reads an entity it names itself (an attribute of `Vendor::"x"`, or
    /// `Vendor::"x" in ...`), the entities it names, likewise. Cedar reads no
    /// other entity to answer, so it answers as it does with them all.
    ///
    /// A query without an instant is asked about now, fixed once: the
    /// request, the entities and the answer are of the same instant.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownSystem`] or [`ErrorKind::UnknownRelease`] as for
    /// [`Engine::decide`]; [`ErrorKind::Internal`] if Cedar rejects what the
    /// engine built (a bug).
    ///
    /// ```
    /// use clearance::{Action, Engine, Inventory, Policies, Query};
    ///
    /// let inventory = Inventory::from_path("examples/article-inventory.json")?;
    /// let engine = Engine::new(inventory, Policies::all_packs()?)?;
    /// let query = Query::new("stadtwerke-office", Action::Operate, "kes-12")
    ///     .at("2023-05-01".parse()?);
    /// let export = engine.export(&query)?;
    /// assert!(export.decision().allowed());
    /// assert_eq!(export.expected_json()["advice"][0], "de-bsi-2022/replace-kaspersky-antivirus");
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn export(&self, query: &Query) -> Result<Export> {
        let at = query.at.unwrap_or_else(Instant::now);
        let query = query.clone().at(at);
        Export::build(
            self.decide(&query)?,
            &self.request(&query)?,
            self.entities_at(at)?,
            self.policies(),
        )
    }

    /// The Cedar request this engine evaluates for `query`, with the context
    /// it computes: the instant, the waivers in force and the assurance held.
    ///
    /// With [`Engine::entities_at`], [`Policies::binding`] and
    /// [`Policies::advice`] this lets you ask Cedar directly, to check or to
    /// benchmark the engine: its verdicts and reasons are Cedar's, except that
    /// any evaluation error makes the verdict Deny.
    pub fn request(&self, query: &Query) -> Result<Request> {
        let system = self.system_index(&query.system)?;
        let release = self.release_index(&query.release)?;
        let at = query.at.unwrap_or_else(Instant::now);
        let epoch = self.loaded.epoch(at).map_err(Error::clone)?;
        Batch::new(&self.loaded, epoch, at).request(system, query.action, release)
    }

    /// Every Cedar entity of the inventory, for a question about `at`:
    /// ownership and control change over time, so the entities (their
    /// groups, owners, parents) are those of the structure in force then.
    ///
    /// The engine itself evaluates on fewer: one system and one release
    /// stand for each class of them that no policy can tell apart. So these
    /// are built the first time they are asked for (or an evaluation errs),
    /// and kept; at 50,000 releases that takes seconds and more than a
    /// gigabyte.
    ///
    /// # Errors
    /// [`ErrorKind::Internal`] if Cedar rejected the entities of that period
    /// (a bug; decisions about it are then Deny, with the error).
    pub fn entities_at(&self, at: Instant) -> Result<&Entities> {
        let epoch = self.loaded.epoch(at).map_err(Error::clone)?;
        self.loaded.whole(epoch).map_err(Error::clone)
    }

    /// Every Cedar entity as of the instant the engine was built; see
    /// [`Engine::entities_at`], which says what building them costs, for
    /// another instant.
    ///
    /// # Errors
    /// [`ErrorKind::Internal`] if Cedar rejected them (a bug).
    pub fn entities(&self) -> Result<&Entities> {
        self.loaded.built_epoch().map_err(Error::clone)
    }

    /// The instants at which the corporate structure changes (a stake or a
    /// designation starts or ends): the entities, and so decisions, may
    /// differ on either side of each.
    pub fn structure_changes(&self) -> &[Instant] {
        self.loaded.corporate.boundaries()
    }

    fn system_index(&self, id: &str) -> Result<usize> {
        self.loaded.ids.get(Kind::System, id).ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownSystem,
                format!(
                    "query: system `{}` is not in the inventory",
                    crate::error::truncate(id)
                ),
            )
        })
    }

    fn release_index(&self, id: &str) -> Result<usize> {
        self.loaded.ids.get(Kind::Release, id).ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownRelease,
                format!(
                    "query: release `{}` is not in the inventory",
                    crate::error::truncate(id)
                ),
            )
        })
    }
}
