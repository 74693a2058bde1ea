//! `Engine::export` against Cedar itself: every question is exported, the
//! files are read back with `cedar-policy`'s own parsers the way
//! `cedar-policy-cli` reads them (`authorize --policies --schema --entities
//! --request-json`, `validate`), and Cedar's answer on them must be the
//! engine's: the same verdict (the engine failing closed on errors), the same
//! deciding rules and the same advice. The questions are every scenario of
//! DOMAIN.md on the example inventory, whole matrices of it, questions on the
//! packs' fixture world (waivers, advice, corporate reach, ownership dates)
//! and the benchmarks' reference workload, where the entities exported are
//! also checked to be the few that matter.

#[path = "../benches/workload/mod.rs"]
mod workload;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;

use clearance::cedar_policy::{
    Authorizer, Context, Decision as CedarDecision, Effect, Entities, EntityUid, PolicySet,
    Request, Response, Schema, ValidationMode, Validator,
};
use clearance::{
    Action, Decision, Engine, ErrorKind, Export, Instant, Inventory, Policies, Query, Verdict,
};

// ---------------------------------------------------------------------------
// Engines, built once
// ---------------------------------------------------------------------------

fn article() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
        Engine::new(inventory, Policies::all_packs().unwrap()).unwrap()
    })
}

fn world() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        // The fixture of `tests/packs.rs`, which the packs' own test suites
        // have taken over.
        let path = [
            "policies/tests/data/world.json",
            "tests/data/packs-world.json",
        ]
        .into_iter()
        .find(|path| Path::new(path).is_file())
        .expect("the packs' fixture world");
        let inventory = Inventory::from_path(path).unwrap();
        Engine::new(inventory, Policies::all_packs().unwrap()).unwrap()
    })
}

fn reference() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(
            workload::reference_inventory(),
            Policies::all_packs().unwrap(),
        )
        .unwrap()
    })
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("export-{name}"));
    std::fs::remove_dir_all(&dir).ok();
    dir
}

fn query(system: &str, action: Action, release: &str, at: &str) -> Query {
    Query::new(system, action, release).at(at.parse().unwrap())
}

// ---------------------------------------------------------------------------
// Reading an export back, as Cedar's CLI does
// ---------------------------------------------------------------------------

/// An export read back with Cedar's parsers.
struct ReadBack {
    policies: PolicySet,
    advice: PolicySet,
    schema: Schema,
    entities: Entities,
    request: Request,
    expected: serde_json::Value,
}

/// Policy text as `cedar-policy-cli` reads `--policies`: parsed, then each
/// policy renamed after its `@id` annotation (its `rename_from_id_annotation`).
fn policy_set(text: &str) -> PolicySet {
    let parsed = PolicySet::from_str(text).unwrap_or_else(|e| panic!("{e:?}"));
    let mut renamed = PolicySet::new();
    for policy in parsed.policies() {
        let policy = match policy.annotation("id") {
            Some(id) => policy.new_id(id.parse().unwrap()),
            None => policy.clone(),
        };
        renamed.add(policy).unwrap();
    }
    renamed
}

fn schema_of(text: &str) -> Schema {
    let (schema, warnings) = Schema::from_cedarschema_str(text).unwrap();
    assert_eq!(warnings.count(), 0);
    schema
}

/// The request as `--request-json` is read: each uid parsed from its
/// `Type::"id"` string, the context with the schema for the action, and the
/// request validated against the schema (the CLI's default).
fn request_of(json: &serde_json::Value, schema: &Schema) -> Request {
    let uid = |part: &str| {
        let text = json[part]
            .as_str()
            .unwrap_or_else(|| panic!("{part} is a string"));
        EntityUid::from_str(text).unwrap_or_else(|e| panic!("{part} {text}: {e}"))
    };
    let (principal, action, resource) = (uid("principal"), uid("action"), uid("resource"));
    let object = json.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["action", "context", "principal", "resource"]);
    let context = Context::from_json_value(json["context"].clone(), Some((schema, &action)))
        .unwrap_or_else(|e| panic!("context: {e}"));
    Request::new(principal, action, resource, context, Some(schema))
        .unwrap_or_else(|e| panic!("request: {e}"))
}

fn read_files(dir: &Path) -> ReadBack {
    let text = |name: &str| {
        std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let json = |name: &str| -> serde_json::Value { serde_json::from_str(&text(name)).unwrap() };
    let schema = schema_of(&text("clearance.cedarschema"));
    let entities = Entities::from_json_value(json("entities.json"), Some(&schema))
        .unwrap_or_else(|e| panic!("entities: {e}"));
    let request = request_of(&json("request.json"), &schema);
    ReadBack {
        policies: policy_set(&text("policies.cedar")),
        advice: policy_set(&text("advice.cedar")),
        entities,
        request,
        expected: json("expected.json"),
        schema,
    }
}

/// The same, from the export in memory (no files), for the bulk checks.
fn read_memory(export: &Export, policies: &(PolicySet, PolicySet), schema: &Schema) -> ReadBack {
    ReadBack {
        policies: policies.0.clone(),
        advice: policies.1.clone(),
        entities: Entities::from_json_value(export.entities_json().clone(), Some(schema))
            .unwrap_or_else(|e| panic!("entities: {e}")),
        request: request_of(export.request_json(), schema),
        expected: export.expected_json(),
        schema: schema.clone(),
    }
}

/// What Cedar answers, in the engine's terms: the verdict (Deny on any
/// evaluation error: the engine fails closed), the deciding rules (for a
/// Deny, the forbids among Cedar's reasons), the advice (the reasons of the
/// advice set) and how many errors there were.
#[derive(Debug, PartialEq)]
struct Answer {
    verdict: Verdict,
    rules: Vec<String>,
    advice: Vec<String>,
    errors: usize,
}

fn reasons(response: &Response) -> Vec<String> {
    let mut ids: Vec<String> = response
        .diagnostics()
        .reason()
        .map(ToString::to_string)
        .collect();
    ids.sort();
    ids
}

fn cedar_answer(back: &ReadBack, entities: &Entities) -> Answer {
    let authorizer = Authorizer::new();
    let binding = authorizer.is_authorized(&back.request, &back.policies, entities);
    let advice = authorizer.is_authorized(&back.request, &back.advice, entities);
    let errors = binding.diagnostics().errors().count() + advice.diagnostics().errors().count();
    let verdict = match (binding.decision(), errors) {
        (CedarDecision::Allow, 0) => Verdict::Allow,
        _ => Verdict::Deny,
    };
    let rules = reasons(&binding)
        .into_iter()
        .filter(|id| {
            verdict == Verdict::Allow
                || back.policies.policy(&id.parse().unwrap()).unwrap().effect() == Effect::Forbid
        })
        .collect();
    Answer {
        verdict,
        rules,
        advice: reasons(&advice),
        errors,
    }
}

fn engine_answer(decision: &Decision) -> Answer {
    let sorted = |ids: Vec<&str>| {
        let mut ids: Vec<String> = ids.into_iter().map(str::to_owned).collect();
        ids.sort();
        ids
    };
    Answer {
        verdict: decision.verdict(),
        rules: sorted(decision.rule_ids()),
        advice: sorted(decision.advice_ids()),
        errors: decision.errors().len(),
    }
}

/// Cedar's answer on the read-back export is the engine's; so is its answer
/// with every entity of the engine (the subset loses nothing); the policies
/// strictly validate; `expected.json` is the engine's answer.
#[track_caller]
fn agrees(engine: &Engine, back: &ReadBack, decision: &Decision) {
    let asked = decision.asked();
    let label = format!(
        "{} {} {} {}",
        asked.system, asked.action, asked.release, asked.at
    );
    let on_export = cedar_answer(back, &back.entities);
    assert_eq!(on_export, engine_answer(decision), "{label}: {decision}");
    let everything = engine.entities_at(asked.at).unwrap();
    assert_eq!(cedar_answer(back, everything), on_export, "{label}");

    assert_eq!(
        back.expected["verdict"],
        decision.verdict().to_string().to_lowercase()
    );
    assert_eq!(
        back.expected["rules"],
        serde_json::json!(decision.rule_ids())
    );
    assert_eq!(
        back.expected["advice"],
        serde_json::json!(decision.advice_ids())
    );
    assert_eq!(
        back.expected["errors"],
        serde_json::json!(decision.errors())
    );
    assert_eq!(back.expected["at"], asked.at.to_string());
}

#[track_caller]
fn validates(back: &ReadBack) {
    let validator = Validator::new(back.schema.clone());
    for set in [&back.policies, &back.advice] {
        let result = validator.validate(set, ValidationMode::Strict);
        let problems: Vec<String> = result
            .validation_errors()
            .map(ToString::to_string)
            .chain(result.validation_warnings().map(ToString::to_string))
            .collect();
        assert!(problems.is_empty(), "{problems:?}");
    }
}

/// Exports `query`, writes the files, reads them back and checks them.
#[track_caller]
fn round_trip(engine: &Engine, query: &Query, dir: &Path) -> Export {
    let export = engine.export(query).unwrap();
    let written = export.write_to(dir).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, Export::FILES);
    let back = read_files(dir);
    validates(&back);
    assert_eq!(export.decision(), &engine.decide(query).unwrap());
    agrees(engine, &back, export.decision());
    export
}

/// The policy sets of an engine's exports, read back once.
fn policy_sets(export: &Export) -> (PolicySet, PolicySet) {
    (
        policy_set(export.policies_text()),
        policy_set(export.advice_text()),
    )
}

// ---------------------------------------------------------------------------
// The questions
// ---------------------------------------------------------------------------

/// Every question `tests/scenarios.rs` asks of the example inventory.
const SCENARIOS: &str = "
    mod-secret               deploy  kes-12               2018-01-10
    mod-secret               deploy  kes-12               2017-11-30
    mod-secret               deploy  kes-12               2017-12-01
    fco-official             deploy  kes-12               2018-01-10
    dfe-official             deploy  kes-12               2018-01-10
    dfe-official             operate kes-12               2022-03-28
    dfe-official             operate kes-12               2022-03-29
    council-official         operate kes-12               2022-03-28
    council-official         operate kes-12               2022-03-29
    uk-home-laptop           deploy  kis-2024             2024-10-01
    uk-home-laptop           update  kis-2024             2024-10-01
    us-home-laptop           update  kis-2024             2024-10-01
    us-home-laptop           update  kis-2024             2024-09-15
    us-home-laptop           procure kis-2024             2024-07-25
    us-home-laptop           operate kis-2024             2024-10-01
    us-business-soc          update  kti-2024             2024-10-01
    us-business-soc          procure kti-2024             2024-10-01
    gsa-desktops             deploy  shield-av-1          2019-06-01
    contractor-endpoints     deploy  hexagone-suite-2018  2019-06-01
    contractor-endpoints     deploy  hexagone-suite-2018  2018-09-30
    gsa-facility-cctv        deploy  hikvision-nvr-4      2021-06-01
    gsa-facility-cctv        deploy  hikvision-nvr-4      2021-09-01
    gsa-research-lab         deploy  dahua-camera-2       2023-01-10
    gsa-facility-cctv        deploy  dahua-camera-2       2023-01-10
    gsa-network              procure huawei-router-22     2023-01-10
    gsa-research-lab         procure huawei-router-22     2023-01-10
    gsa-facility-cctv        procure huawei-router-22     2023-01-10
    mod-logistics            deploy  nordlys-av-5.2       2023-06-01
    mod-logistics            deploy  nordlys-av-5.3       2023-06-01
    mod-secret               deploy  kes-12               2023-06-01
    dfe-remote-access        deploy  redoubt-vpn-3.1      2020-01-10
    mod-secret-crypto        deploy  redoubt-vpn-3.1      2020-01-10
    gsa-high-enclave         deploy  cumulus-crm-2024     2024-10-01
    dfe-remote-access        operate redoubt-vpn-3.1      2023-04-01
    home-affairs-desktops    operate kes-12               2025-04-02
    home-affairs-malware-lab operate kes-12               2025-04-02
    home-affairs-malware-lab operate kes-12               2026-01-02
    home-affairs-malware-lab procure kes-12               2025-04-02
    stadtwerke-office        operate kes-12               2023-05-01
    stadtwerke-office        operate kes-12               2022-03-14
    dfe-official             deploy  defender-4.18        2024-01-01
    lt-mod-desktops          deploy  kes-12               2017-12-20
    lt-mod-desktops          deploy  kes-12               2017-12-19
    lt-mod-desktops          operate kes-12               2018-01-10
    nl-justice-desktops      deploy  kes-12               2018-06-01
    nl-justice-desktops      operate kes-12               2018-06-01
    nl-justice-desktops      operate kti-2024             2018-06-01
    gsa-desktops             deploy  kis-2019             2019-06-01
    us-home-laptop           update  kav-2024             2024-10-01
    gsa-desktops             procure field-laptop-3       2023-01-10
    gsa-desktops             procure field-laptop-3-wifi  2023-01-10
    gsa-facility-cctv        deploy  lorex-camera-2       2020-06-01
    gsa-facility-cctv        deploy  lorex-camera-2       2024-06-01
    barclays-customer-offers procure kis-2024             2017-12-04
";

/// Questions on the packs' fixture world, each showing something the
/// export must carry: waivers in force, advice, corporate reach, ownership
/// dates, OFAC's 50% rule.
const WORLD: &str = "
    gsa-facility-cctv     deploy  hikvision-nvr-4     2021-06-01  # an agency head's waiver in force
    gsa-facility-cctv     deploy  hikvision-nvr-4     2021-08-13  # ... past its cap
    home-affairs-desktops operate kes-12              2025-06-01  # a PSPF exemption in force
    contractor-endpoints  operate huawei-router-22    2022-08-12  # a contractor's waiver
    stadtwerke-office     operate kes-12              2022-03-15  # allowed, with the BSI's advice
    de-home-laptop        operate kav-2024            2023-05-01  # advice reaching the group
    home-affairs-desktops deploy  ooo-av-1            2025-04-02  # denied through the group
    home-affairs-desktops deploy  kav-2024            2025-04-02
    gsa-desktops          deploy  minority-av-1       2019-06-01  # majority ownership without control
    gsa-desktops          deploy  split-av-1          2019-06-01  # ownership through a subsidiary
    gsa-facility-cctv     deploy  lorex-cam-1         2020-06-01  # Dahua's subsidiary then
    gsa-facility-cctv     deploy  lorex-cam-1         2024-01-01  # sold
    us-business-soc       procure party-owned-app-1   2023-01-10  # 50% by a designated person
    us-business-soc       update  two-owners-app-1    2023-01-10  # 30% + 30%
    us-business-soc       procure owned-49-app-1      2023-01-10  # 49%
";

fn questions(table: &str) -> Vec<Query> {
    table
        .lines()
        .map(|line| line.split('#').next().unwrap().trim())
        .filter(|line| !line.is_empty())
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let [system, action, release, at] = words[..] else {
                panic!("bad row: {line}");
            };
            query(system, action.parse().unwrap(), release, at)
        })
        .collect()
}

fn slug(query: &Query) -> String {
    format!(
        "{}-{}-{}-{}",
        query.system,
        query.action,
        query.release,
        query.at.unwrap().to_string().replace(':', "")
    )
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[test]
fn every_scenario_exported_and_read_back_gives_the_engines_answer() {
    let dir = scratch("scenarios");
    let questions = questions(SCENARIOS);
    assert_eq!(questions.len(), 54);
    let mut verdicts = BTreeSet::new();
    for query in &questions {
        let export = round_trip(article(), query, &dir.join(slug(query)));
        verdicts.insert((
            export.decision().verdict() == Verdict::Allow,
            export.decision().advice().len() > 0,
        ));
    }
    // Allow, Allow with advice and Deny are all among them.
    assert!(verdicts.contains(&(true, true)) && verdicts.contains(&(true, false)));
    assert!(verdicts.contains(&(false, false)));
}

#[test]
fn the_fixture_worlds_waivers_advice_reach_and_dates_read_back_the_same() {
    let dir = scratch("world");
    let mut seen = (false, false, false, false);
    for query in questions(WORLD) {
        let export = round_trip(world(), &query, &dir.join(slug(&query)));
        let d = export.decision();
        let context = &export.request_json()["context"];
        if !d.waivers().is_empty() {
            // The waiver's key is in the context Cedar is handed.
            assert!(
                !context["waivers"].as_array().unwrap().is_empty(),
                "{context}"
            );
            seen.0 = true;
        }
        seen.1 |= d.allowed() && d.advice().len() > 0;
        seen.2 |= !d.allowed() && !d.chains().is_empty();
        seen.3 |= query.release == "lorex-cam-1";
    }
    assert_eq!(seen, (true, true, true, true));

    // Lorex is in Dahua's group in 2020 and not in 2024: the entities of each
    // export are those of the structure in force at its instant.
    let group = |at: &str| -> Vec<String> {
        let export = world()
            .export(&query(
                "gsa-facility-cctv",
                Action::Deploy,
                "lorex-cam-1",
                at,
            ))
            .unwrap();
        let release = export
            .entities_json()
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["uid"]["type"] == "Release")
            .unwrap()
            .clone();
        release["attrs"]["vendorGroup"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["__entity"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(group("2020-06-01").contains(&"dahua".to_owned()));
    assert!(!group("2024-06-01").contains(&"dahua".to_owned()));
}

#[test]
fn whole_matrices_of_the_example_inventory_read_back_the_same() {
    let engine = article();
    let inventory = engine.inventory();
    let first = engine
        .export(&query("mod-secret", Action::Deploy, "kes-12", "2018-01-10"))
        .unwrap();
    let sets = policy_sets(&first);
    let schema = schema_of(first.schema_text());
    let mut cells = 0;
    // When agency heads' waivers were honoured and Lorex was Dahua's; and
    // when the later rules are in force.
    for at in ["2021-06-01", "2025-06-01"] {
        for action in Action::ALL {
            for system in &inventory.systems {
                for release in &inventory.releases {
                    let q = query(system.id.as_str(), *action, release.id.as_str(), at);
                    let export = engine.export(&q).unwrap();
                    // One engine, one policy text: parsed once above.
                    assert_eq!(export.policies_text(), first.policies_text());
                    let back = read_memory(&export, &sets, &schema);
                    agrees(engine, &back, export.decision());
                    cells += 1;
                }
            }
        }
    }
    assert_eq!(
        cells,
        2 * 4 * inventory.systems.len() * inventory.releases.len()
    );
}

#[test]
fn the_reference_workloads_sweep_reads_back_the_same_from_few_entities() {
    let engine = reference();
    let at: Instant = workload::INSTANT.parse().unwrap();
    let everything = engine.entities_at(at).unwrap();
    let first = engine
        .export(&engine.inventory().deployments[0].query(at))
        .unwrap();
    let sets = policy_sets(&first);
    let schema = schema_of(first.schema_text());
    let mut largest = 0;
    for (deployment, decision) in engine.sweep(at) {
        let export = engine.export(&deployment.query(at)).unwrap();
        assert_eq!(export.decision(), &decision);
        let back = read_memory(&export, &sets, &schema);
        agrees(engine, &back, &decision);

        // Each entity exported is the engine's own, unchanged.
        let mut exported = 0;
        for entity in back.entities.iter() {
            if entity.uid().type_name().to_string() == "Action" {
                continue;
            }
            let original = everything
                .get(&entity.uid())
                .unwrap_or_else(|| panic!("{} is not the engine's", entity.uid()));
            assert!(original.deep_eq(entity), "{}", entity.uid());
            exported += 1;
        }
        largest = largest.max(exported);
    }
    // Far fewer than the inventory's hundreds of entities.
    assert!(everything.len() > 600, "{}", everything.len());
    assert!(
        largest * 4 < everything.len(),
        "{largest} of {}",
        everything.len()
    );
}

#[test]
fn the_entities_are_exactly_those_that_matter() {
    let export = article()
        .export(&query("mod-secret", Action::Deploy, "kes-12", "2018-01-10"))
        .unwrap();
    let uids: BTreeSet<String> = export
        .entities_json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}::{}", e["uid"]["type"].as_str().unwrap(), e["uid"]["id"]))
        .collect();
    // The question's three, and the system's owner above it.
    for uid in [
        r#"System::"mod-secret""#,
        r#"Release::"kes-12""#,
        r#"Action::"deploy""#,
        r#"Organisation::"uk-mod""#,
        r#"Product::"kes""#,
        r#"Vendor::"ao-kaspersky-lab""#,
        r#"Vendor::"kaspersky-labs-limited""#,
    ] {
        assert!(uids.contains(uid), "{uid} missing from {uids:?}");
    }
    // Nothing about other systems or releases.
    assert!(
        !uids
            .iter()
            .any(|u| u.starts_with("System::") && u != r#"System::"mod-secret""#),
        "{uids:?}"
    );
    assert!(
        !uids
            .iter()
            .any(|u| u.starts_with("Release::") && u != r#"Release::"kes-12""#),
        "{uids:?}"
    );
    let all = article()
        .entities_at("2018-01-10".parse().unwrap())
        .unwrap();
    assert!(
        uids.len() < all.len() / 2,
        "{} of {}",
        uids.len(),
        all.len()
    );
}

#[test]
fn a_policy_reading_an_entity_it_names_has_that_entity_exported() {
    let inventory = article().inventory().clone();
    let mut policies = Policies::all_packs().unwrap();
    // Reads an attribute of a vendor the question does not reach: without
    // that vendor in the export, Cedar would fail where the engine does not.
    policies
        .add_text(
            "mine.cedar",
            r#"@id("mine/kaspersky-headquarters")
               @reason("Denied while AO Kaspersky Lab is run from Russia.")
               forbid (principal, action == Action::"procure", resource)
               when { Vendor::"ao-kaspersky-lab".headquarters == "RU" &&
                      principal in Organisation::"barclays" };"#,
        )
        .unwrap();
    let engine = Engine::new(inventory, policies).unwrap();
    let q = query(
        "barclays-customer-offers",
        Action::Procure,
        "defender-4.18",
        "2024-01-01",
    );
    let export = round_trip(&engine, &q, &scratch("named-entity"));
    assert_eq!(
        export.decision().rule_ids(),
        ["mine/kaspersky-headquarters"]
    );
    let named = export
        .entities_json()
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["uid"]["id"] == "ao-kaspersky-lab");
    assert!(named);

    // The shipped packs only compare the vendors they name, so they add none.
    let export = article().export(&q).unwrap();
    let vendors: Vec<&str> = export
        .entities_json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["uid"]["type"] == "Vendor")
        .map(|e| e["uid"]["id"].as_str().unwrap())
        .collect();
    assert!(!vendors.contains(&"ao-kaspersky-lab"), "{vendors:?}");
}

#[test]
fn a_rule_that_fails_to_evaluate_exports_its_error_and_the_engine_denies() {
    let inventory = article().inventory().clone();
    let mut policies = Policies::all_packs().unwrap();
    policies
        .add_text(
            "broken.cedar",
            r#"@id("broken/ghost-vendor")
               @reason("reads a vendor the inventory does not have")
               forbid (principal, action, resource) when { Vendor::"ghost".name == "Ghost" };"#,
        )
        .unwrap();
    let engine = Engine::new(inventory, policies).unwrap();
    let q = query(
        "dfe-official",
        Action::Deploy,
        "defender-4.18",
        "2024-01-01",
    );
    let dir = scratch("broken");
    let export = round_trip(&engine, &q, &dir);
    assert_eq!(export.decision().verdict(), Verdict::Deny);
    assert_eq!(
        export.expected_json()["errors"].as_array().unwrap().len(),
        1
    );
    // Cedar itself allows, skipping the broken forbid: the CLI prints ALLOW
    // and the error, and the engine's Deny is its failing closed.
    let back = read_files(&dir);
    let response = Authorizer::new().is_authorized(&back.request, &back.policies, &back.entities);
    assert_eq!(response.decision(), CedarDecision::Allow);
    let errors: Vec<String> = response
        .diagnostics()
        .errors()
        .map(ToString::to_string)
        .collect();
    assert!(errors[0].contains("broken/ghost-vendor"), "{errors:?}");
}

#[test]
fn the_files_are_cedars_formats_and_the_same_every_time() {
    let q = query("stadtwerke-office", Action::Operate, "kes-12", "2023-05-01");
    let export = article().export(&q).unwrap();
    assert_eq!(export.schema_text(), clearance::SCHEMA_TEXT);
    let request = export.request_json();
    assert_eq!(request["principal"], r#"System::"stadtwerke-office""#);
    assert_eq!(request["action"], r#"Action::"operate""#);
    assert_eq!(request["resource"], r#"Release::"kes-12""#);
    assert_eq!(
        request["context"]["now"]["__extn"]["fn"], "datetime",
        "{request}"
    );
    assert_eq!(request["context"]["waivers"], serde_json::json!([]));

    // Every policy, annotations and all, in the file of its kind.
    let policies = article().policies();
    let (binding, advice) = policy_sets(&export);
    assert_eq!(
        binding.policies().count(),
        policies.binding().policies().count()
    );
    assert_eq!(
        advice.policies().count(),
        policies.advice().policies().count()
    );
    for rule in policies.rules() {
        let set = if rule.effect() == clearance::Effect::Advice {
            &advice
        } else {
            &binding
        };
        let policy = set.policy(&rule.id().parse().unwrap()).unwrap();
        assert_eq!(policy.annotation("reason"), Some(rule.reason()));
        assert_eq!(policy.annotation("source"), rule.source());
    }

    // Written twice, the same bytes.
    let (a, b) = (scratch("same-a"), scratch("same-b"));
    let (first, second) = (
        export.write_to(&a).unwrap(),
        article().export(&q).unwrap().write_to(&b).unwrap(),
    );
    for (x, y) in first.iter().zip(&second) {
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{x:?}"
        );
    }
}

#[test]
fn a_query_without_an_instant_is_exported_as_of_one_instant() {
    let export = article()
        .export(&Query::new("mod-secret", Action::Deploy, "kes-12"))
        .unwrap();
    let at = export.decision().asked().at;
    let now = &export.request_json()["context"]["now"]["__extn"]["arg"];
    let now: Instant = now.as_str().unwrap().parse().unwrap();
    assert_eq!(now, at);
    assert_eq!(export.expected_json()["at"], at.to_string());
}

#[test]
fn writing_creates_the_directory_and_io_errors_name_the_path() {
    let export = article()
        .export(&query("mod-secret", Action::Deploy, "kes-12", "2018-01-10"))
        .unwrap();
    let root = scratch("io");
    let nested = root.join("not/yet/there");
    let written = export.write_to(&nested).unwrap();
    assert!(written
        .iter()
        .all(|p| p.starts_with(&nested) && p.is_file()));

    // A directory where a file is: the directory cannot be made.
    let file = root.join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let error = export.write_to(file.join("inside")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Io);
    assert!(
        error
            .message()
            .contains(&file.join("inside").display().to_string()),
        "{error}"
    );

    // A directory where a file should be written: that file is named.
    let blocked = root.join("blocked");
    std::fs::create_dir_all(blocked.join("request.json")).unwrap();
    let error = export.write_to(&blocked).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Io);
    assert!(
        error
            .message()
            .contains(&blocked.join("request.json").display().to_string()),
        "{error}"
    );
}

#[test]
fn unknown_systems_and_releases_are_query_errors() {
    let error = article()
        .export(&Query::new("no-such-system", Action::Deploy, "kes-12"))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnknownSystem);
    let error = article()
        .export(&Query::new("mod-secret", Action::Deploy, "no-such-release"))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnknownRelease);
}

#[test]
fn the_commands_name_the_files_and_quote_paths_that_need_it() {
    let commands = Export::commands("out dir/it's");
    assert_eq!(
        commands[0],
        "cedar validate --policies 'out dir/it'\\''s/policies.cedar' \
         --schema 'out dir/it'\\''s/clearance.cedarschema' --deny-warnings"
    );
    assert_eq!(commands.len(), 4);
    assert!(commands[3].contains("advice.cedar") && commands[3].starts_with("cedar authorize"));
}
