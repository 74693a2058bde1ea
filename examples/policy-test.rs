//! Run policy test files: the expected decisions of your policies, checked
//! against the engine, with the rules no case exercised.
//!
//! ```text
//! cargo run --example policy-test -- FILE...
//!
//! cargo run --example policy-test -- policies/tests/*.json
//! ```
//!
//! Each FILE is a suite in the format of `clearance::testing` (README,
//! "Testing policies"): an inventory, the packs and policy files, and cases
//! with the decision each must get. The output is every failure, with what
//! was expected, what differed and the decision that came out; then the
//! closing line `N passed, N failed`; then the rules of the policy sets that
//! no case of any file exercised (coverage).
//!
//! Exit status: 0 when every case passes, 1 when one fails, 2 for a bad test
//! file or bad arguments (the error is printed, naming the file, the case and
//! the field; the other files are still run). So a CI gate can use it as it is.

mod common;

use std::process::ExitCode;

use clearance::testing::{Report, Suite};

const USAGE: &str = "usage: policy-test FILE...  (policy test files, JSON)";

fn main() -> ExitCode {
    common::quiet_on_closed_pipe();
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() || files.iter().any(|f| f == "-h" || f == "--help") {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    if let Some(flag) = files.iter().find(|f| f.starts_with("--")) {
        eprintln!("unknown option {flag}\n{USAGE}");
        return ExitCode::from(2);
    }
    let mut report = Report::default();
    let mut bad_files = 0;
    for file in &files {
        match Suite::from_path(file) {
            Ok(suite) => report.merge(suite.run()),
            Err(error) => {
                eprintln!("error: {error}");
                bad_files += 1;
            }
        }
    }
    println!("{report}");
    if bad_files > 0 {
        eprintln!("{bad_files} of {} files could not be run", files.len());
        ExitCode::from(2)
    } else if report.all_passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
