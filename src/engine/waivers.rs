//! Checking an inventory's waivers against the policies: a waiver that
//! names a key no policy tests would lift nothing, so it is an error when the
//! engine is built rather than a silent no-op.

use std::collections::BTreeSet;

use super::loaded::Loaded;
use crate::error::{Error, ErrorKind, Result};
use crate::policy::Pack;

/// The shipped pack whose text tests this key, if any: shipped rule ids and
/// keys start with their pack's name.
fn shipped_pack(key: &str) -> Option<Pack> {
    let pack: Pack = key.split('/').next()?.parse().ok()?;
    pack.text().contains(&format!("\"{key}\"")).then_some(pack)
}

/// Every key a waiver names must be tested by some policy, unless a policy
/// reads `context.waivers` in a way no literal test shows.
pub(crate) fn check(loaded: &Loaded) -> Result<()> {
    let waivers = &loaded.inventory.waivers;
    if waivers.is_empty() {
        return Ok(());
    }
    let mentions = &loaded.policies.mentions();
    if mentions.values().any(|m| m.waivers_read_otherwise) {
        return Ok(());
    }
    let tested: BTreeSet<&str> = mentions
        .values()
        .flat_map(|m| m.waiver_keys.iter().map(String::as_str))
        .collect();
    for waiver in waivers {
        for key in &waiver.rules {
            if let Some(rule) = loaded.policies.rule(key) {
                if rule.waivers_per_system() && !waiver.organisations.is_empty() {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        format!(
                            "waiver `{}`: rule `{key}` allows no blanket exceptions, so the \
                             waiver must name the systems it covers in `systems`, not whole \
                             organisations in `organisations`",
                            waiver.id
                        ),
                    ));
                }
            }
            if tested.contains(key.as_str()) {
                continue;
            }
            let problem = match loaded.policies.rule(key) {
                Some(_) => format!(
                    "rule `{key}`, which accepts no waivers (no policy tests \
                     `context.waivers.contains(\"{key}\")`)"
                ),
                None => match shipped_pack(key) {
                    Some(pack) => format!(
                        "`{key}`, a rule of the shipped pack `{pack}`, which this policy set leaves \
                         out: add the pack, or leave the waiver out"
                    ),
                    None => format!(
                        "`{key}`, which is no rule of the policy set nor a key any rule tests"
                    ),
                },
            };
            return Err(Error::new(
                ErrorKind::DanglingReference,
                format!("waiver `{}`: `rules` names {problem}", waiver.id),
            ));
        }
    }
    Ok(())
}
