//! What Cedar is handed: the facts Rust computes, the entities, the schema.
//!
//! Cedar follows `in` through entity parents and compares attribute values;
//! it cannot follow embedded components to any depth, collect the countries
//! behind them, match semver ranges or decide which waivers cover a request.
//! So the inventory goes through two steps here:
//!
//! 1. [`facts`]: what Cedar cannot compute, worked out once per inventory
//!    (the vendors whose code each release contains, the countries controlling
//!    them, the organisations above each system, the scope of each waiver);
//! 2. [`entities`]: the Cedar entities, with those facts as attributes, as the
//!    shipped schema ([`SCHEMA_TEXT`]) declares them.
//!
//! This layer reads the typed model and nothing above it: it knows nothing of
//! policies, of the engine, or of decisions.

pub(crate) mod entities;
pub(crate) mod facts;
mod schema;

pub use schema::{schema, SCHEMA_TEXT};
