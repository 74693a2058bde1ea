//! Ask one question of an inventory, with the shipped packs and your own
//! policy files: the tool for policy authors.
//!
//! ```text
//! cargo run --example query -- INVENTORY SYSTEM ACTION RELEASE [options]
//!
//!   --at DATE          the instant asked about (YYYY-MM-DD or RFC 3339); default now
//!   --policy FILE      add the policies in a .cedar file (repeatable)
//!   --packs A,B,...    the shipped packs to load (default: all)
//!   --json             print the decision as JSON instead of text
//!
//! cargo run --example query -- examples/article-inventory.json \
//!     barclays-customer-offers procure kis-2024 --at 2017-12-04 \
//!     --policy examples/policies/bank-precaution.cedar
//! ```
//!
//! Exit status: 0 for Allow, 1 for Deny, 2 for an error (bad arguments,
//! inventory, policy or query), so a CI gate can use it as it is.

use std::process::ExitCode;

use clearance::{Action, Engine, Instant, Inventory, Pack, Policies, Query};

const USAGE: &str = "usage: query INVENTORY SYSTEM ACTION RELEASE [--at DATE] [--policy FILE]... [--packs A,B,...] [--json]";

struct Args {
    inventory: String,
    system: String,
    action: Action,
    release: String,
    at: Option<Instant>,
    policy_files: Vec<String>,
    packs: Option<Vec<String>>,
    json: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut at = None;
    let mut policy_files = Vec::new();
    let mut packs = None;
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--at" => {
                at = Some(
                    value("--at")?
                        .parse::<Instant>()
                        .map_err(|e| e.to_string())?,
                )
            }
            "--policy" => policy_files.push(value("--policy")?),
            "--packs" => packs = Some(value("--packs")?.split(',').map(str::to_owned).collect()),
            "--json" => json = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            _ => positional.push(arg),
        }
    }
    let [inventory, system, action, release]: [String; 4] =
        positional.try_into().map_err(|_| USAGE.to_owned())?;
    let action = action
        .parse()
        .map_err(|e: clearance::Error| e.to_string())?;
    Ok(Args {
        inventory,
        system,
        action,
        release,
        at,
        policy_files,
        packs,
        json,
    })
}

fn run(args: Args) -> Result<bool, clearance::Error> {
    let inventory = Inventory::from_path(&args.inventory)?;
    let mut policies = match &args.packs {
        Some(names) => Policies::from_pack_names(names)?,
        None => Policies::from_packs(Pack::ALL)?,
    };
    for file in &args.policy_files {
        policies.add_file(file)?;
    }
    let engine = Engine::new(inventory, policies)?;
    let mut query = Query::new(args.system, args.action, args.release);
    query.at = args.at;
    let decision = engine.decide(&query)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&decision).expect("a decision serialises")
        );
    } else {
        print!("{decision}");
    }
    Ok(decision.allowed())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
