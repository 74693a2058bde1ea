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
//! 2. [`mapping`]: each entity's attributes and parents, those facts among
//!    them, as the shipped schema ([`SCHEMA_TEXT`]) declares them, in values
//!    of the crate's own that the engine's fast path reads;
//! 3. [`entities`]: the same, built as Cedar entities.
//!
//! This layer reads the typed model and nothing above it: it knows nothing of
//! policies, of the engine, or of decisions.

pub(crate) mod entities;
pub(crate) mod facts;
pub(crate) mod ids;
pub(crate) mod mapping;
mod schema;

pub use schema::{schema, SCHEMA_TEXT};
