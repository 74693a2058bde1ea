//! The inventory: everything a decision is about, loaded and checked whole.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{
    Authorisation, CountryGroup, Id, Organisation, Party, Product, Release, System, Vendor, Waiver,
};

/// A release installed on a system.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    /// The system it runs on.
    pub system: Id,
    /// The release installed.
    pub release: Id,
}

/// Everything `clearance` decides about: vendors, products, releases,
/// authorisations, organisations, systems, waivers and deployments.
///
/// Every list may be omitted from the JSON. Loading checks the whole
/// inventory (well-formed values, unique ids, references that resolve, no
/// cycles) and either succeeds whole or fails with an [`Error`] that names the
/// offending item; nothing is half-loaded.
///
/// ```
/// use clearance::{ErrorKind, Inventory};
///
/// let inventory = Inventory::from_json(r#"{
///     "vendors": [{"id": "acme", "name": "Acme Ltd", "incorporated": "GB", "headquarters": "GB"}],
///     "products": [{"id": "acme-av", "name": "Acme AV", "vendor": "acme", "category": "antivirus"}],
///     "releases": [{"id": "acme-av-5", "product": "acme-av", "version": "5.0.0"}]
/// }"#)?;
/// assert_eq!(inventory.releases.len(), 1);
///
/// let dangling = Inventory::from_json(r#"{
///     "products": [{"id": "acme-av", "name": "Acme AV", "vendor": "nobody", "category": "antivirus"}]
/// }"#).unwrap_err();
/// assert_eq!(dangling.kind(), ErrorKind::DanglingReference);
/// assert!(dangling.to_string().contains("product `acme-av`"));
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// Named groups of countries, beside the built-in ones.
    #[serde(default)]
    pub country_groups: Vec<CountryGroup>,
    /// Vendors.
    #[serde(default)]
    pub vendors: Vec<Vendor>,
    /// Owners that are not vendors: holding companies, states, people.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    /// Products.
    #[serde(default)]
    pub products: Vec<Product>,
    /// Releases of the products.
    #[serde(default)]
    pub releases: Vec<Release>,
    /// Authorisations of products under assurance schemes.
    #[serde(default)]
    pub authorisations: Vec<Authorisation>,
    /// Organisations.
    #[serde(default)]
    pub organisations: Vec<Organisation>,
    /// Systems.
    #[serde(default)]
    pub systems: Vec<System>,
    /// Waivers and exemptions.
    #[serde(default)]
    pub waivers: Vec<Waiver>,
    /// Which release runs on which system.
    #[serde(default)]
    pub deployments: Vec<Deployment>,
    /// Whether the shipped [`Registry`](crate::Registry) of the companies
    /// the packs name is merged in (the default): the inventory may then
    /// refer to its ids (`ao-kaspersky-lab`, `huawei`, ...) without defining
    /// them, and may not define them itself. Set it to `false` to model those
    /// companies yourself.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub registry: bool,
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

impl Default for Inventory {
    /// An empty inventory that uses the shipped registry, as JSON `{}` does.
    fn default() -> Self {
        Inventory {
            country_groups: Vec::new(),
            vendors: Vec::new(),
            parties: Vec::new(),
            products: Vec::new(),
            releases: Vec::new(),
            authorisations: Vec::new(),
            organisations: Vec::new(),
            systems: Vec::new(),
            waivers: Vec::new(),
            deployments: Vec::new(),
            registry: true,
        }
    }
}

impl Inventory {
    /// Parses and checks an inventory from JSON text.
    ///
    /// # Errors
    /// [`ErrorKind::Json`] for text that is not an inventory (the message gives
    /// the JSON path, line and column), and the kinds of [`Inventory::validate`].
    pub fn from_json(text: &str) -> Result<Inventory> {
        match serde_json::from_str::<Inventory>(text) {
            Ok(inventory) => inventory.validate().map(|()| inventory),
            Err(_) => Self::parse_tracking_path(text.as_bytes()),
        }
    }

    /// Like [`Inventory::from_json`], from bytes (which must be UTF-8).
    pub fn from_json_slice(bytes: &[u8]) -> Result<Inventory> {
        match serde_json::from_slice::<Inventory>(bytes) {
            Ok(inventory) => inventory.validate().map(|()| inventory),
            Err(_) => Self::parse_tracking_path(bytes),
        }
    }

    /// Parses again, tracking the path of every value, to say where the
    /// JSON is wrong: it takes twice as long, so only a parse that failed
    /// does it.
    fn parse_tracking_path(bytes: &[u8]) -> Result<Inventory> {
        let inventory: Inventory = crate::json::parse_tracking_path(bytes, "inventory JSON")?;
        inventory.validate()?;
        Ok(inventory)
    }

    /// Reads, parses and checks an inventory from a JSON file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Inventory> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("reading inventory {}: {e}", path.display()),
            )
        })?;
        Self::from_json_slice(&bytes)
            .map_err(|e| Error::new(e.kind(), format!("{}: {}", path.display(), e.message())))
    }

    /// The inventory with the shipped registry's vendors and parties added
    /// (when it uses the registry), standing alone: `registry` is then false.
    /// A company the inventory defines as the registry does (checked by
    /// [`Inventory::validate`]) gives way to the registry's entry, which
    /// carries the sources, with any owners the inventory's copy adds.
    pub(crate) fn with_registry(mut self) -> Inventory {
        if self.registry {
            let registry = super::Registry::shipped();
            let mut vendors: Vec<Vendor> = registry.vendors().to_vec();
            let mut parties: Vec<Party> = registry.parties().to_vec();
            // A copy of a registry company may add owners to it, and
            // listings and Conditional Approvals the registry does not carry.
            for shipped in &mut vendors {
                if let Some(mine) = self.vendors.iter().find(|v| v.id == shipped.id) {
                    let added = super::registry::added_stakes(
                        mine.controlled_by.as_ref(),
                        &mine.owners,
                        &shipped.owners,
                    );
                    shipped.owners.extend(added.unwrap_or_default());
                    add_missing(&mut shipped.listed, &mine.listed);
                    add_missing(
                        &mut shipped.conditional_approvals,
                        &mine.conditional_approvals,
                    );
                }
            }
            for shipped in &mut parties {
                if let Some(mine) = self.parties.iter().find(|p| p.id == shipped.id) {
                    let added = super::registry::added_stakes(
                        mine.controlled_by.as_ref(),
                        &mine.owners,
                        &shipped.owners,
                    );
                    shipped.owners.extend(added.unwrap_or_default());
                }
            }
            self.vendors.retain(|v| !registry.contains(v.id.as_str()));
            self.parties.retain(|p| !registry.contains(p.id.as_str()));
            self.vendors.extend(vendors);
            self.parties.extend(parties);
            self.registry = false;
        }
        self
    }

    /// The inventory as pretty-printed JSON, which [`Inventory::from_json`] reads back.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an inventory always serialises")
    }

    /// A digest naming exactly this inventory: the SHA-256 of its JSON form,
    /// as `sha256:<64 hex digits>`. Equal inventories have equal digests
    /// whatever the formatting or field order of the files they came from,
    /// so an audit record can say which data a decision was made from.
    ///
    /// ```
    /// use clearance::Inventory;
    ///
    /// let a = Inventory::from_json(r#"{"organisations": [
    ///     {"id": "mod", "name": "Ministry of Defence", "country": "GB", "sector": "defence"}
    /// ]}"#)?;
    /// let b = Inventory::from_json(
    ///     r#"{"organisations":[{"sector":"defence","country":"GB","name":"Ministry of Defence","id":"mod"}]}"#,
    /// )?;
    /// assert_eq!(a.digest(), b.digest());
    /// assert!(a.digest().starts_with("sha256:"));
    /// assert_ne!(a.digest(), Inventory::default().digest());
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn digest(&self) -> String {
        let json = serde_json::to_vec(self).expect("an inventory always serialises");
        crate::digest::sha256([json.as_slice()])
    }
}

/// Adds to `to` each of `from` it does not hold yet.
fn add_missing<T: Clone + PartialEq>(to: &mut Vec<T>, from: &[T]) {
    for item in from {
        if !to.contains(item) {
            to.push(item.clone());
        }
    }
}
