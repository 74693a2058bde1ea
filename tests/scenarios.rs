//! Every scenario of DOMAIN.md, against the example inventory and all shipped
//! packs: the verdict, and the rules (or advice, or waivers) that decided it.

use std::sync::OnceLock;

use clearance::{Action, Decision, Engine, ErrorKind, Inventory, Policies, Query, Verdict};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let inventory = Inventory::from_path("examples/article-inventory.json")
            .expect("example inventory loads");
        Engine::new(inventory, Policies::all_packs().expect("packs load")).expect("engine builds")
    })
}

fn decide(system: &str, action: Action, release: &str, at: &str) -> Decision {
    let query = Query::new(system, action, release).at(at.parse().expect("valid date"));
    engine().decide(&query).expect("known system and release")
}

#[track_caller]
fn denied_by(decision: &Decision, rules: &[&str]) {
    assert_eq!(decision.verdict(), Verdict::Deny, "{decision}");
    assert_eq!(decision.rule_ids(), rules, "{decision}");
    assert!(decision.errors().is_empty(), "{decision}");
}

#[track_caller]
fn allowed(decision: &Decision, advice: &[&str]) {
    assert_eq!(decision.verdict(), Verdict::Allow, "{decision}");
    assert_eq!(
        decision.rule_ids(),
        ["baseline/permit-unless-forbidden"],
        "{decision}"
    );
    assert_eq!(decision.advice_ids(), advice, "{decision}");
    assert!(decision.errors().is_empty(), "{decision}");
}

#[test]
fn s01_kaspersky_on_a_uk_mod_secret_system_is_denied_by_the_ncsc_advice() {
    let d = decide("mod-secret", Action::Deploy, "kes-12", "2018-01-10");
    denied_by(&d, &["uk-ncsc-2017/secret-and-above"]);
    // A rule about countries names no company: the chain climbs to the top of
    // the group, which shows where it is run from.
    assert_eq!(
        d.chains()[0].to_string(),
        "Kaspersky Endpoint Security 12.0.0, made by AO Kaspersky Lab (RU), \
         controlled by Kaspersky Labs Limited (incorporated GB, run from RU) (unconfirmed)"
    );
    // The letter of 1 December 2017 applies from that day, not before.
    allowed(
        &decide("mod-secret", Action::Deploy, "kes-12", "2017-11-30"),
        &[],
    );
    denied_by(
        &decide("mod-secret", Action::Deploy, "kes-12", "2017-12-01"),
        &["uk-ncsc-2017/secret-and-above"],
    );
}

#[test]
fn s02_official_systems_depend_on_the_department_and_the_date() {
    // A department dealing with national security, its OFFICIAL system assessed
    // as such: the product should not be chosen, and should never be used.
    denied_by(
        &decide("fco-official", Action::Deploy, "kes-12", "2018-01-10"),
        &[
            "uk-ncsc-2017/national-security-assessed",
            "uk-ncsc-2017/national-security-departments",
        ],
    );
    denied_by(
        &decide("fco-official", Action::Operate, "kes-12", "2018-01-10"),
        &["uk-ncsc-2017/national-security-departments"],
    );
    // An ordinary department's OFFICIAL system.
    allowed(
        &decide("dfe-official", Action::Deploy, "kes-12", "2018-01-10"),
        &[],
    );
    // From 29 March 2022 (not 14 March), the same ordinary department's system
    // is allowed with the advice to reconsider; so is the wider public sector.
    for system in ["dfe-official", "council-official"] {
        allowed(
            &decide(system, Action::Operate, "kes-12", "2022-03-28"),
            &[],
        );
        allowed(
            &decide(system, Action::Operate, "kes-12", "2022-03-29"),
            &["uk-ncsc-2017/reconsider-russian-controlled-2022"],
        );
    }
}

#[test]
fn s03_home_laptops_uk_free_us_under_the_commerce_rule() {
    allowed(
        &decide("uk-home-laptop", Action::Deploy, "kis-2024", "2024-10-01"),
        &[],
    );
    allowed(
        &decide("uk-home-laptop", Action::Update, "kis-2024", "2024-10-01"),
        &[],
    );

    denied_by(
        &decide("us-home-laptop", Action::Update, "kis-2024", "2024-10-01"),
        &["us-icts-2024-kaspersky/updates"],
    );
    allowed(
        &decide("us-home-laptop", Action::Update, "kis-2024", "2024-09-15"),
        &[],
    );
    denied_by(
        &decide("us-home-laptop", Action::Procure, "kis-2024", "2024-07-25"),
        &["us-icts-2024-kaspersky/new-transactions"],
    );
    // Keeping an installed copy running is not itself penalised.
    allowed(
        &decide("us-home-laptop", Action::Operate, "kis-2024", "2024-10-01"),
        &[],
    );
    // Threat intelligence is exempt.
    allowed(
        &decide("us-business-soc", Action::Update, "kti-2024", "2024-10-01"),
        &[],
    );
    allowed(
        &decide("us-business-soc", Action::Procure, "kti-2024", "2024-10-01"),
        &[],
    );
}

#[test]
fn s04_a_uk_reseller_controlled_by_kaspersky_labs_limited_is_kaspersky_and_the_chain_shows_it() {
    let d = decide("gsa-desktops", Action::Deploy, "shield-av-1", "2019-06-01");
    denied_by(
        &d,
        &[
            "us-bod-17-01/kaspersky-security-products",
            "us-ndaa-1634/kaspersky",
        ],
    );
    assert_eq!(
        d.chains()[0].to_string(),
        "Shield Antivirus (hypothetical) 1.0.0, made by Shield Resellers Ltd (hypothetical) (GB), \
         controlled by Kaspersky Labs Limited (incorporated GB, run from RU), \
         which controls AO Kaspersky Lab (RU) (unconfirmed)"
    );
}

#[test]
fn s05_a_suite_embedding_the_kaspersky_sdk_contains_kaspersky() {
    let d = decide(
        "contractor-endpoints",
        Action::Deploy,
        "hexagone-suite-2018",
        "2019-06-01",
    );
    denied_by(&d, &["us-ndaa-1634/kaspersky"]);
    let chains: Vec<String> = d.chains().iter().map(ToString::to_string).collect();
    assert!(
        chains.contains(
            &"Hexagone Security Suite 2018 (hypothetical) embeds Kaspersky Anti-Virus SDK 8, made by AO Kaspersky Lab (RU)"
                .to_owned()
        ),
        "{chains:?}"
    );
    // Before s.1634 took effect the same suite was allowed.
    allowed(
        &decide(
            "contractor-endpoints",
            Action::Deploy,
            "hexagone-suite-2018",
            "2018-09-30",
        ),
        &[],
    );
}

#[test]
fn s06_a_hikvision_recorder_under_an_agency_waiver_until_it_expires() {
    let before = decide(
        "gsa-facility-cctv",
        Action::Deploy,
        "hikvision-nvr-4",
        "2021-06-01",
    );
    allowed(&before, &[]);
    assert_eq!(
        before
            .waivers()
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>(),
        ["gsa-889-waiver-cctv"]
    );

    let after = decide(
        "gsa-facility-cctv",
        Action::Deploy,
        "hikvision-nvr-4",
        "2021-09-01",
    );
    // Installing is read as obtaining: the rule split off for that reading decides.
    denied_by(&after, &["us-ndaa-889/agency-video-surveillance-install"]);
    assert!(after.waivers().is_empty());
}

#[test]
fn s07_section_889_turns_on_purpose_for_video_and_not_for_huawei() {
    allowed(
        &decide(
            "gsa-research-lab",
            Action::Deploy,
            "dahua-camera-2",
            "2023-01-10",
        ),
        &[],
    );
    denied_by(
        &decide(
            "gsa-facility-cctv",
            Action::Deploy,
            "dahua-camera-2",
            "2023-01-10",
        ),
        &["us-ndaa-889/agency-video-surveillance-install"],
    );
    for system in ["gsa-network", "gsa-research-lab", "gsa-facility-cctv"] {
        denied_by(
            &decide(system, Action::Procure, "huawei-router-22", "2023-01-10"),
            &["us-ndaa-889/agency-telecom"],
        );
    }
}

#[test]
fn s08_where_the_data_goes_matters_and_moving_it_does_not_cure_control() {
    denied_by(
        &decide(
            "mod-logistics",
            Action::Deploy,
            "nordlys-av-5.2",
            "2023-06-01",
        ),
        &["uk-ncsc-2017/national-security-assessed-data-in-russia"],
    );
    // That Deny rests on the project's reading, and says so.
    let reading = engine()
        .policies()
        .rule("uk-ncsc-2017/national-security-assessed-data-in-russia")
        .unwrap();
    assert!(
        reading.reason().contains("This project's readings"),
        "{}",
        reading.reason()
    );
    allowed(
        &decide(
            "mod-logistics",
            Action::Deploy,
            "nordlys-av-5.3",
            "2023-06-01",
        ),
        &[],
    );
    // kes-12 sends its data to Switzerland; it is still controlled from Russia.
    denied_by(
        &decide("mod-secret", Action::Deploy, "kes-12", "2023-06-01"),
        &["uk-ncsc-2017/secret-and-above"],
    );
}

#[test]
fn s09_assurance_must_be_held_at_the_level_the_system_requires() {
    allowed(
        &decide(
            "dfe-remote-access",
            Action::Deploy,
            "redoubt-vpn-3.1",
            "2020-01-10",
        ),
        &[],
    );
    denied_by(
        &decide(
            "mod-secret-crypto",
            Action::Deploy,
            "redoubt-vpn-3.1",
            "2020-01-10",
        ),
        &["assurance/required-assurance"],
    );
    denied_by(
        &decide(
            "gsa-high-enclave",
            Action::Deploy,
            "cumulus-crm-2024",
            "2024-10-01",
        ),
        &["assurance/required-assurance"],
    );
    // An authorisation lapses: the CPA listing ends on 2023-03-31.
    denied_by(
        &decide(
            "dfe-remote-access",
            Action::Operate,
            "redoubt-vpn-3.1",
            "2023-04-01",
        ),
        &["assurance/required-assurance"],
    );
}

#[test]
fn s10_australian_removal_with_a_time_limited_national_security_exemption() {
    denied_by(
        &decide(
            "home-affairs-desktops",
            Action::Operate,
            "kes-12",
            "2025-04-02",
        ),
        &["au-pspf-002-2025/kaspersky"],
    );
    let exempt = decide(
        "home-affairs-malware-lab",
        Action::Operate,
        "kes-12",
        "2025-04-02",
    );
    allowed(&exempt, &[]);
    assert_eq!(
        exempt
            .waivers()
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>(),
        ["pspf-002-exemption-malware-lab"]
    );
    denied_by(
        &decide(
            "home-affairs-malware-lab",
            Action::Operate,
            "kes-12",
            "2026-01-02",
        ),
        &["au-pspf-002-2025/kaspersky"],
    );
    // The exemption names only `operate` and `update`, not new purchases.
    denied_by(
        &decide(
            "home-affairs-malware-lab",
            Action::Procure,
            "kes-12",
            "2025-04-02",
        ),
        &["au-pspf-002-2025/kaspersky"],
    );
}

#[test]
fn s11_the_bsi_warning_is_advice_and_does_not_deny() {
    allowed(
        &decide("stadtwerke-office", Action::Operate, "kes-12", "2023-05-01"),
        &["de-bsi-2022/replace-kaspersky-antivirus"],
    );
    allowed(
        &decide("stadtwerke-office", Action::Operate, "kes-12", "2022-03-14"),
        &[],
    );
}

#[test]
fn s12_a_missing_vendor_is_a_load_error_naming_it() {
    let text = std::fs::read_to_string("examples/article-inventory.json").unwrap();
    let text = text.replace(
        r#""vendor": "nordlys-security""#,
        r#""vendor": "nordlys-security-gone""#,
    );
    let error = Inventory::from_json(&text).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::DanglingReference);
    assert!(
        error.to_string().contains("product `nordlys-av`"),
        "{error}"
    );
    assert!(
        error.to_string().contains("nordlys-security-gone"),
        "{error}"
    );
}

#[test]
fn s12_a_rule_that_fails_to_evaluate_denies_with_the_error() {
    let inventory = engine().inventory().clone();
    let mut policies = Policies::all_packs().unwrap();
    // Validates, but reading an entity that is not in the store is a runtime error.
    policies
        .add_text(
            "broken.cedar",
            r#"@id("broken/ghost-vendor")
               @reason("reads a vendor the inventory does not have")
               forbid (principal, action, resource) when { Vendor::"ghost".name == "Ghost" };"#,
        )
        .unwrap();
    let engine = Engine::new(inventory, policies).unwrap();
    let query = Query::new("dfe-official", Action::Deploy, "defender-4.18")
        .at("2024-01-01".parse().unwrap());
    let decision = engine.decide(&query).unwrap();
    assert_eq!(decision.verdict(), Verdict::Deny, "{decision}");
    assert!(decision.rule_ids().is_empty(), "{decision}");
    assert_eq!(decision.errors().len(), 1, "{decision}");
    assert!(
        decision.errors()[0].contains("broken/ghost-vendor"),
        "{decision}"
    );
    // The same question without the broken rule is allowed: the error decided it.
    allowed(&self::engine().decide(&query).unwrap(), &[]);
}

#[test]
fn s12_unknown_systems_and_releases_are_query_errors() {
    let query = Query::new("no-such-system", Action::Deploy, "kes-12");
    assert_eq!(
        engine().decide(&query).unwrap_err().kind(),
        ErrorKind::UnknownSystem
    );
    let query = Query::new("mod-secret", Action::Deploy, "no-such-release");
    let error = engine().decide(&query).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnknownRelease);
    assert!(error.to_string().contains("no-such-release"));
}

#[test]
fn the_other_packs_lithuania_and_the_netherlands() {
    // Lithuania, from the government's decision of 20 December 2017: no new
    // use; existing use is to be replaced by deadlines no source here gives,
    // so it carries advice.
    denied_by(
        &decide("lt-mod-desktops", Action::Deploy, "kes-12", "2017-12-20"),
        &["lt-2017/kaspersky-new-use"],
    );
    allowed(
        &decide("lt-mod-desktops", Action::Deploy, "kes-12", "2017-12-19"),
        &[],
    );
    allowed(
        &decide("lt-mod-desktops", Action::Operate, "kes-12", "2018-01-10"),
        &["lt-2017/kaspersky-existing-use"],
    );
    // The Netherlands: national government uses no new Kaspersky antivirus and
    // phases out what it has, without a deadline.
    denied_by(
        &decide(
            "nl-justice-desktops",
            Action::Deploy,
            "kes-12",
            "2018-06-01",
        ),
        &["nl-2018/national-government-antivirus"],
    );
    allowed(
        &decide(
            "nl-justice-desktops",
            Action::Operate,
            "kes-12",
            "2018-06-01",
        ),
        &["nl-2018/national-government-antivirus-phase-out"],
    );
    // Only antivirus is covered in the Netherlands.
    allowed(
        &decide(
            "nl-justice-desktops",
            Action::Operate,
            "kti-2024",
            "2018-06-01",
        ),
        &[],
    );
}

#[test]
fn s13_kaspersky_lab_inc_is_reached_through_its_parent_and_sisters() {
    // Kaspersky Lab, Inc. is owned by Kaspersky Labs Limited, which also
    // controls AO Kaspersky Lab: the US bans, anchored on the group, reach it.
    let d = decide("gsa-desktops", Action::Deploy, "kis-2019", "2019-06-01");
    denied_by(
        &d,
        &[
            "us-bod-17-01/kaspersky-security-products",
            "us-ndaa-1634/kaspersky",
        ],
    );
    assert_eq!(
        d.chains()[0].to_string(),
        "Kaspersky Internet Security 2019, made by Kaspersky Lab, Inc. (US), \
         controlled by Kaspersky Labs Limited (incorporated GB, run from RU), \
         which controls AO Kaspersky Lab (RU) (unconfirmed)"
    );
    // The antivirus licensed by the Swiss company, updated by a US consumer.
    denied_by(
        &decide("us-home-laptop", Action::Update, "kav-2024", "2024-10-01"),
        &["us-icts-2024-kaspersky/updates"],
    );
}

#[test]
fn s07_a_laptop_with_an_essential_huawei_module_is_covered_equipment() {
    denied_by(
        &decide(
            "gsa-desktops",
            Action::Procure,
            "field-laptop-3",
            "2023-01-10",
        ),
        &["us-ndaa-889/agency-telecom"],
    );
    // The same laptop with the module marked as no substantial or essential part.
    allowed(
        &decide(
            "gsa-desktops",
            Action::Procure,
            "field-laptop-3-wifi",
            "2023-01-10",
        ),
        &[],
    );
}

#[test]
fn s07_lorex_is_dahua_only_while_dahua_owned_it() {
    denied_by(
        &decide(
            "gsa-facility-cctv",
            Action::Deploy,
            "lorex-camera-2",
            "2020-06-01",
        ),
        &["us-ndaa-889/agency-video-surveillance-install"],
    );
    allowed(
        &decide(
            "gsa-facility-cctv",
            Action::Deploy,
            "lorex-camera-2",
            "2024-06-01",
        ),
        &[],
    );
}

#[test]
fn the_sweep_reports_every_deployment_at_one_instant() {
    let sweep = engine().sweep("2025-06-01".parse().unwrap());
    assert_eq!(sweep.len(), engine().inventory().deployments.len());
    let denied: Vec<(&str, &str)> = sweep
        .iter()
        .filter(|(_, d)| !d.allowed())
        .map(|(dep, _)| (dep.system.as_str(), dep.release.as_str()))
        .collect();
    assert_eq!(
        denied,
        [
            ("fco-official", "kes-12"),
            ("mod-logistics", "nordlys-av-5.2"),
            ("gsa-desktops", "shield-av-1"),
            ("contractor-endpoints", "hexagone-suite-2018"),
            // Not gsa-facility-cctv's Hikvision recorder: s.889(a)(1)(A) bars agencies
            // from obtaining covered equipment, not from running what they hold.
            ("home-affairs-desktops", "kes-12"),
            ("dfe-remote-access", "redoubt-vpn-3.1"),
        ]
    );
    for (deployment, decision) in &sweep {
        assert_eq!(decision.asked().action, Action::Operate);
        assert_eq!(decision.asked().system, deployment.system);
    }
}

#[test]
fn the_matrix_agrees_with_single_decisions() {
    let at = "2025-06-01".parse().unwrap();
    let matrix = engine().matrix(Action::Deploy, at);
    assert_eq!(
        matrix.decisions().len(),
        engine().inventory().releases.len() * engine().inventory().systems.len()
    );
    for release in matrix.releases() {
        for system in matrix.systems() {
            let cell = matrix.get(release.as_str(), system.as_str()).unwrap();
            let single = engine()
                .decide(&Query::new(system.as_str(), Action::Deploy, release.as_str()).at(at))
                .unwrap();
            assert_eq!(cell, single);
        }
    }
}

/// The two questions a new user asked of the article's inventory, with TikTok
/// and DeepSeek added as such a user would add them: both were allowed ("no
/// rule forbids it") before the 2023-2026 packs; both are denied, with the
/// instrument's own words.
#[test]
fn s20_tiktok_on_gsa_desktops_and_deepseek_on_home_affairs_desktops_are_denied_with_the_words() {
    let mut inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
    let apps: Inventory = serde_json::from_str(
        r#"{
        "products": [
            {"id": "tiktok", "name": "TikTok", "vendor": "tiktok-pte-ltd",
             "category": "software", "known_as": "tiktok"},
            {"id": "deepseek", "name": "DeepSeek", "vendor": "hangzhou-deepseek",
             "category": "cloud-service", "known_as": "deepseek"}],
        "releases": [
            {"id": "tiktok-28", "product": "tiktok", "version": "28.0.0"},
            {"id": "deepseek-web", "product": "deepseek", "version": "1.0.0", "form": "web"}]
    }"#,
    )
    .unwrap();
    inventory.products.extend(apps.products);
    inventory.releases.extend(apps.releases);
    let engine = Engine::new(inventory, Policies::all_packs().unwrap()).unwrap();
    let decide = |system: &str, release: &str, at: &str| {
        engine
            .decide(&Query::new(system, Action::Deploy, release).at(at.parse().unwrap()))
            .unwrap()
    };

    let tiktok = decide("gsa-desktops", "tiktok-28", "2023-04-01");
    denied_by(&tiktok, &["us-no-tiktok-act/agency-it"]);
    assert!(tiktok
        .to_string()
        .contains("the term ‘covered application’ means the social networking service TikTok"));
    allowed(&decide("gsa-desktops", "tiktok-28", "2023-03-28"), &[]);

    let deepseek = decide("home-affairs-desktops", "deepseek-web", "2025-02-05");
    denied_by(&deepseek, &["au-pspf-001-2025/deepseek"]);
    assert!(deepseek
        .to_string()
        .contains("prevent the access, use or installation of DeepSeek products, applications and web services"));
    allowed(
        &decide(
            "home-affairs-desktops",
            "deepseek-web",
            "2025-02-04T12:59:00Z",
        ),
        &[],
    );
}
