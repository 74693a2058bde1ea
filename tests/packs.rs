//! Every shipped policy pack against the real engine: each rule's date edges
//! (the day before, the day of), its scope edges, exceptions, waivers and
//! corporate reach through the shipped registry, as each pack's comments and
//! DOMAIN.md state them, on the fixture world `tests/data/packs-world.json`.
//!
//! - The `<pack>_pack` tests run the whole table of a pack's cases.
//! - The `fix_...` tests each prove one correction of issue 9: they fail with
//!   the packs before it (commit b0cd4e6, checked when they were written) and
//!   pass with the rewritten ones.
//! - The `new_...` tests cover the three new packs.
//! - Tests named otherwise check what the rewrite kept (they pass with the old
//!   packs too), or the engine around the packs (probes, waivers, Lorex).
//!
//! Cases are tables, one question a row:
//!
//! ```text
//! system  action  release  date  => allow [advice ID...] [waived WAIVER...]  # note
//! system  action  release  date  => deny ID... [advice ID...] [waived WAIVER...]
//! ```
//!
//! Every row asserts the verdict, the exact deciding rule ids (the engine
//! lists them by id; `allow` means only the baseline permit), the advice ids, the
//! waivers used and that nothing failed to evaluate; a failure prints the
//! row and the decision, and a table reports every failing row at once. The
//! fixture refers to the registry's companies (Kaspersky, Huawei, ZTE,
//! Hytera, Hikvision, EZVIZ, Dahua, Lorex, the FCC carriers) without
//! defining them.

use std::sync::OnceLock;

use clearance::{Action, Decision, Engine, ErrorKind, Inventory, Policies, Query, Verdict, Waiver};
use serde_json::json;

const WORLD: &str = "tests/data/packs-world.json";
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
/// a PSPF exemption, keys the old packs test too).
fn world() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(world_inventory(), packs()).expect("the world's engine"))
}

fn waiver(value: serde_json::Value) -> Waiver {
    serde_json::from_value(value).expect("a valid waiver")
}

/// Waivers under keys only the rewritten packs test: the Director of National
/// Intelligence's under s.889 (`<rule>/dni`), and an OFAC licence.
fn new_kinds_of_waiver() -> Vec<Waiver> {
    vec![
        waiver(json!({
            "id": "dni-889-waiver-network", "rules": ["us-ndaa-889/agency-telecom/dni"],
            "products": ["huawei-router"], "systems": ["gsa-network"], "actions": ["update"],
            "granted_by": "Director of National Intelligence (hypothetical)",
            "from": "2023-01-01", "until": "2024-01-01"
        })),
        waiver(json!({
            "id": "dni-889-waiver-cctv", "rules": ["us-ndaa-889/agency-video-surveillance/dni"],
            "vendors": ["hikvision"], "systems": ["gsa-facility-cctv"], "actions": ["deploy"],
            "granted_by": "Director of National Intelligence (hypothetical)",
            "until": "2023-12-31"
        })),
        waiver(json!({
            "id": "dni-889-waiver-contractor", "rules": ["us-ndaa-889/contractor-telecom/dni"],
            "products": ["huawei-router"], "systems": ["contractor-endpoints"],
            "actions": ["operate"],
            "granted_by": "Director of National Intelligence (hypothetical)",
            "from": "2023-01-01", "until": "2024-01-01"
        })),
        waiver(json!({
            "id": "ofac-licence-sanctioned-soft", "rules": ["us-ofac-50/blocked-vendor"],
            "vendors": ["sanctioned-soft"], "organisations": ["us-business"],
            "actions": ["procure", "update"],
            "granted_by": "OFAC, specific licence (hypothetical)", "until": "2024-01-01"
        })),
    ]
}

/// The world with the waivers of [`new_kinds_of_waiver`] added. The old packs
/// test none of their keys, so with them building this engine is an error.
fn waived_world() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut inventory = world_inventory();
        inventory.waivers.extend(new_kinds_of_waiver());
        Engine::new(inventory, packs()).expect("the world with DNI waivers and an OFAC licence")
    })
}

// ---------------------------------------------------------------------------
// Tables of cases
// ---------------------------------------------------------------------------

/// One row of a table: a question and what the packs must answer.
struct Case {
    row: String,
    system: String,
    action: Action,
    release: String,
    at: String,
    /// The binding rules that deny it, by id; none: Allow.
    deny: Vec<String>,
    advice: Vec<String>,
    waivers: Vec<String>,
}

impl Case {
    fn parse(row: &str) -> Case {
        let text = row.split('#').next().unwrap_or_default();
        let (question, answer) = text
            .split_once("=>")
            .unwrap_or_else(|| panic!("no `=>` in row {row:?}"));
        let question: Vec<&str> = question.split_whitespace().collect();
        let [system, action, release, at] = question[..] else {
            panic!("row {row:?}: expected system, action, release and date before `=>`");
        };
        let mut words = answer.split_whitespace();
        let verdict = words.next();
        // deny, advice, waived
        let mut lists: [Vec<String>; 3] = Default::default();
        let mut current = match verdict {
            Some("deny") => Some(0),
            Some("allow") => None,
            _ => panic!("row {row:?}: expected `allow` or `deny` after `=>`"),
        };
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
        let [deny, advice, waivers] = lists;
        assert!(
            verdict == Some("allow") || !deny.is_empty(),
            "row {row:?}: `deny` names no rule"
        );
        Case {
            row: row.trim().to_owned(),
            system: system.to_owned(),
            action: action.parse().expect("an action"),
            release: release.to_owned(),
            at: at.to_owned(),
            deny,
            advice,
            waivers,
        }
    }

    fn decide(&self, engine: &Engine) -> Decision {
        let query = Query::new(self.system.as_str(), self.action, self.release.as_str())
            .at(self.at.parse().expect("a valid date"));
        engine.decide(&query).expect("a known system and release")
    }

    /// What is wrong with the engine's answer, if anything.
    fn failure(&self, engine: &Engine) -> Option<String> {
        let d = self.decide(engine);
        let (verdict, rules) = if self.deny.is_empty() {
            (Verdict::Allow, vec![PERMIT])
        } else {
            (
                Verdict::Deny,
                self.deny.iter().map(String::as_str).collect(),
            )
        };
        let waivers: Vec<&str> = d.waivers().iter().map(|w| w.as_str()).collect();
        let ok = d.verdict() == verdict
            && d.rule_ids() == rules
            && d.advice_ids() == self.advice
            && waivers == self.waivers
            && d.errors().is_empty();
        (!ok).then(|| {
            format!(
                "- {}\n  expected {verdict:?} by {rules:?}, advice {:?}, waivers {:?}, no errors\n  got: {d}",
                self.row, self.advice, self.waivers,
            )
        })
    }
}

fn cases(table: &str) -> Vec<Case> {
    table
        .lines()
        .filter(|l| !l.split('#').next().unwrap_or_default().trim().is_empty())
        .map(Case::parse)
        .collect()
}

/// Asks every row of the table and reports all that disagree at once.
#[track_caller]
fn check(engine: &Engine, table: &str) {
    let cases = cases(table);
    assert!(!cases.is_empty());
    let failures: Vec<String> = cases.iter().filter_map(|c| c.failure(engine)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The chains explaining the decision of one row (which must hold).
#[track_caller]
fn chains(engine: &Engine, row: &str) -> Vec<String> {
    let case = Case::parse(row);
    if let Some(failure) = case.failure(engine) {
        panic!("{failure}");
    }
    case.decide(engine)
        .chains()
        .iter()
        .map(ToString::to_string)
        .collect()
}

// ---------------------------------------------------------------------------
// uk-ncsc-2017
// ---------------------------------------------------------------------------

#[test]
fn uk_ncsc_2017_pack() {
    check(
        world(),
        r"
        mod-secret           deploy  kes-12          2018-01-10 => deny uk-ncsc-2017/secret-and-above
        mod-secret           deploy  kes-12          2017-11-30 => allow                                   # day before
        mod-secret           deploy  kes-12          2017-12-01 => deny uk-ncsc-2017/secret-and-above      # day of
        mod-secret           deploy  kis-2024        2018-01-10 => deny uk-ncsc-2017/secret-and-above uk-ncsc-2017/secret-and-above-data-in-russia
        mod-secret           deploy  nordlys-av-5.2  2023-06-01 => deny uk-ncsc-2017/secret-and-above-data-in-russia
        mod-logistics        deploy  nordlys-av-5.2  2023-06-01 => deny uk-ncsc-2017/national-security-assessed-data-in-russia
        mod-logistics        deploy  nordlys-av-5.3  2023-06-01 => allow
        mod-secret           deploy  hexagone-suite-2018 2018-01-10 => deny uk-ncsc-2017/secret-and-above  # embedded Kaspersky engine
        fco-official         deploy  kes-12          2018-01-10 => deny uk-ncsc-2017/national-security-assessed
        fco-official         deploy  kes-12          2017-11-30 => allow
        fco-official         operate kes-12          2022-04-01 => deny uk-ncsc-2017/national-security-assessed advice uk-ncsc-2017/reconsider-russian-controlled-2022
        dfe-official         deploy  kes-12          2018-01-10 => allow
        dfe-official         operate kes-12          2022-03-28 => allow
        dfe-official         operate kes-12          2022-03-29 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        council-official     operate kes-12          2022-03-14 => allow
        council-official     operate kes-12          2022-03-28 => allow
        council-official     operate kes-12          2022-03-29 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        council-official     deploy  nordlys-crm-1   2023-01-01 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        uk-home-laptop       deploy  kis-2024        2024-10-01 => allow
        uk-mp-home-laptop    deploy  kes-12          2023-01-01 => allow
        uk-msp-soc           operate kes-12          2023-01-01 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        uk-thinktank-laptops operate kes-12          2023-01-01 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        uk-bank-desktops     operate kes-12          2023-01-01 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        uk-ngo-laptops       operate kes-12          2023-01-01 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        uk-grid-ot           operate kes-12          2023-01-01 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        uk-retailer-desktops operate kes-12          2023-01-01 => allow
        ",
    );
}

#[test]
fn fix_ncsc_2017_guidance_is_not_in_force_before_1_december_2017() {
    check(
        world(),
        r"
        mod-secret   deploy kes-12 2017-11-30 => allow
        mod-secret   deploy kes-12 2017-12-01 => deny uk-ncsc-2017/secret-and-above
        fco-official deploy kes-12 2017-11-30 => allow
        fco-official deploy kes-12 2017-12-01 => deny uk-ncsc-2017/national-security-assessed
        ",
    );
}

#[test]
fn fix_ncsc_2022_advice_starts_on_29_march_not_14_march() {
    check(
        world(),
        r"
        council-official operate kes-12 2022-03-14 => allow
        council-official operate kes-12 2022-03-28 => allow
        council-official operate kes-12 2022-03-29 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        ",
    );
}

#[test]
fn fix_ncsc_2022_advice_reaches_ordinary_central_government_departments() {
    check(
        world(),
        r"
        dfe-official operate kes-12 2022-03-28 => allow
        dfe-official operate kes-12 2022-03-29 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        # A national-security department's system stays denied, and is advised too.
        fco-official operate kes-12 2022-04-01 => deny uk-ncsc-2017/national-security-assessed advice uk-ncsc-2017/reconsider-russian-controlled-2022
        ",
    );
}

#[test]
fn fix_ncsc_2022_advice_reaches_cni_providers() {
    check(
        world(),
        r"
        uk-grid-ot operate kes-12 2022-03-28 => allow                                                      # sector CNI
        uk-grid-ot operate kes-12 2022-03-29 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        uk-msp-soc operate kes-12 2022-03-28 => allow                                                      # role cni-service-provider
        uk-msp-soc operate kes-12 2022-03-29 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        ",
    );
}

#[test]
fn fix_ncsc_2022_advice_reaches_organisations_serving_ukraine() {
    check(
        world(),
        r"
        uk-ngo-laptops operate kes-12 2022-03-28 => allow
        uk-ngo-laptops operate kes-12 2022-03-29 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        ",
    );
}

#[test]
fn fix_ncsc_2022_advice_reaches_high_profile_organisations_but_not_individuals() {
    check(
        world(),
        r"
        uk-bank-desktops  operate kes-12 2022-03-28 => allow
        uk-bank-desktops  operate kes-12 2022-03-29 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        uk-mp-home-laptop operate kes-12 2023-01-01 => allow  # a household, even a high-profile one, is not targeted
        ",
    );
}

#[test]
fn fix_ncsc_2022_advice_reaches_work_counter_to_russian_state_interests() {
    check(
        world(),
        r"
        uk-thinktank-laptops operate kes-12 2022-03-28 => allow
        uk-thinktank-laptops operate kes-12 2022-03-29 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        ",
    );
}

#[test]
fn fix_ncsc_2022_advice_covers_services_provided_out_of_russia() {
    check(
        world(),
        r"
        council-official     deploy nordlys-crm-1 2022-03-28 => allow
        council-official     deploy nordlys-crm-1 2022-03-29 => allow advice uk-ncsc-2017/reconsider-russian-controlled-2022
        uk-retailer-desktops deploy nordlys-crm-1 2023-01-01 => allow  # not in the audience
        ",
    );
}

#[test]
fn fix_data_in_russia_rules_are_labelled_as_readings() {
    let policies = world().policies();
    for id in [
        "uk-ncsc-2017/secret-and-above-data-in-russia",
        "uk-ncsc-2017/national-security-assessed-data-in-russia",
    ] {
        let rule = policies.rule(id).unwrap_or_else(|| panic!("no rule {id}"));
        assert!(
            rule.reason().contains("this project's reading"),
            "{id}: {}",
            rule.reason()
        );
    }
    // The rules on control claim no reading.
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
    check(
        world(),
        r"
        mod-logistics deploy nordlys-av-5.2 2023-06-01 => deny uk-ncsc-2017/national-security-assessed-data-in-russia
        mod-secret    deploy nordlys-av-5.2 2023-06-01 => deny uk-ncsc-2017/secret-and-above-data-in-russia
        mod-secret    deploy kis-2024       2018-01-10 => deny uk-ncsc-2017/secret-and-above uk-ncsc-2017/secret-and-above-data-in-russia
        # Swiss data does not cure control (and, after 29 March 2022, the advice attaches too).
        mod-secret    deploy kes-12         2023-06-01 => deny uk-ncsc-2017/secret-and-above advice uk-ncsc-2017/reconsider-russian-controlled-2022
        ",
    );
}

// ---------------------------------------------------------------------------
// us-bod-17-01
// ---------------------------------------------------------------------------

#[test]
fn us_bod_17_01_pack() {
    check(
        world(),
        r"
        gsa-desktops    deploy kis-2019            2019-06-01 => deny us-bod-17-01/kaspersky-security-products us-ndaa-1634/kaspersky
        gsa-desktops    deploy kav-2024            2019-06-01 => deny us-bod-17-01/kaspersky-security-products us-ndaa-1634/kaspersky
        gsa-desktops    deploy kes-12              2017-12-11 => allow  # day before
        gsa-desktops    deploy kes-12              2017-12-12 => deny us-bod-17-01/kaspersky-security-products
        gsa-desktops    deploy kti-2024            2018-01-10 => allow
        gsa-desktops    deploy kti-2024            2019-06-01 => deny us-ndaa-1634/kaspersky
        gsa-desktops    deploy kst-1               2019-06-01 => deny us-ndaa-1634/kaspersky
        gsa-desktops    deploy kos-1               2018-01-10 => deny us-bod-17-01/kaspersky-security-products
        gsa-nss         deploy kes-12              2018-01-10 => allow
        gsa-nss         deploy kes-12              2019-01-10 => deny us-ndaa-1634/kaspersky
        gsa-desktops    deploy hexagone-suite-2018 2018-06-01 => allow
        gsa-desktops    deploy ooo-av-1            2019-06-01 => deny us-bod-17-01/kaspersky-security-products us-ndaa-1634/kaspersky
        gsa-desktops    deploy shield-av-1         2019-06-01 => deny us-bod-17-01/kaspersky-security-products us-ndaa-1634/kaspersky
        us-business-soc deploy kes-12              2019-06-01 => allow
        ",
    );
    // DOMAIN scenario 4: the explanation shows the way to AO Kaspersky Lab.
    assert_eq!(
        chains(
            world(),
            "gsa-desktops deploy shield-av-1 2019-06-01 => deny us-bod-17-01/kaspersky-security-products us-ndaa-1634/kaspersky"
        ),
        ["Shield Antivirus (hypothetical) 1.0.0, made by Shield Resellers Ltd (hypothetical) (GB), \
          controlled by AO Kaspersky Lab (RU)"]
    );
}

#[test]
fn fix_bod_17_01_covers_the_products_of_every_group_company() {
    // Before s.1634 takes effect (2018-10-01), so BOD 17-01 alone decides.
    check(
        world(),
        r"
        gsa-desktops deploy  kis-2019 2018-01-10 => deny us-bod-17-01/kaspersky-security-products  # Kaspersky Lab, Inc.
        gsa-desktops deploy  kav-2024 2018-01-10 => deny us-bod-17-01/kaspersky-security-products  # Kaspersky Lab Switzerland GmbH
        gsa-desktops deploy  ooo-av-1 2018-01-10 => deny us-bod-17-01/kaspersky-security-products  # OOO Kaspersky Group (reading)
        gsa-desktops operate kos-1    2018-01-10 => deny us-bod-17-01/kaspersky-security-products  # any Kaspersky-branded product (reading)
        ",
    );
}

#[test]
fn fix_bod_17_01_excludes_threat_intelligence_and_security_training() {
    check(
        world(),
        r"
        gsa-desktops deploy  kti-2024 2018-01-10 => allow
        gsa-desktops operate kti-2024 2018-01-10 => allow
        gsa-desktops deploy  kst-1    2018-01-10 => allow
        ",
    );
}

#[test]
fn bod_17_01_does_not_reach_code_embedded_in_other_companies_products() {
    // Not a change: the old pack (`resource in Vendor::"ao-kaspersky-lab"`)
    // did not reach embedded code either.
    check(
        world(),
        r"
        gsa-desktops deploy hexagone-suite-2018 2018-06-01 => allow
        gsa-desktops deploy hexagone-guard-1    2018-06-01 => allow
        gsa-desktops deploy hexagone-suite-2018 2018-10-01 => deny us-ndaa-1634/kaspersky  # s.1634 does, from 2018-10-01
        ",
    );
}

#[test]
fn fix_bod_17_01_does_not_apply_to_national_security_systems() {
    check(
        world(),
        r"
        gsa-nss deploy kes-12 2018-01-10 => allow
        gsa-nss deploy kes-12 2019-01-10 => deny us-ndaa-1634/kaspersky  # s.1634 still reaches them
        ",
    );
}

// ---------------------------------------------------------------------------
// us-ndaa-1634
// ---------------------------------------------------------------------------

#[test]
fn us_ndaa_1634_pack() {
    check(
        world(),
        r"
        congress-desktops       deploy  kes-12              2018-09-30 => allow
        congress-desktops       deploy  kes-12              2018-10-01 => deny us-ndaa-1634/kaspersky
        courts-desktops         operate kes-12              2018-10-01 => deny us-ndaa-1634/kaspersky
        contractor-deliverables deploy  hexagone-suite-2018 2019-06-01 => deny us-ndaa-1634/kaspersky
        contractor-deliverables deploy  hexagone-suite-2018 2018-09-30 => allow
        contractor-endpoints    deploy  hexagone-suite-2018 2019-06-01 => allow
        contractor-supplied     operate kes-12              2019-06-01 => deny us-ndaa-1634/kaspersky
        gsa-desktops            deploy  minority-av-1       2019-06-01 => deny us-ndaa-1634/kaspersky
        us-business-soc         deploy  kes-12              2019-06-01 => allow
        ",
    );
}

#[test]
fn fix_s1634_reaches_the_legislative_and_judicial_branches() {
    check(
        world(),
        r"
        congress-desktops deploy  kes-12 2018-09-30 => allow
        congress-desktops deploy  kes-12 2018-10-01 => deny us-ndaa-1634/kaspersky
        courts-desktops   operate kes-12 2018-09-30 => allow
        courts-desktops   operate kes-12 2018-10-01 => deny us-ndaa-1634/kaspersky
        ",
    );
}

#[test]
fn fix_s1634_reaches_contractors_only_for_deliverables_or_items_supplied() {
    check(
        world(),
        r"
        contractor-endpoints    deploy  hexagone-suite-2018 2019-06-01 => allow  # no federal purpose
        contractor-endpoints    operate kes-12              2019-06-01 => allow
        contractor-deliverables deploy  hexagone-suite-2018 2019-06-01 => deny us-ndaa-1634/kaspersky
        contractor-supplied     operate kes-12              2019-06-01 => deny us-ndaa-1634/kaspersky
        ",
    );
}

#[test]
fn fix_s1634_reaches_components_made_by_any_group_company() {
    // Hexagone Guard embeds an SDK of Kaspersky Lab, Inc.: a component of a
    // sister company of AO Kaspersky Lab, which the old upward search missed.
    check(
        world(),
        r"
        gsa-desktops            deploy  hexagone-guard-1 2019-06-01 => deny us-ndaa-1634/kaspersky
        congress-desktops       deploy  hexagone-guard-1 2019-06-01 => deny us-ndaa-1634/kaspersky
        contractor-deliverables operate hexagone-guard-1 2019-06-01 => deny us-ndaa-1634/kaspersky
        ",
    );
    assert_eq!(
        chains(
            world(),
            "gsa-desktops deploy hexagone-guard-1 2019-06-01 => deny us-ndaa-1634/kaspersky"
        ),
        [
            "Hexagone Guard (hypothetical) 1.0.0 embeds Kaspersky Lab, Inc. scanning SDK \
             (hypothetical) 1.0.0, made by Kaspersky Lab, Inc. (US), controlled by Kaspersky \
             Labs Limited (incorporated GB, run from RU), which controls AO Kaspersky Lab (RU)"
        ]
    );
}

#[test]
fn fix_s1634_reaches_entities_majority_owned_by_ao_kaspersky_lab() {
    // 60% owned by AO Kaspersky Lab, without control: not in the group, so
    // BOD 17-01 does not reach it; s.1634 does.
    check(
        world(),
        r"
        gsa-desktops      deploy  minority-av-1 2018-06-01 => allow
        gsa-desktops      deploy  minority-av-1 2019-06-01 => deny us-ndaa-1634/kaspersky
        congress-desktops operate minority-av-1 2019-06-01 => deny us-ndaa-1634/kaspersky
        # 30% directly and 25% through Shield Resellers, which AO Kaspersky Lab controls.
        gsa-desktops      deploy  split-av-1    2018-06-01 => allow
        gsa-desktops      deploy  split-av-1    2019-06-01 => deny us-ndaa-1634/kaspersky
        ",
    );
}

// ---------------------------------------------------------------------------
// us-ndaa-889
// ---------------------------------------------------------------------------

#[test]
fn us_ndaa_889_pack() {
    check(
        world(),
        r"
        gsa-network          procure huawei-router-22  2019-08-12 => allow
        gsa-network          procure huawei-router-22  2019-08-13 => deny us-ndaa-889/agency-telecom
        gsa-network          operate huawei-router-22  2023-01-10 => allow
        gsa-research-lab     procure huawei-router-22  2023-01-10 => deny us-ndaa-889/agency-telecom
        gsa-network          procure zte-router-1      2023-01-10 => deny us-ndaa-889/agency-telecom
        gsa-network          procure huawei-camera-1   2023-01-10 => allow
        gsa-network          procure huawei-connect-1  2023-01-10 => deny us-ndaa-889/agency-telecom
        gsa-network          procure lapco-laptop-1    2023-01-10 => deny us-ndaa-889/agency-telecom
        gsa-network          procure lapco-laptop-2    2023-01-10 => allow
        gsa-network          procure huawei-passive-1  2023-01-10 => allow
        gsa-network          procure interconnect-gw-1 2023-01-10 => allow
        gsa-network          procure roaming-1         2023-01-10 => allow
        gsa-network          procure backbone-1        2023-01-10 => deny us-ndaa-889/agency-telecom
        gsa-facility-cctv    deploy  hikvision-nvr-4   2021-06-01 => allow waived gsa-889-agency-waiver-cctv
        gsa-facility-cctv    deploy  hikvision-nvr-4   2021-08-12 => allow waived gsa-889-agency-waiver-cctv
        gsa-facility-cctv    deploy  hikvision-nvr-4   2021-08-13 => deny us-ndaa-889/agency-video-surveillance  # waiver in force, capped
        gsa-facility-cctv    deploy  hikvision-nvr-4   2023-01-10 => deny us-ndaa-889/agency-video-surveillance
        gsa-facility-cctv    operate hikvision-nvr-4   2023-01-10 => allow
        gsa-facility-cctv    deploy  ezviz-cam-1       2023-01-10 => deny us-ndaa-889/agency-video-surveillance
        gsa-facility-cctv    deploy  lorex-cam-1       2023-01-10 => deny us-ndaa-889/agency-video-surveillance
        gsa-facility-cctv    deploy  dahua-camera-2    2023-01-10 => deny us-ndaa-889/agency-video-surveillance
        gsa-research-lab     deploy  dahua-camera-2    2023-01-10 => allow
        gsa-facility-cctv    procure hytera-radio-1    2023-01-10 => deny us-ndaa-889/agency-video-surveillance
        contractor-endpoints operate huawei-router-22  2020-08-12 => allow
        contractor-endpoints operate huawei-router-22  2020-08-13 => deny us-ndaa-889/contractor-telecom
        contractor-endpoints operate huawei-router-22  2022-08-12 => allow waived contractor-889-agency-waiver
        contractor-endpoints operate huawei-router-22  2022-08-13 => deny us-ndaa-889/contractor-telecom
        contractor-endpoints operate huawei-connect-1  2021-01-10 => deny us-ndaa-889/contractor-telecom
        contractor-hq-cctv   operate hikvision-nvr-4   2021-01-10 => deny us-ndaa-889/contractor-video-surveillance
        contractor-endpoints operate hikvision-nvr-4   2021-01-10 => allow
        ",
    );
}

#[test]
fn fix_s889_a_laptop_with_an_essential_huawei_module_is_covered() {
    check(
        world(),
        r"
        gsa-network          procure lapco-laptop-1 2023-01-10 => deny us-ndaa-889/agency-telecom
        gsa-desktops         deploy  lapco-laptop-1 2023-01-10 => deny us-ndaa-889/agency-telecom
        contractor-endpoints operate lapco-laptop-1 2021-01-10 => deny us-ndaa-889/contractor-telecom
        # The same laptop, its module marked as no substantial or essential part.
        gsa-network          procure lapco-laptop-2 2023-01-10 => allow
        contractor-endpoints operate lapco-laptop-2 2021-01-10 => allow
        ",
    );
}

#[test]
fn fix_s889_huawei_is_covered_for_telecommunications_only() {
    check(
        world(),
        r"
        gsa-network        procure huawei-camera-1  2023-01-10 => allow
        gsa-facility-cctv  deploy  huawei-camera-1  2023-01-10 => allow  # even for facility security
        contractor-hq-cctv operate huawei-camera-1  2021-01-10 => allow
        gsa-network        procure huawei-router-22 2023-01-10 => deny us-ndaa-889/agency-telecom
        ",
    );
}

#[test]
fn fix_s889_services_using_covered_equipment_are_covered() {
    check(
        world(),
        r"
        gsa-network          procure huawei-connect-1 2023-01-10 => deny us-ndaa-889/agency-telecom
        gsa-network          procure backbone-1       2023-01-10 => deny us-ndaa-889/agency-telecom
        contractor-endpoints operate huawei-connect-1 2021-01-10 => deny us-ndaa-889/contractor-telecom
        ",
    );
}

#[test]
fn fix_s889_statutory_exceptions_interconnection_and_no_user_data() {
    check(
        world(),
        r"
        gsa-network          procure huawei-passive-1  2023-01-10 => allow  # cannot route or see user data
        contractor-endpoints operate huawei-passive-1  2021-01-10 => allow
        gsa-network          procure interconnect-gw-1 2023-01-10 => allow  # third-party interconnection
        contractor-endpoints operate interconnect-gw-1 2021-01-10 => allow
        gsa-network          procure roaming-1         2023-01-10 => allow
        ",
    );
}

#[test]
fn s889_agencies_may_keep_operating_what_they_hold() {
    // Not a change: the old pack had the same actions.
    check(
        world(),
        r"
        gsa-network          operate huawei-router-22 2023-01-10 => allow
        gsa-facility-cctv    operate hikvision-nvr-4  2023-01-10 => allow
        gsa-network          update  huawei-router-22 2023-01-10 => deny us-ndaa-889/agency-telecom      # renewing is obtaining
        contractor-endpoints operate huawei-router-22 2020-08-13 => deny us-ndaa-889/contractor-telecom  # a contractor's use, any action
        ",
    );
}

#[test]
fn s889_agency_head_waivers_are_honoured_before_the_cap_and_not_after() {
    // Not a change: the old pack had the same caps.
    check(
        world(),
        r"
        gsa-facility-cctv    deploy  hikvision-nvr-4  2021-06-01 => allow waived gsa-889-agency-waiver-cctv
        gsa-facility-cctv    deploy  hikvision-nvr-4  2021-08-12 => allow waived gsa-889-agency-waiver-cctv
        gsa-facility-cctv    deploy  hikvision-nvr-4  2021-08-13 => deny us-ndaa-889/agency-video-surveillance
        gsa-facility-cctv    deploy  hikvision-nvr-4  2021-09-01 => deny us-ndaa-889/agency-video-surveillance
        gsa-facility-cctv    deploy  hikvision-nvr-4  2023-01-10 => deny us-ndaa-889/agency-video-surveillance  # still in force, after the cap
        contractor-endpoints operate huawei-router-22 2022-08-12 => allow waived contractor-889-agency-waiver
        contractor-endpoints operate huawei-router-22 2022-08-13 => deny us-ndaa-889/contractor-telecom
        ",
    );
}

#[test]
fn fix_s889_dni_waivers_are_honoured_after_the_cap() {
    check(
        waived_world(),
        r"
        gsa-network       update  huawei-router-22 2023-01-10 => allow waived dni-889-waiver-network
        gsa-network       procure huawei-router-22 2023-01-10 => deny us-ndaa-889/agency-telecom  # the waiver names update only
        gsa-facility-cctv deploy  ezviz-cam-1      2023-01-10 => allow waived dni-889-waiver-cctv  # a vendor's waiver covers what it controls
        gsa-facility-cctv deploy  hikvision-nvr-4  2024-01-02 => deny us-ndaa-889/agency-video-surveillance  # the waiver has ended
        gsa-facility-cctv deploy  dahua-camera-2   2023-01-10 => deny us-ndaa-889/agency-video-surveillance
        ",
    );
    // Where a capped agency-head waiver is in force too, the DNI waiver still
    // lifts the rule (which waivers are reported is the next test's question).
    for (system, action, release, dni) in [
        (
            "gsa-facility-cctv",
            Action::Deploy,
            "hikvision-nvr-4",
            "dni-889-waiver-cctv",
        ),
        (
            "contractor-endpoints",
            Action::Operate,
            "huawei-router-22",
            "dni-889-waiver-contractor",
        ),
    ] {
        let query = Query::new(system, action, release).at("2023-01-10".parse().unwrap());
        let d = waived_world().decide(&query).unwrap();
        assert_eq!(d.verdict(), Verdict::Allow, "{d}");
        assert_eq!(d.rule_ids(), [PERMIT], "{d}");
        assert!(d.errors().is_empty(), "{d}");
        assert!(d.waivers().iter().any(|w| w.as_str() == dni), "{d}");
    }
}

/// After its cap an agency head's waiver lifts nothing, so it should not be
/// listed among the waivers used when a DNI waiver lifts the rule.
#[test]
fn a_capped_agency_head_waiver_is_not_reported_as_used() {
    check(
        waived_world(),
        r"
        gsa-facility-cctv    deploy  hikvision-nvr-4  2023-01-10 => allow waived dni-889-waiver-cctv
        contractor-endpoints operate huawei-router-22 2023-01-10 => allow waived dni-889-waiver-contractor
        ",
    );
}

// ---------------------------------------------------------------------------
// us-icts-2024-kaspersky
// ---------------------------------------------------------------------------

#[test]
fn us_icts_2024_kaspersky_pack() {
    check(
        world(),
        r"
        us-home-laptop  update  kis-2024            2024-10-01 => deny us-icts-2024-kaspersky/updates
        us-home-laptop  update  kav-2024            2024-10-01 => deny us-icts-2024-kaspersky/updates
        us-home-laptop  update  kes-12              2024-09-28 => allow
        us-home-laptop  update  kes-12              2024-09-29 => deny us-icts-2024-kaspersky/updates
        us-home-laptop  procure kes-12              2024-07-19 => allow
        us-home-laptop  procure kes-12              2024-07-20 => deny us-icts-2024-kaspersky/new-transactions
        us-home-laptop  procure kis-2024            2024-07-25 => deny us-icts-2024-kaspersky/new-transactions
        us-home-laptop  operate kes-12              2024-10-01 => allow
        us-home-laptop  deploy  kes-12              2024-09-28 => allow
        us-home-laptop  deploy  kes-12              2024-09-29 => deny us-icts-2024-kaspersky/provision
        us-business-soc update  kti-2024            2024-10-01 => allow
        us-business-soc procure kti-2024            2024-10-01 => allow
        us-business-soc procure kst-1               2024-10-01 => allow
        us-business-soc procure ksc-1               2024-10-01 => allow
        us-business-soc procure kos-1               2024-10-01 => deny us-icts-2024-kaspersky/new-transactions
        us-business-soc procure hexagone-suite-2018 2024-08-01 => allow
        us-business-soc procure hexagone-suite-2018 2024-09-28 => allow
        us-business-soc procure hexagone-suite-2018 2024-09-29 => deny us-icts-2024-kaspersky/integrated-products
        us-business-soc procure hexagone-mail-1     2024-10-01 => deny us-icts-2024-kaspersky/integrated-products
        us-business-soc update  hexagone-mail-1     2024-10-01 => deny us-icts-2024-kaspersky/updates
        us-business-soc deploy  hexagone-mail-1     2024-10-01 => deny us-icts-2024-kaspersky/provision
        us-business-soc operate hexagone-mail-1     2024-10-01 => allow
        us-business-soc procure hexagone-ti-1       2024-10-01 => allow
        us-business-soc procure ooo-av-1            2024-08-01 => deny us-icts-2024-kaspersky/new-transactions
        uk-home-laptop  update  kis-2024            2024-10-01 => allow
        ",
    );
}

#[test]
fn fix_icts_reaches_the_whole_group() {
    check(
        world(),
        r"
        us-home-laptop  update  kav-2024 2024-10-01 => deny us-icts-2024-kaspersky/updates           # Kaspersky Lab Switzerland GmbH
        us-home-laptop  update  kis-2024 2024-10-01 => deny us-icts-2024-kaspersky/updates           # Kaspersky Lab, Inc.
        us-home-laptop  procure kis-2024 2024-07-25 => deny us-icts-2024-kaspersky/new-transactions
        us-business-soc procure ooo-av-1 2024-08-01 => deny us-icts-2024-kaspersky/new-transactions  # OOO Kaspersky Group (reading)
        ",
    );
}

#[test]
fn fix_icts_white_labelled_products_are_barred_from_29_september_not_20_july() {
    check(
        world(),
        r"
        us-business-soc procure hexagone-suite-2018 2024-08-01 => allow
        us-business-soc procure hexagone-suite-2018 2024-09-28 => allow
        us-business-soc procure hexagone-suite-2018 2024-09-29 => deny us-icts-2024-kaspersky/integrated-products
        us-business-soc procure hexagone-mail-1     2024-09-28 => allow
        us-business-soc procure hexagone-mail-1     2024-09-29 => deny us-icts-2024-kaspersky/integrated-products
        ",
    );
}

#[test]
fn fix_icts_direct_procurement_is_barred_from_20_july_2024() {
    check(
        world(),
        r"
        us-home-laptop procure kis-2024 2024-07-19 => allow
        us-home-laptop procure kis-2024 2024-07-20 => deny us-icts-2024-kaspersky/new-transactions
        us-home-laptop procure kav-2024 2024-07-19 => allow
        us-home-laptop procure kav-2024 2024-07-20 => deny us-icts-2024-kaspersky/new-transactions
        us-home-laptop procure kes-12   2024-07-20 => deny us-icts-2024-kaspersky/new-transactions
        ",
    );
}

#[test]
fn fix_icts_new_installations_are_barred_from_29_september_2024() {
    check(
        world(),
        r"
        us-home-laptop  deploy  kes-12          2024-09-28 => allow
        us-home-laptop  deploy  kes-12          2024-09-29 => deny us-icts-2024-kaspersky/provision
        us-home-laptop  deploy  kav-2024        2024-09-29 => deny us-icts-2024-kaspersky/provision
        us-business-soc deploy  hexagone-mail-1 2024-10-01 => deny us-icts-2024-kaspersky/provision
        us-home-laptop  operate kes-12          2024-10-01 => allow  # running an installed copy is not penalised
        ",
    );
}

#[test]
fn fix_icts_exempts_threat_intelligence_training_and_consulting_and_covers_the_rest() {
    check(
        world(),
        r"
        us-business-soc procure kti-2024      2024-10-01 => allow
        us-business-soc deploy  kti-2024      2024-10-01 => allow
        us-business-soc update  kti-2024      2024-10-01 => allow
        us-business-soc procure kst-1         2024-10-01 => allow
        us-business-soc deploy  kst-1         2024-10-01 => allow
        us-business-soc update  kst-1         2024-10-01 => allow
        us-business-soc procure ksc-1         2024-10-01 => allow
        us-business-soc deploy  ksc-1         2024-10-01 => allow
        us-business-soc update  ksc-1         2024-10-01 => allow
        us-business-soc procure hexagone-ti-1 2024-10-01 => allow  # integrates threat intelligence only
        us-business-soc deploy  hexagone-ti-1 2024-10-01 => allow
        us-business-soc update  hexagone-ti-1 2024-10-01 => allow
        # Exempt by category: the group's other categories are covered.
        us-business-soc procure kos-1         2024-10-01 => deny us-icts-2024-kaspersky/new-transactions
        us-business-soc deploy  kos-1         2024-10-01 => deny us-icts-2024-kaspersky/provision
        ",
    );
}

// ---------------------------------------------------------------------------
// us-fcc-covered-list (new)
// ---------------------------------------------------------------------------

#[test]
fn new_us_fcc_covered_list_pack() {
    check(
        world(),
        r"
        telco-network   procure huawei-router-22 2021-05-10 => allow
        telco-network   procure huawei-router-22 2021-05-11 => deny us-fcc-covered-list/huawei-zte
        telco-network   update  huawei-router-22 2021-06-01 => deny us-fcc-covered-list/huawei-zte
        telco-network   deploy  zte-router-1     2021-06-01 => deny us-fcc-covered-list/huawei-zte
        telco-network   operate huawei-router-22 2021-06-01 => allow
        telco-network   procure backbone-1       2021-06-01 => deny us-fcc-covered-list/huawei-zte
        telco-network   procure roaming-1        2021-06-01 => deny us-fcc-covered-list/huawei-zte  # no s.889 exceptions here
        telco-network   procure lapco-laptop-2   2021-06-01 => allow
        telco-network   procure huawei-camera-1  2021-06-01 => allow
        telco-network   procure hikvision-nvr-4  2021-06-01 => allow
        telco-cctv      procure hikvision-nvr-4  2021-05-10 => allow
        telco-cctv      procure hikvision-nvr-4  2021-05-11 => deny us-fcc-covered-list/hytera-hikvision-dahua
        telco-network   procure kes-12           2022-05-23 => allow
        telco-network   procure kes-12           2022-05-24 => deny us-fcc-covered-list/kaspersky
        telco-network   update  kis-2024         2022-06-01 => deny us-fcc-covered-list/kaspersky
        telco-network   procure kti-2024         2022-06-01 => deny us-fcc-covered-list/kaspersky
        telco-network   procure kos-1            2022-06-01 => allow
        telco-network   procure cmi-svc-1        2022-05-23 => allow
        telco-network   procure cmi-svc-1        2022-05-24 => deny us-fcc-covered-list/china-mobile-international-usa
        telco-network   procure cmi-sub-svc-1    2022-06-01 => deny us-fcc-covered-list/china-mobile-international-usa
        telco-network   procure cmi-router-1     2022-06-01 => allow
        telco-network   procure ct-svc-1         2022-05-24 => deny us-fcc-covered-list/china-telecom-americas
        telco-network   procure pn-svc-1         2022-11-18 => allow
        telco-network   procure pn-svc-1         2022-11-19 => deny us-fcc-covered-list/pacific-networks-comnet
        telco-network   procure comnet-svc-1     2022-11-19 => deny us-fcc-covered-list/pacific-networks-comnet
        telco-network   procure cu-svc-1         2022-11-19 => deny us-fcc-covered-list/china-unicom-americas
        us-business-soc procure huawei-router-22 2023-01-10 => allow
        ",
    );
}

/// A system has the roles of its owner and of every organisation above it
/// (the branch has no role of its own).
#[test]
fn roles_are_inherited_from_parent_organisations() {
    check(
        world(),
        r"
        telco-branch-network procure huawei-router-22 2021-05-11 => deny us-fcc-covered-list/huawei-zte
        telco-branch-network procure kes-12           2022-05-24 => deny us-fcc-covered-list/kaspersky
        ",
    );
}

#[test]
fn new_us_fcc_covered_list_its_three_dates() {
    check(
        world(),
        r"
        # Listed 12 March 2021, barred 60 days later.
        telco-network procure huawei-router-22 2021-05-10 => allow
        telco-network procure huawei-router-22 2021-05-11 => deny us-fcc-covered-list/huawei-zte
        telco-cctv    procure hikvision-nvr-4  2021-05-10 => allow
        telco-cctv    procure hikvision-nvr-4  2021-05-11 => deny us-fcc-covered-list/hytera-hikvision-dahua
        # Listed 25 March 2022.
        telco-network procure kes-12           2022-05-23 => allow
        telco-network procure kes-12           2022-05-24 => deny us-fcc-covered-list/kaspersky
        telco-network procure cmi-svc-1        2022-05-23 => allow
        telco-network procure cmi-svc-1        2022-05-24 => deny us-fcc-covered-list/china-mobile-international-usa
        telco-network procure ct-svc-1         2022-05-23 => allow
        telco-network procure ct-svc-1         2022-05-24 => deny us-fcc-covered-list/china-telecom-americas
        # Listed 20 September 2022.
        telco-network procure pn-svc-1         2022-11-18 => allow
        telco-network procure pn-svc-1         2022-11-19 => deny us-fcc-covered-list/pacific-networks-comnet
        telco-network procure cu-svc-1         2022-11-18 => allow
        telco-network procure cu-svc-1         2022-11-19 => deny us-fcc-covered-list/china-unicom-americas
        ",
    );
}

/// The registry gives China Mobile International USA no parent, so the
/// "parent not reached" case needs an inventory that models the companies
/// itself. Its dated subsidiary checks that the `resource in` scope sees the
/// structure of the instant, as the group sets do.
#[test]
fn new_us_fcc_china_mobile_entry_reaches_subsidiaries_and_not_the_parent() {
    let inventory: Inventory = serde_json::from_value(json!({
        "registry": false,
        "vendors": [
            {"id": "cmi-parent", "name": "CMI Parent Ltd (hypothetical)",
             "incorporated": "HK", "headquarters": "HK"},
            {"id": "china-mobile-international-usa", "name": "China Mobile International USA",
             "incorporated": "US", "headquarters": "US", "controlled_by": "cmi-parent"},
            {"id": "cmi-sub", "name": "CMI Subsidiary LLC (hypothetical)",
             "incorporated": "US", "headquarters": "US",
             "controlled_by": "china-mobile-international-usa"},
            {"id": "cmi-former-sub", "name": "CMI Former Subsidiary LLC (hypothetical)",
             "incorporated": "US", "headquarters": "US",
             "owners": [{"owner": "china-mobile-international-usa", "share": 100, "controls": true,
                         "from": "2020-01-01", "until": "2022-07-01"}]}
        ],
        "products": [
            {"id": "cmi-svc", "name": "CMI carriage (hypothetical)",
             "vendor": "china-mobile-international-usa", "category": "telecom-service"},
            {"id": "cmi-parent-svc", "name": "Parent carriage (hypothetical)",
             "vendor": "cmi-parent", "category": "telecom-service"},
            {"id": "cmi-sub-svc", "name": "Subsidiary carriage (hypothetical)",
             "vendor": "cmi-sub", "category": "telecom-service"},
            {"id": "cmi-former-sub-svc", "name": "Former subsidiary carriage (hypothetical)",
             "vendor": "cmi-former-sub", "category": "telecom-service"}
        ],
        "releases": [
            {"id": "cmi-svc-1", "product": "cmi-svc", "version": "1.0.0"},
            {"id": "cmi-parent-svc-1", "product": "cmi-parent-svc", "version": "1.0.0"},
            {"id": "cmi-sub-svc-1", "product": "cmi-sub-svc", "version": "1.0.0"},
            {"id": "cmi-former-sub-svc-1", "product": "cmi-former-sub-svc", "version": "1.0.0"}
        ],
        "organisations": [{"id": "us-telco", "name": "A carrier (hypothetical)", "country": "US",
                           "sector": "business", "roles": ["usf-recipient"]}],
        "systems": [{"id": "telco-network", "name": "Carrier network", "owner": "us-telco"}]
    }))
    .expect("a valid inventory");
    let engine = Engine::new(inventory, packs()).expect("engine");
    check(
        &engine,
        r"
        telco-network procure cmi-svc-1        2022-06-01 => deny us-fcc-covered-list/china-mobile-international-usa
        telco-network procure cmi-sub-svc-1    2022-06-01 => deny us-fcc-covered-list/china-mobile-international-usa
        telco-network procure cmi-parent-svc-1 2022-06-01 => allow  # no affiliates named: the parent is not reached
        # `resource in Vendor::...` follows the structure of the instant asked about.
        telco-network procure cmi-former-sub-svc-1 2022-06-30 => deny us-fcc-covered-list/china-mobile-international-usa
        telco-network procure cmi-former-sub-svc-1 2022-07-01 => allow
        ",
    );
}

// ---------------------------------------------------------------------------
// uk-wms-2022-surveillance (new)
// ---------------------------------------------------------------------------

#[test]
fn new_uk_wms_2022_surveillance_pack() {
    check(
        world(),
        r"
        mod-site-cctv     deploy  cn-cam-1        2022-11-23 => allow
        mod-site-cctv     deploy  cn-cam-1        2022-11-24 => deny uk-wms-2022-surveillance/sensitive-sites  # UK maker controlled from China
        mod-site-cctv     deploy  hikvision-nvr-4 2023-01-10 => deny uk-wms-2022-surveillance/sensitive-sites
        mod-site-cctv     operate hikvision-nvr-4 2023-01-10 => allow advice uk-wms-2022-surveillance/consider-removal-from-sensitive-sites
        mod-site-cctv     update  hikvision-nvr-4 2023-01-10 => allow
        mod-site-cctv     procure hikvision-nvr-4 2023-01-10 => allow
        mod-site-cctv     deploy  uk-cam-1        2023-01-10 => allow
        dfe-core-net      deploy  hikvision-nvr-4 2023-01-10 => deny uk-wms-2022-surveillance/core-networks
        dfe-core-net      operate hikvision-nvr-4 2022-11-23 => allow
        dfe-core-net      operate hikvision-nvr-4 2022-11-24 => deny uk-wms-2022-surveillance/core-networks
        dfe-core-net      update  hikvision-nvr-4 2023-01-10 => deny uk-wms-2022-surveillance/core-networks
        dfe-core-net      procure hikvision-nvr-4 2023-01-10 => allow
        dfe-office-cctv   deploy  hikvision-nvr-4 2023-01-10 => allow
        council-site-cctv deploy  hikvision-nvr-4 2023-01-10 => allow  # not a department
        ",
    );
}

// ---------------------------------------------------------------------------
// us-ofac-50 (new)
// ---------------------------------------------------------------------------

#[test]
fn new_us_ofac_50_pack() {
    check(
        world(),
        r"
        us-business-soc      procure blocked-app-1       2023-01-10 => deny us-ofac-50/blocked-vendor  # designated
        us-business-soc      update  owned-blocked-app-1 2023-01-10 => deny us-ofac-50/blocked-vendor  # 50% by a designated vendor
        us-business-soc      deploy  blocked-app-1       2023-01-10 => allow
        us-business-soc      operate blocked-app-1       2023-01-10 => allow
        us-business-soc      procure hexagone-app-1      2023-01-10 => allow  # embedded blocked code not claimed
        uk-retailer-desktops procure blocked-app-1       2023-01-10 => allow  # not a US person
        ",
    );
}

#[test]
fn new_us_ofac_50_blocks_vendors_half_owned_by_a_blocked_party_or_through_a_blocked_company() {
    check(
        world(),
        r"
        us-business-soc procure party-owned-app-1  2023-01-10 => deny us-ofac-50/blocked-vendor  # 50% by a designated person
        us-business-soc procure intermediate-app-1 2023-01-10 => deny us-ofac-50/blocked-vendor  # 50% by a company the rule blocks
        us-business-soc update  two-owners-app-1   2023-01-10 => deny us-ofac-50/blocked-vendor  # 30% + 30%
        us-business-soc procure owned-49-app-1     2023-01-10 => allow                           # 49% in aggregate
        us-business-soc procure controlled-app-1   2023-01-10 => allow                           # control without ownership
        ",
    );
}

#[test]
fn new_us_ofac_50_licence_lifts_the_licensed_vendor_only() {
    check(
        waived_world(),
        r"
        us-business-soc procure blocked-app-1       2023-01-10 => allow waived ofac-licence-sanctioned-soft
        us-business-soc procure owned-blocked-app-1 2023-01-10 => deny us-ofac-50/blocked-vendor  # another blocked vendor
        us-business-soc procure blocked-app-1       2024-01-02 => deny us-ofac-50/blocked-vendor  # the licence has ended
        ",
    );
}

// ---------------------------------------------------------------------------
// au-pspf-002-2025, de-bsi-2022, lt-2017, nl-2018
// ---------------------------------------------------------------------------

#[test]
fn au_pspf_002_2025_pack() {
    check(
        world(),
        r"
        home-affairs-desktops operate kes-12              2025-03-31 => allow
        home-affairs-desktops operate kes-12              2025-04-01 => deny au-pspf-002-2025/kaspersky
        home-affairs-desktops operate kis-2024            2025-04-02 => deny au-pspf-002-2025/kaspersky
        home-affairs-desktops operate kes-12              2025-06-01 => allow waived pspf-002-exemption-desktops
        home-affairs-desktops procure kes-12              2025-06-01 => deny au-pspf-002-2025/kaspersky  # the exemption names operate only
        home-affairs-desktops operate kes-12              2026-01-02 => deny au-pspf-002-2025/kaspersky  # the exemption has ended
        home-affairs-desktops deploy  hexagone-suite-2018 2025-06-01 => allow                            # embedded code not covered [U]
        ",
    );
}

#[test]
fn fix_au_pspf_applies_to_kaspersky_lab_inc_and_the_whole_group() {
    check(
        world(),
        r"
        home-affairs-desktops operate kis-2024 2025-04-02 => deny au-pspf-002-2025/kaspersky  # the company the direction names
        home-affairs-desktops deploy  kav-2024 2025-04-02 => deny au-pspf-002-2025/kaspersky
        home-affairs-desktops deploy  ooo-av-1 2025-04-02 => deny au-pspf-002-2025/kaspersky
        ",
    );
    // The group-wide reach is labelled as a reading.
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

#[test]
fn de_bsi_2022_pack() {
    check(
        world(),
        r"
        stadtwerke-office operate kes-12   2022-03-14 => allow
        stadtwerke-office operate kes-12   2022-03-15 => allow advice de-bsi-2022/replace-kaspersky-antivirus
        de-home-laptop    operate kav-2024 2023-05-01 => allow advice de-bsi-2022/replace-kaspersky-antivirus
        stadtwerke-office operate kti-2024 2023-05-01 => allow
        ",
    );
}

#[test]
fn fix_de_bsi_reaches_the_whole_group() {
    check(
        world(),
        r"
        de-home-laptop    operate kav-2024 2023-05-01 => allow advice de-bsi-2022/replace-kaspersky-antivirus
        stadtwerke-office deploy  kis-2019 2023-05-01 => allow advice de-bsi-2022/replace-kaspersky-antivirus
        ",
    );
}

#[test]
fn lt_2017_pack() {
    check(
        world(),
        r"
        lt-mod-desktops          procure kes-12   2017-12-19 => allow
        lt-mod-desktops          procure kes-12   2017-12-20 => deny lt-2017/kaspersky-new-use
        lt-mod-desktops          operate kes-12   2018-01-10 => allow advice lt-2017/kaspersky-existing-use
        lt-municipality-desktops deploy  kes-12   2018-01-10 => deny lt-2017/kaspersky-new-use
        lt-grid-scada            deploy  kes-12   2018-01-10 => deny lt-2017/kaspersky-new-use
        lt-business-desktops     deploy  kes-12   2018-01-10 => allow
        lt-mod-desktops          deploy  kis-2024 2018-01-10 => deny lt-2017/kaspersky-new-use
        ",
    );
}

#[test]
fn fix_lt_2017_new_use_is_barred_from_20_december_2017() {
    check(
        world(),
        r"
        lt-mod-desktops          procure kes-12 2017-12-19 => allow
        lt-mod-desktops          procure kes-12 2017-12-20 => deny lt-2017/kaspersky-new-use
        lt-mod-desktops          deploy  kes-12 2017-12-19 => allow
        lt-mod-desktops          deploy  kes-12 2017-12-20 => deny lt-2017/kaspersky-new-use
        lt-municipality-desktops deploy  kes-12 2018-01-10 => deny lt-2017/kaspersky-new-use  # state information resources
        ",
    );
}

#[test]
fn fix_lt_2017_existing_use_carries_advice() {
    check(
        world(),
        r"
        lt-mod-desktops operate kes-12 2017-12-19 => allow
        lt-mod-desktops operate kes-12 2017-12-20 => allow advice lt-2017/kaspersky-existing-use
        lt-mod-desktops operate kes-12 2018-01-10 => allow advice lt-2017/kaspersky-existing-use
        lt-grid-scada   update  kes-12 2018-01-10 => allow advice lt-2017/kaspersky-existing-use
        ",
    );
}

#[test]
fn nl_2018_pack() {
    check(
        world(),
        r"
        nl-justice-desktops  procure kes-12   2018-05-13 => allow
        nl-justice-desktops  procure kes-12   2018-05-14 => deny nl-2018/national-government-antivirus
        nl-justice-desktops  operate kes-12   2018-06-01 => allow advice nl-2018/national-government-antivirus-phase-out
        nl-justice-desktops  operate kti-2024 2018-06-01 => allow
        nl-justice-desktops  deploy  kav-2024 2019-01-10 => deny nl-2018/national-government-antivirus
        nl-energy-office     operate kes-12   2018-06-01 => allow advice nl-2018/vital-sectors
        nl-abdo-desktops     operate kes-12   2018-06-01 => allow advice nl-2018/defence-contractors
        nl-business-desktops operate kes-12   2018-06-01 => allow
        ",
    );
}

#[test]
fn fix_nl_2018_new_use_is_barred_and_existing_use_advised() {
    check(
        world(),
        r"
        nl-justice-desktops procure kes-12   2018-05-14 => deny nl-2018/national-government-antivirus
        nl-justice-desktops deploy  kes-12   2018-06-01 => deny nl-2018/national-government-antivirus
        nl-justice-desktops operate kes-12   2018-05-13 => allow
        nl-justice-desktops operate kes-12   2018-05-14 => allow advice nl-2018/national-government-antivirus-phase-out
        nl-justice-desktops update  kes-12   2018-06-01 => allow advice nl-2018/national-government-antivirus-phase-out
        nl-justice-desktops deploy  kav-2024 2019-01-10 => deny nl-2018/national-government-antivirus  # group reach
        ",
    );
}

#[test]
fn fix_nl_2018_vital_sectors_and_defence_contractors_are_advised() {
    check(
        world(),
        r"
        nl-energy-office     operate kes-12 2018-06-01 => allow advice nl-2018/vital-sectors
        nl-abdo-desktops     operate kes-12 2018-05-13 => allow
        nl-abdo-desktops     operate kes-12 2018-05-14 => allow advice nl-2018/defence-contractors
        nl-abdo-desktops     deploy  kes-12 2018-06-01 => allow advice nl-2018/defence-contractors
        nl-business-desktops operate kes-12 2018-06-01 => allow
        ",
    );
}

// ---------------------------------------------------------------------------
// assurance and baseline; several rules at once
// ---------------------------------------------------------------------------

#[test]
fn assurance_pack() {
    check(
        world(),
        r"
        dfe-remote-access operate redoubt-vpn-3.1  2020-01-10 => allow
        mod-secret-crypto deploy  redoubt-vpn-3.1  2020-01-10 => deny assurance/required-assurance
        gsa-high-enclave  deploy  cumulus-crm-2024 2024-10-01 => deny assurance/required-assurance
        dfe-remote-access operate redoubt-vpn-3.1  2023-03-30 => allow
        dfe-remote-access operate redoubt-vpn-3.1  2023-03-31 => deny assurance/required-assurance  # the authorisation lapses
        ",
    );
}

#[test]
fn several_rules_decide_at_once_listed_by_id() {
    check(
        world(),
        r"
        gsa-desktops procure kes-12 2024-08-01 => deny us-bod-17-01/kaspersky-security-products us-icts-2024-kaspersky/new-transactions us-ndaa-1634/kaspersky
        ",
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
            "au-pspf-002-2025/kaspersky",
            "us-ndaa-889/agency-telecom",
            "us-ndaa-889/agency-telecom/dni",
            "us-ndaa-889/agency-video-surveillance",
            "us-ndaa-889/agency-video-surveillance/dni",
            "us-ndaa-889/contractor-telecom",
            "us-ndaa-889/contractor-telecom/dni",
            "us-ndaa-889/contractor-video-surveillance",
            "us-ndaa-889/contractor-video-surveillance/dni",
            "us-ofac-50/blocked-vendor",
        ]
    );
    // An inventory with waivers under the new keys builds.
    let _ = waived_world();
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

#[test]
fn fix_probe_gsa_desktops_deploy_kis_2019_is_denied_through_kaspersky_labs_limited() {
    check(probe_on_the_registry(), PROBE_GSA);
    assert_eq!(chains(probe_on_the_registry(), PROBE_GSA)[0], PROBE_CHAIN);
}

#[test]
fn fix_probe_home_laptop_update_kav_2024_is_denied() {
    check(probe_on_the_registry(), PROBE_HOME);
}

/// The probe file unchanged models the Kaspersky companies exactly as the
/// registry does: that is accepted (the registry's entries, with their
/// sources, are used), and the two questions are denied through the group.
#[test]
fn fix_probe_file_unchanged_is_accepted_and_denied_through_the_group() {
    let inventory = Inventory::from_json(&probe_text()).expect("it says what the registry says");
    let engine = Engine::new(inventory, packs()).unwrap();
    check(&engine, &format!("{PROBE_GSA}\n{PROBE_HOME}"));
    assert_eq!(chains(&engine, PROBE_GSA)[0], PROBE_CHAIN);
}

#[test]
fn fix_probe_file_with_registry_false_loads_and_is_denied_through_the_group() {
    let mut probe: serde_json::Value = serde_json::from_str(&probe_text()).unwrap();
    probe["registry"] = json!(false);
    let inventory: Inventory = serde_json::from_value(probe).unwrap();
    let engine = Engine::new(inventory, packs()).expect("the probe, modelling its companies");
    check(&engine, &format!("{PROBE_GSA}\n{PROBE_HOME}"));
    assert_eq!(chains(&engine, PROBE_GSA)[0], PROBE_CHAIN);
}

// ---------------------------------------------------------------------------
// Lorex: a dated structure
// ---------------------------------------------------------------------------

#[test]
fn lorex_is_dahuas_subsidiary_only_while_dahua_owned_it() {
    check(
        world(),
        r"
        gsa-facility-cctv deploy lorex-cam-1 2020-06-01 => deny us-ndaa-889/agency-video-surveillance  # Dahua's subsidiary then
        gsa-facility-cctv deploy lorex-cam-1 2023-12-31 => deny us-ndaa-889/agency-video-surveillance
        gsa-facility-cctv deploy lorex-cam-1 2024-01-01 => allow                                       # sold
        gsa-facility-cctv deploy lorex-cam-1 2024-06-01 => allow
        ",
    );
    let changes: Vec<String> = world()
        .structure_changes()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(changes, ["2018-01-01T00:00:00Z", "2024-01-01T00:00:00Z"]);
}
