//! The audit trail: what each record holds, per decision and per bulk
//! question, and that a decision which cannot be recorded is not given.

use std::io::Write;
use std::sync::{Arc, Mutex};

use clearance::{Action, AuditLog, Engine, Inventory, Policies, Query};
use serde_json::Value;

/// A writer whose bytes the test can read back.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn records(&self) -> Vec<Value> {
        let bytes = self.0.lock().unwrap().clone();
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
            .collect()
    }
}

/// A writer that always fails.
struct Broken;

impl Write for Broken {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk full"))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn inventory() -> Inventory {
    Inventory::from_path("examples/article-inventory.json").unwrap()
}

fn engine_logging_to(log: AuditLog) -> Engine {
    let mut engine = Engine::new(inventory(), Policies::all_packs().unwrap()).unwrap();
    engine.set_audit(log);
    engine
}

fn at(text: &str) -> clearance::Instant {
    text.parse().unwrap()
}

#[test]
fn a_decision_record_names_the_question_the_rules_and_the_data() {
    let out = Shared::default();
    let engine = engine_logging_to(AuditLog::new("memory", out.clone()));
    let decision = engine
        .decide(&Query::new("mod-secret", Action::Deploy, "kes-12").at(at("2018-01-10")))
        .unwrap();
    let records = out.records();
    assert_eq!(records.len(), 1);
    let record = &records[0];

    let id = record["decision_id"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4");
    let logged_at: clearance::Instant = record["timestamp"].as_str().unwrap().parse().unwrap();
    assert!(logged_at > at("2026-01-01"));
    assert_eq!(record["path"], "decide");
    assert_eq!(
        record["input"],
        serde_json::json!({"system": "mod-secret", "action": "deploy", "release": "kes-12", "at": "2018-01-10T00:00:00Z"})
    );
    assert_eq!(record["result"]["verdict"], "deny");
    let rule = &record["result"]["rules"][0];
    let shipped = engine
        .policies()
        .rule("uk-ncsc-2017/secret-and-above")
        .unwrap();
    assert_eq!(rule["security_rule.name"], shipped.id());
    assert_eq!(rule["security_rule.description"], shipped.reason());
    assert_eq!(rule["security_rule.reference"], shipped.source().unwrap());
    assert_eq!(rule["security_rule.ruleset.name"], "uk-ncsc-2017");
    assert_eq!(rule["security_rule.category"], "forbid");
    // The words of the instrument, and where they are.
    assert_eq!(rule["clearance.rule.quote"], shipped.quote().unwrap());
    assert_eq!(
        rule["clearance.rule.quote_source"],
        shipped.quote_source().unwrap()
    );
    assert_eq!(record["result"]["errors"], serde_json::json!([]));
    assert_eq!(record["labels"]["app"], "clearance");
    assert_eq!(record["labels"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        record["bundles"]["policies"]["revision"],
        engine.policies().digest()
    );
    assert_eq!(
        record["bundles"]["policies"]["origins"][0], "baseline",
        "{record}"
    );
    // The inventory as given, not the one with the registry merged in.
    assert_eq!(
        record["bundles"]["inventory"]["revision"],
        inventory().digest()
    );
    assert!(!decision.allowed());
}

#[test]
fn a_waiver_used_is_recorded_with_who_granted_it_and_until_when() {
    let out = Shared::default();
    let engine = engine_logging_to(AuditLog::new("memory", out.clone()));
    let decision = engine
        .decide(
            &Query::new("home-affairs-malware-lab", Action::Operate, "kes-12").at(at("2025-06-01")),
        )
        .unwrap();
    assert!(decision.allowed());
    let waiver = &out.records()[0]["result"]["waivers"][0];
    let given = engine
        .inventory()
        .waivers
        .iter()
        .find(|w| w.id.as_str() == "pspf-002-exemption-malware-lab")
        .unwrap();
    assert_eq!(waiver["id"], "pspf-002-exemption-malware-lab");
    assert_eq!(waiver["granted_by"], given.granted_by.as_str());
    assert_eq!(waiver["until"], given.until.to_string());
    assert_eq!(waiver["rules"][0], "au-pspf-002-2025/kaspersky");
}

#[test]
fn bulk_questions_record_every_decision_or_one_summary() {
    let out = Shared::default();
    let engine = engine_logging_to(AuditLog::new("memory", out.clone()));
    let sweep = engine.sweep(at("2025-06-01"));
    let records = out.records();
    assert_eq!(records.len(), sweep.len());
    assert!(records.iter().all(|r| r["path"] == "sweep"));
    let ids: std::collections::BTreeSet<&str> = records
        .iter()
        .map(|r| r["decision_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), records.len(), "every record has its own id");
    for ((deployment, decision), record) in sweep.iter().zip(&records) {
        assert_eq!(record["input"]["system"], deployment.system.as_str());
        assert_eq!(
            record["result"]["verdict"],
            if decision.allowed() { "allow" } else { "deny" }
        );
    }

    let out = Shared::default();
    let engine = engine_logging_to(AuditLog::new("memory", out.clone()).summaries());
    let matrix = engine.matrix(Action::Procure, at("2025-06-01"));
    let records = out.records();
    assert_eq!(records.len(), 1);
    let summary = &records[0];
    assert_eq!(summary["path"], "matrix");
    assert_eq!(summary["input"]["action"], "procure");
    assert_eq!(summary["input"]["questions"], matrix.decisions().len());
    let denied = matrix.denials().count();
    assert_eq!(summary["result"]["denied"], denied);
    assert_eq!(
        summary["result"]["allowed"],
        matrix.decisions().len() - denied
    );
    let huawei = matrix
        .cells()
        .filter(|d| d.rule_ids().contains(&"us-ndaa-889/agency-telecom"))
        .count();
    assert!(huawei > 0);
    assert_eq!(
        summary["result"]["by_rule"]["us-ndaa-889/agency-telecom"],
        huawei
    );
    // A single decision still gets its own record.
    engine
        .decide(&Query::new("mod-secret", Action::Deploy, "kes-12").at(at("2018-01-10")))
        .unwrap();
    assert_eq!(out.records().len(), 2);
}

#[test]
fn a_decision_that_cannot_be_recorded_is_denied_with_the_error() {
    let engine = engine_logging_to(AuditLog::new("the broken disk", Broken));
    let decision = engine
        .decide(&Query::new("dfe-official", Action::Deploy, "kes-12").at(at("2018-01-10")))
        .unwrap();
    assert!(!decision.allowed());
    assert!(decision.rule_ids().is_empty(), "{decision}");
    let error = &decision.errors()[0];
    assert!(error.contains("the broken disk"), "{error}");
    assert!(error.contains("disk full"), "{error}");
    for (_, decision) in engine.sweep(at("2025-06-01")) {
        assert!(!decision.allowed());
    }
    assert!(engine
        .matrix(Action::Deploy, at("2018-01-10"))
        .decisions()
        .all(|d| !d.allowed() && !d.errors().is_empty()));
}

#[test]
fn without_a_log_nothing_changes_and_a_log_can_be_removed() {
    let out = Shared::default();
    let mut engine = engine_logging_to(AuditLog::new("memory", out.clone()));
    let query = Query::new("dfe-official", Action::Deploy, "kes-12").at(at("2018-01-10"));
    let logged = engine.decide(&query).unwrap();
    engine.set_audit(None);
    let unlogged = engine.decide(&query).unwrap();
    assert_eq!(logged, unlogged);
    assert!(unlogged.allowed());
    assert_eq!(out.records().len(), 1);
}

#[test]
fn a_log_file_is_appended_to_and_a_bad_path_is_an_io_error() {
    let dir = std::env::temp_dir().join(format!("clearance-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("decisions.jsonl");
    std::fs::remove_file(&path).ok();
    for _ in 0..2 {
        let engine = engine_logging_to(AuditLog::to_path(&path).unwrap());
        engine
            .decide(&Query::new("mod-secret", Action::Deploy, "kes-12").at(at("2018-01-10")))
            .unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 2);
    std::fs::remove_dir_all(&dir).ok();

    let err = AuditLog::to_path("/nonexistent-dir/decisions.jsonl").unwrap_err();
    assert_eq!(err.kind(), clearance::ErrorKind::Io);
    assert!(
        err.message().contains("/nonexistent-dir/decisions.jsonl"),
        "{err}"
    );
}

#[test]
fn digests_change_with_any_policy_text_or_inventory_change() {
    let base = Policies::all_packs().unwrap();
    let mut more = base.clone();
    more.add_text(
        "mine.cedar",
        "@id(\"mine/x\")\n@reason(\"r\")\nforbid (principal, action, resource) when { resource.audited };",
    )
    .unwrap();
    assert_ne!(base.digest(), more.digest());
    let mut other = base.clone();
    other
        .add_text(
            "mine.cedar",
            "@id(\"mine/x\")\n@reason(\"another reason\")\nforbid (principal, action, resource) when { resource.audited };",
        )
        .unwrap();
    assert_ne!(more.digest(), other.digest());

    let mut changed = inventory();
    changed.waivers.pop();
    assert_ne!(changed.digest(), inventory().digest());
    // Formatting of the file does not matter.
    let compact = Inventory::from_json(&serde_json::to_string(&inventory()).unwrap()).unwrap();
    assert_eq!(compact.digest(), inventory().digest());
}

/// An auditor sees a non-enforcement period as such, with its source, and the
/// shares an aggregate-ownership test added up.
#[test]
fn records_say_which_waivers_are_non_enforcement_and_show_the_holdings() {
    let out = Shared::default();
    let mut engine = Engine::new(
        Inventory::from_path("examples/landscape-inventory.json").unwrap(),
        Policies::all_packs().unwrap(),
    )
    .unwrap();
    engine.set_audit(AuditLog::new("memory", out.clone()));
    let lifted = Query::new("store-catalogue", Action::Deploy, "tiktok-app").at(at("2025-02-01"));
    let held =
        Query::new("store-catalogue", Action::Deploy, "tiktok-pinnacle-app").at(at("2026-03-01"));
    engine.decide(&lifted).unwrap();
    engine.decide(&held).unwrap();
    let records = out.records();
    let waiver = &records[0]["result"]["waivers"][0];
    assert_eq!(waiver["id"], "eo-14166");
    assert_eq!(waiver["kind"], "non-enforcement");
    assert!(waiver["source"].as_str().unwrap().contains("14166"));
    let holding = &records[1]["result"]["holdings"][0];
    assert_eq!(holding["test"], "foreign-adversary-controlled");
    assert_eq!(holding["total"], 20);
    assert_eq!(holding["stakes"][0]["owner"]["id"], "bytedance-ltd");
}
