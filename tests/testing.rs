//! `clearance::testing`, tested: that a wrong expectation fails (with the
//! decision that came out), how lists are matched (exactly or as a subset),
//! what the `errors` field asks, both forms of a matrix, coverage, the
//! resolution of relative paths, and that every kind of mistake in a test
//! file is an error naming the file, the case and the field.
//!
//! Suites are written inline on the fixture world of the shipped suites
//! (`policies/tests/data/world.json`), with `policies/tests` as their base
//! directory; the few that need files of their own write them to a fresh
//! temporary directory.

use std::path::{Path, PathBuf};

use clearance::testing::{Report, Suite};
use clearance::{ErrorKind, Verdict};

const BASE: &str = "policies/tests";

/// A suite on the fixture world with these cases (and other fields).
fn suite_text(fields: &str) -> String {
    format!(r#"{{"inventory": "data/world.json", "at": "2018-01-10", {fields}}}"#)
}

fn load(fields: &str) -> Suite {
    Suite::from_json("t.json", &suite_text(fields), BASE).unwrap_or_else(|e| panic!("{e}"))
}

fn run(fields: &str) -> Report {
    load(fields).run()
}

/// A fresh directory for files a test writes.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clearance-testing-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a temporary file");
    path
}

/// A policy that fails to evaluate for any system above UNCLASSIFIED: an
/// integer overflow passes strict validation but errors at run time.
const OVERFLOWS: &str = r#"
@id("mine/overflow")
@reason("Overflows for any classified system, so it fails to evaluate.")
forbid (principal, action, resource)
when { principal.tier + 9223372036854775807 > 0 };
"#;

const OVERFLOWS_TOO: &str = r#"
@id("mine/overflow-too")
@reason("Overflows as well, so a decision can carry two errors.")
forbid (principal, action, resource)
when { (principal.tier + 1) * 9223372036854775807 > 1 };
"#;

// ---------------------------------------------------------------------------
// Passing and failing
// ---------------------------------------------------------------------------

#[test]
fn a_right_expectation_passes() {
    let report = run(
        r#""cases": [{"name": "SECRET, Kaspersky", "system": "mod-secret", "action": "deploy",
                      "release": "kes-12", "expect": "deny",
                      "rules": ["uk-ncsc-2017/secret-and-above"], "advice": [], "waivers": []}]"#,
    );
    assert_eq!((report.passed(), report.failed()), (1, 0), "{report}");
    assert!(report.all_passed());
    assert!(report.failures().is_empty());
}

#[test]
fn a_wrong_verdict_is_a_failure_carrying_the_decision_and_the_suite_fails() {
    let report = run(r#""cases": [
            {"name": "right", "system": "mod-secret", "action": "deploy", "release": "kes-12",
             "expect": "deny"},
            {"name": "the day before, wrongly denied", "system": "mod-secret", "action": "deploy",
             "release": "kes-12", "at": "2017-11-30", "expect": "deny"}
        ]"#);
    assert_eq!((report.passed(), report.failed()), (1, 1));
    assert!(!report.all_passed());
    let failure = &report.failures()[0];
    assert_eq!(failure.suite(), "t.json");
    assert_eq!(failure.case(), "the day before, wrongly denied");
    assert_eq!(failure.cell(), None);
    assert_eq!(failure.differences(), ["verdict: expected DENY, got ALLOW"]);
    assert_eq!(failure.expected(), "DENY; no errors");
    // The decision that came out, whole.
    let decision = failure.decision();
    assert_eq!(decision.verdict(), Verdict::Allow);
    assert_eq!(decision.asked().system.as_str(), "mod-secret");
    assert_eq!(decision.asked().at.to_string(), "2017-11-30T00:00:00Z");
    assert_eq!(decision.rule_ids(), ["baseline/permit-unless-forbidden"]);

    // Printed: where, what was expected, what differed, the decision.
    let text = failure.to_string();
    assert!(
        text.starts_with("FAIL t.json: `the day before, wrongly denied`\n"),
        "{text}"
    );
    assert!(text.contains("  expected  DENY; no errors\n"), "{text}");
    assert!(
        text.contains("  differs   verdict: expected DENY, got ALLOW\n"),
        "{text}"
    );
    assert!(
        text.contains("  decision  ALLOW deploy kes-12 on mod-secret at 2017-11-30T00:00:00Z\n"),
        "{text}"
    );
    assert!(
        text.contains("rule    baseline/permit-unless-forbidden"),
        "{text}"
    );

    // The report prints every failure, then the closing line.
    let printed = report.to_string();
    assert!(printed.starts_with(&text), "{printed}");
    assert!(printed.contains("\n1 passed, 1 failed\n"), "{printed}");
}

#[test]
fn wrong_rules_advice_and_waivers_are_each_named() {
    let report = run(
        r#""cases": [{"name": "all wrong", "system": "fco-official", "action": "operate",
                      "release": "kes-12", "at": "2022-04-01", "expect": "deny",
                      "rules": ["uk-ncsc-2017/secret-and-above"],
                      "advice": [], "waivers": ["gsa-889-agency-waiver-cctv"]}]"#,
    );
    let failure = &report.failures()[0];
    assert_eq!(
        failure.differences(),
        [
            "rules: missing `uk-ncsc-2017/secret-and-above`; not expected `uk-ncsc-2017/national-security-departments`",
            "advice: not expected `uk-ncsc-2017/reconsider-russian-controlled-2022`",
            "waivers: missing `gsa-889-agency-waiver-cctv`",
        ]
    );
    assert_eq!(
        failure.expected(),
        "DENY; rules exactly `uk-ncsc-2017/secret-and-above`; advice none; \
         waivers exactly `gsa-889-agency-waiver-cctv`; no errors"
    );
}

#[test]
fn lists_left_out_are_not_checked() {
    // Denied by two rules, advised too: a case naming only the verdict passes.
    let report = run(
        r#""cases": [{"system": "fco-official", "action": "operate", "release": "kes-12",
                      "at": "2022-04-01", "expect": "deny"}]"#,
    );
    assert!(report.all_passed(), "{report}");
}

// ---------------------------------------------------------------------------
// Exact and subset
// ---------------------------------------------------------------------------

const TWO_RULES: &str = r#""system": "gsa-desktops", "action": "deploy", "release": "kis-2019",
                           "at": "2019-06-01", "expect": "deny""#;

#[test]
fn exact_matching_compares_sets_whatever_the_order() {
    let report = run(&format!(
        r#""cases": [{{"name": "both, in another order", {TWO_RULES},
                       "rules": ["us-ndaa-1634/kaspersky", "us-bod-17-01/kaspersky-security-products"]}}]"#
    ));
    assert!(report.all_passed(), "{report}");
}

#[test]
fn exact_matching_fails_on_a_rule_left_out_and_subset_does_not() {
    let report = run(&format!(
        r#""cases": [
            {{"name": "exact", {TWO_RULES}, "rules": ["us-ndaa-1634/kaspersky"]}},
            {{"name": "subset", {TWO_RULES}, "rules": ["us-ndaa-1634/kaspersky"], "match": "subset"}},
            {{"name": "explicitly exact", {TWO_RULES}, "rules": ["us-ndaa-1634/kaspersky"], "match": "exact"}}
        ]"#
    ));
    assert_eq!((report.passed(), report.failed()), (1, 2), "{report}");
    let failed: Vec<&str> = report.failures().iter().map(|f| f.case()).collect();
    assert_eq!(failed, ["exact", "explicitly exact"]);
    assert_eq!(
        report.failures()[0].differences(),
        ["rules: not expected `us-bod-17-01/kaspersky-security-products`"]
    );
}

#[test]
fn subset_matching_still_fails_on_an_id_the_decision_lacks() {
    let report = run(&format!(
        r#""cases": [{{"name": "one right, one wrong", {TWO_RULES}, "match": "subset",
                       "rules": ["us-ndaa-1634/kaspersky", "uk-ncsc-2017/secret-and-above"]}}]"#
    ));
    let failure = &report.failures()[0];
    assert_eq!(
        failure.differences(),
        ["rules: missing `uk-ncsc-2017/secret-and-above`"]
    );
    assert!(
        failure.expected().contains("rules including"),
        "{}",
        failure.expected()
    );
}

#[test]
fn subset_matching_applies_to_advice_and_waivers_too() {
    // Denied, advised; and a DNI waiver used where an agency head's is capped.
    let report = run(r#""cases": [
            {"name": "advice as a subset", "system": "fco-official", "action": "operate",
             "release": "kes-12", "at": "2022-04-01", "expect": "deny", "match": "subset",
             "advice": []},
            {"name": "advice exactly none", "system": "fco-official", "action": "operate",
             "release": "kes-12", "at": "2022-04-01", "expect": "deny", "advice": []},
            {"name": "waivers as a subset", "system": "gsa-facility-cctv", "action": "deploy",
             "release": "hikvision-nvr-4", "at": "2021-06-01", "expect": "allow",
             "match": "subset", "waivers": ["gsa-889-agency-waiver-cctv"]}
        ]"#);
    let failed: Vec<&str> = report.failures().iter().map(|f| f.case()).collect();
    assert_eq!(failed, ["advice exactly none"], "{report}");
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// A suite on the world with the overflowing policies added, from files.
fn erroring(name: &str, policies: &[(&str, &str)], cases: &str) -> Report {
    let dir = scratch(name);
    let files: Vec<String> = policies
        .iter()
        .map(|(file, text)| {
            write(&dir, file, text);
            format!("\"{file}\"")
        })
        .collect();
    let world = std::fs::canonicalize("policies/tests/data/world.json").unwrap();
    let text = format!(
        r#"{{"inventory": {world:?}, "policies": [{}], "at": "2018-01-10", "cases": [{cases}]}}"#,
        files.join(", ")
    );
    let path = write(&dir, "suite.json", &text);
    Suite::from_path(&path)
        .unwrap_or_else(|e| panic!("{e}"))
        .run()
}

/// Defender on an OFFICIAL desktop: nothing forbids it, but the overflowing
/// policy fails to evaluate, so the engine denies.
const FORCED_DENY: &str = r#""system": "dfe-official", "action": "deploy",
                             "release": "defender-4.18", "expect": "deny""#;

#[test]
fn a_deny_forced_by_an_evaluation_error_fails_a_case_that_does_not_expect_errors() {
    let report = erroring(
        "forced-deny",
        &[("overflow.cedar", OVERFLOWS)],
        &format!(r#"{{"name": "denied, but only by an error", {FORCED_DENY}}}"#),
    );
    assert_eq!(report.failed(), 1, "{report}");
    let failure = &report.failures()[0];
    let differences = failure.differences();
    assert_eq!(differences.len(), 1, "{differences:?}");
    assert!(
        differences[0].starts_with(
            "errors: expected none, got 1: error while evaluating policy `mine/overflow`"
        ),
        "{differences:?}"
    );
    // The verdict matched; the decision shows why it is Deny.
    assert!(!failure.decision().allowed());
    assert!(failure.decision().rule_ids().is_empty());
    assert!(failure
        .to_string()
        .contains("error   error while evaluating policy `mine/overflow`"));
}

#[test]
fn errors_lists_texts_each_error_must_contain_and_their_number() {
    let report = erroring(
        "errors-field",
        &[("overflow.cedar", OVERFLOWS)],
        &[
            format!(r#"{{"name": "named", {FORCED_DENY}, "errors": ["integer overflow"]}}"#),
            format!(r#"{{"name": "two texts, one error", {FORCED_DENY}, "errors": ["mine/overflow", "integer overflow"]}}"#),
            format!(r#"{{"name": "not that error", {FORCED_DENY}, "errors": ["division by zero"]}}"#),
            format!(r#"{{"name": "none, exactly", {FORCED_DENY}, "errors": []}}"#),
            format!(r#"{{"name": "none, as a subset", {FORCED_DENY}, "errors": [], "match": "subset"}}"#),
        ]
        .join(", "),
    );
    let failed: Vec<(&str, &[String])> = report
        .failures()
        .iter()
        .map(|f| (f.case(), f.differences()))
        .collect();
    assert_eq!(
        failed,
        [
            (
                "two texts, one error",
                &["errors: expected 2, got 1".to_owned()][..]
            ),
            (
                "not that error",
                &["errors: none contains `division by zero`".to_owned()][..]
            ),
            (
                "none, exactly",
                &["errors: expected 0, got 1".to_owned()][..]
            ),
        ],
        "{report}"
    );
    assert_eq!(report.passed(), 2);
}

#[test]
fn with_subset_errors_may_leave_some_errors_unlisted() {
    let report = erroring(
        "two-errors",
        &[("overflow.cedar", OVERFLOWS), ("overflow-too.cedar", OVERFLOWS_TOO)],
        &[
            format!(r#"{{"name": "one of two, exactly", {FORCED_DENY}, "errors": ["mine/overflow-too"]}}"#),
            format!(r#"{{"name": "one of two, as a subset", {FORCED_DENY}, "errors": ["mine/overflow-too"], "match": "subset"}}"#),
        ]
        .join(", "),
    );
    let failed: Vec<&str> = report.failures().iter().map(|f| f.case()).collect();
    assert_eq!(failed, ["one of two, exactly"], "{report}");
    assert_eq!(
        report.failures()[0].differences(),
        ["errors: expected 1, got 2"]
    );
}

// ---------------------------------------------------------------------------
// Matrices
// ---------------------------------------------------------------------------

#[test]
fn a_matrix_with_one_verdict_checks_every_cell() {
    let suite = load(
        r#""matrices": [{"name": "Kaspersky on UK government systems assessed as a risk",
            "action": "deploy", "releases": ["kes-12", "kis-2019"],
            "systems": ["mod-secret", "fco-official", "mod-logistics"], "expect": "deny",
            "advice": [], "waivers": []}]"#,
    );
    assert_eq!(suite.checks(), 6);
    let report = suite.run();
    assert_eq!((report.passed(), report.failed()), (6, 0), "{report}");

    // The same with rules that hold for some cells only: those that differ fail.
    let report = run(
        r#""matrices": [{"name": "one rule for all", "action": "deploy",
            "releases": ["kes-12", "kis-2019"], "systems": ["mod-secret", "fco-official"],
            "expect": "deny", "rules": ["uk-ncsc-2017/secret-and-above"]}]"#,
    );
    assert_eq!((report.passed(), report.failed()), (2, 2), "{report}");
    let cells: Vec<(&str, &str)> = report.failures().iter().filter_map(|f| f.cell()).collect();
    assert_eq!(
        cells,
        [("kes-12", "fco-official"), ("kis-2019", "fco-official")]
    );
    let failure = &report.failures()[0];
    assert_eq!(failure.case(), "one rule for all");
    assert_eq!(failure.decision().asked().system.as_str(), "fco-official");
    assert!(
        failure.to_string().starts_with(
            "FAIL t.json: `one rule for all`, release kes-12 on system fco-official\n"
        ),
        "{failure}"
    );
}

#[test]
fn a_matrix_table_gives_each_cell_its_verdict() {
    let table = |fco: &str| {
        format!(
            r#""matrices": [{{"name": "by classification", "action": "deploy",
                "releases": ["kes-12", "defender-4.18"], "systems": ["mod-secret", "fco-official", "dfe-official"],
                "expect": {{
                    "defender-4.18": {{"dfe-official": "allow", "fco-official": "allow", "mod-secret": "allow"}},
                    "kes-12": {{"mod-secret": "deny", "fco-official": "{fco}", "dfe-official": "allow"}}
                }}}}]"#
        )
    };
    let report = run(&table("deny"));
    assert_eq!((report.passed(), report.failed()), (6, 0), "{report}");

    let report = run(&table("allow"));
    assert_eq!((report.passed(), report.failed()), (5, 1), "{report}");
    let failure = &report.failures()[0];
    assert_eq!(failure.cell(), Some(("kes-12", "fco-official")));
    assert_eq!(failure.differences(), ["verdict: expected ALLOW, got DENY"]);
    assert_eq!(
        failure.decision().rule_ids(),
        [
            "uk-ncsc-2017/national-security-assessed",
            "uk-ncsc-2017/national-security-departments",
        ]
    );
}

#[test]
fn matrices_and_cases_may_each_have_their_own_instant() {
    let report = run(
        r#""cases": [{"name": "the day before", "system": "mod-secret", "action": "deploy",
                      "release": "kes-12", "at": "2017-11-30", "expect": "allow"}],
           "matrices": [{"name": "the file's instant", "action": "operate", "releases": ["kes-12"],
                         "systems": ["mod-secret"], "expect": "deny"},
                        {"name": "its own instant", "action": "operate", "at": "2017-11-30",
                         "releases": ["kes-12"], "systems": ["mod-secret"], "expect": "allow"}]"#,
    );
    assert_eq!((report.passed(), report.failed()), (3, 0), "{report}");
}

// ---------------------------------------------------------------------------
// Coverage
// ---------------------------------------------------------------------------

#[test]
fn a_rule_is_exercised_by_a_decision_naming_it_whatever_was_expected() {
    let text = r#"{"packs": ["baseline", "uk-ncsc-2017"],
        "inventory": {"products": [{"id": "kes", "name": "KES", "vendor": "ao-kaspersky-lab", "category": "antivirus"}],
                      "releases": [{"id": "kes-12", "product": "kes", "version": "12.0.0"}],
                      "organisations": [{"id": "uk-fco", "name": "FCDO", "country": "GB", "sector": "central-government"}],
                      "systems": [{"id": "fco", "name": "FCDO", "owner": "uk-fco", "national_security": true}]},
        "cases": [{"name": "wrongly expected allow", "system": "fco", "action": "operate",
                   "release": "kes-12", "at": "2022-04-01", "expect": "allow"}]}"#;
    let report = Suite::from_json("t.json", text, BASE)
        .unwrap_or_else(|e| panic!("{e}"))
        .run();
    assert_eq!(report.failed(), 1);
    let exercised: Vec<&str> = report.exercised().collect();
    assert_eq!(
        exercised,
        [
            "uk-ncsc-2017/national-security-assessed-in-use",
            "uk-ncsc-2017/reconsider-russian-controlled-2022",
        ]
    );
    // The rest of the policy set, in the order added: the permit too, as no
    // decision was an Allow.
    assert_eq!(
        report.unexercised(),
        [
            "baseline/permit-unless-forbidden",
            "uk-ncsc-2017/secret-and-above",
            "uk-ncsc-2017/secret-and-above-data-in-russia",
            "uk-ncsc-2017/national-security-assessed",
            "uk-ncsc-2017/national-security-departments",
            "uk-ncsc-2017/national-security-assessed-data-in-russia",
        ]
    );
    let printed = report.to_string();
    assert!(
        printed.ends_with(
            "0 passed, 1 failed\nrules no case exercised (6):\n  baseline/permit-unless-forbidden\n  \
             uk-ncsc-2017/secret-and-above\n  uk-ncsc-2017/secret-and-above-data-in-russia\n  \
             uk-ncsc-2017/national-security-assessed\n  \
             uk-ncsc-2017/national-security-departments\n  \
             uk-ncsc-2017/national-security-assessed-data-in-russia"
        ),
        "{printed}"
    );
}

#[test]
fn merged_reports_cover_the_rules_of_every_suite_exercised_by_any() {
    let ncsc = r#""packs": ["baseline", "uk-ncsc-2017"], "cases": [
        {"system": "mod-secret", "action": "deploy", "release": "nordlys-av-5.2", "expect": "deny"}]"#;
    let world = r#""packs": ["baseline", "uk-ncsc-2017"], "cases": [
        {"system": "mod-secret", "action": "deploy", "release": "kes-12", "expect": "deny"}]"#;
    // The world's waivers name rules of packs left out, so both use an
    // inventory without them.
    let inline = |fields: &str| {
        let world: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string("policies/tests/data/world.json").unwrap(),
        )
        .unwrap();
        let mut world = world;
        world.as_object_mut().unwrap().remove("waivers");
        let text = format!(r#"{{"inventory": {world}, "at": "2018-01-10", {fields}}}"#);
        Suite::from_json("inline.json", &text, BASE)
            .unwrap_or_else(|e| panic!("{e}"))
            .run()
    };
    let first = inline(ncsc);
    let second = inline(world);
    assert!(first
        .unexercised()
        .contains(&"uk-ncsc-2017/secret-and-above"));
    assert!(second
        .unexercised()
        .contains(&"uk-ncsc-2017/secret-and-above-data-in-russia"));

    let mut all = Report::default();
    all.merge(first);
    all.merge(second);
    assert_eq!((all.passed(), all.failed()), (2, 0));
    assert_eq!(
        all.unexercised(),
        [
            "baseline/permit-unless-forbidden",
            "uk-ncsc-2017/national-security-assessed",
            "uk-ncsc-2017/national-security-departments",
            "uk-ncsc-2017/national-security-assessed-in-use",
            "uk-ncsc-2017/national-security-assessed-data-in-russia",
            "uk-ncsc-2017/reconsider-russian-controlled-2022",
        ]
    );
    // An empty report claims no coverage.
    assert_eq!(
        Report::default().to_string(),
        "0 passed, 0 failed\nno policies were run"
    );
    // And a suite of other policies adds its rules to what must be covered.
    all.merge(run(
        r#""cases": [{"system": "mod-secret", "action": "deploy", "release": "defender-4.18", "expect": "allow"}]"#,
    ));
    assert!(all.unexercised().contains(&"us-ofac-50/blocked-vendor"));
    assert!(!all
        .unexercised()
        .contains(&"baseline/permit-unless-forbidden"));
}

// ---------------------------------------------------------------------------
// Files and paths
// ---------------------------------------------------------------------------

#[test]
fn paths_are_relative_to_the_test_file() {
    let dir = scratch("relative");
    std::fs::create_dir_all(dir.join("inventories")).unwrap();
    std::fs::copy(
        "policies/tests/data/world.json",
        dir.join("inventories/world.json"),
    )
    .unwrap();
    write(
        &dir,
        "mine.cedar",
        r#"@id("mine/no-defender-on-secret")
           @reason("This organisation's own rule, for the test.")
           forbid (principal, action, resource)
           when { principal.tier >= 3 && resource.product.name == "Microsoft Defender Antivirus" };"#,
    );
    let path = write(
        &dir,
        "suite.json",
        r#"{"description": "own rule", "inventory": "inventories/world.json", "policies": ["mine.cedar"],
            "at": "2018-01-10", "cases": [
            {"system": "mod-secret", "action": "deploy", "release": "defender-4.18", "expect": "deny",
             "rules": ["mine/no-defender-on-secret"]}]}"#,
    );
    let suite = Suite::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(suite.origin(), path.display().to_string());
    assert_eq!(suite.description(), Some("own rule"));
    assert!(suite
        .engine()
        .policies()
        .rule("mine/no-defender-on-secret")
        .is_some());
    assert!(suite.run().all_passed());
}

#[test]
fn a_missing_test_file_inventory_or_policy_file_is_an_io_error_naming_both() {
    let error = Suite::from_path("policies/tests/nowhere.json").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Io);
    assert!(
        error.message().contains("policies/tests/nowhere.json"),
        "{error}"
    );

    let dir = scratch("missing");
    let path = write(
        &dir,
        "suite.json",
        r#"{"inventory": "no-world.json", "cases": []}"#,
    );
    let error = Suite::from_path(&path).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Io, "{error}");
    let message = error.message();
    assert!(
        message.starts_with(&format!("{}: field `inventory`: ", path.display())),
        "{error}"
    );
    assert!(
        message.contains(&dir.join("no-world.json").display().to_string()),
        "{error}"
    );

    let error = Suite::from_json(
        "t.json",
        &suite_text(r#""policies": ["gone.cedar"], "cases": []"#),
        BASE,
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Io, "{error}");
    assert!(
        error.message().starts_with("t.json: field `policies[0]`: "),
        "{error}"
    );
    assert!(
        error.message().contains("policies/tests/gone.cedar"),
        "{error}"
    );
}

#[test]
fn a_bad_file_the_test_refers_to_keeps_its_own_kind() {
    let dir = scratch("bad-referred");
    write(
        &dir,
        "broken.json",
        r#"{"systems": [{"id": "s", "name": "S", "owner": "nobody"}]}"#,
    );
    write(
        &dir,
        "broken.cedar",
        "@id(\"a\") @reason(\"b\") forbid (principal, action, resource) when { 1 + };",
    );
    let inventory = write(
        &dir,
        "a.json",
        r#"{"inventory": "broken.json", "cases": []}"#,
    );
    let error = Suite::from_path(&inventory).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::DanglingReference, "{error}");
    assert!(
        error.message().contains("a.json: field `inventory`: "),
        "{error}"
    );
    assert!(error.message().contains("broken.json"), "{error}");

    let policy = write(
        &dir,
        "b.json",
        &format!(
            r#"{{"inventory": {:?}, "policies": ["broken.cedar"], "cases": []}}"#,
            std::fs::canonicalize("policies/tests/data/world.json").unwrap()
        ),
    );
    let error = Suite::from_path(&policy).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::PolicySyntax, "{error}");
    assert!(
        error.message().contains("b.json: field `policies[0]`: "),
        "{error}"
    );
    assert!(error.message().contains("broken.cedar"), "{error}");
}

#[test]
fn an_inventory_that_does_not_fit_the_packs_chosen_is_an_engine_error_naming_the_file() {
    // The world's waivers name s.889 and PSPF rules, which these packs leave out.
    let error = Suite::from_json(
        "t.json",
        &suite_text(r#""packs": ["baseline", "uk-ncsc-2017"], "cases": []"#),
        BASE,
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::DanglingReference, "{error}");
    assert!(
        error
            .message()
            .starts_with("t.json: building the engine from `inventory` and the policies: waiver `"),
        "{error}"
    );
    assert!(
        error.message().contains("which this policy set leaves out"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------
// Bad test files: each a TestFile error naming the file, the case, the field
// ---------------------------------------------------------------------------

/// The error loading `t.json` with these fields, which must be a TestFile
/// error whose message starts with `t.json: ` and contains each of `parts`.
#[track_caller]
fn bad(fields: &str, parts: &[&str]) {
    bad_text(&suite_text(fields), parts);
}

#[track_caller]
fn bad_text(text: &str, parts: &[&str]) {
    let error = match Suite::from_json("t.json", text, BASE) {
        Ok(_) => panic!("loaded: {text}"),
        Err(error) => error,
    };
    assert_eq!(error.kind(), ErrorKind::TestFile, "{error}");
    assert!(error.message().starts_with("t.json: "), "{error}");
    for part in parts {
        assert!(error.message().contains(part), "no {part:?} in: {error}");
    }
}

/// A case on the world, with `extra` fields (which may replace the defaults).
fn case(name: &str, extra: &str) -> String {
    let mut fields = serde_json::json!({
        "name": name, "system": "mod-secret", "action": "deploy", "release": "kes-12",
        "expect": "deny"
    });
    let extra: serde_json::Value = serde_json::from_str(&format!("{{{extra}}}")).unwrap();
    for (key, value) in extra.as_object().unwrap() {
        fields[key] = value.clone();
    }
    fields.to_string()
}

fn cases(cases: &[String]) -> String {
    format!(r#""cases": [{}]"#, cases.join(", "))
}

#[test]
fn malformed_json_names_the_file_the_case_and_where() {
    let text = suite_text(&cases(&[case("first", "")]));
    // Cut inside the case's `system` value.
    let cut = &text[..text.find("mod-secret").unwrap()];
    // The text does not parse, so the case's name cannot be read: its index.
    bad_text(
        cut,
        &["t.json: case cases[0]: field `system`: EOF while parsing"],
    );
    // serde would read a struct from an array; the format says objects.
    bad_text("[]", &["t.json: a test file is a JSON object"]);
    bad(
        &format!(
            r#""cases": [{}, ["x", "mod-secret", "deploy", "kes-12", null, "deny"]]"#,
            case("fine", "")
        ),
        &["t.json: case cases[1] (unnamed): a case is a JSON object"],
    );
    bad_text(&format!("{text} {{}}"), &["text after the JSON object"]);
}

#[test]
fn an_unknown_field_is_named_with_its_case() {
    bad(
        &cases(&[
            case("fine", ""),
            case("typo", r#""rule": ["uk-ncsc-2017/secret-and-above"]"#),
        ]),
        &[
            "case `typo` (cases[1])",
            "field `rule`",
            "unknown field `rule`",
        ],
    );
    bad(r#""case": []"#, &["field `case`", "unknown field `case`"]);
}

#[test]
fn a_missing_field_is_named_with_its_case() {
    let mut without = serde_json::from_str::<serde_json::Value>(&case("no verdict", "")).unwrap();
    without.as_object_mut().unwrap().remove("expect");
    bad(
        &format!(r#""cases": [{without}]"#),
        &["case `no verdict` (cases[0])", "missing field `expect`"],
    );
    bad_text(r#"{"cases": []}"#, &["missing field `inventory`"]);
}

#[test]
fn an_unnamed_case_is_named_by_its_index() {
    let unnamed =
        r#"{"system": "mod-secret", "action": "deploy", "release": "kes-12", "expect": "maybe"}"#;
    bad(
        &format!(
            r#""cases": [{}, {}, {unnamed}]"#,
            case("a", ""),
            case("b", "")
        ),
        &[
            "case cases[2] (unnamed)",
            "field `expect`",
            "unknown variant `maybe`",
        ],
    );
    // And failures call it by its index too.
    let report = run(
        r#""cases": [{"system": "mod-secret", "action": "deploy", "release": "kes-12", "expect": "allow"}]"#,
    );
    assert_eq!(report.failures()[0].case(), "cases[0]");
}

#[test]
fn a_bad_verdict_action_or_date_is_named() {
    bad(
        &cases(&[case("verdict", r#""expect": "permit""#)]),
        &[
            "case `verdict` (cases[0])",
            "field `expect`",
            "unknown variant `permit`, expected `allow` or `deny`",
        ],
    );
    bad(
        &cases(&[case("action", r#""action": "install""#)]),
        &["case `action` (cases[0])", "field `action`", "install"],
    );
    bad(
        &cases(&[case("date", r#""at": "2024-13-01""#)]),
        &["case `date` (cases[0])", "field `at`", "2024-13-01"],
    );
    bad_text(
        r#"{"inventory": "data/world.json", "at": "tomorrow", "cases": []}"#,
        &["field `at`", "tomorrow"],
    );
}

#[test]
fn an_unknown_system_or_release_is_named() {
    bad(
        &cases(&[case("system", r#""system": "mod-secrte""#)]),
        &["t.json: case `system` (cases[0]): field `system`: no system `mod-secrte` in the inventory"],
    );
    bad(
        &cases(&[case("release", r#""release": "kes-13""#)]),
        &["t.json: case `release` (cases[0]): field `release`: no release `kes-13` in the inventory"],
    );
}

#[test]
fn an_unknown_rule_advice_or_waiver_is_named() {
    bad(
        &cases(&[case("rule", r#""rules": ["uk-ncsc-2017/secret-and-above", "uk-ncsc-2017/secret"]"#)]),
        &["t.json: case `rule` (cases[0]): field `rules[1]`: no rule `uk-ncsc-2017/secret` in the policies"],
    );
    bad(
        &cases(&[case(
            "advice",
            r#""advice": ["uk-ncsc-2017/reconsider-2022"]"#,
        )]),
        &[
            "case `advice` (cases[0])",
            "field `advice[0]`",
            "no rule `uk-ncsc-2017/reconsider-2022`",
        ],
    );
    bad(
        &cases(&[case("waiver", r#""waivers": ["no-such-waiver"]"#)]),
        &[
            "case `waiver` (cases[0])",
            "field `waivers[0]`",
            "no waiver `no-such-waiver`",
        ],
    );
}

#[test]
fn an_expectation_that_can_never_hold_is_named() {
    bad(
        &cases(&[case(
            "advice as a rule",
            r#""rules": ["uk-ncsc-2017/reconsider-russian-controlled-2022"]"#,
        )]),
        &[
            "case `advice as a rule` (cases[0])",
            "field `rules[0]`",
            "is advice, which never decides",
        ],
    );
    bad(
        &cases(&[case(
            "a rule as advice",
            r#""advice": ["uk-ncsc-2017/secret-and-above"]"#,
        )]),
        &[
            "case `a rule as advice` (cases[0])",
            "field `advice[0]`",
            "is not advice",
        ],
    );
    bad(
        &cases(&[case(
            "forbid for allow",
            r#""expect": "allow", "rules": ["uk-ncsc-2017/secret-and-above"]"#,
        )]),
        &[
            "case `forbid for allow` (cases[0])",
            "field `rules[0]`",
            "cannot decide an Allow",
        ],
    );
    bad(
        &cases(&[case(
            "permit for deny",
            r#""rules": ["baseline/permit-unless-forbidden"]"#,
        )]),
        &[
            "case `permit for deny` (cases[0])",
            "field `rules[0]`",
            "cannot decide a Deny",
        ],
    );
    bad(
        &cases(&[case(
            "errors of an allow",
            r#""expect": "allow", "errors": ["overflow"]"#,
        )]),
        &[
            "case `errors of an allow` (cases[0])",
            "field `errors`",
            "any error gives Deny",
        ],
    );
    bad(
        &cases(&[case(
            "twice",
            r#""rules": ["uk-ncsc-2017/secret-and-above", "uk-ncsc-2017/secret-and-above"]"#,
        )]),
        &[
            "case `twice` (cases[0])",
            "field `rules[1]`",
            "is listed twice",
        ],
    );
    bad(
        &cases(&[case("empty error", r#""errors": [""]"#)]),
        &[
            "case `empty error` (cases[0])",
            "field `errors[0]`",
            "is empty",
        ],
    );
}

#[test]
fn duplicate_names_are_named() {
    bad(
        &format!(
            r#"{}, "matrices": [{{"name": "same", "action": "deploy", "releases": ["kes-12"], "systems": ["mod-secret"], "expect": "deny"}}]"#,
            cases(&[case("same", "")])
        ),
        &["t.json: matrix `same` (matrices[0]): field `name`: another case or matrix of this file has the same name"],
    );
    bad(
        &cases(&[case("same", ""), case("same", r#""action": "operate""#)]),
        &["case `same` (cases[1])", "field `name`"],
    );
    bad(
        &cases(&[case("", "")]),
        &["case `` (cases[0])", "field `name`", "is empty"],
    );
}

#[test]
fn a_case_with_no_instant_anywhere_is_named() {
    bad_text(
        &format!(
            r#"{{"inventory": "data/world.json", {}}}"#,
            cases(&[case("when?", "")])
        ),
        &["t.json: case `when?` (cases[0]): field `at`: no instant to ask about"],
    );
}

#[test]
fn a_matrix_table_that_misses_or_adds_a_cell_is_named() {
    let matrix = |expect: &str| {
        format!(
            r#""matrices": [{{"name": "m", "action": "deploy", "releases": ["kes-12", "kis-2019"],
                "systems": ["mod-secret", "dfe-official"], "expect": {expect}}}]"#
        )
    };
    bad(
        &matrix(r#"{"kes-12": {"mod-secret": "deny", "dfe-official": "allow"}, "kis-2019": {"mod-secret": "deny"}}"#),
        &["t.json: matrix `m` (matrices[0]): field `expect.kis-2019`: has no cell for system `dfe-official`"],
    );
    bad(
        &matrix(r#"{"kes-12": {"mod-secret": "deny", "dfe-official": "allow"}}"#),
        &[
            "matrix `m` (matrices[0])",
            "field `expect`",
            "has no row for release `kis-2019`",
        ],
    );
    bad(
        &matrix(
            r#"{"kes-12": {"mod-secret": "deny", "dfe-official": "allow"},
                "kis-2019": {"mod-secret": "deny", "dfe-official": "allow"},
                "kos-1": {"mod-secret": "allow", "dfe-official": "allow"}}"#,
        ),
        &[
            "matrix `m` (matrices[0])",
            "field `expect`",
            "release `kos-1`, which is not in `releases`",
        ],
    );
    bad(
        &matrix(
            r#"{"kes-12": {"mod-secret": "deny", "dfe-official": "allow", "fco-official": "deny"},
                "kis-2019": {"mod-secret": "deny", "dfe-official": "allow"}}"#,
        ),
        &[
            "matrix `m` (matrices[0])",
            "field `expect.kes-12`",
            "system `fco-official`, which is not in `systems`",
        ],
    );
    bad(
        &matrix(r#"{"kes-12": {"mod-secret": "deny", "mod-secret": "allow"}}"#),
        &[
            "matrix `m` (matrices[0])",
            "field `expect.kes-12`",
            "`mod-secret` is written twice",
        ],
    );
    bad(
        &matrix(r#"{"kes-12": {"mod-secret": "maybe"}}"#),
        &[
            "matrix `m` (matrices[0])",
            "field `expect.kes-12.mod-secret`",
            "unknown variant `maybe`",
        ],
    );
    bad(
        &matrix("42"),
        &[
            "matrix `m` (matrices[0])",
            "field `expect`",
            "invalid type: integer `42`",
        ],
    );
}

#[test]
fn a_matrix_naming_what_the_inventory_lacks_or_nothing_is_named() {
    let matrix = |releases: &str, systems: &str| {
        format!(
            r#""matrices": [{{"name": "m", "action": "deploy", "releases": {releases},
                "systems": {systems}, "expect": "deny"}}]"#
        )
    };
    bad(
        &matrix(r#"["kes-12"]"#, r#"["mod-secret", "mod-sekret"]"#),
        &["t.json: matrix `m` (matrices[0]): field `systems[1]`: no system `mod-sekret` in the inventory"],
    );
    bad(
        &matrix(r#"["kes-12", "kes-12"]"#, r#"["mod-secret"]"#),
        &[
            "matrix `m` (matrices[0])",
            "field `releases[1]`",
            "listed twice",
        ],
    );
    bad(
        &matrix("[]", r#"["mod-secret"]"#),
        &["matrix `m` (matrices[0])", "field `releases`", "is empty"],
    );
    bad(
        r#""matrices": [{"name": "m", "action": "deploy", "releases": ["kes-12", "defender-4.18"],
            "systems": ["mod-secret"], "expect": {"kes-12": {"mod-secret": "deny"}, "defender-4.18": {"mod-secret": "allow"}},
            "rules": ["uk-ncsc-2017/secret-and-above"]}]"#,
        &[
            "matrix `m` (matrices[0])",
            "field `rules[0]`",
            "a cell expects allow",
        ],
    );
}

#[test]
fn bad_packs_inventory_or_extra_waivers_are_named() {
    bad(
        r#""packs": ["baseline", "uk-ncsc-2018"], "cases": []"#,
        &["t.json: field `packs[1]`: ", "uk-ncsc-2018"],
    );
    bad(
        r#""packs": "some", "cases": []"#,
        &[
            "field `packs`",
            "expected \"all\" or a list of shipped pack names",
        ],
    );
    bad(
        r#""packs": ["baseline", "baseline"], "cases": []"#,
        &["field `packs[1]`", "`baseline` is listed twice"],
    );
    // An inline inventory: its JSON path within the file, or what validation finds.
    bad_text(
        r#"{"inventory": {"systems": [{"id": "s", "name": "S", "owner": "nobody", "colour": "red"}]}, "cases": []}"#,
        &[
            "field `inventory.systems[0].colour`",
            "unknown field `colour`",
        ],
    );
    bad_text(
        r#"{"inventory": {"systems": [{"id": "s", "name": "S", "owner": "nobody"}]}, "cases": []}"#,
        &["t.json: field `inventory`: ", "nobody"],
    );
    bad_text(
        r#"{"inventory": 7, "cases": []}"#,
        &[
            "field `inventory`",
            "the path of an inventory file, or an inventory object",
        ],
    );
    // Extra waivers: one that names a rule accepting no waivers, one that
    // names a product the inventory lacks, one whose id the inventory has.
    let waiver = |rules: &str, products: &str, id: &str| {
        format!(
            r#""extra_waivers": [{{"id": "{id}", "rules": [{rules}], "products": [{products}],
                "systems": ["gsa-desktops"], "actions": ["deploy"], "granted_by": "Nobody", "until": "2030-01-01"}}],
               "cases": []"#
        )
    };
    bad(
        &waiver(
            r#""us-bod-17-01/kaspersky-security-products""#,
            r#""kes""#,
            "w",
        ),
        &[
            "t.json: field `extra_waivers`: ",
            "waiver `w`",
            "accepts no waivers",
        ],
    );
    bad(
        &waiver(r#""au-pspf-002-2025/kaspersky""#, r#""no-product""#, "w"),
        &["t.json: field `extra_waivers`: ", "no-product"],
    );
    bad(
        &waiver(
            r#""au-pspf-002-2025/kaspersky""#,
            r#""kes""#,
            "pspf-002-exemption-desktops",
        ),
        &[
            "t.json: field `extra_waivers`: ",
            "pspf-002-exemption-desktops",
        ],
    );
    bad(
        r#""extra_waivers": [{"id": "w", "rules": [], "actions": ["deploy"], "granted_by": "N", "until": "soon"}], "cases": []"#,
        &["field `extra_waivers[0].until`", "soon"],
    );
}

#[test]
fn a_file_that_tests_nothing_is_an_error() {
    bad(
        r#""cases": [], "matrices": []"#,
        &["t.json: no `cases` and no `matrices`"],
    );
}

#[test]
fn no_input_panics() {
    // Odd but well-formed JSON of every shape, at every field.
    for value in [
        "null",
        "true",
        "-1",
        "1e999",
        "\"\"",
        "[]",
        "{}",
        "[[[[[[[[[[]]]]]]]]]]",
        "\"\\u0000\"",
    ] {
        for field in [
            "inventory",
            "packs",
            "policies",
            "extra_waivers",
            "at",
            "cases",
            "matrices",
            "description",
        ] {
            let text = format!(r#"{{"inventory": "data/world.json", "{field}": {value}}}"#);
            let _ = Suite::from_json("t.json", &text, BASE);
        }
        for field in [
            "name", "system", "action", "release", "at", "expect", "rules", "advice", "waivers",
            "errors", "match",
        ] {
            let text = suite_text(&format!(r#""cases": [{{"{field}": {value}}}]"#));
            let _ = Suite::from_json("t.json", &text, BASE);
            let text = suite_text(&format!(r#""matrices": [{{"{field}": {value}}}]"#));
            let _ = Suite::from_json("t.json", &text, BASE);
        }
    }
    // Nesting deeper than serde reads is an error, not a stack overflow.
    let deep = format!(
        r#"{{"inventory": {}1{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let error = Suite::from_json("t.json", &deep, BASE).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TestFile);
    // Not UTF-8.
    let dir = scratch("binary");
    let path = dir.join("binary.json");
    std::fs::write(&path, [0xff, 0xfe, b'{', b'}']).unwrap();
    let error = Suite::from_path(&path).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TestFile, "{error}");
    assert!(error.message().contains("not UTF-8"), "{error}");
}
