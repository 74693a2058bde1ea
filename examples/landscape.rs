//! Apps and AI services on government devices, 2023 to 2026: TikTok,
//! DeepSeek, WeChat and a Kaspersky app on phones, laptops and servers in the
//! US, the UK, Canada, Australia and the EU institutions, a federal
//! contractor's devices, an app store and a household, decided with every
//! shipped pack. Then equipment named by where it is produced, 2024 to 2029:
//! a county sheriff's drones, a federal agency's drone fleet, a rural
//! carrier's routers bought with Universal Service Fund support, and one
//! router's firmware updates, and a drone its maker's Conditional Approval
//! takes outside the FCC's entry.
//!
//! ```text
//! cargo run --example landscape
//! ```
//!
//! The inventory (`examples/landscape-inventory.json`) uses the shipped
//! registry's companies (ByteDance, the TikTok companies and the 2026 joint
//! venture, DeepSeek, Tencent's WeChat International, Kaspersky, DJI); invented
//! organisations, models and the 20% operator say "(hypothetical)" in their
//! names, the drone maker's listing under the Drone Act is hypothetical too
//! (whether the real list names any maker was not confirmed), and so is the
//! Swiss maker's Conditional Approval.

mod common;

use clearance::{Action, Decision, Engine, Inventory, Policies, Query};
use common::because;

/// The instants the landscape is swept at.
const DATES: &[&str] = &[
    "2023-02-01",
    "2023-04-01",
    "2023-11-01",
    "2025-02-05",
    "2025-06-01",
    "2026-03-01",
];

/// The apps asked about on every device.
const APPS: &[&str] = &[
    "tiktok-app",
    "tiktok-web",
    "deepseek-app",
    "deepseek-web",
    "deepseek-r1-weights",
    "wechat-app",
    "kaspersky-android",
    "signal-app",
];

/// Devices, in the order printed.
const DEVICES: &[&str] = &[
    "gsa-phones",
    "gsa-desktops",
    "nga-ts-network",
    "acme-laptops",
    "acme-analyst-phone",
    "household-phone",
    "cabinet-office-phones",
    "minister-own-phone",
    "tbs-phones",
    "tbs-laptops",
    "home-affairs-desktops",
    "commission-phones",
    "commission-enrolled-phones",
    "parliament-laptops",
];

/// Decisions explained in full: (what it shows, system, action, release, instant).
const EXPLAINED: &[(&str, &str, Action, &str, &str)] = &[
    (
        "TikTok on GSA's desktops after OMB's deadline",
        "gsa-desktops",
        Action::Deploy,
        "tiktok-web",
        "2023-04-01",
    ),
    (
        "DeepSeek on the Australian Home Affairs desktops",
        "home-affairs-desktops",
        Action::Deploy,
        "deepseek-web",
        "2025-02-05",
    ),
    (
        "A US app store distributing ByteDance's TikTok during non-enforcement",
        "store-catalogue",
        Action::Deploy,
        "tiktok-app",
        "2025-02-01",
    ),
    (
        "The same, once the last non-enforcement order has ended",
        "store-catalogue",
        Action::Deploy,
        "tiktok-app",
        "2026-03-01",
    ),
    (
        "The joint venture's TikTok in the same store (ByteDance holds 19.9%)",
        "store-catalogue",
        Action::Deploy,
        "tiktok-us-app",
        "2026-03-01",
    ),
    (
        "A hypothetical operator held 20% by ByteDance",
        "store-catalogue",
        Action::Deploy,
        "tiktok-pinnacle-app",
        "2026-03-01",
    ),
    (
        "A household installing TikTok: PAFACA binds app stores, not users",
        "household-phone",
        Action::Deploy,
        "tiktok-app",
        "2026-03-01",
    ),
];

/// The instants equipment is asked about.
const EQUIPMENT_DATES: &[&str] = &[
    "2024-06-01",
    "2026-01-01",
    "2026-03-01",
    "2026-06-01",
    "2027-06-01",
    "2029-06-01",
];

/// Equipment questions, in the order printed: (system, action, release).
const EQUIPMENT: &[(&str, Action, &str)] = &[
    ("sheriff-drones", Action::Operate, "dji-mavic-1"),
    ("sheriff-drones", Action::Deploy, "skyward-x1-1"),
    ("interior-drone-fleet", Action::Procure, "skyward-x1-1"),
    ("interior-drone-fleet", Action::Operate, "skyward-x1-1"),
    ("interior-drone-fleet", Action::Operate, "dji-mavic-1"),
    ("carrier-cpe", Action::Procure, "homenet-ax3000-1"),
    ("carrier-cpe", Action::Procure, "prairie-scout-1"),
    ("carrier-cpe", Action::Procure, "alpenflug-a2-1"),
    ("carrier-cpe", Action::Deploy, "homenet-be7000-1"),
    ("sheriff-drones", Action::Procure, "homenet-ax3000-1"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    common::quiet_on_closed_pipe();
    let inventory = Inventory::from_path("examples/landscape-inventory.json")?;
    let engine = Engine::new(inventory, Policies::all_packs()?)?;

    println!(
        "May this app be installed on this device? (deploy; D = denied, a = advice, . = allowed)\n"
    );
    for date in DATES {
        let at = date.parse()?;
        let mut header = format!("{date:<29}");
        for app in APPS {
            header.push_str(&format!(" {app:^width$}", width = app.len() + 1));
        }
        println!("{header}");
        for device in DEVICES {
            let mut row = format!("  {device:<27}");
            let mut reasons = Vec::new();
            for app in APPS {
                let decision = engine.decide(&Query::new(*device, Action::Deploy, *app).at(at))?;
                let mark = mark(&decision);
                row.push_str(&format!(" {mark:^width$}", width = app.len() + 1));
                if !decision.allowed() || decision.advice().len() > 0 {
                    reasons.push(format!("{app}: {}", because(&decision)));
                }
            }
            println!("{row}");
            for reason in reasons {
                println!("      {reason}");
            }
        }
        println!();
    }

    println!("Explained:\n");
    for &(what, system, action, release, date) in EXPLAINED {
        let decision = engine.decide(&Query::new(system, action, release).at(date.parse()?))?;
        println!("# {what}\n{decision}");
    }

    let at = "2026-03-01".parse()?;
    let sweep = engine.sweep(at);
    println!(
        "Sweep of the deployments on {at}: {} deployments, {} to remove:",
        sweep.len(),
        sweep.iter().filter(|(_, d)| !d.allowed()).count()
    );
    for (deployment, decision) in sweep.iter().filter(|(_, d)| !d.allowed()) {
        println!(
            "  {:<20} on {:<27} {}",
            deployment.release,
            deployment.system,
            because(decision)
        );
    }

    equipment(&engine)?;

    // One phone, over four years: a Canadian government phone with WeChat,
    // and the Commission's enrolled staff phones with TikTok.
    println!("\nWhen the answers change:\n");
    for (system, action, release) in [
        ("tbs-phones", Action::Operate, "wechat-app"),
        ("commission-enrolled-phones", Action::Operate, "tiktok-app"),
        ("store-catalogue", Action::Update, "tiktok-app"),
    ] {
        let timeline = engine.timeline(
            system,
            action,
            release,
            "2023-01-01".parse()?,
            "2027-01-01".parse()?,
        )?;
        println!("{timeline}");
    }
    Ok(())
}

/// A grid's mark for a decision: denied, allowed with advice, or allowed.
fn mark(decision: &Decision) -> char {
    match (decision.allowed(), decision.advice().len()) {
        (false, _) => 'D',
        (true, 0) => '.',
        (true, _) => 'a',
    }
}

/// Drones and routers: who may buy, deploy and operate them, and when a
/// router's updates stop being lawful to ship.
fn equipment(engine: &Engine) -> Result<(), Box<dyn std::error::Error>> {
    println!("Equipment named by where it is produced (D = denied, a = advice, . = allowed)\n");
    let mut header = format!("{:<52}", "");
    for date in EQUIPMENT_DATES {
        header.push_str(&format!(" {date:^11}"));
    }
    println!("{header}");
    for &(system, action, release) in EQUIPMENT {
        let mut row = format!("  {:<50}", format!("{system} {action} {release}"));
        let mut reasons = Vec::new();
        for date in EQUIPMENT_DATES {
            let decision = engine.decide(&Query::new(system, action, release).at(date.parse()?))?;
            let mark = mark(&decision);
            row.push_str(&format!(" {mark:^11}"));
            let reason = because(&decision);
            if (!decision.allowed() || decision.advice().len() > 0) && !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
        println!("{row}");
        for reason in reasons {
            println!("      {reason}");
        }
    }
    println!();
    for (what, system, action, release, date) in [
        (
            "The Interior Department flying a drone whose maker the Drone Act list names (hypothetical listing)",
            "interior-drone-fleet",
            Action::Operate,
            "skyward-x1-1",
            "2026-03-01",
        ),
        (
            "The carrier buying a US-made drone with a Chinese flight controller inside, with USF support",
            "carrier-cpe",
            Action::Procure,
            "prairie-scout-1",
            "2026-03-01",
        ),
        (
            "The carrier buying a Swiss-made drone with USF support, its maker holding a DoW Conditional Approval (hypothetical)",
            "carrier-cpe",
            Action::Procure,
            "alpenflug-a2-1",
            "2026-06-01",
        ),
    ] {
        let decision = engine.decide(&Query::new(system, action, release).at(date.parse()?))?;
        println!("# {what}\n{decision}");
    }
    // One router's updates: the carrier may not maintain it with the subsidy
    // from 22 May 2026; its maker may ship updates under the FCC's waiver
    // until 1 January 2029; a sheriff's office using one (neither subsidised
    // nor the grantee) is only advised once no update may lawfully ship.
    println!("One router's firmware updates:\n");
    for system in ["carrier-cpe", "homenet-updates", "sheriff-drones"] {
        let timeline = engine.timeline(
            system,
            Action::Update,
            "homenet-ax3000-2",
            "2026-01-01".parse()?,
            "2030-01-01".parse()?,
        )?;
        println!("{timeline}");
    }
    Ok(())
}
