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
//!   --export DIR       also write what the engine hands Cedar (policies, schema,
//!                      entities, request, the answer) into DIR, for Cedar's CLI
//!   --audit FILE       append the decision's audit record (one JSON line) to FILE
//!   --timeline FROM..UNTIL
//!                      instead of one decision, every instant in [FROM, UNTIL)
//!                      where the decision changes, and what changes
//!   --sbom FILE        first attach a CycloneDX (1.4-1.6) or SPDX (2.3) JSON SBOM
//!                      to RELEASE; what it attributed and what stayed unknown
//!                      goes to stderr
//!   --aliases FILE     the alias map for --sbom: CPE vendors, purl namespaces and
//!                      supplier names, to vendor ids
//!
//! cargo run --example query -- examples/article-inventory.json \
//!     barclays-customer-offers procure kis-2024 --at 2017-12-04 \
//!     --policy examples/policies/bank-precaution.cedar
//!
//! cargo run --example query -- tests/data/sbom/inventory.json \
//!     secret-desktops deploy product-1 --at 2018-01-10 \
//!     --sbom tests/data/sbom/hand-suite-with-kaspersky-sdk.cdx.json \
//!     --aliases tests/data/sbom/aliases.json
//! ```
//!
//! With `--export DIR`, the files written and the `cedar validate` and `cedar
//! authorize` commands that reproduce the decision with `cedar-policy-cli` are
//! printed after the decision (on stderr with `--json`, so stdout stays JSON).
//!
//! Exit status: 0 for Allow, 1 for Deny, 2 for an error (bad arguments,
//! inventory, policy or query), so a CI gate can use it as it is. With
//! `--timeline`, 0 when it is Allow throughout the period, 1 otherwise.

mod common;

use std::process::ExitCode;

use clearance::sbom::{AliasMap, Sbom};
use clearance::{Action, AuditLog, Engine, Export, Instant, Inventory, Pack, Policies, Query};

const USAGE: &str = "usage: query INVENTORY SYSTEM ACTION RELEASE [--at DATE] [--policy FILE]... [--packs A,B,...] [--json] [--export DIR] [--audit FILE] [--timeline FROM..UNTIL] [--sbom FILE [--aliases FILE]]";

struct Args {
    inventory: String,
    system: String,
    action: Action,
    release: String,
    at: Option<Instant>,
    policy_files: Vec<String>,
    packs: Option<Vec<String>>,
    json: bool,
    timeline: Option<(Instant, Instant)>,
    export: Option<String>,
    audit: Option<String>,
    sbom: Option<String>,
    aliases: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut at = None;
    let mut policy_files = Vec::new();
    let mut packs = None;
    let mut json = false;
    let mut export = None;
    let mut timeline = None;
    let mut audit = None;
    let mut sbom = None;
    let mut aliases = None;
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
            "--export" => export = Some(value("--export")?),
            "--timeline" => timeline = Some(period(&value("--timeline")?)?),
            "--audit" => audit = Some(value("--audit")?),
            "--sbom" => sbom = Some(value("--sbom")?),
            "--aliases" => aliases = Some(value("--aliases")?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            _ => positional.push(arg),
        }
    }
    if timeline.is_some() && (at.is_some() || export.is_some()) {
        return Err(format!(
            "--timeline asks about a period: it takes no --at or --export\n{USAGE}"
        ));
    }
    if aliases.is_some() && sbom.is_none() {
        return Err(format!(
            "--aliases maps the suppliers of an --sbom\n{USAGE}"
        ));
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
        export,
        timeline,
        audit,
        sbom,
        aliases,
    })
}

/// `FROM..UNTIL`, two instants.
fn period(text: &str) -> Result<(Instant, Instant), String> {
    let (from, until) = text
        .split_once("..")
        .ok_or(format!("--timeline takes FROM..UNTIL, not `{text}`"))?;
    let instant = |t: &str| t.parse::<Instant>().map_err(|e| format!("--timeline: {e}"));
    Ok((instant(from)?, instant(until)?))
}

fn run(args: Args) -> Result<bool, clearance::Error> {
    let mut inventory = Inventory::from_path(&args.inventory)?;
    if let Some(path) = &args.sbom {
        let aliases = match &args.aliases {
            Some(aliases) => AliasMap::from_path(aliases)?,
            None => AliasMap::default(),
        };
        let report = inventory.attach_sbom(&args.release, &Sbom::from_path(path)?, &aliases)?;
        // On stderr, so that stdout is the decision alone.
        eprint!("{report}");
    }
    let mut policies = match &args.packs {
        Some(names) => Policies::from_pack_names(names)?,
        None => Policies::from_packs(Pack::ALL)?,
    };
    for file in &args.policy_files {
        policies.add_file(file)?;
    }
    let mut engine = Engine::new(inventory, policies)?;
    if let Some(path) = &args.audit {
        engine.set_audit(AuditLog::to_path(path)?);
    }
    if let Some((from, until)) = args.timeline {
        let timeline = engine.timeline(&args.system, args.action, &args.release, from, until)?;
        if args.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&timeline).expect("a timeline serialises")
            );
        } else {
            print!("{timeline}");
        }
        return Ok(timeline.steps().iter().all(|s| s.decision().allowed()));
    }
    let mut query = Query::new(args.system, args.action, args.release);
    query.at = args.at;
    // An export carries the decision it was made with (of one instant, even
    // for a question about now), so that is the one shown.
    let export = args
        .export
        .as_ref()
        .map(|_| engine.export(&query))
        .transpose()?;
    let decision = match &export {
        Some(export) => export.decision().clone(),
        None => engine.decide(&query)?,
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&decision).expect("a decision serialises")
        );
    } else {
        print!("{decision}");
    }
    if let (Some(export), Some(dir)) = (&export, &args.export) {
        let mut report = format!("\nexported for Cedar's CLI (cedar-policy-cli) to {dir}:\n");
        for path in export.write_to(dir)? {
            report.push_str(&format!("  {}\n", path.display()));
        }
        report.push_str("reproduce it with:\n");
        for command in Export::commands(dir) {
            report.push_str(&format!("  {command}\n"));
        }
        report.push_str(
            "(the first authorize gives the verdict and deciding rules; the second, DENY with the advice that applies, if any)\n",
        );
        if args.json {
            eprint!("{report}");
        } else {
            print!("{report}");
        }
    }
    Ok(decision.allowed())
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
    match run(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
