//! Apps and AI services on government devices, 2023 to 2026: TikTok,
//! DeepSeek, WeChat and a Kaspersky app on phones, laptops and servers in the
//! US, the UK, Canada, Australia and the EU institutions, a federal
//! contractor's devices, an app store and a household, decided with every
//! shipped pack.
//!
//! ```text
//! cargo run --example landscape
//! ```
//!
//! The inventory (`examples/landscape-inventory.json`) uses the shipped
//! registry's companies (ByteDance, the TikTok companies and the 2026 joint
//! venture, DeepSeek, Tencent's WeChat International, Kaspersky); invented
//! organisations and the 20% operator say "(hypothetical)" in their names.

mod common;

use clearance::{Action, Engine, Inventory, Policies, Query};
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
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
                let mark = match (decision.allowed(), decision.advice().len()) {
                    (false, _) => 'D',
                    (true, 0) => '.',
                    (true, _) => 'a',
                };
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
