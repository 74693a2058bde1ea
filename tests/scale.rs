//! The benchmarks' workload at ten times its size (`Size::scaled(10)`: 500
//! vendors, 5,000 releases, 1,000 systems, 3,220 deployments): that it is
//! what it says, and that the engine's decisions on it are those of plain
//! Cedar asked directly, pair by pair, through the sweep, the matrix and
//! single questions, on one thread or two, errors included.
//!
//! Release builds (`cargo test --release --test scale`) check every cell;
//! debug builds a fixed sample of them (see [`DEBUG_STRIDE`]).

#[path = "../benches/workload/mod.rs"]
mod workload;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use clearance::cedar_policy::{Authorizer, Decision as CedarDecision, Response};
use clearance::{Action, Decision, Engine, Id, Instant, Policies, Query, Verdict};

use workload::Size;

/// How many times the reference workload's size.
const FACTOR: usize = 10;

/// The second instant checked, beside the benchmarks' one: the corporate
/// structure differs (Lorex still Dahua's, Polder Security not yet
/// Kaspersky's, no company blocked yet) and agency heads' waivers are honoured.
const EARLIER: &str = "2021-06-01";

/// Debug builds ask Cedar (and [`Engine::decide`]) about every
/// `DEBUG_STRIDE`-th cell of each matrix: 10,021 of its 5,000,000. There
/// Cedar takes about a third of a millisecond a cell (both policy sets), so
/// the whole matrix would take some 25 minutes; the engine makes its six
/// matrices whole anyway (1 to 8 s each), and this sample keeps the file
/// at some 40 s on two cores (release builds check every cell, in about a
/// quarter of an hour). The stride is prime, so coprime with the 1,000
/// systems, and under half a row: the sample holds every system and every
/// release, not the same few columns. Cells with several advice rules are
/// checked too (see `check_matrix`). The sweeps, of 3,220 deployments, are
/// checked whole in every build.
const DEBUG_STRIDE: usize = 499;

/// How many cells apart the cells checked are: 1 in optimised builds.
fn stride() -> usize {
    if cfg!(debug_assertions) {
        DEBUG_STRIDE
    } else {
        1
    }
}

/// The engine on the 10x inventory and every shipped pack, on one thread:
/// built once for the whole file (a few seconds in a debug build).
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(
            workload::scaled_inventory(FACTOR),
            Policies::all_packs().unwrap(),
        )
        .unwrap()
    })
}

fn earlier() -> Instant {
    EARLIER.parse().unwrap()
}

/// Rule ids a Cedar response gives as reasons, sorted.
fn reasons(response: &Response) -> Vec<String> {
    let mut ids: Vec<String> = response
        .diagnostics()
        .reason()
        .map(|id| id.to_string())
        .collect();
    ids.sort();
    ids
}

/// What a set of checked decisions held, to show a sample is not vacuous.
#[derive(Debug, Default)]
struct Tally {
    checked: usize,
    allow: usize,
    deny: usize,
    forbidden: usize,
    advised: usize,
    /// Cells with errors, and those of them no forbid decided (Deny for the
    /// errors alone).
    failed: usize,
    denied_for_errors: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.checked += other.checked;
        self.allow += other.allow;
        self.deny += other.deny;
        self.forbidden += other.forbidden;
        self.advised += other.advised;
        self.failed += other.failed;
        self.denied_for_errors += other.denied_for_errors;
    }

    /// Both verdicts, denials a rule decided and advice were all met.
    fn assert_varied(&self, what: &str) {
        assert!(
            self.allow > 0 && self.deny > 0 && self.forbidden > 0 && self.advised > 0,
            "{what}: the cells checked lack variety: {self:?}"
        );
    }
}

/// `decision` is what Cedar answers when asked directly, with the engine's
/// request, the entities of the structure in force then, and the binding and
/// advice policy sets: Allow only if Cedar allows and nothing failed to
/// evaluate, Deny otherwise; every error Cedar met is one of the decision's;
/// the deciding rules are Cedar's reasons (the forbids that matched for a
/// Deny, the permits for an Allow), and the advice is the advice set's reasons.
fn assert_cedar_agrees(engine: &Engine, authorizer: &Authorizer, decision: &Decision) -> Tally {
    let asked = decision.asked();
    let what = format!(
        "{} {} on {} at {}",
        asked.action, asked.release, asked.system, asked.at
    );
    let request = engine.request(&Query::from(asked)).unwrap();
    let entities = engine.entities_at(asked.at).unwrap();
    let policies = engine.policies();
    let binding = authorizer.is_authorized(&request, policies.binding(), entities);
    let advice = authorizer.is_authorized(&request, policies.advice(), entities);

    let cedar_errors =
        binding.diagnostics().errors().count() + advice.diagnostics().errors().count();
    assert_eq!(
        decision.errors().len(),
        cedar_errors,
        "{what}: errors, the engine's {:?}",
        decision.errors()
    );
    let verdict = if binding.decision() == CedarDecision::Allow && cedar_errors == 0 {
        Verdict::Allow
    } else {
        Verdict::Deny
    };
    assert_eq!(decision.verdict(), verdict, "{what}: Cedar's verdict");
    // As tests/equivalence.rs compares them. When something failed to
    // evaluate, the permits Cedar matched no longer decide (the verdict is
    // Deny), so only the forbids it matched for a Deny remain.
    let rules = if cedar_errors == 0 || binding.decision() == CedarDecision::Deny {
        reasons(&binding)
    } else {
        Vec::new()
    };
    assert_eq!(decision.rule_ids(), rules, "{what}: Cedar's rules");
    assert_eq!(
        decision.advice_ids(),
        reasons(&advice),
        "{what}: Cedar's advice"
    );
    Tally {
        checked: 1,
        allow: usize::from(decision.allowed()),
        deny: usize::from(!decision.allowed()),
        forbidden: usize::from(!decision.allowed() && !decision.rule_ids().is_empty()),
        advised: usize::from(!decision.advice_ids().is_empty()),
        failed: usize::from(cedar_errors > 0),
        denied_for_errors: usize::from(cedar_errors > 0 && decision.rule_ids().is_empty()),
    }
}

/// `decision` is also what [`Engine::decide`] answers to the same question,
/// whole (verdict, rules, advice, waivers, errors, chains).
fn assert_single_agrees(engine: &Engine, decision: &Decision) {
    let single = engine.decide(&Query::from(decision.asked())).unwrap();
    assert_eq!(&single, decision, "Engine::decide");
}

/// A matrix as this file checks it: its rows, its columns and its cells,
/// row by row.
struct Cells {
    releases: Vec<Id>,
    systems: Vec<Id>,
    decisions: Vec<Decision>,
}

/// The one-thread engine's matrix for `action` at `at`.
fn matrix(action: Action, at: Instant) -> Cells {
    matrix_of(engine(), action, at)
}

/// `engine`'s matrix for `action` at `at`.
fn matrix_of(engine: &Engine, action: Action, at: Instant) -> Cells {
    let matrix = engine.matrix(action, at);
    Cells {
        releases: matrix.releases().to_vec(),
        systems: matrix.systems().to_vec(),
        decisions: matrix.into_decisions(),
    }
}

/// The one-thread matrix for `Action::Operate` at the reference instant,
/// which both its test against Cedar and the threads test check: made once,
/// since making a matrix of this size takes seconds in a debug build.
fn operate_matrix_now() -> &'static Cells {
    static CELLS: OnceLock<Cells> = OnceLock::new();
    CELLS.get_or_init(|| matrix(Action::Operate, workload::reference_instant()))
}

/// `engine`'s matrix for `action` at `at`: it has a cell for every release
/// (rows) against every system (columns), each answering its own question;
/// every `stride()`-th cell, and every cell with several advice rules, is
/// Cedar's answer and `Engine::decide`'s.
fn check_matrix(engine: &Engine, cells: &Cells, action: Action, at: Instant) -> Tally {
    let inventory = engine.inventory();
    let Cells {
        releases,
        systems,
        decisions,
    } = cells;
    assert!(releases.iter().eq(inventory.releases.iter().map(|r| &r.id)));
    assert!(systems.iter().eq(inventory.systems.iter().map(|s| &s.id)));
    assert_eq!(decisions.len(), releases.len() * systems.len());
    for (cell, decision) in decisions.iter().enumerate() {
        let asked = decision.asked();
        assert!(
            asked.action == action
                && asked.at == at
                && asked.release == releases[cell / systems.len()]
                && asked.system == systems[cell % systems.len()],
            "cell {cell} answers {asked:?}"
        );
    }
    // Beside every `stride()`-th cell, every cell with several advice rules:
    // there are about a hundred a matrix, and an order of the ids that
    // depends on the path taken to answer would show there.
    let sample: Vec<usize> = (0..decisions.len())
        .filter(|&cell| cell % stride() == 0 || decisions[cell].advice().len() > 1)
        .collect();
    let rows: HashSet<usize> = sample.iter().map(|cell| cell / systems.len()).collect();
    let columns: HashSet<usize> = sample.iter().map(|cell| cell % systems.len()).collect();
    assert_eq!(
        (rows.len(), columns.len()),
        (releases.len(), systems.len()),
        "the sample misses releases or systems"
    );
    let authorizer = Authorizer::new();
    let mut tally = Tally::default();
    for &cell in &sample {
        tally.add(assert_cedar_agrees(engine, &authorizer, &decisions[cell]));
        assert_single_agrees(engine, &decisions[cell]);
    }
    assert_eq!(tally.checked, sample.len());
    assert!(sample.len() >= decisions.len().div_ceil(stride()));
    tally.assert_varied(&format!("{action} at {at}"));
    tally
}

/// The engine's sweep at `at`: one decision per deployment, in inventory
/// order, each whether its system may keep running its release; each is
/// Cedar's answer and `Engine::decide`'s.
fn check_sweep(at: Instant) -> Tally {
    let engine = engine();
    let sweep = engine.sweep(at);
    let deployments = &engine.inventory().deployments;
    assert_eq!(sweep.len(), deployments.len());
    let authorizer = Authorizer::new();
    let mut tally = Tally::default();
    for (i, ((deployment, decision), expected)) in sweep.iter().zip(deployments).enumerate() {
        assert_eq!(deployment, expected, "deployment {i}");
        let asked = decision.asked();
        assert!(
            asked.action == Action::Operate
                && asked.at == at
                && asked.release == deployment.release
                && asked.system == deployment.system,
            "deployment {i} answers {asked:?}"
        );
        tally.add(assert_cedar_agrees(engine, &authorizer, decision));
        assert_single_agrees(engine, decision);
    }
    assert_eq!(tally.checked, sweep.len());
    tally.assert_varied(&format!("the sweep at {at}"));
    tally
}

#[test]
fn the_10x_inventory_is_valid_deterministic_and_of_the_stated_shape() {
    let size = Size::scaled(FACTOR);
    assert_eq!(
        (size.vendors, size.releases, size.systems, size.deployments),
        (600, 5_000, 1_000, 3_220)
    );
    assert_eq!(Size::scaled(1), Size::REFERENCE);

    let inventory = workload::scaled_inventory(FACTOR);
    inventory.validate().unwrap();
    // (Compared with `assert!`: a failing `assert_eq!` would print megabytes.)
    assert!(
        inventory == workload::generate_sized(workload::SEED, size),
        "generating twice gave different inventories"
    );
    assert!(
        inventory != workload::generate_sized(workload::SEED + 1, size),
        "the seed makes no difference"
    );
    assert!(
        workload::scaled_inventory(1) == workload::reference_inventory(),
        "at factor 1, not the reference inventory"
    );

    assert_eq!(inventory.vendors.len(), size.vendors);
    assert_eq!(inventory.releases.len(), size.releases);
    assert_eq!(inventory.systems.len(), size.systems);
    assert_eq!(inventory.deployments.len(), size.deployments);
    assert_eq!(inventory.authorisations.len(), size.authorisations);

    // Ids are unique within each kind; vendors and parties, which can both
    // own a company, share theirs.
    fn assert_unique<'a>(kind: &str, ids: impl Iterator<Item = &'a Id>) {
        let mut seen = HashSet::new();
        for id in ids {
            assert!(seen.insert(id), "{kind} `{id}` twice");
        }
    }
    assert_unique(
        "company",
        inventory
            .vendors
            .iter()
            .map(|v| &v.id)
            .chain(inventory.parties.iter().map(|p| &p.id)),
    );
    assert_unique("product", inventory.products.iter().map(|p| &p.id));
    assert_unique("release", inventory.releases.iter().map(|r| &r.id));
    assert_unique(
        "authorisation",
        inventory.authorisations.iter().map(|a| &a.id),
    );
    assert_unique(
        "organisation",
        inventory.organisations.iter().map(|o| &o.id),
    );
    assert_unique("system", inventory.systems.iter().map(|s| &s.id));
    assert_unique("waiver", inventory.waivers.iter().map(|w| &w.id));

    // 2 to 5 deployments on every system, of distinct releases it knows.
    let releases: HashSet<&Id> = inventory.releases.iter().map(|r| &r.id).collect();
    let mut per_system: HashMap<&Id, BTreeSet<&Id>> = HashMap::new();
    for d in &inventory.deployments {
        assert!(releases.contains(&d.release), "{d:?}");
        assert!(
            per_system.entry(&d.system).or_default().insert(&d.release),
            "{} deployed twice on {}",
            d.release,
            d.system
        );
    }
    assert!(inventory
        .systems
        .iter()
        .all(|s| per_system.contains_key(&s.id)));
    assert_eq!(per_system.len(), size.systems);
    for (system, deployed) in &per_system {
        assert!(
            (2..=5).contains(&deployed.len()),
            "{system}: {} deployments",
            deployed.len()
        );
    }
}

#[test]
fn the_10x_sweep_is_cedars_and_single_decisions_at_both_instants() {
    for at in [workload::reference_instant(), earlier()] {
        check_sweep(at);
    }
}

#[test]
fn the_10x_deploy_matrix_is_cedars_and_single_decisions_now() {
    let now = workload::reference_instant();
    check_matrix(engine(), &matrix(Action::Deploy, now), Action::Deploy, now);
}

#[test]
fn the_10x_deploy_matrix_is_cedars_and_single_decisions_in_2021() {
    check_matrix(
        engine(),
        &matrix(Action::Deploy, earlier()),
        Action::Deploy,
        earlier(),
    );
}

#[test]
fn the_10x_operate_matrix_is_cedars_and_single_decisions_now() {
    let now = workload::reference_instant();
    check_matrix(engine(), operate_matrix_now(), Action::Operate, now);
}

#[test]
fn the_10x_operate_matrix_is_cedars_and_single_decisions_in_2021() {
    check_matrix(
        engine(),
        &matrix(Action::Operate, earlier()),
        Action::Operate,
        earlier(),
    );
}

/// Rules that fail to evaluate for some releases (binding) and some systems
/// (advice), beside the shipped packs: errors are Cedar's cell by cell, never
/// carried from one cell to another that shares its answer, and they make
/// the verdict Deny even where Cedar, skipping the failing rule, allows.
#[test]
fn the_10x_matrix_with_rules_that_fail_is_cedars_errors_included() {
    let mut policies = Policies::all_packs().unwrap();
    policies
        .add_text(
            "failing.cedar",
            r#"@id("failing/by-major") @reason("overflows for audited releases of major 21 and more")
               forbid (principal, action, resource)
               when { resource.audited && resource.major * 439208192231179801 < 0 };

               @id("failing/by-tier") @reason("overflows for audited releases of major 20 and more on the top tier")
               @advice
               forbid (principal, action, resource)
               when { resource.audited && resource.major >= 20 && principal.tier * 2305843009213693952 < 0 };"#,
        )
        .unwrap();
    let engine = Engine::new(engine().inventory().clone(), policies).unwrap();
    let now = workload::reference_instant();
    let cells = matrix_of(&engine, Action::Operate, now);
    let tally = check_matrix(&engine, &cells, Action::Operate, now);
    assert!(
        tally.failed > 0 && tally.failed < tally.checked / 10 && tally.denied_for_errors > 0,
        "too few or too many cells with errors: {tally:?}"
    );
}

#[test]
fn two_threads_give_the_10x_matrix_and_sweeps_of_one_thread() {
    let serial = engine();
    let mut threaded =
        Engine::new(serial.inventory().clone(), Policies::all_packs().unwrap()).unwrap();
    threaded.set_threads(2);
    let at = workload::reference_instant();
    let one = operate_matrix_now();
    let two = threaded.matrix(Action::Operate, at);
    assert_eq!(two.releases(), one.releases);
    assert_eq!(two.systems(), one.systems);
    let two = two.into_decisions();
    assert_eq!(two.len(), one.decisions.len());
    // Comparing is cheap beside making the matrices: every cell, in any build.
    for (cell, (two, one)) in two.iter().zip(&one.decisions).enumerate() {
        assert_eq!(two, one, "cell {cell}");
    }
    for at in [at, earlier()] {
        let (two, one) = (threaded.sweep(at), serial.sweep(at));
        assert_eq!(two.len(), one.len());
        for (i, (two, one)) in two.iter().zip(&one).enumerate() {
            assert_eq!(two, one, "deployment {i} of the sweep at {at}");
        }
    }
}
