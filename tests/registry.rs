//! The shipped registry: merged into every inventory that does not opt out,
//! found by name, never silently shadowed.

use clearance::{
    Action, Basis, Engine, EntryKind, ErrorKind, Inventory, Policies, Query, Registry,
};

fn engine(json: &str) -> clearance::Result<Engine> {
    Engine::new(Inventory::from_json(json)?, Policies::all_packs()?)
}

const GSA: &str = r#"
    "organisations": [{"id": "us-gsa", "name": "GSA", "country": "US", "sector": "central-government",
                       "roles": ["federal-executive-branch"]}],
    "systems": [{"id": "gsa-desktops", "name": "GSA desktops", "owner": "us-gsa"}]
"#;

#[test]
fn an_inventory_refers_to_registry_companies_without_defining_them() {
    let engine = engine(&format!(
        r#"{{
        "products": [{{"id": "kis", "name": "Kaspersky Internet Security", "vendor": "kaspersky-lab-inc",
                       "category": "antivirus"}}],
        "releases": [{{"id": "kis-2019", "product": "kis", "version": "19.0.0"}}],
        {GSA}
    }}"#
    ))
    .unwrap();
    let decision = engine
        .decide(
            &Query::new("gsa-desktops", Action::Deploy, "kis-2019")
                .at("2019-06-01".parse().unwrap()),
        )
        .unwrap();
    assert!(!decision.allowed(), "{decision}");
    // The engine gives back the inventory as given, which reads back the same.
    let given = engine.inventory();
    assert!(given.registry);
    assert!(given.vendors.is_empty());
    let reread = Inventory::from_json(&given.to_json()).unwrap();
    assert_eq!(&reread, given);
}

#[test]
fn defining_a_registry_company_as_the_registry_does_is_accepted_and_the_registry_entry_kept() {
    // The probe of the issue: the real Kaspersky structure, written out by hand.
    // (tests/data/real-kaspersky.json is a copy of the issue's probe.)
    let probe = std::fs::read_to_string("tests/data/real-kaspersky.json").unwrap();
    let engine = engine(&probe).unwrap();
    let decision = engine
        .decide(
            &Query::new("gsa-desktops", Action::Deploy, "kis-2019")
                .at("2019-06-01".parse().unwrap()),
        )
        .unwrap();
    assert_eq!(
        decision.rule_ids(),
        [
            "us-bod-17-01/kaspersky-security-products",
            "us-ndaa-1634/kaspersky"
        ],
        "{decision}"
    );
}

#[test]
fn defining_a_registry_company_otherwise_is_an_error_that_says_how() {
    let error = Inventory::from_json(
        r#"{"vendors": [
            {"id": "lorex", "name": "Lorex Technology Inc.", "incorporated": "CA", "headquarters": "CA",
             "controlled_by": "dahua"}
        ]}"#,
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::DuplicateId);
    for part in ["vendor `lorex`", "its owners differ", "\"registry\": false"] {
        assert!(error.message().contains(part), "{error}");
    }
    // A registry company under another id is refused too.
    let error = Inventory::from_json(
        r#"{"vendors": [{"id": "kl", "name": "AO KASPERSKY LAB", "incorporated": "RU", "headquarters": "RU"}]}"#,
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::DuplicateId);
    assert!(error.message().contains("`ao-kaspersky-lab`"), "{error}");
    // Opting out, the inventory models the companies itself.
    assert!(Inventory::from_json(
        r#"{"registry": false, "vendors": [
            {"id": "lorex", "name": "Lorex Technology Inc.", "incorporated": "CA", "headquarters": "CA"}
        ]}"#
    )
    .is_ok());
}

#[test]
fn every_entry_says_where_it_comes_from_and_unconfirmed_links_are_shown_as_such() {
    let registry = Registry::shipped();
    for entry in registry.entries() {
        assert!(!entry.source().is_empty(), "{}", entry.id());
    }
    let holding = registry.entry("huawei-investment-holding").unwrap();
    assert_eq!(holding.kind(), EntryKind::Party);
    assert_eq!(holding.basis(), Basis::Unconfirmed);
    let huawei = registry.vendor("huawei").unwrap();
    assert_eq!(huawei.owners[0].basis, Some(Basis::Unconfirmed));
    // A chain through the unconfirmed link says so.
    let engine = engine(
        r#"{
        "vendors": [{"id": "huawei-device-x", "name": "Huawei Device X (hypothetical)",
                     "incorporated": "CN", "headquarters": "CN", "controlled_by": "huawei-investment-holding"}],
        "products": [{"id": "router", "name": "Router", "vendor": "huawei-device-x", "category": "telecom"}],
        "releases": [{"id": "router-1", "product": "router", "version": "1.0.0"}],
        "organisations": [{"id": "us-gsa", "name": "GSA", "country": "US", "sector": "central-government",
                           "roles": ["federal-executive-branch"]}],
        "systems": [{"id": "gsa-network", "name": "GSA network", "owner": "us-gsa"}]
    }"#,
    )
    .unwrap();
    let decision = engine
        .decide(
            &Query::new("gsa-network", Action::Procure, "router-1")
                .at("2023-01-10".parse().unwrap()),
        )
        .unwrap();
    assert_eq!(
        decision.rule_ids(),
        ["us-ndaa-889/agency-telecom"],
        "{decision}"
    );
    assert_eq!(
        decision.chains()[0].to_string(),
        "Router 1.0.0, made by Huawei Device X (hypothetical) (CN), controlled by \
         Huawei Investment & Holding Co., Ltd. (CN), which controls Huawei Technologies Co., Ltd. (CN) \
         (unconfirmed)"
    );
}

#[test]
fn names_and_aliases_find_their_ids() {
    let registry = Registry::shipped();
    for (name, id) in [
        ("Kaspersky Lab", "ao-kaspersky-lab"),
        ("Kaspersky Lab ZAO", "ao-kaspersky-lab"),
        ("Kaspersky Labs Limited", "kaspersky-labs-limited"),
        (
            "Kaspersky Lab Switzerland GmbH",
            "kaspersky-lab-switzerland",
        ),
        ("Hangzhou Hikvision Digital Technology Company", "hikvision"),
        ("ComNet (USA) LLC", "comnet-usa"),
        ("CETC", "cetc"),
    ] {
        assert_eq!(
            registry.find(name).map(|e| e.id().as_str()),
            Some(id),
            "{name}"
        );
    }
}

#[test]
fn a_copy_of_a_registry_company_may_add_an_owner_the_registry_does_not_know() {
    // A parent of Hytera (hypothetical here), and a sister company under it.
    let engine = engine(
        r#"{
        "parties": [{"id": "hytera-parent", "name": "Hytera Parent (hypothetical)",
                      "kind": "holding-company", "country": "CN"}],
        "vendors": [
            {"id": "hytera", "name": "Hytera Communications Corporation Limited",
              "incorporated": "CN", "headquarters": "CN", "controlled_by": "hytera-parent"},
            {"id": "hytera-sister", "name": "Hytera Sister Co. (hypothetical)",
              "incorporated": "CN", "headquarters": "CN", "controlled_by": "hytera-parent"}
        ],
        "products": [{"id": "cam", "name": "Camera", "vendor": "hytera-sister", "category": "video-surveillance"}],
        "releases": [{"id": "cam-1", "product": "cam", "version": "1.0.0"}],
        "organisations": [{"id": "us-gsa", "name": "GSA", "country": "US", "sector": "central-government",
                            "roles": ["federal-executive-branch"]}],
        "systems": [{"id": "cctv", "name": "CCTV", "owner": "us-gsa", "purposes": ["government-facility-security"]}]
    }"#,
    )
    .unwrap();
    let decision = engine
        .decide(&Query::new("cctv", Action::Procure, "cam-1").at("2023-01-10".parse().unwrap()))
        .unwrap();
    assert_eq!(
        decision.rule_ids(),
        ["us-ndaa-889/agency-video-surveillance"],
        "{decision}"
    );
    // Contradicting a stake the registry lists is an error naming the owner.
    let error = Inventory::from_json(
        r#"{"vendors": [{"id": "hikvision", "name": "Hangzhou Hikvision Digital Technology Co., Ltd.",
            "incorporated": "CN", "headquarters": "CN",
            "owners": [{"owner": "cetc", "share": 60, "controls": true}]}]}"#,
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::DuplicateId);
    assert!(
        error.message().contains("lists `cetc` on other terms"),
        "{error}"
    );
}

/// No primary text says whether Kaspersky Labs Limited controls AO Kaspersky
/// Lab or the other way round; the registry marks the link unconfirmed. No
/// shipped rule's answer may depend on its direction: every question about the
/// suites' world, with the link as shipped and reversed, gets the same verdict,
/// rules, advice and waivers.
#[test]
fn no_answer_depends_on_which_way_the_unconfirmed_kaspersky_link_runs() {
    let registry = Registry::shipped();
    let (parent, child) = ("kaspersky-labs-limited", "ao-kaspersky-lab");
    let mut vendors = registry.vendors().to_vec();
    let link = {
        let child = vendors.iter_mut().find(|v| v.id.as_str() == child).unwrap();
        let at = child
            .owners
            .iter()
            .position(|s| s.owner.as_str() == parent)
            .expect("the registry links them");
        let mut link = child.owners.remove(at);
        assert_eq!(link.basis, Some(Basis::Unconfirmed), "marked unconfirmed");
        link.owner = child.id.clone();
        link
    };
    vendors
        .iter_mut()
        .find(|v| v.id.as_str() == parent)
        .unwrap()
        .owners
        .push(link);

    let world = || Inventory::from_path("policies/tests/data/world.json").unwrap();
    let mut reversed = world();
    reversed.registry = false;
    reversed.vendors.extend(vendors);
    reversed.parties.extend(registry.parties().iter().cloned());
    let shipped = Engine::new(world(), Policies::all_packs().unwrap()).unwrap();
    let reversed = Engine::new(reversed, Policies::all_packs().unwrap()).unwrap();

    let mut asked = 0;
    for at in [
        "2017-12-12T12:00:00Z",
        "2018-10-02",
        "2019-06-01",
        "2022-06-01",
        "2024-08-01",
        "2024-10-01",
        "2025-05-01",
        "2026-12-07",
    ] {
        let at = at.parse().unwrap();
        for action in Action::ALL {
            let (a, b) = (shipped.matrix(*action, at), reversed.matrix(*action, at));
            for cell in a.cells() {
                let one = cell.decision();
                let two = b
                    .get(cell.release().as_str(), cell.system().as_str())
                    .unwrap();
                assert_eq!(
                    (
                        one.verdict(),
                        one.rule_ids(),
                        one.advice_ids(),
                        one.waivers()
                    ),
                    (
                        two.verdict(),
                        two.rule_ids(),
                        two.advice_ids(),
                        two.waivers()
                    ),
                    "{one}\nreversed:\n{two}"
                );
                asked += 1;
            }
        }
    }
    assert!(asked > 10_000, "only {asked} questions");
}

/// The TikTok, DeepSeek and Tencent companies: found by the names an importer
/// meets, joined into their groups by control, and the TikTok USDS joint
/// venture held 19.9% by ByteDance Ltd. without being in its group or
/// foreign-adversary controlled.
#[test]
fn the_tiktok_deepseek_and_tencent_companies_are_found_and_grouped_as_the_sources_say() {
    let registry = Registry::shipped();
    for (name, id) in [
        ("ByteDance Ltd.", "bytedance-ltd"),
        ("Zìjié Tiàodòng", "bytedance-ltd"),
        ("TikTok Inc.", "tiktok-inc"),
        ("TIKTOK PTE. LTD.", "tiktok-pte-ltd"),
        ("TikTok USDS Joint Venture LLC", "tiktok-usds-joint-venture"),
        (
            "Hangzhou DeepSeek Artificial Intelligence Co., Ltd.",
            "hangzhou-deepseek",
        ),
        (
            "杭州深度求索人工智能基础技术研究有限公司",
            "hangzhou-deepseek",
        ),
        (
            "Beijing DeepSeek Artificial Intelligence Co., Ltd.",
            "beijing-deepseek",
        ),
        ("Tencent Holdings Ltd.", "tencent-holdings"),
        ("WeChat International Pte. Ltd.", "wechat-international"),
        (
            "深圳市腾讯计算机系统有限公司",
            "shenzhen-tencent-computer-systems",
        ),
        (
            "Tencent Technology (Shenzhen) Company Limited",
            "tencent-technology-shenzhen",
        ),
        ("梁文锋", "liang-wenfeng"),
    ] {
        assert_eq!(
            registry.find(name).map(|e| e.id().as_str()),
            Some(id),
            "{name}"
        );
    }
    // Ambiguous short names are not aliases.
    for name in ["TikTok", "USDS", "TikTok USDS", "Douyin Ltd."] {
        assert!(registry.find(name).is_none(), "{name}");
    }
    let jv = registry.vendor("tiktok-usds-joint-venture").unwrap();
    let stakes: Vec<(&str, String, bool)> = jv
        .owners
        .iter()
        .map(|s| (s.owner.as_str(), s.share.unwrap().to_string(), s.controls))
        .collect();
    assert_eq!(
        stakes,
        [
            ("oracle", "15%".to_owned(), false),
            ("silver-lake", "15%".to_owned(), false),
            ("mgx", "15%".to_owned(), false),
            ("bytedance-ltd", "19.9%".to_owned(), false),
        ]
    );
    assert!(jv.owners.iter().all(
        |s| s.from == Some("2026-01-22".parse().unwrap()) && s.basis == Some(Basis::Secondary)
    ));
    let pte = registry.vendor("tiktok-pte-ltd").unwrap();
    assert_eq!(pte.owners[0].basis, Some(Basis::Unconfirmed));

    let mut policies = Policies::from_packs(&[clearance::Pack::Baseline]).unwrap();
    policies
        .add_text(
            "probe.cedar",
            r#"
            @id("probe/bytedance")
            @reason("ByteDance's group")
            forbid (principal, action == Action::"deploy", resource)
            when { resource.vendorGroup.contains(Vendor::"bytedance-ltd") };
            @id("probe/deepseek")
            @reason("DeepSeek's group")
            forbid (principal, action == Action::"deploy", resource)
            when { resource.vendorGroup.contains(Vendor::"hangzhou-deepseek") };
            @id("probe/tencent")
            @reason("Tencent's group")
            forbid (principal, action == Action::"deploy", resource)
            when { resource.vendorGroup.contains(Vendor::"tencent-holdings") };
            @id("probe/foreign-adversary")
            @reason("foreign-adversary controlled")
            forbid (principal, action == Action::"deploy", resource)
            when { resource.vendorForeignAdversaryControlled };
        "#,
        )
        .unwrap();
    let vendors = [
        "tiktok-inc",
        "tiktok-pte-ltd",
        "tiktok-us-data-security",
        "beijing-bytedance-technology",
        "tiktok-usds-joint-venture",
        "oracle",
        "beijing-deepseek",
        "tencent-technology-shenzhen",
    ];
    let products: Vec<String> = vendors
        .iter()
        .map(|v| format!(r#"{{"id": "{v}-app", "name": "App of {v}", "vendor": "{v}", "category": "software"}}"#))
        .collect();
    let releases: Vec<String> = vendors
        .iter()
        .map(|v| format!(r#"{{"id": "{v}-1", "product": "{v}-app", "version": "1.0.0"}}"#))
        .collect();
    let inventory = Inventory::from_json(&format!(
        r#"{{"products": [{}], "releases": [{}],
            "organisations": [{{"id": "o", "name": "O", "country": "US", "sector": "business"}}],
            "systems": [{{"id": "s", "name": "S", "owner": "o"}}]}}"#,
        products.join(","),
        releases.join(",")
    ))
    .unwrap();
    let engine = Engine::new(inventory, policies).unwrap();
    let probes = |vendor: &str| -> Vec<String> {
        let decision = engine
            .decide(
                &Query::new("s", Action::Deploy, format!("{vendor}-1"))
                    .at("2026-02-01".parse().unwrap()),
            )
            .unwrap();
        decision
            .rule_ids()
            .into_iter()
            .filter(|r| r.starts_with("probe/"))
            .map(str::to_owned)
            .collect()
    };
    let bytedance = ["probe/bytedance", "probe/foreign-adversary"];
    for vendor in &vendors[..4] {
        assert_eq!(probes(vendor), bytedance, "{vendor}");
    }
    assert!(probes("tiktok-usds-joint-venture").is_empty());
    assert!(probes("oracle").is_empty());
    assert_eq!(
        probes("beijing-deepseek"),
        ["probe/deepseek", "probe/foreign-adversary"]
    );
    assert_eq!(
        probes("tencent-technology-shenzhen"),
        ["probe/foreign-adversary", "probe/tencent"]
    );
}
