//! Check policies against the answers they must give, with the clock pinned,
//! the way `cedar run-tests` and `opa test` check theirs.
//!
//! A test file (a *suite*) names an inventory and a policy set and lists
//! questions with the decisions expected. [`Suite::from_path`] loads it and
//! checks it against the engine it builds; [`Suite::run`] asks every
//! question and returns a [`Report`] of the [`Failure`]s (each with the
//! decision that came out) and of the rules the decisions exercised. The
//! shipped packs are tested this way: `policies/tests/` holds a suite for
//! each, and `cargo run --example policy-test -- FILE...` runs any.
//!
//! ```
//! use clearance::testing::Suite;
//!
//! let text = r#"{
//!     "description": "The NCSC's 2017 guidance, on a SECRET network",
//!     "inventory": {
//!         "products": [{"id": "kes", "name": "Kaspersky Endpoint Security",
//!                       "vendor": "ao-kaspersky-lab", "category": "antivirus"}],
//!         "releases": [{"id": "kes-12", "product": "kes", "version": "12.0.0"}],
//!         "organisations": [{"id": "uk-mod", "name": "Ministry of Defence",
//!                            "country": "GB", "sector": "defence"}],
//!         "systems": [{"id": "mod-secret", "name": "MOD SECRET network",
//!                      "owner": "uk-mod", "classification": "secret"}]
//!     },
//!     "packs": ["baseline", "uk-ncsc-2017"],
//!     "at": "2018-01-10",
//!     "cases": [
//!         {"name": "the day before the guidance: allowed", "at": "2017-11-30",
//!          "system": "mod-secret", "action": "deploy", "release": "kes-12",
//!          "expect": "allow", "advice": []},
//!         {"name": "in force: denied by the SECRET rule",
//!          "system": "mod-secret", "action": "deploy", "release": "kes-12",
//!          "expect": "deny", "rules": ["uk-ncsc-2017/secret-and-above"]}
//!     ],
//!     "matrices": [
//!         {"name": "every action is barred", "action": "update", "at": "2019-01-01",
//!          "releases": ["kes-12"], "systems": ["mod-secret"], "expect": "deny"}
//!     ]
//! }"#;
//! let suite = Suite::from_json("ncsc.json", text, ".")?;
//! let report = suite.run();
//! assert_eq!((report.passed(), report.failed()), (3, 0));
//! assert!(report.unexercised().contains(&"uk-ncsc-2017/reconsider-russian-controlled-2022"));
//! println!("{report}"); // failures, `3 passed, 0 failed`, the rules no case exercised
//! # Ok::<(), clearance::Error>(())
//! ```
//!
//! # The file format
//!
//! A JSON object; every field not listed is an error.
//!
//! | field | value | meaning |
//! |---|---|---|
//! | `description` | text; optional | what the suite checks |
//! | `inventory` | a path, or an object; required | the inventory file, relative to the test file, or an inventory written inline (the format of [`Inventory`](crate::Inventory)) |
//! | `packs` | `"all"` or a list of pack names; default `"all"` | the shipped [`Pack`](crate::Pack)s to load |
//! | `policies` | a list of paths; default none | extra `.cedar` files, relative to the test file |
//! | `extra_waivers` | a list of waivers; default none | added to the inventory's waivers (the format of [`Waiver`](crate::Waiver)), to test waivers without copying an inventory |
//! | `at` | a date (`2024-09-29`) or an RFC 3339 instant; optional | the instant asked about by cases and matrices with no `at` of their own |
//! | `cases` | a list of cases (below); default none | single questions |
//! | `matrices` | a list of matrices (below); default none | releases × systems for one action; a file needs at least one case or matrix |
//!
//! A case:
//!
//! | field | value | meaning |
//! |---|---|---|
//! | `name` | text; optional, unique in the file | what failures call it; without one, its place (`cases[3]`). Say what it checks: "the day before: allowed" |
//! | `system`, `action`, `release` | ids; `procure`, `deploy`, `operate` or `update` | the question |
//! | `at` | as above; required unless the file has one | the instant asked about |
//! | `expect` | `"allow"` or `"deny"`; required | the verdict |
//! | `rules` | a list of rule ids; absent: not checked | the deciding rules ([`Decision::rule_ids`](crate::Decision::rule_ids)): the forbids that deny, or the permits that allow |
//! | `advice` | a list of advice rule ids; absent: not checked | the advice that applies ([`Decision::advice_ids`](crate::Decision::advice_ids)) |
//! | `waivers` | a list of waiver ids; absent: not checked | the waivers used ([`Decision::waivers`](crate::Decision::waivers)) |
//! | `errors` | a list of texts; absent: **the decision must have no errors** | each text appears in some error of the decision, and there are exactly as many errors as texts (unless `match` is `subset`). So a Deny caused by an evaluation error never passes a case that does not expect it |
//! | `match` | `"exact"` (default) or `"subset"` | how `rules`, `advice` and `waivers` are compared: exactly, as sets, or the listed ids among the decision's (as `cedar run-tests` allows); `subset` also lets `errors` leave some errors unlisted |
//!
//! A matrix:
//!
//! | field | value | meaning |
//! |---|---|---|
//! | `name` | as for a case | |
//! | `action`, `at` | as for a case | the one action and instant of every cell |
//! | `releases`, `systems` | lists of ids, not empty | the rows and columns: every release with every system |
//! | `expect` | `"allow"` or `"deny"`, or a table `{"release": {"system": "allow"}}`; required | one verdict for every cell, or one per cell: the table must have exactly the matrix's cells |
//! | `rules`, `advice`, `waivers`, `errors`, `match` | as for a case | applied to every cell |
//!
//! A run counts one check per case and one per matrix cell. Cases are asked
//! one at a time ([`Engine::decide`](crate::Engine::decide)); matrices through
//! the bulk path ([`Engine::matrix`](crate::Engine::matrix)), which must give
//! the same decisions.
//!
//! # Checked at load
//!
//! A mistake in a test file is an error of kind
//! [`ErrorKind::TestFile`](crate::ErrorKind::TestFile) whose message names
//! the file, the case (by name, or by index) and the field, not a failure
//! that looks like the policies' fault:
//!
//! - malformed JSON, a missing, unknown or invalid field, a bad date;
//! - a system, release, rule or waiver that the inventory or policies lack;
//! - an expectation that can never hold: advice among `rules` or a binding
//!   rule among `advice`, a forbid listed for an Allow or a permit for a
//!   Deny, errors expected of an Allow, an id listed twice;
//! - two cases or matrices with the same name, a case with no `at` and no
//!   default, a matrix table that misses or adds a cell;
//! - an inline inventory that is not valid, an unknown pack, extra waivers
//!   that do not fit the inventory or name a rule that accepts no waivers.
//!
//! A file the test refers to keeps its own error kind ([`ErrorKind::Io`](crate::ErrorKind::Io)
//! when it cannot be read, the inventory's or the policies' kinds when it is
//! not valid), its message prefixed with the test file and the field.
//!
//! # Coverage
//!
//! A rule is *exercised* when some case's decision names it among its
//! deciding rules or its advice, whatever the case expected. The rules of
//! the policy set that no case exercised are listed by
//! [`Report::unexercised`]; merge the reports of several files
//! ([`Report::merge`]) for the coverage of them all.
//!
//! # Layout
//!
//! `suite` is the format: the serde types, loading and the checks at load;
//! `run` asks the cases and keeps the [`Report`]. This is the top layer:
//! it uses the model, the policies, the engine and its decisions, and nothing
//! in the crate uses it.

mod run;
mod suite;

pub use run::{Failure, Report};
pub use suite::Suite;
