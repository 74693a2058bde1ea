//! The shipped packs, tested the way an author tests theirs: every suite in
//! `policies/tests/*.json` (one per pack, `<pack>.json`, and a few more for
//! other inventories or extra waivers) must pass, and together they must
//! exercise every rule of every shipped pack. The suites' fixture world is
//! `policies/tests/data/world.json`, outside the glob, as it is no suite.
//!
//! What JSON cannot express (explanation chains, engine build errors, the
//! issue's probes, rule texts) is in `tests/packs.rs`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use clearance::testing::{Report, Suite};
use clearance::{Pack, Policies};

const SUITES: &str = "policies/tests";

/// Every `*.json` directly under `policies/tests`, in name order.
fn suite_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(SUITES)
        .expect("policies/tests is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Loads and runs every suite, failing with every load error and every
/// failure at once.
fn run_all() -> Report {
    let mut report = Report::default();
    let mut errors = Vec::new();
    for file in suite_files() {
        match Suite::from_path(&file) {
            Ok(suite) => {
                assert!(
                    suite.description().is_some_and(|d| d.len() > 40),
                    "{}: a shipped suite says what it checks in its description",
                    file.display()
                );
                report.merge(suite.run());
            }
            Err(error) => errors.push(error.to_string()),
        }
    }
    assert!(
        errors.is_empty(),
        "suites that do not load:\n{}",
        errors.join("\n")
    );
    report
}

#[test]
fn every_shipped_pack_has_a_suite_named_after_it() {
    let files: BTreeSet<String> = suite_files()
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    for pack in Pack::ALL {
        assert!(
            files.contains(pack.as_str()),
            "no policies/tests/{pack}.json"
        );
    }
}

#[test]
fn every_suite_passes_and_every_shipped_rule_is_exercised() {
    let report = run_all();
    assert!(
        report.all_passed(),
        "{} of {} checks failed:\n\n{report}",
        report.failed(),
        report.passed() + report.failed()
    );
    // Hundreds of checks: a suite silently emptied would show here.
    assert!(report.passed() > 400, "only {} checks ran", report.passed());

    let shipped = Policies::all_packs().expect("the shipped packs load");
    let exercised: BTreeSet<&str> = report.exercised().collect();
    let missed: Vec<&str> = shipped
        .rules()
        .map(|rule| rule.id())
        .filter(|id| !exercised.contains(id))
        .collect();
    assert!(
        missed.is_empty(),
        "shipped rules no suite exercises: {missed:?}"
    );
    assert!(report.unexercised().is_empty(), "{report}");
}
