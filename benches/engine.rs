//! Benchmarks of the engine against Cedar asked directly, and against the
//! hand-written evaluation of the same rules (the floor), on the reference
//! workload of `benches/workload` (500 releases x 100 systems, every shipped
//! pack, at the workload's reference instant, 2026-06-01).
//!
//! ```text
//! cargo bench --bench engine              # everything (a few minutes on 2 cores)
//! cargo bench --bench engine -- matrix/   # one group
//! benches/run.sh                          # everything, plus memory, as a table
//! ```
//!
//! Groups:
//! - `decide`: one question. `engine` is [`Engine::decide`]; `plain-cedar`
//!   builds the request with [`Engine::request`] (the per-request cost an app
//!   using Cedar directly pays: the context's instant, waivers and assurance)
//!   and asks Cedar's `Authorizer` for the binding and the advice policy sets,
//!   with the engine's entities, built once; `hand-written` is
//!   `workload::hand`.
//! - `matrix`: every release against every system for `deploy`. `engine` is
//!   [`Engine::matrix`] (`engine-threads`: with one thread per core);
//!   `plain-cedar` one request and two `is_authorized` per pair;
//!   `plain-cedar-prebuilt` the same with every request built beforehand
//!   (Cedar's evaluation alone), and `plain-cedar-prebuilt-2-threads` on two
//!   threads, to show how Cedar itself scales; `hand-written` the floor.
//! - `sweep`: every deployment, `operate`: [`Engine::sweep`] against the same
//!   plain Cedar loop and the hand-written rules.
//!   `engine-first` is a fresh engine's first matrix, which also works out
//!   what the engine reads off the policies and knows of each system and
//!   release (kept for every later question).
//! - `load`: inventory JSON text to a ready engine, and its parts, against
//!   Cedar building the same entities through its API and from Cedar's entity
//!   JSON, both checked against the schema. `inventory-json-to-engine` reuses
//!   policies that have served an engine before; `inventory-json-to-first-
//!   decision` starts from fresh policies and answers one question, against
//!   Cedar building its entities and answering the same request.
//!
//! Throughput is in decisions (elements), so criterion prints decisions/s.

use std::hint::black_box;
use std::time::Duration;

use clearance::cedar_policy::{
    Authorizer, Context, Entities, Entity, EntityUid, Request, RestrictedExpression,
};
use clearance::{schema, Action, AuditLog, Engine, Inventory, Pack, Policies, Query};
use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput,
};

mod workload;

use workload::hand::HandWritten;

/// The parts of a Cedar request, from which it is built afresh.
struct RequestParts {
    principal: EntityUid,
    action: EntityUid,
    resource: EntityUid,
    context: Vec<(String, RestrictedExpression)>,
}

struct Fixture {
    engine: Engine,
    threaded: Engine,
    hand: HandWritten,
    at: clearance::Instant,
}

impl Fixture {
    fn new() -> Fixture {
        let inventory = workload::reference_inventory();
        let policies = Policies::all_packs().expect("the shipped packs");
        let engine = Engine::new(inventory.clone(), policies.clone()).expect("a valid workload");
        let mut threaded = Engine::new(inventory, policies).expect("a valid workload");
        threaded.set_threads(0);
        let hand = HandWritten::new(engine.inventory());
        Fixture {
            engine,
            threaded,
            hand,
            at: workload::reference_instant(),
        }
    }

    /// One request and the two authorisations an app using Cedar directly
    /// makes per question: binding rules, then advice. (`Engine::request`
    /// reuses contexts the engine has built for the same instant, which makes
    /// this baseline cheaper than an app building each context itself.)
    fn plain_cedar(&self, authorizer: &Authorizer, query: &Query) -> (bool, usize) {
        let request = self.engine.request(query).expect("a known pair");
        self.authorize(authorizer, &request)
    }

    /// The parts of one question's Cedar request, to build it afresh.
    fn request_parts(&self, query: &Query) -> RequestParts {
        let request = self.engine.request(query).expect("a known pair");
        RequestParts {
            principal: request.principal().expect("known").clone(),
            action: request.action().expect("known").clone(),
            resource: request.resource().expect("known").clone(),
            context: request
                .context()
                .expect("known")
                .clone()
                .into_iter()
                .collect(),
        }
    }

    /// As an app using Cedar directly answers one question: it builds the
    /// context (evaluating the `datetime`) and the request, then authorises.
    fn plain_cedar_fresh(&self, authorizer: &Authorizer, parts: &RequestParts) -> (bool, usize) {
        let context = Context::from_pairs(parts.context.clone()).expect("a valid context");
        let request = Request::new(
            parts.principal.clone(),
            parts.action.clone(),
            parts.resource.clone(),
            context,
            None,
        )
        .expect("a valid request");
        self.authorize(authorizer, &request)
    }

    fn authorize(&self, authorizer: &Authorizer, request: &Request) -> (bool, usize) {
        let entities = self.engine.entities().expect("the engine's entities");
        let policies = self.engine.policies();
        let binding = authorizer.is_authorized(request, policies.binding(), entities);
        let advice = authorizer.is_authorized(request, policies.advice(), entities);
        (
            binding.decision() == clearance::cedar_policy::Decision::Allow,
            advice.diagnostics().reason().count(),
        )
    }

    /// Every (system, release) pair for `action`, in matrix order.
    fn queries(&self, action: Action) -> Vec<Query> {
        let inventory = self.engine.inventory();
        inventory
            .releases
            .iter()
            .flat_map(|r| {
                inventory
                    .systems
                    .iter()
                    .map(move |s| Query::new(s.id.as_str(), action, r.id.as_str()).at(self.at))
            })
            .collect()
    }

    /// A representative single question: the first cell of the deploy matrix
    /// that a Kaspersky rule denies and advice applies to, so every part of a
    /// decision (rules, advice, chains) is produced.
    fn single(&self) -> Query {
        let matrix = self.hand.matrix(Action::Deploy, self.at);
        let queries = self.queries(Action::Deploy);
        let cell = matrix
            .iter()
            .position(|d| {
                !d.allow && d.advice != 0 && d.rule_ids().iter().any(|r| r.contains("kaspersky"))
            })
            .or_else(|| matrix.iter().position(|d| !d.allow))
            .expect("a denied pair");
        queries[cell].clone()
    }
}

/// Settings for groups whose one iteration takes a second or more: ten flat
/// samples of one iteration each.
fn slow(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
}

fn decide(c: &mut Criterion, f: &Fixture) {
    let query = f.single();
    let authorizer = Authorizer::new();
    let expected = f.engine.decide(&query).expect("a known pair");
    assert!(!expected.allowed());
    let mut group = c.benchmark_group("decide");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(1));
    group.bench_function("engine", |b| {
        b.iter(|| f.engine.decide(black_box(&query)).expect("a known pair"))
    });
    group.bench_function("plain-cedar", |b| {
        b.iter(|| f.plain_cedar(&authorizer, black_box(&query)))
    });
    let parts = f.request_parts(&query);
    group.bench_function("plain-cedar-fresh-context", |b| {
        b.iter(|| f.plain_cedar_fresh(&authorizer, black_box(&parts)))
    });
    // One question is one point; these ask 496 different ones (every 101st
    // cell of the deploy matrix: with 100 systems a row, a stride of 100 would
    // ask about one system only), one at a time, and report the mean.
    let varied: Vec<Query> = f.queries(Action::Deploy).into_iter().step_by(101).collect();
    let varied_parts: Vec<RequestParts> = varied.iter().map(|q| f.request_parts(q)).collect();
    group.throughput(Throughput::Elements(varied.len() as u64));
    group.bench_function("engine-varied", |b| {
        b.iter(|| {
            for query in &varied {
                black_box(f.engine.decide(black_box(query)).expect("a known pair"));
            }
        })
    });
    group.bench_function("plain-cedar-fresh-context-varied", |b| {
        b.iter(|| {
            for parts in &varied_parts {
                black_box(f.plain_cedar_fresh(&authorizer, black_box(parts)));
            }
        })
    });
    group.bench_function("hand-written", |b| {
        b.iter(|| {
            f.hand
                .decide(&query.system, query.action, &query.release, f.at)
                .expect("a known pair")
        })
    });
    group.finish();
}

fn matrix(c: &mut Criterion, f: &Fixture) {
    let action = Action::Deploy;
    let queries = f.queries(action);
    let authorizer = Authorizer::new();
    let mut group = c.benchmark_group("matrix");
    slow(&mut group);
    group.throughput(Throughput::Elements(queries.len() as u64));
    group.bench_function("engine", |b| b.iter(|| f.engine.matrix(action, f.at)));
    group.bench_function("engine-threads", |b| {
        b.iter(|| f.threaded.matrix(action, f.at))
    });
    // A fresh engine's first matrix: it also works out what the engine reads
    // off the policies, and what it knows of every system and release.
    group.bench_function("engine-first", |b| {
        b.iter_batched(
            || {
                let policies = Policies::all_packs().expect("the shipped packs");
                Engine::new(f.engine.inventory().clone(), policies).expect("a valid workload")
            },
            // The matrix is dropped in the measurement, as in `engine`.
            |engine| {
                drop(engine.matrix(action, f.at));
                engine
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("plain-cedar", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|q| f.plain_cedar(&authorizer, q))
                .filter(|(allowed, _)| *allowed)
                .count()
        })
    });
    let requests: Vec<Request> = queries
        .iter()
        .map(|q| f.engine.request(q).expect("a known pair"))
        .collect();
    group.bench_function("plain-cedar-prebuilt", |b| {
        b.iter(|| {
            requests
                .iter()
                .map(|r| f.authorize(&authorizer, r))
                .filter(|(allowed, _)| *allowed)
                .count()
        })
    });
    // How Cedar itself scales: the same prebuilt requests on two threads,
    // sharing the entities and the policy sets.
    group.bench_function("plain-cedar-prebuilt-2-threads", |b| {
        b.iter(|| {
            std::thread::scope(|scope| {
                let halves: Vec<_> = requests
                    .chunks(requests.len().div_ceil(2))
                    .map(|half| {
                        let authorizer = &authorizer;
                        scope.spawn(move || {
                            half.iter()
                                .map(|r| f.authorize(authorizer, r))
                                .filter(|(allowed, _)| *allowed)
                                .count()
                        })
                    })
                    .collect();
                halves
                    .into_iter()
                    .map(|h| h.join().expect("no panic"))
                    .sum::<usize>()
            })
        })
    });
    drop(requests);
    group.bench_function("hand-written", |b| b.iter(|| f.hand.matrix(action, f.at)));
    group.finish();
}

fn sweep(c: &mut Criterion, f: &Fixture) {
    let inventory = f.engine.inventory();
    let queries: Vec<Query> = inventory
        .deployments
        .iter()
        .map(|d| d.query(f.at))
        .collect();
    let authorizer = Authorizer::new();
    let mut group = c.benchmark_group("sweep");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(queries.len() as u64));
    group.bench_function("engine", |b| b.iter(|| f.engine.sweep(f.at)));
    group.bench_function("engine-threads", |b| b.iter(|| f.threaded.sweep(f.at)));
    group.bench_function("plain-cedar", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|q| f.plain_cedar(&authorizer, q))
                .filter(|(allowed, _)| *allowed)
                .count()
        })
    });
    group.bench_function("hand-written", |b| {
        b.iter(|| f.hand.sweep(inventory, Action::Operate, f.at))
    });
    group.finish();
}

fn load(c: &mut Criterion, f: &Fixture) {
    let inventory = f.engine.inventory().clone();
    let json = inventory.to_json();
    let policies = f.engine.policies().clone();
    // The same entities, as Cedar values and as Cedar's entity JSON (the
    // schema's action entities are left to the schema, as in the engine).
    let entities: Vec<Entity> = f
        .engine
        .entities()
        .expect("the engine's entities")
        .iter()
        .filter(|e| e.uid().type_name().to_string() != "Action")
        .cloned()
        .collect();
    let cedar_json = {
        let store = Entities::from_entities(entities.clone(), None).expect("valid entities");
        let mut out = Vec::new();
        store.write_to_json(&mut out).expect("serialisable");
        String::from_utf8(out).expect("UTF-8")
    };
    // Same entities both ways (the check leaves out the schema's action entities).
    let reparsed = Entities::from_json_str(&cedar_json, None).expect("valid JSON");
    let direct = Entities::from_entities(entities.clone(), None).expect("valid entities");
    assert!(reparsed.deep_eq(&direct));
    Entities::from_json_str(&cedar_json, Some(schema())).expect("conforms to the schema");

    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    // The policies here have served an engine before (the fixture's), so
    // what engines read off them is already worked out, as for an app that
    // loads its policies once and inventories often. The next two include
    // that work: fresh policies, and the first question.
    group.bench_function("inventory-json-to-engine", |b| {
        b.iter_batched(
            || policies.clone(),
            |policies| Engine::new(Inventory::from_json(&json).expect("valid"), policies),
            BatchSize::SmallInput,
        )
    });
    let query = f.single();
    group.bench_function("inventory-json-to-first-decision", |b| {
        b.iter_batched(
            || Policies::all_packs().expect("the shipped packs"),
            |policies| {
                let engine = Engine::new(Inventory::from_json(&json).expect("valid"), policies)
                    .expect("valid");
                let decision = engine.decide(&query).expect("a known pair");
                (engine, decision)
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("inventory-json", |b| {
        b.iter(|| Inventory::from_json(black_box(&json)).expect("valid"))
    });
    group.bench_function("engine-new", |b| {
        b.iter_batched(
            || (inventory.clone(), policies.clone()),
            |(inventory, policies)| Engine::new(inventory, policies).expect("valid"),
            BatchSize::SmallInput,
        )
    });
    // As an app using Cedar directly builds its store: one `Entity::new` per
    // entity from its attribute values, then the store, checked against the schema.
    type Parts = (
        EntityUid,
        std::collections::HashMap<String, RestrictedExpression>,
        std::collections::HashSet<EntityUid>,
    );
    let parts: Vec<Parts> = entities.iter().cloned().map(Entity::into_inner).collect();
    let through_api = |parts: Vec<Parts>| {
        let built = parts
            .into_iter()
            .map(|(uid, attrs, parents)| Entity::new(uid, attrs, parents).expect("valid"));
        Entities::from_entities(built, Some(schema())).expect("valid")
    };
    group.bench_function("cedar-entities-through-api", |b| {
        b.iter_batched(|| parts.clone(), through_api, BatchSize::SmallInput)
    });
    let request = f.engine.request(&query).expect("a known pair");
    let authorizer = Authorizer::new();
    group.bench_function("cedar-entities-through-api-to-first-decision", |b| {
        b.iter_batched(
            || parts.clone(),
            |parts| {
                let entities = through_api(parts);
                let policies = f.engine.policies();
                let binding = authorizer.is_authorized(&request, policies.binding(), &entities);
                let advice = authorizer.is_authorized(&request, policies.advice(), &entities);
                (entities, binding, advice)
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("cedar-from-entities", |b| {
        b.iter_batched(
            || entities.clone(),
            |entities| Entities::from_entities(entities, Some(schema())).expect("valid"),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("cedar-entity-json", |b| {
        b.iter(|| Entities::from_json_str(black_box(&cedar_json), Some(schema())).expect("valid"))
    });
    group.bench_function("policies-all-packs", |b| {
        b.iter(|| Policies::all_packs().expect("the shipped packs"))
    });
    group.finish();
}

/// The impact of a policy change (every pack, against every pack but the
/// FCC Covered List) against what it costs without it: an engine with the
/// new policies, then a matrix from each.
fn impact(c: &mut Criterion, f: &Fixture) {
    let action = Action::Deploy;
    let before: Vec<Pack> = Pack::ALL
        .iter()
        .copied()
        .filter(|p| *p != Pack::UsFccCoveredList)
        .collect();
    let policies = Policies::from_packs(&before).expect("the shipped packs");
    let engine = Engine::new(f.engine.inventory().clone(), policies).expect("a valid workload");
    let after = f.engine.policies().clone();
    let cells = engine.inventory().releases.len() * engine.inventory().systems.len();
    let mut group = c.benchmark_group("impact");
    slow(&mut group);
    group.throughput(Throughput::Elements(cells as u64));
    group.bench_function("engine", |b| {
        b.iter(|| engine.impact(&after, action, f.at).expect("an impact"))
    });
    group.bench_function("new-engine-and-two-matrices", |b| {
        b.iter(|| {
            let other = Engine::new(engine.inventory().clone(), after.clone()).expect("an engine");
            (engine.matrix(action, f.at), other.matrix(action, f.at))
        })
    });
    group.finish();
}

/// What recording decisions costs: a decision and a sweep with no audit log,
/// and with one writing every record (or one summary) to `io::sink`.
fn audit(c: &mut Criterion, f: &Fixture) {
    let inventory = f.engine.inventory().clone();
    let policies = f.engine.policies().clone();
    let logged = |log: Option<AuditLog>| {
        let mut engine =
            Engine::new(inventory.clone(), policies.clone()).expect("a valid workload");
        engine.set_audit(log);
        engine
    };
    let off = logged(None);
    let every = logged(Some(AuditLog::new("sink", std::io::sink())));
    let summaries = logged(Some(AuditLog::new("sink", std::io::sink()).summaries()));
    let query = f.single();
    let mut group = c.benchmark_group("audit");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("decide-off", |b| b.iter(|| off.decide(&query)));
    group.bench_function("decide-on", |b| b.iter(|| every.decide(&query)));
    group.bench_function("sweep-off", |b| b.iter(|| off.sweep(f.at)));
    group.bench_function("sweep-every-record", |b| b.iter(|| every.sweep(f.at)));
    group.bench_function("sweep-summary", |b| b.iter(|| summaries.sweep(f.at)));
    group.finish();
}

fn benches(c: &mut Criterion) {
    let f = Fixture::new();
    decide(c, &f);
    matrix(c, &f);
    sweep(c, &f);
    load(c, &f);
    impact(c, &f);
    audit(c, &f);
}

criterion_group!(engine, benches);
criterion_main!(engine);
