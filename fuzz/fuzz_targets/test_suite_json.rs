//! Bytes -> `testing::Suite::from_json` (paths relative to the shipped
//! suites) -> `Suite::run`. Must not panic; a rejected file gets a typed
//! error naming the file; a loaded one runs to a report whose counts add up.

#![no_main]

use clearance::testing::Suite;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies/tests");
    match Suite::from_json("fuzzed.json", text, base) {
        Ok(suite) => {
            let report = suite.run();
            assert_eq!(report.passed() + report.failed(), suite.checks());
        }
        Err(e) => assert!(e.message().contains("fuzzed.json"), "{e}"),
    }
});
