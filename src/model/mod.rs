//! The typed model: what `clearance` knows about products, who makes them,
//! and where they would run.
//!
//! Every type reads and writes JSON with serde, rejects unknown fields, and
//! checks its own values (ids, country codes, versions, dates) as it is read.
//! Cross-references and cycles are checked by [`Inventory::validate`].

mod assurance;
mod country;
pub(crate) mod id;
mod inventory;
mod organisation;
mod product;
mod system;
mod vendor;
mod waiver;

pub use assurance::{Assurance, Authorisation, Scheme};
pub use country::{Country, CountryGroup};
pub use id::{Id, MAX_ID_LEN};
pub use inventory::{Deployment, Inventory};
pub use organisation::{Organisation, Role, Sector};
pub use product::{Category, Product, Release};
pub use system::{Classification, Purpose, System};
pub use vendor::Vendor;
pub use waiver::Waiver;
