//! What an engine holds once built, as the batches that answer its questions
//! read it.
//!
//! A [`Loaded`] is the inventory with its facts and Cedar entities, the
//! policies with what the fast path reads off them, and what has been worked
//! out so far of each system, release and context. [`crate::Engine`] owns one
//! and hands it to each [`super::batch::Batch`], so a batch reads these parts
//! and never the engine itself.

use std::sync::{Arc, OnceLock};

use cedar_policy::{Authorizer, Entities};

use super::context::ContextCache;
use super::explain::Explanations;
use super::fast::classes::{Classes, Lookup, Profile, Side};
use super::fast::Analysis;
use crate::cedar::entities::{build, uid};
use crate::cedar::facts::Facts;
use crate::decision::Chain;
use crate::error::Result;
use crate::model::Inventory;
use crate::policy::Policies;

pub(crate) struct Loaded {
    pub inventory: Inventory,
    pub policies: Policies,
    pub facts: Facts,
    pub entities: Entities,
    pub authorizer: Authorizer,
    pub systems: Classes,
    pub releases: Classes,
    pub contexts: ContextCache,
    explanations: Explanations,
    /// Taken from the policies on first use (see [`Loaded::analysis`]).
    analysis: OnceLock<Arc<Analysis>>,
}

impl Loaded {
    /// Builds the facts and the entities of a validated inventory; nothing
    /// else is worked out until a question needs it.
    pub fn new(inventory: Inventory, policies: Policies) -> Result<Loaded> {
        let facts = Facts::new(&inventory);
        let entities = build(&inventory, &facts)?;
        let systems = inventory.systems.iter();
        let systems = systems.map(|s| uid("System", s.id.as_str())).collect();
        let releases = inventory.releases.iter();
        let releases = releases.map(|r| uid("Release", r.id.as_str())).collect();
        Ok(Loaded {
            systems: Classes::new(Side::System, systems),
            releases: Classes::new(Side::Release, releases),
            explanations: Explanations::new(inventory.releases.len()),
            inventory,
            policies,
            facts,
            entities,
            authorizer: Authorizer::new(),
            contexts: ContextCache::default(),
            analysis: OnceLock::new(),
        })
    }

    /// What the fast path reads off the policies: worked out for the first
    /// engine built from them and kept with them, so later engines built from
    /// the same set (or a clone) reuse it.
    pub fn analysis(&self) -> &Analysis {
        self.analysis.get_or_init(|| {
            let policies = &self.policies;
            let fresh = || Arc::new(Analysis::new(policies));
            match policies.derived().get_or_init(fresh) {
                Some(kept) => Arc::clone(kept),
                None => fresh(),
            }
        })
    }

    fn lookup(&self) -> Lookup<'_> {
        Lookup {
            analysis: self.analysis(),
            entities: &self.entities,
            authorizer: &self.authorizer,
        }
    }

    /// What the engine knows of a system, worked out on first use.
    pub fn system(&self, system: usize) -> &Profile {
        self.systems.profile(system, &self.lookup())
    }

    /// What the engine knows of a release, worked out on first use.
    pub fn release(&self, release: usize) -> &Profile {
        self.releases.profile(release, &self.lookup())
    }

    /// How a release reaches the companies behind it, worked out on first use.
    pub fn chains(&self, release: usize) -> Arc<[Chain]> {
        self.explanations
            .chains(&self.facts, &self.inventory, release)
    }
}
