//! The policy set an `Engine` is built with, from its `packs`, `policies`
//! and `policy_files` arguments; the shipped packs are read once per process.
//! Uses `errors` and `convert`; knows nothing of inventories, decisions or the
//! engine.

use std::path::PathBuf;

use clearance::Policies;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyMapping, PyString};

use crate::convert::{is_path_like, one_or_many};
use crate::errors::{raise, to_py_err, PolicyError, Stage};

/// Every shipped pack, read once per process. Engines built from copies of
/// one set also share what they read off it (slices, guards), which a set
/// read afresh for each `Engine` would work out again; adding policies to a
/// copy changes that copy only.
fn all_packs() -> clearance::Result<Policies> {
    static ALL: std::sync::OnceLock<Policies> = std::sync::OnceLock::new();
    if let Some(all) = ALL.get() {
        return Ok(all.clone());
    }
    let all = Policies::all_packs()?;
    Ok(ALL.get_or_init(|| all).clone())
}

/// How a policy set was made, to make it again in another process: the
/// packs asked for (`None`: every one), then each text added, with its
/// origin (a policy file's is its path).
#[derive(Clone, Debug, Default)]
pub(crate) struct Recipe {
    pub(crate) packs: Option<Vec<String>>,
    pub(crate) texts: Vec<(String, String)>,
}

impl Recipe {
    /// The policy set this recipe makes.
    pub(crate) fn make(&self) -> clearance::Result<Policies> {
        let mut set = match &self.packs {
            None => all_packs()?,
            Some(names) => Policies::from_pack_names(names)?,
        };
        for (origin, text) in &self.texts {
            set.add_text(origin, text)?;
        }
        Ok(set)
    }
}

pub(crate) fn policies_from_py(
    py: Python<'_>,
    packs: Option<&Bound<'_, PyAny>>,
    policies: Option<&Bound<'_, PyAny>>,
    policy_files: Option<&Bound<'_, PyAny>>,
) -> PyResult<(Policies, Recipe)> {
    let failed = |e: clearance::Error| to_py_err(py, &e, Stage::Policy);
    let mut recipe = Recipe::default();
    let mut set = match packs {
        None => all_packs().map_err(failed)?,
        Some(packs) => {
            let names: Vec<String> =
                one_or_many(packs, |v| v.cast::<PyString>().is_ok(), |v| v.extract())?;
            let set = Policies::from_pack_names(&names).map_err(failed)?;
            recipe.packs = Some(names);
            set
        }
    };
    if let Some(policies) = policies {
        let texts: Vec<(String, String)> = if let Ok(text) = policies.cast::<PyString>() {
            vec![("<policies>".to_owned(), text.extract()?)]
        } else if policies.cast::<PyMapping>().is_ok() {
            policies
                .call_method0(intern!(py, "items"))?
                .try_iter()?
                .map(|item| item?.extract())
                .collect::<PyResult<_>>()?
        } else {
            policies
                .try_iter()?
                .enumerate()
                .map(|(i, text)| Ok((format!("<policies[{i}]>"), text?.extract()?)))
                .collect::<PyResult<_>>()?
        };
        for (origin, text) in texts {
            set.add_text(&origin, &text).map_err(failed)?;
            recipe.texts.push((origin, text));
        }
    }
    if let Some(files) = policy_files {
        let paths: Vec<PathBuf> = one_or_many(files, is_path_like, |v| v.extract())?;
        for path in &paths {
            // As `Policies::add_file` reads it, keeping the text for the recipe.
            let text = std::fs::read_to_string(path).map_err(|e| {
                raise::<PolicyError>(
                    py,
                    "io",
                    format!("reading policies {}: {e}", path.display()),
                )
            })?;
            let origin = path.display().to_string();
            set.add_text(&origin, &text).map_err(failed)?;
            recipe.texts.push((origin, text));
        }
    }
    Ok((set, recipe))
}
