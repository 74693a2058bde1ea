//! What the shipped packs' JSON suites cannot express, on the same fixture
//! world (`policies/tests/data/world.json`).
//!
//! The packs' cases (each rule's date edges, scope edges, exceptions,
//! waivers and corporate reach, and each correction of issue 9) are test
//! files, `policies/tests/<pack>.json`, run by `tests/policy_suites.rs`:
//! the packs are tested the way an author tests theirs. Kept here:
//!
//! - the chains explaining a decision (DOMAIN scenario 4, embedded code of a
//!   sister company);
//! - the rule texts: readings labelled as readings;
//! - the engine refusing to build: waivers naming a rule the set lacks, or
//!   one that accepts no waivers, and the waiver keys the packs accept;
//! - the issue's probes (DOMAIN scenario 13), inventories adapted in code;
//! - the dated structure (Lorex) the engine reports.
//!
//! Tests named `fix_...` each prove one correction of issue 9: they fail
//! with the packs before it (commit b0cd4e6, checked when they were
//! written) and pass with the rewritten ones.
//!
//! Questions are written as rows, as in the suites' cases:
//!
//! ```text
//! system  action  release  date  => allow [advice ID...] [waived WAIVER...]
//! system  action  release  date  => deny ID... [advice ID...] [waived WAIVER...]
//! ```
//!
//! A row asserts the verdict, the exact deciding rule ids (`allow` means
//! only the baseline permit), the advice ids, the waivers used and that
//! nothing failed to evaluate.

use std::sync::OnceLock;

use clearance::testing::Suite;
use clearance::{Action, Decision, Engine, ErrorKind, Inventory, Policies, Query, Verdict, Waiver};
use serde_json::json;

const WORLD: &str = "policies/tests/data/world.json";
/// A copy of issue 9's probe (DOMAIN.md, scenario 13): the real Kaspersky
/// structure, written out by hand.
const PROBE: &str = "tests/data/real-kaspersky.json";
const PERMIT: &str = "baseline/permit-unless-forbidden";

// ---------------------------------------------------------------------------
// Engines, built once
// ---------------------------------------------------------------------------

fn packs() -> Policies {
    static PACKS: OnceLock<Policies> = OnceLock::new();
    PACKS
        .get_or_init(|| Policies::all_packs().expect("the shipped packs load"))
        .clone()
}

fn world_inventory() -> Inventory {
    Inventory::from_path(WORLD).expect("the fixture world loads")
}

/// The fixture world, with its waivers (agency-head waivers under s.889 and
/// a PSPF exemption).
fn world() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(world_inventory(), packs()).expect("the world's engine"))
}

fn waiver(value: serde_json::Value) -> Waiver {
    serde_json::from_value(value).expect("a valid waiver")
}

// ---------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------

/// One question and what the packs must answer.
struct Row {
    text: String,
    query: Query,
    verdict: Verdict,
    rules: Vec<String>,
    advice: Vec<String>,
    waivers: Vec<String>,
}

impl Row {
    fn parse(row: &str) -> Row {
        let (question, answer) = row
            .split_once("=>")
            .unwrap_or_else(|| panic!("no `=>` in row {row:?}"));
        let question: Vec<&str> = question.split_whitespace().collect();
        let [system, action, release, at] = question[..] else {
            panic!("row {row:?}: expected system, action, release and date before `=>`");
        };
        let mut words = answer.split_whitespace();
        let verdict = match words.next() {
            Some("deny") => Verdict::Deny,
            Some("allow") => Verdict::Allow,
            _ => panic!("row {row:?}: expected `allow` or `deny` after `=>`"),
        };
        // deny, advice, waived
        let mut lists: [Vec<String>; 3] = Default::default();
        let mut current = (verdict == Verdict::Deny).then_some(0);
        for word in words {
            match word {
                "advice" => current = Some(1),
                "waived" => current = Some(2),
                id => match current {
                    Some(list) => lists[list].push(id.to_owned()),
                    None => panic!("row {row:?}: `allow` names no rule"),
                },
            }
        }
        let [mut rules, advice, waivers] = lists;
        if verdict == Verdict::Allow {
            rules.push(PERMIT.to_owned());
        }
        assert!(!rules.is_empty(), "row {row:?}: `deny` names no rule");
        let action: Action = action.parse().expect("an action");
        Row {
            text: row.trim().to_owned(),
            query: Query::new(system, action, release).at(at.parse().expect("a valid date")),
            verdict,
            rules,
            advice,
            waivers,
        }
    }

    /// The decision, which must be what the row says.
    #[track_caller]
    fn decide(&self, engine: &Engine) -> Decision {
        let d = engine
            .decide(&self.query)
            .expect("a known system and release");
        let waivers: Vec<&str> = d.waivers().iter().map(|w| w.as_str()).collect();
        let ok = d.verdict() == self.verdict
            && d.rule_ids() == self.rules
            && d.advice_ids() == self.advice
            && waivers == self.waivers
            && d.errors().is_empty();
        assert!(
            ok,
            "- {}\n  expected {:?} by {:?}, advice {:?}, waivers {:?}, no errors\n  got: {d}",
            self.text, self.verdict, self.rules, self.advice, self.waivers,
        );
        d
    }
}

/// The chains explaining the decision of one row (which must hold).
#[track_caller]
fn chains(engine: &Engine, row: &str) -> Vec<String> {
    Row::parse(row)
        .decide(engine)
        .chains()
        .iter()
        .map(ToString::to_string)
        .collect()
}

// ---------------------------------------------------------------------------
// Chains
// ---------------------------------------------------------------------------

/// DOMAIN scenario 4: the explanation shows the way to AO Kaspersky Lab.
#[test]
fn a_resellers_product_is_explained_by_its_way_to_ao_kaspersky_lab() {
    assert_eq!(
        chains(
            world(),
            "gsa-desktops deploy shield-av-1 2019-06-01 => deny us-bod-17-01/kaspersky-security-products us-ndaa-1634/kaspersky"
        ),
        ["Shield Antivirus (hypothetical) 1.0.0, made by Shield Resellers Ltd (hypothetical) (GB), \
          controlled by AO Kaspersky Lab (RU)"]
    );
}

/// Hexagone Guard embeds an SDK of Kaspersky Lab, Inc.: a component of a
/// sister company of AO Kaspersky Lab, which the old upward search missed.
#[test]
fn fix_s1634_components_of_a_sister_company_are_explained_through_the_parent() {
    assert_eq!(
        chains(
            world(),
            "gsa-desktops deploy hexagone-guard-1 2019-06-01 => deny us-ndaa-1634/kaspersky"
        ),
        [
            "Hexagone Guard (hypothetical) 1.0.0 embeds Kaspersky Lab, Inc. scanning SDK \
             (hypothetical) 1.0.0, made by Kaspersky Lab, Inc. (US), controlled by Kaspersky \
             Labs Limited (incorporated GB, run from RU), which controls AO Kaspersky Lab (RU) \
             (unconfirmed)"
        ]
    );
}

// ---------------------------------------------------------------------------
// Rule texts
// ---------------------------------------------------------------------------

#[test]
fn fix_data_in_russia_rules_are_labelled_as_readings() {
    let policies = world().policies();
    for id in [
        "uk-ncsc-2017/secret-and-above-data-in-russia",
        "uk-ncsc-2017/national-security-assessed-data-in-russia",
    ] {
        let rule = policies.rule(id).unwrap_or_else(|| panic!("no rule {id}"));
        assert!(
            rule.reason().contains("This project's reading"),
            "{id}: {}",
            rule.reason()
        );
    }
    // The rules on control and on choosing claim no reading; running and
    // updating what should not have been chosen is one.
    for id in [
        "uk-ncsc-2017/secret-and-above",
        "uk-ncsc-2017/national-security-assessed",
    ] {
        let rule = policies.rule(id).unwrap();
        assert!(
            !rule.reason().contains("reading"),
            "{id}: {}",
            rule.reason()
        );
    }
    let in_use = policies
        .rule("uk-ncsc-2017/national-security-assessed-in-use")
        .unwrap();
    assert!(
        in_use.reason().contains("This project's reading"),
        "{}",
        in_use.reason()
    );
}

/// Every rule whose Deny rests on a reading rather than the words says so in
/// its reason, and its id marks it: the rules split off for that purpose.
#[test]
fn rules_split_off_for_a_reading_say_so() {
    let policies = world().policies();
    for id in [
        "uk-ncsc-2017/national-security-assessed-in-use",
        "us-ndaa-889/agency-telecom-install",
        "us-ndaa-889/agency-video-surveillance-install",
        "us-ndaa-889/agency-hytera-hikvision-dahua-services",
        "us-ndaa-889/contractor-hytera-hikvision-dahua-services",
        "us-fcc-covered-list/kaspersky-embedded",
        "us-fcc-54-9/components",
    ] {
        let rule = policies.rule(id).unwrap_or_else(|| panic!("no rule {id}"));
        assert!(rule.reason().contains("reading"), "{id}: {}", rule.reason());
        assert!(rule.quote().is_some(), "{id} quotes the words it reads");
    }
}

/// The direction names Kaspersky Lab, Inc.; its group-wide reach (the cases
/// of `au-pspf-002-2025.json`) is labelled as a reading.
#[test]
fn fix_au_pspf_group_reach_is_labelled_as_a_reading() {
    let rule = world()
        .policies()
        .rule("au-pspf-002-2025/kaspersky")
        .unwrap();
    assert!(
        rule.reason().contains("project's reading")
            && rule.reason().contains("whole Kaspersky group"),
        "{}",
        rule.reason()
    );
}

// ---------------------------------------------------------------------------
// Waivers the packs accept, and waivers they do not
// ---------------------------------------------------------------------------

#[test]
fn fix_waiver_keys_are_exactly_those_the_rewritten_packs_accept() {
    let policies = packs();
    let keys: Vec<&str> = policies.waiver_keys().into_iter().collect();
    assert_eq!(
        keys,
        [
            "au-pspf-001-2023/tiktok",
            "au-pspf-001-2025/deepseek",
            "au-pspf-002-2025/kaspersky",
            "nz-parliament-tiktok-2023/tiktok",
            "tw-moda-deepseek-2025/government",
            "uk-tiktok-2023/government-devices",
            "us-asda-2023/far-52-240-1",
            "us-asda-2023/federal-funds",
            "us-asda-2023/operation",
            "us-asda-2023/procurement",
            "us-far-52-204-27/contractor-it",
            "us-ndaa-6604/deepseek-ic-systems",
            "us-ndaa-889/agency-hytera-hikvision-dahua-services",
            "us-ndaa-889/agency-hytera-hikvision-dahua-services/dni",
            "us-ndaa-889/agency-telecom",
            "us-ndaa-889/agency-telecom/dni",
            "us-ndaa-889/agency-video-surveillance",
            "us-ndaa-889/agency-video-surveillance/dni",
            "us-ndaa-889/contractor-hytera-hikvision-dahua-services",
            "us-ndaa-889/contractor-hytera-hikvision-dahua-services/dni",
            "us-ndaa-889/contractor-telecom",
            "us-ndaa-889/contractor-telecom/dni",
            "us-ndaa-889/contractor-video-surveillance",
            "us-ndaa-889/contractor-video-surveillance/dni",
            "us-no-tiktok-act/agency-it",
            "us-ofac-50/blocked-vendor",
            "us-pafaca/distribution",
        ]
    );
    // Engines with waivers under the new keys (DNI waivers, an OFAC licence)
    // build: the suites that add them load.
    for file in [
        "policies/tests/us-ndaa-889-waivers.json",
        "policies/tests/us-ofac-50-licence.json",
    ] {
        let suite = Suite::from_path(file).unwrap_or_else(|e| panic!("{e}"));
        assert!(suite.engine().inventory().waivers.len() > 3, "{file}");
    }
}

fn error_with_a_waiver_naming(key: &str) -> clearance::Error {
    let mut inventory = world_inventory();
    inventory.waivers.push(waiver(json!({
        "id": "misdirected-waiver", "rules": [key],
        "products": ["kes"], "organisations": ["us-gsa"], "actions": ["deploy"],
        "granted_by": "Somebody (hypothetical)", "until": "2030-01-01"
    })));
    Engine::new(inventory, packs()).expect_err("a waiver naming a key no rule tests")
}

#[test]
fn a_waiver_naming_a_rule_the_set_lacks_is_an_error_naming_waiver_and_rule() {
    // `lt-2017/kaspersky` is the id the rewrite split in two.
    for key in ["lt-2017/kaspersky", "us-ndaa-1634/no-such-rule"] {
        let error = error_with_a_waiver_naming(key);
        assert_eq!(error.kind(), ErrorKind::DanglingReference, "{error}");
        assert!(error.message().contains("`misdirected-waiver`"), "{error}");
        assert!(error.message().contains(&format!("`{key}`")), "{error}");
        assert!(!error.message().contains("accepts no waivers"), "{error}");
    }
}

#[test]
fn a_waiver_naming_a_rule_that_accepts_none_is_an_error_naming_waiver_and_rule() {
    for key in [
        "us-bod-17-01/kaspersky-security-products",
        "us-ndaa-1634/kaspersky",
        "uk-ncsc-2017/secret-and-above",
        "us-icts-2024-kaspersky/updates",
    ] {
        let error = error_with_a_waiver_naming(key);
        assert_eq!(error.kind(), ErrorKind::DanglingReference, "{error}");
        assert!(error.message().contains("`misdirected-waiver`"), "{error}");
        assert!(error.message().contains(&format!("`{key}`")), "{error}");
        assert!(error.message().contains("accepts no waivers"), "{error}");
    }
}

#[test]
fn fix_a_waiver_naming_a_new_rule_that_accepts_none_is_an_error() {
    for key in [
        "uk-ncsc-2017/secret-and-above-data-in-russia",
        "us-icts-2024-kaspersky/provision",
        "us-fcc-covered-list/kaspersky",
    ] {
        let error = error_with_a_waiver_naming(key);
        assert_eq!(error.kind(), ErrorKind::DanglingReference, "{error}");
        assert!(error.message().contains("`misdirected-waiver`"), "{error}");
        assert!(error.message().contains(&format!("`{key}`")), "{error}");
        assert!(error.message().contains("accepts no waivers"), "{error}");
    }
}

// ---------------------------------------------------------------------------
// The issue's probes
// ---------------------------------------------------------------------------

fn probe_text() -> String {
    std::fs::read_to_string(PROBE).expect("the probe file")
}

/// The probe, referring to the registry's companies instead of defining them.
fn probe_on_the_registry() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut probe: serde_json::Value = serde_json::from_str(&probe_text()).unwrap();
        probe.as_object_mut().unwrap().remove("vendors");
        let inventory: Inventory = serde_json::from_value(probe).expect("the adapted probe");
        Engine::new(inventory, packs()).expect("the adapted probe's engine")
    })
}

const PROBE_GSA: &str = "gsa-desktops deploy kis-2019 2019-06-01 => deny us-bod-17-01/kaspersky-security-products us-ndaa-1634/kaspersky";
const PROBE_HOME: &str =
    "home-laptop update kav-2024 2024-10-01 => deny us-icts-2024-kaspersky/updates";
const PROBE_CHAIN: &str = "Kaspersky Internet Security 19.0.0, made by Kaspersky Lab, Inc. (US), \
     controlled by Kaspersky Labs Limited (incorporated GB, run from RU), \
     which controls AO Kaspersky Lab (RU)";
/// The same chain through the registry, which marks the last link
/// unconfirmed: no primary text says which of the two controls the other.
const PROBE_CHAIN_ON_THE_REGISTRY: &str =
    "Kaspersky Internet Security 19.0.0, made by Kaspersky Lab, Inc. (US), \
     controlled by Kaspersky Labs Limited (incorporated GB, run from RU), \
     which controls AO Kaspersky Lab (RU) (unconfirmed)";

#[test]
fn fix_probe_gsa_desktops_deploy_kis_2019_is_denied_through_kaspersky_labs_limited() {
    assert_eq!(
        chains(probe_on_the_registry(), PROBE_GSA)[0],
        PROBE_CHAIN_ON_THE_REGISTRY
    );
}

#[test]
fn fix_probe_home_laptop_update_kav_2024_is_denied() {
    Row::parse(PROBE_HOME).decide(probe_on_the_registry());
}

/// The probe file unchanged models the Kaspersky companies exactly as the
/// registry does: that is accepted (the registry's entries, with their
/// sources, are used), and the two questions are denied through the group.
#[test]
fn fix_probe_file_unchanged_is_accepted_and_denied_through_the_group() {
    let inventory = Inventory::from_json(&probe_text()).expect("it says what the registry says");
    let engine = Engine::new(inventory, packs()).unwrap();
    Row::parse(PROBE_HOME).decide(&engine);
    assert_eq!(chains(&engine, PROBE_GSA)[0], PROBE_CHAIN_ON_THE_REGISTRY);
}

#[test]
fn fix_probe_file_with_registry_false_loads_and_is_denied_through_the_group() {
    let mut probe: serde_json::Value = serde_json::from_str(&probe_text()).unwrap();
    probe["registry"] = json!(false);
    let inventory: Inventory = serde_json::from_value(probe).unwrap();
    let engine = Engine::new(inventory, packs()).expect("the probe, modelling its companies");
    Row::parse(PROBE_HOME).decide(&engine);
    assert_eq!(chains(&engine, PROBE_GSA)[0], PROBE_CHAIN);
}

// ---------------------------------------------------------------------------
// Lorex: a dated structure
// ---------------------------------------------------------------------------

/// Lorex is Dahua's subsidiary only while Dahua owned it (the decisions on
/// either side are cases of `us-ndaa-889.json`): the engine reports the
/// two instants its structure changes, beside the registry's other dated
/// links (ByteDance's 99% of Beijing ByteDance Technology from 30 April 2021,
/// the TikTok joint venture's owners from 22 January 2026).
#[test]
fn lorex_is_dahuas_subsidiary_only_while_dahua_owned_it() {
    let changes: Vec<String> = world()
        .structure_changes()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        changes,
        [
            "2018-02-06T00:00:00Z",
            "2021-04-30T00:00:00Z",
            "2022-11-24T00:00:00Z",
            "2026-01-22T00:00:00Z"
        ]
    );
}

// ---------------------------------------------------------------------------
// The words of the law, in every decision
// ---------------------------------------------------------------------------

/// A compliance officer reading a Deny finds the words of the instrument that
/// decided it, and where they are: in the text, in the JSON, and in the
/// export's `expected.json`; advice carries its words too.
#[test]
fn decisions_show_the_quote_of_each_deciding_rule_and_advice() {
    let engine = world();
    let decision = Row::parse(
        "gsa-desktops deploy kis-2019 2019-06-01 => deny us-bod-17-01/kaspersky-security-products us-ndaa-1634/kaspersky",
    )
    .decide(engine);
    let text = decision.to_string();
    let json = serde_json::to_value(&decision).unwrap();
    for (i, rule) in decision.rules().enumerate() {
        let quote = rule.quote().expect("an instrument's rule quotes it");
        let at = rule.quote_source().unwrap();
        assert!(text.contains(&format!("quote:  \"{quote}\"")), "{text}");
        assert!(text.contains(&format!("({at})")), "{text}");
        assert_eq!(json["rules"][i]["quote"], quote);
        assert_eq!(json["rules"][i]["quote_source"], at);
    }
    // Quotation marks inside the words come out as written.
    assert!(
        text.contains("\"Kaspersky-branded products\" means"),
        "{text}"
    );

    let expected = engine
        .export(
            &Query::new("gsa-desktops", Action::Deploy, "kis-2019")
                .at("2019-06-01".parse().unwrap()),
        )
        .unwrap()
        .expected_json();
    let quoted: Vec<&str> = expected["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["rule"].as_str().unwrap())
        .collect();
    assert_eq!(quoted, decision.rule_ids());

    // Advice: the BSI's recommendation, in German, with where it is.
    let advised = Row::parse(
        "stadtwerke-office operate kes-12 2023-05-01 => allow advice de-bsi-2022/replace-kaspersky-antivirus",
    )
    .decide(engine);
    let advice = advised.advice().next().unwrap();
    assert!(advice
        .quote()
        .unwrap()
        .starts_with("Daher empfiehlt das BSI"));
    assert!(advised
        .to_string()
        .contains("quote:  \"Daher empfiehlt das BSI"));
    // The baseline permit quotes no instrument, and shows none.
    assert!(!advised.to_string().contains("quote:  \"Allowed"));
}
