//! The typed model: what `clearance` knows about products, who makes them,
//! and where they would run.
//!
//! Every type reads and writes JSON with serde, rejects unknown fields, and
//! checks its own values (ids, country codes, versions, dates) as it is read.
//! Cross-references and cycles are checked by [`Inventory::validate`].
//!
//! This is the bottom layer: it depends on nothing else in the crate but the
//! error type, and knows nothing of Cedar, policies or decisions.

mod action;
mod assurance;
mod country;
mod equipment;
mod id;
mod inventory;
mod listing;
mod organisation;
mod ownership;
mod party;
mod product;
mod registry;
mod system;
mod time;
mod validate;
mod vendor;
mod waiver;

pub use action::Action;
pub use assurance::{Assurance, Authorisation, Scheme};
pub use country::{Country, CountryGroup};
pub use equipment::{
    ConditionalApproval, Equipment, EquipmentAuthorisation, EquipmentException, EquipmentKind,
    Grantor, Production,
};
pub use id::{Id, MAX_ID_LEN};
pub use inventory::{Deployment, Inventory};
pub use listing::Listing;
pub use organisation::{Organisation, Role, Sector};
pub use ownership::{Basis, Blocking, Share, Stake};
pub use party::{Party, PartyKind};
pub use product::{Category, Form, KnownProduct, Product, Release};
pub use registry::{EntryKind, Registry, RegistryEntry, REGISTRY_TEXT};
pub use system::{Classification, ContractClause, Device, DeviceOwner, Purpose, System};
pub use time::Instant;
pub(crate) use vendor::stakes;
pub use vendor::Vendor;
pub use waiver::{Waiver, WaiverKind};
