//! # clearance
//!
//! **May this product be deployed on this system?**
//!
//! `clearance` models vendors (and who controls them), products and their
//! releases (what code they embed, where they send data), organisations and
//! systems (their classification, role and purpose) as typed Rust values,
//! turns them into [Cedar](https://www.cedarpolicy.com) entities, and
//! evaluates Cedar policies to decide, explain and audit. It ships policy
//! packs for real rules with their legal sources: the UK NCSC's 2017 advice
//! against Russia-based antivirus on sensitive government systems, the US
//! Kaspersky and Huawei/ZTE bans, and their peers abroad.
//!
//! ```
//! use clearance::{Action, Engine, Inventory, Policies, Query};
//!
//! let inventory = Inventory::from_path("examples/article-inventory.json")?;
//! let engine = Engine::new(inventory, Policies::all_packs()?)?;
//!
//! // A US consumer's Kaspersky, after the Commerce rule stopped updates.
//! let query = Query::new("us-home-laptop", Action::Update, "kis-2024")
//!     .at("2024-10-01".parse()?);
//! let decision = engine.decide(&query)?;
//! assert!(!decision.allowed());
//! assert_eq!(decision.rule_ids(), ["us-icts-2024-kaspersky/updates"]);
//! # Ok::<(), clearance::Error>(())
//! ```
//!
//! ## How a decision is made
//!
//! 1. The [`Inventory`] is loaded and checked whole: ids, references, shares,
//!    cycles. Unless it opts out, the shipped [`Registry`] of the companies the
//!    packs name is merged into it.
//! 2. [`Engine::new`] computes what Cedar cannot (the corporate group, majority
//!    owners and blocking of every vendor, from stakes that carry dates; the
//!    vendors whose code a release contains, at any depth; the countries
//!    controlling them; the authorisations covering each exact version) and
//!    builds the Cedar entities, once per period in which the corporate
//!    structure does not change.
//! 3. [`Engine::decide`] asks Cedar about one (system, action, release,
//!    instant). Binding rules and advice are evaluated apart; waivers in force
//!    are handed to the rules that accept them.
//! 4. The [`Decision`] says Allow or Deny, which rules decided it (with their
//!    reasons and sources), the advice that applies, the waivers used, how the
//!    release reaches the vendors concerned, and any error. **Any evaluation
//!    error gives Deny.**
//!
//! ## Layout
//!
//! The modules follow the flow of a question, and each depends only on those
//! before it (`tests/layout.rs` checks it):
//!
//! | module | owns |
//! |---|---|
//! | `model` | the typed inventory: [`Inventory`] and what it holds ([`Vendor`], [`Party`], [`Stake`], [`Product`], [`Release`], [`Organisation`], [`System`], [`Waiver`], ...), the values they are made of ([`Id`], [`Country`], [`Share`], [`Instant`], [`Action`]), the checks of a whole inventory, and the shipped [`Registry`] |
//! | `corporate` | who owns and controls whom as of an instant: groups, majority owners, OFAC's 50% rule |
//! | `cedar` | what Cedar is handed: the facts Rust computes, the entities, the shipped schema [`SCHEMA_TEXT`] |
//! | `policy` | [`Policies`] and their [`Rule`]s, loaded and validated, and the shipped [`Pack`]s |
//! | `decision` | the [`Decision`] and its explanation ([`Chain`], [`Link`]); a question's [`Timeline`] and the [`Impact`] of a policy change |
//! | `engine` | the [`Engine`], answering one [`Query`], a [`Engine::sweep`] of all deployments or a [`Engine::matrix`], over time ([`Engine::timeline`], [`Engine::changes`]), against other policies ([`Engine::impact`]) or as Cedar's own files ([`Engine::export`]); beneath it, the fast path (slicing, guards, sharing) that changes no answer |
//! | `sbom` | SBOM import: CycloneDX and SPDX documents read into an [`sbom::Sbom`], suppliers mapped to vendors (an [`sbom::AliasMap`], the inventory, the registry), and [`Inventory::attach_sbom`] turning components into embedded releases, with an [`sbom::SbomReport`] of what stayed unknown |
//! | `testing` | policy tests: a [`testing::Suite`] of expected decisions, run into a [`testing::Report`] of failures and coverage; the top layer, which nothing else uses |
//! | `audit` | the audit trail: an [`AuditLog`] of JSON Lines records of what was decided, on which rules, from which data |
//! | `error` | the one [`Error`] type, with its [`ErrorKind`] |

#![warn(missing_docs)]

mod digest;
mod json;
mod keyword;

mod audit;
mod cedar;
mod corporate;
mod decision;
mod engine;
mod error;
mod model;
mod policy;
// Their docs are their own inner docs: outer ones here would make rustdoc
// resolve the inner docs' links from this module (rust-lang/rust#55364).
pub mod sbom;
pub mod testing;

/// The Cedar crate `clearance` is built on, re-exported so the escape hatches
/// ([`Engine::request`], [`Engine::entities_at`], [`Policies::binding`]) name its types.
pub use cedar_policy;

pub use audit::AuditLog;
pub use cedar::{schema, SCHEMA_TEXT};
pub use decision::{
    Approval, ApprovalHolder, Asked, Chain, Change, Company, Counted, Decision, Difference,
    Holding, HoldingTest, Impact, Link, Step, Timeline, Verdict,
};
pub use engine::{Cell, Engine, Export, Matrix, Query};
pub use error::{Error, ErrorKind, Result};
pub use model::{
    Action, Assurance, Authorisation, Basis, Blocking, Category, Classification,
    ConditionalApproval, ContractClause, Country, CountryGroup, Deployment, Device, DeviceOwner,
    EntryKind, Equipment, EquipmentAuthorisation, EquipmentException, EquipmentKind, Form, Grantor,
    Id, Instant, Inventory, KnownProduct, Listing, Organisation, Party, PartyKind, Product,
    Production, Purpose, Registry, RegistryEntry, Release, Role, Scheme, Sector, Share, Stake,
    System, Vendor, Waiver, WaiverKind, MAX_ID_LEN, REGISTRY_TEXT,
};
pub use policy::{Binds, Effect, Pack, Policies, Rule};

// Runs the README's Rust examples as doctests, so the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
