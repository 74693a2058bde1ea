//! What a policy change would change: every release against every system,
//! and every deployment, answered with the policies before and after it.
//!
//! ```text
//! cargo run --example impact -- INVENTORY [changes] [options]
//!
//! changes (applied to the policies before, in this order):
//!   --add-pack NAME      add a shipped pack (repeatable)
//!   --remove-pack NAME   leave a shipped pack out (repeatable)
//!   --policy FILE        add the policies in a .cedar file (repeatable)
//! options:
//!   --packs A,B,...      the shipped packs before the change (default: all)
//!   --action ACTION      procure, deploy, operate (default) or update
//!   --at DATE            the instant compared (YYYY-MM-DD or RFC 3339); default now
//!   --json               print every difference as JSON
//!
//! cargo run --example impact -- examples/article-inventory.json \
//!     --packs baseline,us-ndaa-889 --add-pack us-fcc-covered-list --action procure --at 2025-06-01
//! ```
//!
//! Exit status: 0 when nothing changes, 1 when something does, 2 for an
//! error, so a CI gate can ask "does this policy change deny anything?".

mod common;

use std::process::ExitCode;

use clearance::{Action, Engine, Impact, Instant, Inventory, Pack, Policies, Verdict};

const USAGE: &str = "usage: impact INVENTORY [--add-pack NAME]... [--remove-pack NAME]... [--policy FILE]... [--packs A,B,...] [--action ACTION] [--at DATE] [--json]";

struct Args {
    inventory: String,
    before: Vec<Pack>,
    add: Vec<Pack>,
    remove: Vec<Pack>,
    policy_files: Vec<String>,
    action: Action,
    at: Option<Instant>,
    json: bool,
}

fn pack(name: &str) -> Result<Pack, String> {
    name.parse::<Pack>().map_err(|e| e.to_string())
}

fn parse_args() -> Result<Args, String> {
    let mut inventory = None;
    let mut args = Args {
        inventory: String::new(),
        before: Pack::ALL.to_vec(),
        add: Vec::new(),
        remove: Vec::new(),
        policy_files: Vec::new(),
        action: Action::Operate,
        at: None,
        json: false,
    };
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        let mut value = |name: &str| given.next().ok_or(format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--add-pack" => args.add.push(pack(&value("--add-pack")?)?),
            "--remove-pack" => args.remove.push(pack(&value("--remove-pack")?)?),
            "--policy" => args.policy_files.push(value("--policy")?),
            "--packs" => {
                args.before = value("--packs")?
                    .split(',')
                    .map(pack)
                    .collect::<Result<_, _>>()?
            }
            "--action" => {
                args.action = value("--action")?
                    .parse()
                    .map_err(|e: clearance::Error| e.to_string())?
            }
            "--at" => {
                args.at = Some(
                    value("--at")?
                        .parse()
                        .map_err(|e: clearance::Error| e.to_string())?,
                )
            }
            "--json" => args.json = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            path if inventory.is_none() => inventory = Some(path.to_owned()),
            extra => return Err(format!("unexpected argument `{extra}`\n{USAGE}")),
        }
    }
    args.inventory = inventory.ok_or(format!("no inventory given\n{USAGE}"))?;
    if args.add.is_empty() && args.remove.is_empty() && args.policy_files.is_empty() {
        return Err(format!(
            "no change given: use --add-pack, --remove-pack or --policy\n{USAGE}"
        ));
    }
    for pack in &args.remove {
        if !args.before.contains(pack) {
            return Err(format!(
                "--remove-pack {pack}: the policies before do not have it"
            ));
        }
    }
    for pack in &args.add {
        if args.before.contains(pack) {
            return Err(format!(
                "--add-pack {pack}: the policies before already have it"
            ));
        }
    }
    Ok(args)
}

/// The impact, and the inventory's waivers left out of the engine before the
/// change, which name only rules the packs before it lack.
fn run(args: &Args) -> Result<(Impact, Vec<String>), clearance::Error> {
    let mut inventory = Inventory::from_path(&args.inventory)?;
    let before = Policies::from_packs(&args.before)?;
    let keys = before.waiver_keys();
    let mut left_out = Vec::new();
    inventory.waivers.retain_mut(|waiver| {
        waiver.rules.retain(|rule| keys.contains(rule.as_str()));
        if waiver.rules.is_empty() {
            left_out.push(waiver.id.to_string());
        }
        !waiver.rules.is_empty()
    });
    let mut after_packs: Vec<Pack> = args
        .before
        .iter()
        .copied()
        .filter(|p| !args.remove.contains(p))
        .collect();
    after_packs.extend(&args.add);
    let mut after = Policies::from_packs(&after_packs)?;
    for file in &args.policy_files {
        after.add_file(file)?;
    }
    let mut engine = Engine::new(inventory, before)?;
    engine.set_threads(0);
    let impact = engine.impact(&after, args.action, args.at.unwrap_or_else(Instant::now))?;
    Ok((impact, left_out))
}

fn describe(args: &Args) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(args.add.iter().map(|p| format!("adding pack {p}")));
    parts.extend(args.remove.iter().map(|p| format!("removing pack {p}")));
    parts.extend(args.policy_files.iter().map(|f| format!("adding {f}")));
    parts.join(", ")
}

fn print_summary(args: &Args, impact: &Impact, left_out_before: &[String]) {
    println!(
        "Impact of {}, for {} at {}:",
        describe(args),
        impact.action(),
        impact.at()
    );
    let cells = impact.cells();
    let denied = impact.count(Verdict::Allow, Verdict::Deny);
    let allowed = impact.count(Verdict::Deny, Verdict::Allow);
    println!(
        "  {} of {} cells change: {denied} Allow -> Deny, {allowed} Deny -> Allow, {} with the same verdict for other reasons",
        cells.len(),
        impact.cells_compared(),
        cells.len() - denied - allowed
    );
    for (rule, differences) in impact.by_rule() {
        let rule = if rule.is_empty() {
            "(waivers or errors only)"
        } else {
            rule
        };
        let verdicts = differences.iter().filter(|d| d.verdict_changed()).count();
        println!(
            "    {rule}: {} cells ({verdicts} with a new verdict)",
            differences.len()
        );
    }
    match impact.deployments().len() {
        1 => println!("  1 deployment changes:"),
        n => println!("  {n} deployments change:"),
    }
    for (deployment, difference) in impact.deployments() {
        println!(
            "    {:<22} on {:<26} {} -> {}  {}",
            deployment.release.as_str(),
            deployment.system.as_str(),
            difference.before().verdict(),
            difference.after().verdict(),
            difference.causes().join(", ")
        );
    }
    if !left_out_before.is_empty() {
        println!(
            "  waivers left out before the change (they name only rules of packs not loaded): {}",
            left_out_before.join(", ")
        );
    }
    if !impact.waivers_left_out().is_empty() {
        let waivers: Vec<&str> = impact
            .waivers_left_out()
            .iter()
            .map(|w| w.as_str())
            .collect();
        println!(
            "  waivers left out after the change (they name only rules it removes): {}",
            waivers.join(", ")
        );
    }
}

fn main() -> ExitCode {
    common::quiet_on_closed_pipe();
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let (impact, left_out_before) = match run(&args) {
        Ok(found) => found,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    if args.json {
        match serde_json::to_string_pretty(&impact) {
            Ok(json) => println!("{json}"),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(2);
            }
        }
    } else {
        print_summary(&args, &impact, &left_out_before);
    }
    if impact.cells().is_empty() && impact.deployments().is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
