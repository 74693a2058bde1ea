//! Evaluating requests: one [`Batch`] per question or bulk question.
//!
//! A batch remembers what it has built for its instant, so a sweep or a
//! matrix builds each Cedar context once, and evaluates each distinct
//! question (system class, action, release class, assurance, what the
//! policies see of the waivers) once, on the engine's workers.
//! Nothing here changes what Cedar decides: slicing drops only policies whose
//! scope cannot match, sharing reuses an answer only between systems and
//! releases no policy can tell apart, and an answer with errors is never
//! shared.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use cedar_policy::{Context, EntityUid, PolicySet, Request, Response, RestrictedExpression};

use super::context::build_context;
use super::explain::{holdings, Ground};
use super::fast::classes::Profile;
use super::fast::guard::Judged;
use super::fast::mask::Mask;
use super::fast::share::Observation;
use super::fast::slice::Slicer;
use super::loaded::{Epoch, Loaded};
use super::workers::Workers;
use crate::cedar::entities::uid;
use crate::cedar::facts::{Facts, Holder};
use crate::cedar::mapping::{Kind, Ref};
use crate::corporate::Aggregate;
use crate::decision::{Approval, ApprovalHolder, Asked, Decision, Verdict};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Action, Assurance, Instant, WaiverKind};
use crate::policy::{Effect, Rule};

/// What Cedar said about one request, before it is dressed as a [`Decision`].
#[derive(Clone)]
struct Outcome {
    verdict: Verdict,
    deciding: Arc<[Arc<Rule>]>,
    advice: Arc<[Arc<Rule>]>,
    /// Rules that matched only because no waiver was in the context.
    lifted: Vec<String>,
    errors: Vec<String>,
}

impl Outcome {
    /// Deny, because of this error, with nothing asked of Cedar.
    fn failed(error: String) -> Outcome {
        Outcome {
            verdict: Verdict::Deny,
            deciding: Arc::from(Vec::new()),
            advice: Arc::from(Vec::new()),
            lifted: Vec::new(),
            errors: vec![error],
        }
    }

    /// Whether its decision shows chains (which name the release): a denial
    /// a rule decided, or advice.
    fn explained(&self) -> bool {
        self.verdict == Verdict::Deny && !self.deciding.is_empty() || !self.advice.is_empty()
    }
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

/// One question, with what it takes to answer it.
struct Question {
    system: usize,
    action: Action,
    release: usize,
    /// The waivers in force for it.
    waivers: Vec<usize>,
    assurance: usize,
    waived: usize,
    /// Whether a waiver in force lifts a rule some policy tests.
    liftable: bool,
}

impl Question {
    /// A question with no waiver in force: a matrix's shared evaluations.
    fn unwaived(system: usize, action: Action, release: usize, assurance: usize) -> Question {
        Question {
            system,
            action,
            release,
            waivers: Vec::new(),
            assurance,
            waived: 0,
            liftable: false,
        }
    }
}

/// The waivers in force for one action at one instant. For a bulk question,
/// which of them each system and each release falls within is remembered,
/// worked out on first use: a question's waivers are those both its system
/// and its release fall within.
struct InForce {
    action: Action,
    waivers: Vec<usize>,
    /// Empty unless remembering.
    systems: Vec<Option<Mask>>,
    releases: Vec<Option<Mask>>,
}

impl InForce {
    fn new(loaded: &Loaded, action: Action, at: Instant, remember: bool) -> InForce {
        let inventory = &loaded.inventory;
        let waivers: Vec<usize> = (0..inventory.waivers.len())
            .filter(|&w| {
                let waiver = &inventory.waivers[w];
                waiver.actions.contains(&action) && waiver.in_force_at(at)
            })
            .collect();
        let remember = remember && !waivers.is_empty();
        let none = |n: usize| if remember { vec![None; n] } else { Vec::new() };
        InForce {
            action,
            waivers,
            systems: none(inventory.systems.len()),
            releases: none(inventory.releases.len()),
        }
    }

    /// Which of the waivers in force cover a system, remembered (a bulk
    /// question remembers); `None` when none is in force.
    fn of_system(&mut self, facts: &Facts, system: usize) -> Option<&Mask> {
        let slot = self.systems.get_mut(system)?;
        Some(remembered(slot, &self.waivers, |w| {
            facts.waiver_covers_system(w, system)
        }))
    }

    /// Which of the waivers in force cover a release, as
    /// [`InForce::of_system`].
    fn of_release(&mut self, facts: &Facts, release: usize) -> Option<&Mask> {
        let slot = self.releases.get_mut(release)?;
        Some(remembered(slot, &self.waivers, |w| {
            facts.waiver_covers_release(w, release)
        }))
    }

    /// The waivers in force for a system and a release, by index.
    fn covering(&mut self, facts: &Facts, system: usize, release: usize) -> Vec<usize> {
        let InForce {
            waivers,
            systems,
            releases,
            ..
        } = self;
        let (Some(of_system), Some(of_release)) =
            (systems.get_mut(system), releases.get_mut(release))
        else {
            return waivers
                .iter()
                .copied()
                .filter(|&w| {
                    facts.waiver_covers_system(w, system) && facts.waiver_covers_release(w, release)
                })
                .collect();
        };
        let of_system = remembered(of_system, waivers, |w| {
            facts.waiver_covers_system(w, system)
        });
        let of_release = remembered(of_release, waivers, |w| {
            facts.waiver_covers_release(w, release)
        });
        if !of_system.meets(of_release) {
            return Vec::new();
        }
        (0..waivers.len())
            .filter(|&i| of_system.contains(i) && of_release.contains(i))
            .map(|i| waivers[i])
            .collect()
    }
}

/// Which of `waivers` cover something, worked out into `slot` on first use.
fn remembered<'a>(
    slot: &'a mut Option<Mask>,
    waivers: &[usize],
    covers: impl Fn(usize) -> bool,
) -> &'a Mask {
    slot.get_or_insert_with(|| Mask::new(waivers.len(), |i| covers(waivers[i])))
}

/// A hash map for keys the engine makes itself (small numbers), looked up
/// once or more per cell of a matrix: SipHash's resistance to chosen keys
/// buys nothing here, and costs more than the rest of the lookup.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Questions about one action that share an outcome: (system class, release
/// class, assurance, what the policies see of the waivers).
type Key = (usize, usize, usize, usize);

pub(crate) struct Batch<'e> {
    loaded: &'e Loaded,
    /// The period of the corporate structure `at` falls in.
    epoch: &'e Epoch,
    at: Instant,
    /// The waivers in force at `at` for the last action asked about.
    in_force: Option<InForce>,
    /// How the date guards are judged at `at` (those that hold, those
    /// false), found on first use.
    dates: OnceLock<Judged>,
    /// Cedar's `datetime` value of `at`, built on first use.
    now: Option<RestrictedExpression>,
    assurance: Interned<BTreeSet<Assurance>>,
    /// Remembered for a bulk question, which asks about each release often.
    assurance_of_release: Vec<Option<usize>>,
    /// Whether to remember what is worked out per system and release: true
    /// for a bulk question.
    bulk: bool,
    /// The rule ids waived for a request, and what policies can see of them.
    waived: Interned<BTreeSet<String>>,
    waived_seen: Interned<Seen>,
    seen_of_waived: Vec<usize>,
    /// Contexts by (assurance, waived), or why one could not be built.
    contexts: FastMap<(usize, usize), std::result::Result<Context, String>>,
}

impl<'e> Batch<'e> {
    pub fn new(loaded: &'e Loaded, epoch: &'e Epoch, at: Instant) -> Batch<'e> {
        let mut waived = Interned::new();
        waived.id(BTreeSet::new());
        let mut waived_seen = Interned::new();
        waived_seen.id(seen_of(loaded, &BTreeSet::new()));
        Batch {
            loaded,
            epoch,
            at,
            in_force: None,
            now: None,
            dates: OnceLock::new(),
            assurance: Interned::new(),
            assurance_of_release: Vec::new(),
            bulk: false,
            waived,
            waived_seen,
            seen_of_waived: vec![0],
            contexts: FastMap::default(),
        }
    }

    /// What the engine knows of a system, worked out on first use.
    fn system(&self, system: usize) -> &'e Profile {
        self.epoch.system(system, &self.loaded.lookup(self.epoch))
    }

    /// What the engine knows of a release, worked out on first use.
    fn release(&self, release: usize) -> &'e Profile {
        self.epoch.release(release, &self.loaded.lookup(self.epoch))
    }

    /// The waivers in force for a request, the id of the rules they lift, and
    /// the id of what the policies can see of those rules.
    fn waivers(
        &mut self,
        system: usize,
        action: Action,
        release: usize,
    ) -> (Vec<usize>, usize, usize) {
        let loaded = self.loaded;
        let in_force = match &mut self.in_force {
            Some(in_force) if in_force.action == action => in_force,
            slot => slot.insert(InForce::new(loaded, action, self.at, self.bulk)),
        };
        let waivers = in_force.covering(&self.epoch.facts, system, release);
        if waivers.is_empty() {
            return (waivers, 0, 0);
        }
        let rules: BTreeSet<String> = waivers
            .iter()
            .flat_map(|&w| loaded.inventory.waivers[w].rules.iter().cloned())
            .collect();
        let id = self.waived.id(rules);
        if id == self.seen_of_waived.len() {
            let seen = seen_of(loaded, &self.waived.values[id]);
            let seen_id = self.waived_seen.id(seen);
            self.seen_of_waived.push(seen_id);
        }
        (waivers, id, self.seen_of_waived[id])
    }

    fn assurance_id(&mut self, release: usize) -> usize {
        if let Some(&Some(id)) = self.assurance_of_release.get(release) {
            return id;
        }
        let id = self
            .assurance
            .id(self.epoch.facts.assurance_at(release, self.at));
        if let Some(slot) = self.assurance_of_release.get_mut(release) {
            *slot = Some(id);
        }
        id
    }

    /// Builds (once) the context for this assurance and these waived rules.
    fn prepare_context(&mut self, assurance: usize, waived: usize) {
        if self.contexts.contains_key(&(assurance, waived)) {
            return;
        }
        let key = (
            self.at,
            self.assurance.values[assurance].clone(),
            self.waived.values[waived].clone(),
        );
        let context = match self.loaded.contexts.get(&key) {
            Some(context) => Ok(context),
            None => {
                let at = self.at;
                let now = self
                    .now
                    .get_or_insert_with(|| RestrictedExpression::new_datetime(at.to_cedar_string()))
                    .clone();
                build_context(now, &key.1, &key.2)
                    .inspect(|context| self.loaded.contexts.put(key, context.clone()))
                    .map_err(|e| e.to_string())
            }
        };
        self.contexts.insert((assurance, waived), context);
    }

    /// The question for one cell, its contexts built, and the key of the
    /// questions that share its outcome.
    fn question(&mut self, system: usize, action: Action, release: usize) -> (Question, Key) {
        let (waivers, waived, seen) = self.waivers(system, action, release);
        let assurance = self.assurance_id(release);
        // Only a waiver whose rule some policy tests can lift anything.
        let liftable = match &self.waived_seen.values[seen] {
            Seen::Tests(tests) => tests.contains(&true),
            Seen::Whole(_) => waived != 0,
        };
        self.prepare_context(assurance, waived);
        if liftable {
            self.prepare_context(assurance, 0);
        }
        let key = (
            self.system(system).class,
            self.release(release).class,
            assurance,
            seen,
        );
        let question = Question {
            system,
            action,
            release,
            waivers,
            assurance,
            waived,
            liftable,
        };
        (question, key)
    }

    /// The Cedar request for a question: about the representatives of its
    /// system's and release's classes, as the epoch's entities hold them, or,
    /// `exactly`, about themselves, for every entity.
    fn cedar_request(
        &self,
        system: usize,
        action: Action,
        release: usize,
        assurance: usize,
        waived: usize,
        exactly: bool,
    ) -> Result<Request> {
        let loaded = self.loaded;
        let context = match self.contexts.get(&(assurance, waived)) {
            Some(Ok(context)) => context.clone(),
            Some(Err(problem)) => return Err(Error::new(ErrorKind::Internal, problem.clone())),
            None => {
                return Err(Error::new(
                    ErrorKind::Internal,
                    "building the Cedar request: its context was not prepared",
                ))
            }
        };
        let (principal, resource) = self.parties(system, release, exactly);
        Request::new(
            principal,
            loaded.analysis().actions[action_index(action)].0.clone(),
            resource,
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

    /// The principal and resource of a request: the representatives of the
    /// system's and release's classes, as the epoch's entities hold them,
    /// or, `exactly`, the system and release themselves.
    fn parties(&self, system: usize, release: usize, exactly: bool) -> (EntityUid, EntityUid) {
        if exactly {
            let inventory = &self.loaded.inventory;
            (
                uid("System", inventory.systems[system].id.as_str()),
                uid("Release", inventory.releases[release].id.as_str()),
            )
        } else {
            (
                self.epoch.systems.representative_uid(system).clone(),
                self.epoch.releases.representative_uid(release).clone(),
            )
        }
    }

    /// The request as [`crate::Engine::request`] describes it.
    pub fn request(&mut self, system: usize, action: Action, release: usize) -> Result<Request> {
        let (question, _) = self.question(system, action, release);
        self.cedar_request(
            system,
            action,
            release,
            question.assurance,
            question.waived,
            true,
        )
    }

    /// Answers one question.
    pub fn decide(&mut self, system: usize, action: Action, release: usize) -> Decision {
        let (question, _) = self.question(system, action, release);
        let outcome = self.evaluate(None, &question);
        self.dress(&question, &outcome)
    }

    /// Answers `(system, release)` cells for one action, in order, on the
    /// engine's workers.
    ///
    /// In three steps: what each cell asks (on this thread: it interns
    /// waivers and assurance, and judges the guards of the classes named); one Cedar
    /// evaluation per distinct question, shared out between the workers;
    /// then each cell's decision, likewise. A shared outcome with errors is
    /// not trusted for other cells: each evaluates its own question, so an
    /// error is never spread or hidden.
    pub fn decide_all(
        &mut self,
        cells: &[(usize, usize)],
        action: Action,
        workers: &Workers,
    ) -> Vec<Decision> {
        // Each system and release is asked about many times: remember what
        // is worked out for them.
        self.bulk = true;
        self.assurance_of_release = vec![None; self.loaded.inventory.releases.len()];
        self.in_force = None;
        // Questions are keyed in two steps, by their release's side, then by
        // their system's: a matrix asks row by row, so the second step stays
        // in a small table for a whole row.
        let mut rows: FastMap<(usize, usize), usize> = FastMap::default();
        let mut by_row: Vec<FastMap<(usize, usize), usize>> = Vec::new();
        let mut last_row: Option<((usize, usize), usize)> = None;
        let mut firsts: Vec<usize> = Vec::new();
        let mut asked: Vec<(Question, usize)> = Vec::with_capacity(cells.len());
        for (cell, &(system, release)) in cells.iter().enumerate() {
            let (question, (system_class, release_class, assurance, seen)) =
                self.question(system, action, release);
            let row_key = (release_class, assurance);
            let row = match last_row {
                Some((key, row)) if key == row_key => row,
                _ => {
                    let next = by_row.len();
                    let row = *rows.entry(row_key).or_insert(next);
                    if row == next {
                        by_row.push(FastMap::default());
                    }
                    last_row = Some((row_key, row));
                    row
                }
            };
            let next = firsts.len();
            let shared = *by_row[row].entry((system_class, seen)).or_insert(next);
            if shared == next {
                firsts.push(cell);
            }
            asked.push((question, shared));
        }
        let batch = &*self;
        let analysis = self.loaded.analysis();
        // Every thread but the first evaluates its own copy of the policies.
        let slicer = |thread| analysis.replica(thread);
        let outcomes = workers.map(&firsts, 64, slicer, |replica, &cell| {
            batch.evaluate(replica.as_deref(), &asked[cell].0)
        });
        workers.map(&asked, 256, slicer, |replica, (question, shared)| {
            let outcome = &outcomes[*shared];
            let first = &asked[firsts[*shared]].0;
            let same_question =
                (question.system, question.release) == (first.system, first.release);
            if outcome.errors.is_empty() || same_question {
                batch.dress(question, outcome)
            } else {
                batch.dress(question, &batch.evaluate(replica.as_deref(), question))
            }
        })
    }

    /// Answers every release of `releases` against every system of
    /// `systems` for one action, on the engine's workers: the distinct
    /// answers, and each cell's (row by row, a row per release), as a
    /// [`super::Matrix`] holds them.
    ///
    /// A cell's outcome depends only on its release's class and assurance
    /// (its row's key), its system's class and the waivers covering both. So
    /// each (row key, system class) is evaluated once, waived nothing, and
    /// classes Cedar cannot tell apart share that (see
    /// [`Batch::share_out`]). Cells a waiver in force covers are asked once
    /// per group covered alike, as [`Batch::decide_all`] asks; a cell whose
    /// shared outcome has errors is asked on its own. Cells share a decision
    /// where it is the same for them: answers explained by chains (which
    /// name the release) are kept per release.
    pub fn matrix(
        &mut self,
        action: Action,
        releases: &[usize],
        systems: &[usize],
        workers: &Workers,
    ) -> (Vec<Decision>, Vec<u32>) {
        self.bulk = true;
        self.assurance_of_release = vec![None; self.loaded.inventory.releases.len()];
        self.in_force = Some(InForce::new(self.loaded, action, self.at, true));

        // Columns by system class, rows by release class and assurance.
        let mut classes: Interned<usize> = Interned::new();
        let mut class_member: Vec<usize> = Vec::new();
        let column_class: Vec<u32> = systems
            .iter()
            .map(|&s| {
                let class = classes.id(self.system(s).class);
                if class == class_member.len() {
                    class_member.push(s);
                }
                class as u32
            })
            .collect();
        let mut row_keys: Interned<(usize, usize)> = Interned::new();
        let mut row_member: Vec<usize> = Vec::new();
        let row_key: Vec<usize> = releases
            .iter()
            .map(|&r| {
                let assurance = self.assurance_id(r);
                let key = row_keys.id((self.release(r).class, assurance));
                if key == row_member.len() {
                    row_member.push(r);
                    self.prepare_context(assurance, 0);
                }
                key
            })
            .collect();
        // The evaluations: one per (row key, system class) that Cedar may
        // answer differently from the others, a block at a time so that only
        // the distinct outcomes are kept.
        let width = class_member.len();
        let (question_of, questions) = self.share_out(action, &row_member, &class_member, workers);
        let mut distinct = Distinct::default();
        let mut kind_of: Vec<u32> = Vec::with_capacity(questions.len());
        let analysis = self.loaded.analysis();
        let slicer = |thread| analysis.replica(thread);
        for block in questions.chunks(65_536) {
            let batch = &*self;
            let outcomes = workers.map(block, 64, slicer, |replica, &(system, key)| {
                let question =
                    Question::unwaived(system, action, row_member[key], row_keys.values[key].1);
                batch.evaluate(replica.as_deref(), &question)
            });
            kind_of.extend(outcomes.into_iter().map(|o| distinct.id(o)));
        }
        // Which waivers in force cover each system and release, numbered:
        // cells of one row key and system class whose system and release
        // are covered alike are asked once, as a group.
        let mut coverings: Interned<Mask> = Interned::new();
        let mut release_coverings: Interned<Mask> = Interned::new();
        // A waived release's covering, numbered, and which systems' it meets.
        type ReleaseCovering = Option<(u32, Vec<bool>)>;
        let (waived_systems, waived_releases): (Vec<Option<u32>>, Vec<ReleaseCovering>) =
            match &mut self.in_force {
                Some(in_force) if !in_force.waivers.is_empty() => {
                    let facts = &self.epoch.facts;
                    let of_systems: Vec<Option<u32>> = systems
                        .iter()
                        .map(|&s| {
                            let covering =
                                in_force.of_system(facts, s).filter(|m| !m.is_empty())?;
                            Some(coverings.id(covering.clone()) as u32)
                        })
                        .collect();
                    let of_releases = releases
                        .iter()
                        .map(|&r| {
                            let covering =
                                in_force.of_release(facts, r).filter(|m| !m.is_empty())?;
                            // Which systems' coverings it meets.
                            let meets =
                                coverings.values.iter().map(|s| covering.meets(s)).collect();
                            Some((release_coverings.id(covering.clone()) as u32, meets))
                        })
                        .collect();
                    (of_systems, of_releases)
                }
                _ => (Vec::new(), vec![None; releases.len()]),
            };

        // Answers the cells of many rows share: one per outcome not
        // explained by chains (which name the release), made up front.
        let mut answers: Vec<Decision> = Vec::new();
        let mut shared: Vec<u32> = vec![u32::MAX; distinct.outcomes.len()];
        if let (Some(&system), Some(&release)) = (systems.first(), releases.first()) {
            for (kind, outcome) in distinct.outcomes.iter().enumerate() {
                if distinct.explained[kind] || distinct.with_errors[kind] {
                    continue;
                }
                let question = Question::unwaived(system, action, release, 0);
                shared[kind] = answers.len() as u32;
                // Shared by rows whose releases hold no approval.
                answers.push(self.dress(&question, outcome).with_approvals(Vec::new()));
            }
        }

        // Each row's own answers: one per outcome explained by chains (which
        // name the release), or with errors (for the cell it was evaluated
        // on), among those of its row key; every outcome, for a release
        // whose decisions name its Conditional Approvals. Made on the
        // workers, then numbered after the shared ones.
        let facts = &self.epoch.facts;
        let names_approvals =
            |release: usize| !facts.releases[release].equipment.approvals.is_empty();
        let approved: Vec<bool> = releases.iter().map(|&r| names_approvals(r)).collect();
        let all_rows: Vec<usize> = (0..releases.len()).collect();
        let own_answers = workers.map(
            &all_rows,
            4,
            |_| (),
            |_, &row| {
                let key = row_key[row];
                let mut kinds: Vec<u32> = question_of[key * width..(key + 1) * width]
                    .iter()
                    .map(|&asked| kind_of[asked as usize])
                    .filter(|&kind| {
                        approved[row]
                            || distinct.explained[kind as usize]
                            || distinct.with_errors[kind as usize]
                    })
                    .collect();
                kinds.sort_unstable();
                kinds.dedup();
                let question = Question::unwaived(
                    systems.first().copied().unwrap_or(0),
                    action,
                    releases[row],
                    row_keys.values[key].1,
                );
                kinds
                    .into_iter()
                    .map(|kind| {
                        (
                            kind,
                            self.dress(&question, &distinct.outcomes[kind as usize]),
                        )
                    })
                    .collect::<Vec<_>>()
            },
        );
        let mut own_of_rows: Vec<Vec<(u32, u32)>> = Vec::with_capacity(releases.len());
        for own in own_answers {
            let numbered = own
                .into_iter()
                .map(|(kind, answer)| {
                    answers.push(answer);
                    (kind, (answers.len() - 1) as u32)
                })
                .collect();
            own_of_rows.push(numbered);
        }

        // Each row's cells, written in place on the workers; a cell asked on
        // its own is left `u32::MAX`, and listed with the release's and the
        // system's coverings if waived.
        // Zeroed, so the allocator hands over untouched pages, which the
        // workers then write (every cell) in parallel: at 100 million cells,
        // writing them all once on this thread first took a tenth of a second.
        let mut cells: Vec<u32> = vec![0; releases.len() * systems.len()];
        let fill_row = |row: usize, row_cells: &mut [u32]| {
            let (release, key) = (releases[row], row_key[row]);
            let questions_of_row = &question_of[key * width..(key + 1) * width];
            let waived_release = waived_releases[row].as_ref();
            let own = &own_of_rows[row];
            let mut alone: Vec<(usize, Option<(u32, u32)>)> = Vec::new();
            for (column, ((&system, &class), cell)) in
                systems.iter().zip(&column_class).zip(row_cells).enumerate()
            {
                let asked = questions_of_row[class as usize] as usize;
                let kind = kind_of[asked] as usize;
                let covering = waived_release.and_then(|(of_release, meets)| {
                    let of_system = waived_systems[column]?;
                    meets[of_system as usize].then_some((*of_release, of_system))
                });
                let evaluated_here = (system, release) == (questions[asked].0, row_member[key]);
                *cell = if covering.is_some() || (distinct.with_errors[kind] && !evaluated_here) {
                    alone.push((column, covering));
                    u32::MAX
                } else if approved[row] || distinct.explained[kind] || distinct.with_errors[kind] {
                    own.iter()
                        .find(|(k, _)| *k as usize == kind)
                        .map_or(u32::MAX, |&(_, answer)| answer)
                } else {
                    shared[kind]
                };
            }
            alone
        };
        let alone_of_rows = workers.map_chunks_mut(&mut cells, systems.len().max(1), fill_row);

        // Cells are grouped by the evaluation they would share unwaived and
        // the coverings of their release and system: Cedar sees the same of
        // each cell of a group (see `Batch::share_out`), and its waivers are
        // the same.
        // Each row's cells asked on their own: (column, group if waived).
        let mut alone: Vec<Vec<(usize, Option<usize>)>> = Vec::with_capacity(releases.len());
        let mut groups: FastMap<(u32, u32, u32), usize> = FastMap::default();
        let mut group_cells: Vec<(usize, usize)> = Vec::new();
        // The evaluation each group's cells would share unwaived, and the
        // coverings of its release and system.
        let mut group_plans: Vec<usize> = Vec::new();
        let mut group_coverings: Vec<(u32, u32)> = Vec::new();
        for (row, row_alone) in alone_of_rows.into_iter().enumerate() {
            let key = row_key[row];
            let grouped = row_alone.into_iter().map(|(column, covering)| {
                let group = covering.map(|(of_release, of_system)| {
                    let plan = question_of[key * width + column_class[column] as usize];
                    let next = group_cells.len();
                    let group = *groups.entry((plan, of_release, of_system)).or_insert(next);
                    if group == next {
                        group_cells.push((systems[column], releases[row]));
                        group_coverings.push((of_release, of_system));
                        group_plans.push(plan as usize);
                    }
                    group
                });
                (column, group)
            });
            alone.push(grouped.collect());
        }
        // The groups of waived cells, each asked on its first cell: groups
        // share an evaluation when they would unwaived (see
        // `Batch::share_out`) and the policies see the same of what is
        // waived, since waivers change the context alone. An outcome with
        // errors is trusted only for its own cell.
        let mut keyed: FastMap<(usize, usize), usize> = FastMap::default();
        let mut firsts: Vec<usize> = Vec::new();
        // By pair of coverings: (waivers, waived, seen, liftable).
        type Waived = (Vec<usize>, usize, usize, bool);
        let mut asked_for: FastMap<(u32, u32), Waived> = FastMap::default();
        let group_questions: Vec<(Question, usize)> = group_cells
            .iter()
            .zip(&group_plans)
            .enumerate()
            .map(|(group, (&(system, release), &plan))| {
                // What is waived depends on the waivers covering the cell
                // alone: worked out once per pair of coverings.
                let covered = group_coverings[group];
                let (question, seen) = match asked_for.get(&covered) {
                    Some(&(ref waivers, waived, seen, liftable)) => {
                        let assurance = self.assurance_id(release);
                        self.prepare_context(assurance, waived);
                        if liftable {
                            self.prepare_context(assurance, 0);
                        }
                        let question = Question {
                            system,
                            action,
                            release,
                            waivers: waivers.clone(),
                            assurance,
                            waived,
                            liftable,
                        };
                        (question, seen)
                    }
                    None => {
                        let (question, (_, _, _, seen)) = self.question(system, action, release);
                        let asked = (
                            question.waivers.clone(),
                            question.waived,
                            seen,
                            question.liftable,
                        );
                        asked_for.insert(covered, asked);
                        (question, seen)
                    }
                };
                let next = firsts.len();
                let shared = *keyed.entry((plan, seen)).or_insert(next);
                if shared == next {
                    firsts.push(group);
                }
                (question, shared)
            })
            .collect();
        let batch = &*self;
        let outcomes = workers.map(&firsts, 16, slicer, |replica, &group| {
            batch.evaluate(replica.as_deref(), &group_questions[group].0)
        });
        let kinds: Vec<u32> = outcomes.iter().map(|o| distinct.id(o.clone())).collect();
        // Which waivers a group's cells used depends on their waivers (their
        // coverings') and what the policies see of them (their shared
        // evaluation's key): worked out on the workers (it may ask Cedar),
        // once per pair of the two, on the first group with it; each list
        // is numbered.
        let mut used_by: FastMap<(usize, (u32, u32)), usize> = FastMap::default();
        let mut asked_by: Vec<usize> = Vec::new();
        let pair_of_group: Vec<usize> = group_questions
            .iter()
            .zip(&group_coverings)
            .enumerate()
            .map(|(group, ((_, shared), &covered))| {
                *used_by.entry((*shared, covered)).or_insert_with(|| {
                    asked_by.push(group);
                    asked_by.len() - 1
                })
            })
            .collect();
        let batch = &*self;
        let used_of_pairs = workers.map(
            &asked_by,
            16,
            |_| (),
            |_, &group| {
                let (first, shared) = &group_questions[group];
                batch.used_waivers_of(first, &outcomes[*shared])
            },
        );
        let mut used_lists: Interned<Vec<crate::model::Id>> = Interned::new();
        let used_of_pairs: Vec<usize> = used_of_pairs
            .into_iter()
            .map(|used| used_lists.id(used))
            .collect();
        let group_used: Vec<usize> = pair_of_group
            .iter()
            .map(|&pair| used_of_pairs[pair])
            .collect();
        // Cells share an answer when their outcomes are alike (their kind)
        // and they used the same waivers, and, if chains explain it or its
        // release's approvals are named, when they are of one release (one
        // row). Each distinct answer is made on the workers once every cell
        // has its own: (system, release, group, shared evaluation, used
        // waivers).
        let mut to_make: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
        // The answer of every cell of a group whose outcome no chain
        // explains: the same in every row.
        let mut known: FastMap<(u32, usize), u32> = FastMap::default();
        let group_answer: Vec<Option<u32>> = (0..group_cells.len())
            .map(|group| {
                let shared = group_questions[group].1;
                let outcome = &outcomes[shared];
                // An outcome with errors serves only the cell it was asked
                // on, the first of the first group that shares it.
                let trusted = outcome.errors.is_empty() || firsts[shared] == group;
                let (_, release) = group_cells[group];
                if outcome.explained() || !trusted || names_approvals(release) {
                    return None;
                }
                let key = (kinds[shared], group_used[group]);
                Some(*known.entry(key).or_insert_with(|| {
                    let (system, release) = group_cells[group];
                    to_make.push((system, release, group, shared, group_used[group]));
                    (to_make.len() - 1) as u32
                }))
            })
            .collect();
        // Each row's cells, on the workers: the answer its group shares,
        // one of the row's own (explained by chains, so of this release),
        // or a question of its own.
        enum Answer {
            Shared(u32),
            OfRow(u32),
            Alone,
        }
        let rows: Vec<usize> = (0..releases.len()).collect();
        let answered = workers.map(
            &rows,
            16,
            |_| FastMap::<(u32, usize), u32>::default(),
            |of_row, &row| {
                of_row.clear();
                let release = releases[row];
                let mut own: Vec<(usize, usize)> = Vec::new();
                let answers: Vec<(usize, Answer)> = alone[row]
                    .iter()
                    .map(|&(column, group)| {
                        let Some(group) = group else {
                            return (column, Answer::Alone);
                        };
                        let shared = group_questions[group].1;
                        let outcome = &outcomes[shared];
                        let asked_here = (systems[column], release) == group_cells[firsts[shared]];
                        if !outcome.errors.is_empty() && !asked_here {
                            return (column, Answer::Alone);
                        }
                        if let Some(answer) = group_answer[group] {
                            return (column, Answer::Shared(answer));
                        }
                        let key = (kinds[shared], group_used[group]);
                        let index = *of_row.entry(key).or_insert_with(|| {
                            own.push((column, group));
                            (own.len() - 1) as u32
                        });
                        (column, Answer::OfRow(index))
                    })
                    .collect();
                (answers, own)
            },
        );
        let mut pending: Vec<(usize, u32)> = Vec::new();
        for (row, (row_answers, own)) in answered.into_iter().enumerate() {
            let first_own = to_make.len() as u32;
            to_make.extend(own.into_iter().map(|(column, group)| {
                let shared = group_questions[group].1;
                (
                    systems[column],
                    releases[row],
                    group,
                    shared,
                    group_used[group],
                )
            }));
            for (column, answer) in row_answers {
                let cell = row * systems.len() + column;
                match answer {
                    Answer::Shared(made) => pending.push((cell, made)),
                    Answer::OfRow(index) => pending.push((cell, first_own + index)),
                    Answer::Alone => {
                        cells[cell] = answers.len() as u32;
                        answers.push(self.decide(systems[column], action, releases[row]));
                    }
                }
            }
        }
        let batch = &*self;
        let made = workers.map(
            &to_make,
            16,
            |_| (),
            |_, &(system, release, group, shared, used)| {
                let first = &group_questions[group].0;
                let question = Question {
                    system,
                    release,
                    waivers: first.waivers.clone(),
                    ..*first
                };
                let used = used_lists.values[used].clone();
                batch.dress_with(&question, &outcomes[shared], used)
            },
        );
        let base = answers.len() as u32;
        answers.extend(made);
        for (cell, made) in pending {
            cells[cell] = base + made;
        }
        (answers, cells)
    }

    /// Which (row key, system class) pairs of a matrix need an evaluation
    /// of their own: the question each pair is answered by (row key by row
    /// key), and each question as (system, row key).
    ///
    /// A pair's policies, and what is known of them, are its masks (see
    /// [`Batch::evaluate`]). Two system classes with the same masks for a row
    /// get the same answer from Cedar unless some policy left to ask reads
    /// `principal` in a way the classes may differ on: beyond its system
    /// guard, or in a guard that does not hold for the class. Classes share
    /// a question only when no such policy is left. Without guards, or with
    /// more than 128 policies, every pair is its own question. Row keys are
    /// shared out on the workers.
    fn share_out(
        &self,
        action: Action,
        row_member: &[usize],
        class_member: &[usize],
        workers: &Workers,
    ) -> (Vec<u32>, Vec<(usize, usize)>) {
        let analysis = self.loaded.analysis();
        let width = class_member.len();
        let mut question_of: Vec<u32> = Vec::with_capacity(row_member.len() * width);
        let mut questions: Vec<(usize, usize)> = Vec::new();
        let masks = analysis.guards.as_ref().and_then(|guards| {
            let dates = self.dates.get_or_init(|| {
                guards.dates(&self.loaded.authorizer, &self.epoch.entities, self.at)
            });
            let sides = |profile: &Profile| {
                Some((
                    profile.scope.as_u128()?,
                    profile.guards.holds.as_u128()?,
                    profile.guards.fails.as_u128()?,
                ))
            };
            let systems: Option<Vec<_>> = class_member
                .iter()
                .map(|&s| sides(self.system(s)))
                .collect();
            let releases: Option<Vec<_>> =
                row_member.iter().map(|&r| sides(self.release(r))).collect();
            Some((
                analysis.actions[action_index(action)].1.as_u128()?,
                dates.holds.as_u128()?,
                dates.fails.as_u128()?,
                guards.complete.as_u128()?,
                guards.beyond_system.as_u128()?,
                systems?,
                releases?,
            ))
        });
        let Some((action, dates, dates_fail, complete, beyond_system, systems, releases)) = masks
        else {
            for key in 0..row_member.len() {
                for &system in class_member {
                    question_of.push(questions.len() as u32);
                    questions.push((system, key));
                }
            }
            return (question_of, questions);
        };
        // What the policies read of each class's system after their guards.
        let mut beyond: BTreeMap<Observation, usize> = BTreeMap::new();
        let mapping = self.loaded.mapping(self.epoch);
        let beyond_of: Vec<usize> = class_member
            .iter()
            .map(|&s| {
                let observed = analysis
                    .beyond_system_guards
                    .observe(&mapping, Ref::new(Kind::System, s));
                let next = beyond.len();
                *beyond.entry(observed).or_insert(next)
            })
            .collect();
        // Row keys are independent: each is shared out on a worker, its
        // questions numbered from 0, then numbered on in row order.
        let keys: Vec<usize> = (0..releases.len()).collect();
        type Asked = FastMap<(u128, u128, Reading), u32>;
        let rows = workers.map(
            &keys,
            4,
            |_| Asked::default(),
            |asked, &key| {
                asked.clear();
                let (r_scope, r_holds, r_fails) = releases[key];
                let for_release = action & r_scope;
                let mut asked_classes: Vec<usize> = Vec::new();
                let row: Vec<u32> = systems
                    .iter()
                    .enumerate()
                    .map(|(class, &(s_scope, s_holds, s_fails))| {
                        // As `evaluate` narrows a request.
                        let mask = for_release
                            & s_scope
                            & !s_fails
                            & !(s_holds & (dates & r_fails | dates_fail));
                        let known = mask & complete & s_holds & dates & r_holds;
                        // A guard neither true nor false may hold for one
                        // class and fail, or err, for another.
                        let reading = if mask & !s_holds != 0 {
                            Reading::Class(class)
                        } else if mask & beyond_system != 0 {
                            Reading::AfterGuards(beyond_of[class])
                        } else {
                            Reading::Nothing
                        };
                        *asked.entry((mask, known, reading)).or_insert_with(|| {
                            asked_classes.push(class);
                            (asked_classes.len() - 1) as u32
                        })
                    })
                    .collect();
                (row, asked_classes)
            },
        );
        for (key, (row, asked_classes)) in rows.into_iter().enumerate() {
            let first = questions.len() as u32;
            question_of.extend(row.into_iter().map(|question| first + question));
            questions.extend(
                asked_classes
                    .into_iter()
                    .map(|class| (class_member[class], key)),
            );
        }
        (question_of, questions)
    }

    /// The decision for a question, from its outcome.
    fn dress(&self, question: &Question, outcome: &Outcome) -> Decision {
        self.dress_with(question, outcome, self.used_waivers_of(question, outcome))
    }

    /// The waivers a question used, from its outcome.
    fn used_waivers_of(&self, question: &Question, outcome: &Outcome) -> Vec<crate::model::Id> {
        if outcome.lifted.is_empty() {
            Vec::new()
        } else {
            self.used_waivers(question, outcome)
        }
    }

    /// The decision for a question, from its outcome and the waivers it used.
    fn dress_with(
        &self,
        question: &Question,
        outcome: &Outcome,
        used_waivers: Vec<crate::model::Id>,
    ) -> Decision {
        let loaded = self.loaded;
        let explained = outcome.explained();
        let explained = explained.then(|| {
            let mentions = &loaded.policies.mentions();
            let mut anchors: Vec<usize> = outcome
                .deciding
                .iter()
                .chain(outcome.advice.iter())
                .filter_map(|rule| mentions.get(rule.id()))
                .flat_map(|m| m.vendors.iter())
                .filter_map(|id| loaded.corporate.node(id))
                .collect();
            anchors.sort_unstable();
            anchors.dedup();
            let ground = Ground {
                inventory: &loaded.inventory,
                corporate: &loaded.corporate,
                structure: &self.epoch.structure,
                facts: &self.epoch.facts,
            };
            let tests: BTreeSet<Aggregate> = outcome
                .deciding
                .iter()
                .chain(outcome.advice.iter())
                .filter_map(|rule| mentions.get(rule.id()))
                .flat_map(|m| m.aggregates.iter().copied())
                .collect();
            let tests: Vec<Aggregate> = tests.into_iter().collect();
            (
                self.epoch
                    .explanations
                    .chains(&ground, question.release, anchors),
                holdings(&ground, question.release, &tests),
            )
        });
        let (chains, holdings) = match explained {
            Some((chains, holdings)) => (Some(chains), holdings),
            None => (None, Vec::new()),
        };
        let asked = Asked {
            system: loaded.inventory.systems[question.system].id.clone(),
            action: question.action,
            release: loaded.inventory.releases[question.release].id.clone(),
            at: self.at,
        };
        // Most decisions use no waiver: look at the inventory's only for those that do.
        let non_enforcement: Vec<crate::model::Id> = if used_waivers.is_empty() {
            Vec::new()
        } else {
            loaded
                .inventory
                .waivers
                .iter()
                .filter(|w| w.kind == WaiverKind::NonEnforcement && used_waivers.contains(&w.id))
                .map(|w| w.id.clone())
                .collect()
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
        .with_holdings(holdings)
        .with_approvals(self.approvals(question.release))
        .with_non_enforcement(non_enforcement)
    }

    /// The Conditional Approvals in force for a release, as its decisions
    /// name them.
    fn approvals(&self, release: usize) -> Vec<Approval> {
        let inventory = &self.loaded.inventory;
        let held = &self.epoch.facts.releases[release].equipment.approvals;
        held.iter()
            .map(|held| Approval {
                release: inventory.releases[held.release].id.clone(),
                holder: match held.holder {
                    Holder::Vendor(v) => ApprovalHolder::Vendor(inventory.vendors[v].id.clone()),
                    Holder::Product(p) => ApprovalHolder::Product(inventory.products[p].id.clone()),
                },
                by: held.approval.by,
                from: held.approval.from,
                until: held.approval.until,
                source: held.approval.source.clone(),
            })
            .collect()
    }

    /// The waivers that lifted a rule which would otherwise have matched. A
    /// waiver names rules by the keys they test (their ids, or the key of a
    /// kind of waiver they accept). Where one waiver alone names a key a
    /// lifted rule tests, it lifted the rule; where several do, each is asked
    /// about alone, since a waiver in force may lift nothing (an agency
    /// head's waiver past its statutory cap, beside one of the DNI's).
    fn used_waivers(&self, question: &Question, outcome: &Outcome) -> Vec<crate::model::Id> {
        let loaded = self.loaded;
        let mentions = loaded.policies.mentions();
        let names = |waiver: usize, rule: &str| {
            let keys = &loaded.inventory.waivers[waiver].rules;
            keys.contains(rule)
                || mentions
                    .get(rule)
                    .is_some_and(|m| !m.waiver_keys.is_disjoint(keys))
        };
        let mut used: Vec<usize> = Vec::new();
        for rule in &outcome.lifted {
            let naming: Vec<usize> = question
                .waivers
                .iter()
                .copied()
                .filter(|&w| names(w, rule))
                .collect();
            match naming.as_slice() {
                [] => {}
                [only] => used.push(*only),
                several => used.extend(
                    several
                        .iter()
                        .copied()
                        .filter(|&w| self.lifts_alone(question, rule, w)),
                ),
            }
        }
        used.sort_unstable();
        used.dedup();
        used.into_iter()
            .map(|w| loaded.inventory.waivers[w].id.clone())
            .collect()
    }

    /// Whether `rule` does not match when only `waiver`'s keys are waived.
    /// If that cannot be asked, the waiver counts as used: it is in force and
    /// names the rule.
    fn lifts_alone(&self, question: &Question, rule: &str, waiver: usize) -> bool {
        let loaded = self.loaded;
        let Some(policy) = loaded
            .policies
            .binding()
            .policy(&cedar_policy::PolicyId::new(rule))
        else {
            return true;
        };
        let mut alone = PolicySet::new();
        if alone.add(policy.clone()).is_err() {
            return true;
        }
        let now = RestrictedExpression::new_datetime(self.at.to_cedar_string());
        let keys = &loaded.inventory.waivers[waiver].rules;
        let assurance = &self.assurance.values[question.assurance];
        let Ok(context) = build_context(now, assurance, keys) else {
            return true;
        };
        // About the representatives: whether the rule matches, or errs, is
        // the same for every member of their classes.
        let (principal, resource) = self.parties(question.system, question.release, false);
        let Ok(request) = Request::new(
            principal,
            loaded.analysis().actions[action_index(question.action)]
                .0
                .clone(),
            resource,
            context,
            None,
        ) else {
            return true;
        };
        let response = loaded
            .authorizer
            .is_authorized(&request, &alone, &self.epoch.entities);
        let matched = response
            .diagnostics()
            .reason()
            .any(|id| AsRef::<str>::as_ref(id) == rule);
        let errors = response.diagnostics().errors().next().is_some();
        errors || !matched
    }

    /// Evaluates a question with the engine's policies, or with a thread's
    /// own copy of them (`replica`): about the representatives of its
    /// system's and release's classes, and, if that errs, about themselves,
    /// so that the errors are those Cedar gives about them.
    fn evaluate(&self, replica: Option<&Slicer>, question: &Question) -> Outcome {
        let outcome = self.evaluate_on(replica, question, false);
        if outcome.errors.is_empty() {
            return outcome;
        }
        self.evaluate_on(replica, question, true)
    }

    /// Evaluates a question about the representatives, or `exactly`, about
    /// its own system and release on every entity.
    fn evaluate_on(&self, replica: Option<&Slicer>, question: &Question, exactly: bool) -> Outcome {
        let loaded = self.loaded;
        let entities = if exactly {
            match loaded.whole(self.epoch) {
                Ok(entities) => entities,
                Err(e) => return Outcome::failed(e.to_string()),
            }
        } else {
            &self.epoch.entities
        };
        let analysis = loaded.analysis();
        let &Question {
            system,
            action,
            release,
            assurance,
            waived,
            liftable,
            ..
        } = question;
        let (system_profile, release_profile) = (self.system(system), self.release(release));
        // A policy is left out when its scope cannot match, when its system
        // guard is false, when its system guard holds and its date guard is
        // false, or when its system and date guards hold and its release
        // guard is false: it is false for this request, without error.
        let mut mask = analysis.actions[action_index(action)]
            .1
            .and(&system_profile.scope)
            .and_not(&system_profile.guards.fails)
            .and(&release_profile.scope);
        // A policy whose whole condition is its guards, all three of which
        // hold, is satisfied without error: Cedar need not be asked about it.
        let mut known: Option<Mask> = None;
        if let Some(guards) = &analysis.guards {
            let dates = self
                .dates
                .get_or_init(|| guards.dates(&loaded.authorizer, &self.epoch.entities, self.at));
            let false_here = system_profile.guards.holds.and(
                &dates
                    .holds
                    .and(&release_profile.guards.fails)
                    .or(&dates.fails),
            );
            mask = mask.and_not(&false_here);
            known = Some(
                mask.and(&guards.complete)
                    .and(&system_profile.guards.holds)
                    .and(&dates.holds)
                    .and(&release_profile.guards.holds),
            );
        }
        let (mut forbidden, mut advised) = (Vec::new(), Vec::new());
        if let Some(known) = known.filter(|k| !k.is_empty()) {
            let mut settled = Vec::new();
            for (i, rule) in analysis.rules.iter().enumerate() {
                // Known permits stay with Cedar: a forbid may still match.
                let (Some(rule), true) = (rule, known.contains(i)) else {
                    continue;
                };
                if analysis.forbids.contains(i) {
                    forbidden.push(Arc::clone(rule));
                } else if analysis.advice.contains(i) {
                    advised.push(Arc::clone(rule));
                } else {
                    continue;
                }
                settled.push(i);
            }
            mask = mask.and_not(&Mask::new(analysis.rules.len(), |i| settled.contains(&i)));
        }
        let slice = replica.unwrap_or(&analysis.slicer).slice(&mask);

        let mut errors = Vec::new();
        let mut ask = |policies: &PolicySet, waived: usize| -> Option<Response> {
            let request = self
                .cedar_request(system, action, release, assurance, waived, exactly)
                .map_err(|e| errors.push(e.to_string()))
                .ok()?;
            Some(
                loaded
                    .authorizer
                    .is_authorized(&request, policies, entities),
            )
        };
        if let (Some(permits), true) = (&slice.allowed_by, forbidden.is_empty()) {
            let mut deciding: Vec<Arc<Rule>> = permits
                .iter()
                .filter_map(|id| loaded.policies.shared_rule(id).cloned())
                .collect();
            deciding.sort_by(|a, b| a.id().cmp(b.id()));
            // In id order, as everywhere else (the known ones come in the
            // order of the policy set).
            advised.sort_by(|a, b| a.id().cmp(b.id()));
            return Outcome {
                verdict: Verdict::Allow,
                deciding: deciding.into(),
                advice: advised.into(),
                lifted: Vec::new(),
                errors: Vec::new(),
            };
        }
        // A forbid known to match decides Deny; permits that can neither fail
        // nor forbid then have nothing to add.
        let binding_set = match &slice.binding {
            Some(_) if !forbidden.is_empty() && slice.binding_plain_permits => None,
            set => set.as_ref(),
        };
        let binding = binding_set.map(|set| ask(set, waived));
        let advice = slice.advice.as_ref().map(|set| ask(set, waived));
        // A waiver counts as used only if its rule would have matched without
        // it; if no policy of the slice reads the waivers, none was.
        let unwaived = match binding_set {
            Some(set) if liftable && mask.meets(&analysis.reads_waivers) => ask(set, 0),
            _ => None,
        };

        let (verdict, mut deciding) = match binding {
            // A forbid known to match and nothing else to ask, or no binding
            // policy in scope (nothing permits it).
            None => (Verdict::Deny, Vec::new()),
            // The request could not be built.
            Some(None) => (Verdict::Deny, Vec::new()),
            Some(Some(response)) => {
                errors.extend(response.diagnostics().errors().map(|e| e.to_string()));
                let allowed = response.decision() == cedar_policy::Decision::Allow;
                (
                    if allowed && forbidden.is_empty() {
                        Verdict::Allow
                    } else {
                        Verdict::Deny
                    },
                    self.rules_of(&response),
                )
            }
        };
        let mut advice = match advice.flatten() {
            Some(response) => {
                errors.extend(response.diagnostics().errors().map(|e| e.to_string()));
                self.rules_of(&response)
            }
            None => Vec::new(),
        };
        if !forbidden.is_empty() {
            deciding.extend(forbidden);
            deciding.sort_by(|a, b| a.id().cmp(b.id()));
        }
        if !advised.is_empty() {
            advice.extend(advised);
            advice.sort_by(|a, b| a.id().cmp(b.id()));
        }
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
            .filter_map(|id| self.loaded.policies.shared_rule(id).cloned())
            .collect();
        rules.sort_by(|a, b| a.id().cmp(b.id()));
        rules
    }
}

/// What the policies left to ask of a matrix's pair read of its system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Reading {
    /// Nothing: their system guards hold and they read it no further.
    Nothing,
    /// Only what they read after their guards, which hold: the number of
    /// what that shows of the system.
    AfterGuards(usize),
    /// Anything: the system's class.
    Class(usize),
}

/// The distinct outcomes of a matrix's evaluations. Outcomes without errors
/// are the same when their verdict and rules are (the rules are shared, so
/// compared by address); one with errors is never shared.
#[derive(Default)]
struct Distinct {
    ids: HashMap<(Verdict, Vec<usize>, Vec<usize>), u32>,
    outcomes: Vec<Outcome>,
    /// Whether a decision from it has chains, which name its release.
    explained: Vec<bool>,
    with_errors: Vec<bool>,
}

impl Distinct {
    fn id(&mut self, outcome: Outcome) -> u32 {
        let address = |rules: &[Arc<Rule>]| rules.iter().map(|r| Arc::as_ptr(r) as usize).collect();
        let key = outcome.errors.is_empty().then(|| {
            (
                outcome.verdict,
                address(&outcome.deciding),
                address(&outcome.advice),
            )
        });
        if let Some(&id) = key.as_ref().and_then(|key| self.ids.get(key)) {
            return id;
        }
        let id = self.outcomes.len() as u32;
        if let Some(key) = key {
            self.ids.insert(key, id);
        }
        self.explained.push(outcome.explained());
        self.with_errors.push(!outcome.errors.is_empty());
        self.outcomes.push(outcome);
        id
    }
}

/// What the policies can see of a set of waived rule ids: which of the ids
/// they test, or, if some policy reads the set another way, the set itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seen {
    Tests(Vec<bool>),
    Whole(BTreeSet<String>),
}

fn seen_of(loaded: &Loaded, waived: &BTreeSet<String>) -> Seen {
    match loaded.analysis().reads[2].tests_of(&["waivers"], waived) {
        Some(tests) => Seen::Tests(tests),
        None => Seen::Whole(waived.clone()),
    }
}

fn action_index(action: Action) -> usize {
    Action::ALL.iter().position(|a| *a == action).unwrap_or(0)
}
