//! Cedar contexts: the instant, the waivers in force and the assurance held,
//! built once per distinct combination and shared by an engine's questions.

use std::collections::{BTreeSet, HashMap};

use cedar_policy::{Context, RestrictedExpression};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Assurance, Instant};

pub(crate) fn build_context(
    now: RestrictedExpression,
    assurance: &BTreeSet<Assurance>,
    waived: &BTreeSet<String>,
) -> Result<Context> {
    let strings = |items: Vec<String>| {
        RestrictedExpression::new_set(items.into_iter().map(RestrictedExpression::new_string))
    };
    Context::from_pairs([
        ("now".to_owned(), now),
        (
            "waivers".to_owned(),
            strings(waived.iter().cloned().collect()),
        ),
        (
            "assurance".to_owned(),
            strings(assurance.iter().map(|a| a.to_string()).collect()),
        ),
    ])
    .map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("building the Cedar context: {e}"),
        )
    })
}

pub(crate) type ContextKey = (Instant, BTreeSet<Assurance>, BTreeSet<String>);

/// Contexts an engine has built, shared by every batch, so that single
/// questions about the same instant do not rebuild them. Bounded: when full
/// it starts again, as a sweep at a new instant would anyway.
#[derive(Default)]
pub(crate) struct ContextCache {
    built: std::sync::Mutex<HashMap<ContextKey, Context>>,
}

impl ContextCache {
    const CAPACITY: usize = 4096;

    pub fn get(&self, key: &ContextKey) -> Option<Context> {
        self.built
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    pub fn put(&self, key: ContextKey, context: Context) {
        let mut built = self.built.lock().unwrap_or_else(|e| e.into_inner());
        if built.len() >= Self::CAPACITY {
            built.clear();
        }
        built.insert(key, context);
    }
}
