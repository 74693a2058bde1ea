//! The situations of the December 2017 news report that started `clearance`,
//! and the rules that followed it, decided against a realistic inventory.
//!
//! ```text
//! cargo run --example article
//! ```
//!
//! The inventory (`examples/article-inventory.json`) models the real companies
//! and bodies involved; invented ones say "(hypothetical)" in their names.

mod common;

use clearance::{Action, Engine, Inventory, Policies, Query};
use common::because;

/// (situation, system, action, release, date)
const SITUATIONS: &[(&str, &str, Action, &str, &str)] = &[
    (
        "UK MOD SECRET network",
        "mod-secret",
        Action::Deploy,
        "kes-12",
        "2018-01-10",
    ),
    (
        "UK FCO OFFICIAL (national-security dept.)",
        "fco-official",
        Action::Deploy,
        "kes-12",
        "2018-01-10",
    ),
    (
        "UK DfE OFFICIAL desktops (ordinary dept.)",
        "dfe-official",
        Action::Deploy,
        "kes-12",
        "2018-01-10",
    ),
    (
        "UK council, after the 2022 advice",
        "council-official",
        Action::Operate,
        "kes-12",
        "2022-04-01",
    ),
    (
        "UK home laptop",
        "uk-home-laptop",
        Action::Deploy,
        "kis-2024",
        "2018-01-10",
    ),
    (
        "Barclays free offer, before the advice",
        "barclays-customer-offers",
        Action::Procure,
        "kis-2024",
        "2017-11-30",
    ),
    (
        "Barclays free offer, after it",
        "barclays-customer-offers",
        Action::Procure,
        "kis-2024",
        "2017-12-04",
    ),
    (
        "US GSA desktops",
        "gsa-desktops",
        Action::Deploy,
        "kes-12",
        "2018-01-10",
    ),
    (
        "US GSA desktops, UK reseller's AV",
        "gsa-desktops",
        Action::Deploy,
        "shield-av-1",
        "2019-06-01",
    ),
    (
        "US GSA desktops, Kaspersky Lab, Inc.'s AV",
        "gsa-desktops",
        Action::Deploy,
        "kis-2019",
        "2019-06-01",
    ),
    (
        "US contractor, suite with Kaspersky SDK",
        "contractor-endpoints",
        Action::Deploy,
        "hexagone-suite-2018",
        "2019-06-01",
    ),
    (
        "US home laptop, new purchase",
        "us-home-laptop",
        Action::Procure,
        "kis-2024",
        "2024-07-25",
    ),
    (
        "US home laptop, update",
        "us-home-laptop",
        Action::Update,
        "kis-2024",
        "2024-09-15",
    ),
    (
        "US home laptop, update",
        "us-home-laptop",
        Action::Update,
        "kis-2024",
        "2024-10-01",
    ),
    (
        "US home laptop, update, Swiss-licensed AV",
        "us-home-laptop",
        Action::Update,
        "kav-2024",
        "2024-10-01",
    ),
    (
        "US home laptop, keep running",
        "us-home-laptop",
        Action::Operate,
        "kis-2024",
        "2024-10-01",
    ),
    (
        "US business, Kaspersky threat intel",
        "us-business-soc",
        Action::Update,
        "kti-2024",
        "2024-10-01",
    ),
    (
        "US GSA building CCTV, waiver",
        "gsa-facility-cctv",
        Action::Deploy,
        "hikvision-nvr-4",
        "2021-06-01",
    ),
    (
        "US GSA building CCTV, waiver expired",
        "gsa-facility-cctv",
        Action::Deploy,
        "hikvision-nvr-4",
        "2021-09-01",
    ),
    (
        "US GSA research lab camera",
        "gsa-research-lab",
        Action::Deploy,
        "dahua-camera-2",
        "2023-01-10",
    ),
    (
        "US GSA building CCTV camera",
        "gsa-facility-cctv",
        Action::Deploy,
        "dahua-camera-2",
        "2023-01-10",
    ),
    (
        "US GSA network router",
        "gsa-network",
        Action::Procure,
        "huawei-router-22",
        "2023-01-10",
    ),
    (
        "US GSA laptops, essential Huawei LTE module",
        "gsa-desktops",
        Action::Procure,
        "field-laptop-3",
        "2023-01-10",
    ),
    (
        "US GSA laptops, the module not essential",
        "gsa-desktops",
        Action::Procure,
        "field-laptop-3-wifi",
        "2023-01-10",
    ),
    (
        "US GSA building CCTV, Lorex while Dahua's",
        "gsa-facility-cctv",
        Action::Deploy,
        "lorex-camera-2",
        "2020-06-01",
    ),
    (
        "US GSA building CCTV, Lorex after the sale",
        "gsa-facility-cctv",
        Action::Deploy,
        "lorex-camera-2",
        "2024-06-01",
    ),
    (
        "UK MOD OFFICIAL-SENSITIVE, telemetry to RU",
        "mod-logistics",
        Action::Deploy,
        "nordlys-av-5.2",
        "2023-06-01",
    ),
    (
        "UK MOD OFFICIAL-SENSITIVE, audited, EU data",
        "mod-logistics",
        Action::Deploy,
        "nordlys-av-5.3",
        "2023-06-01",
    ),
    (
        "UK MOD SECRET, Kaspersky with Swiss data",
        "mod-secret",
        Action::Deploy,
        "kes-12",
        "2023-06-01",
    ),
    (
        "UK DfE remote access, CPA Foundation VPN",
        "dfe-remote-access",
        Action::Deploy,
        "redoubt-vpn-3.1",
        "2020-01-10",
    ),
    (
        "UK MOD SECRET crypto, CPA Foundation VPN",
        "mod-secret-crypto",
        Action::Deploy,
        "redoubt-vpn-3.1",
        "2020-01-10",
    ),
    (
        "US FedRAMP High enclave, Moderate SaaS",
        "gsa-high-enclave",
        Action::Deploy,
        "cumulus-crm-2024",
        "2024-10-01",
    ),
    (
        "AU Home Affairs desktops",
        "home-affairs-desktops",
        Action::Operate,
        "kes-12",
        "2025-04-02",
    ),
    (
        "AU Home Affairs lab, exemption",
        "home-affairs-malware-lab",
        Action::Operate,
        "kes-12",
        "2025-04-02",
    ),
    (
        "AU Home Affairs lab, exemption over",
        "home-affairs-malware-lab",
        Action::Operate,
        "kes-12",
        "2026-01-02",
    ),
    (
        "DE municipal utility",
        "stadtwerke-office",
        Action::Operate,
        "kes-12",
        "2023-05-01",
    ),
    (
        "LT Ministry of National Defence, new use",
        "lt-mod-desktops",
        Action::Deploy,
        "kes-12",
        "2018-01-10",
    ),
    (
        "LT Ministry of National Defence, in use",
        "lt-mod-desktops",
        Action::Operate,
        "kes-12",
        "2018-01-10",
    ),
    (
        "NL Ministry of Justice and Security, new use",
        "nl-justice-desktops",
        Action::Deploy,
        "kes-12",
        "2018-06-01",
    ),
    (
        "NL Ministry of Justice and Security, in use",
        "nl-justice-desktops",
        Action::Operate,
        "kes-12",
        "2018-06-01",
    ),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    common::quiet_on_closed_pipe();
    let inventory = Inventory::from_path("examples/article-inventory.json")?;
    let mut policies = Policies::all_packs()?;
    policies.add_file("examples/policies/bank-precaution.cedar")?;
    let engine = Engine::new(inventory, policies)?;

    println!("May this product be deployed on this system?\n");
    println!(
        "{:<10}  {:<46}  {:<7}  {:<19}  {:<7}  because",
        "date", "situation", "action", "release", "verdict"
    );
    println!("{}", "-".repeat(140));
    let mut explained = Vec::new();
    for &(situation, system, action, release, date) in SITUATIONS {
        let decision = engine.decide(&Query::new(system, action, release).at(date.parse()?))?;
        println!(
            "{date:<10}  {situation:<46}  {action:<7}  {release:<19}  {:<7}  {}",
            decision.verdict(),
            because(&decision)
        );
        if ["kis-2019", "shield-av-1", "hexagone-suite-2018"].contains(&release) {
            explained.push(decision);
        }
    }

    println!(
        "\nWhy, in full, for the products that reach Kaspersky through its group or its code:\n"
    );
    for decision in &explained {
        println!("{decision}");
    }

    let at = "2025-06-01".parse()?;
    let sweep = engine.sweep(at);
    let violations: Vec<_> = sweep.iter().filter(|(_, d)| !d.allowed()).collect();
    println!(
        "Compliance sweep at {at}: {} deployments, {} may not keep running:",
        sweep.len(),
        violations.len()
    );
    for (deployment, decision) in violations {
        println!(
            "  {:<20} on {:<26} {}",
            deployment.release,
            deployment.system,
            because(decision)
        );
    }

    // When the answers change, exactly: a Kaspersky laptop in the US, and the
    // Hikvision recorder whose agency waiver lapses.
    println!("\nWhen the answers change:\n");
    for (system, action, release) in [
        ("us-home-laptop", Action::Update, "kis-2019"),
        ("gsa-facility-cctv", Action::Deploy, "hikvision-nvr-4"),
    ] {
        let timeline = engine.timeline(
            system,
            action,
            release,
            "2017-01-01".parse()?,
            "2026-01-01".parse()?,
        )?;
        println!("{timeline}");
    }
    Ok(())
}
