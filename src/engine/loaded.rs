//! What an engine holds once built, as the batches that answer its questions
//! read it.
//!
//! A [`Loaded`] is the inventory (with the shipped registry merged in), its
//! corporate structure over time, the policies with what the fast path reads
//! off them, and one [`Epoch`] per period in which the structure cannot
//! change: the facts and Cedar entities of that period, and what has been
//! worked out so far of each of its systems and releases. Epochs are built
//! the first time a question falls in them; the one containing the instant
//! the engine is built is built with it. [`crate::Engine`] owns a `Loaded`
//! and hands it, with the epoch of the question, to each
//! [`super::batch::Batch`], so a batch reads these parts and never the
//! engine itself.

use std::sync::{Arc, OnceLock};

use cedar_policy::{Authorizer, Entities};

use super::context::ContextCache;
use super::explain::Explanations;
use super::fast::classes::{Classes, Lookup, Profile, Side};
use super::fast::Analysis;
use crate::cedar::entities::{build, uid};
use crate::cedar::facts::Facts;
use crate::cedar::mapping::{Ids, Mapping};
use crate::corporate::{Corporate, Structure};
use crate::error::{Error, Result};
use crate::model::{Instant, Inventory};
use crate::policy::Policies;

pub(crate) struct Loaded {
    pub inventory: Inventory,
    pub policies: Policies,
    pub authorizer: Authorizer,
    pub contexts: ContextCache,
    pub corporate: Corporate,
    /// Each entity's place in the inventory, by id.
    pub ids: Ids,
    epochs: Vec<OnceLock<std::result::Result<Epoch, Error>>>,
    /// The epoch of the instant the engine was built, built with it.
    built: usize,
    /// Taken from the policies on first use (see [`Loaded::analysis`]).
    analysis: OnceLock<Arc<Analysis>>,
}

/// The facts and entities of one period of the corporate structure.
pub(crate) struct Epoch {
    pub structure: Structure,
    pub facts: Facts,
    pub entities: Entities,
    pub systems: Classes,
    pub releases: Classes,
    pub explanations: Explanations,
}

impl Loaded {
    /// Reads the structure of a validated inventory with the registry merged,
    /// and builds the epoch of `now`.
    pub fn new(inventory: Inventory, policies: Policies, now: Instant) -> Result<Loaded> {
        let corporate = Corporate::new(&inventory);
        let built = corporate.epoch_of(now);
        let loaded = Loaded {
            built,
            ids: Ids::new(&inventory),
            epochs: (0..corporate.epochs()).map(|_| OnceLock::new()).collect(),
            corporate,
            inventory,
            policies,
            authorizer: Authorizer::new(),
            contexts: ContextCache::default(),
            analysis: OnceLock::new(),
        };
        loaded.epoch(now).map_err(Error::clone)?;
        Ok(loaded)
    }

    /// The entities of the epoch built with the engine.
    pub fn built_epoch(&self) -> &Entities {
        match self.epochs[self.built].get() {
            Some(Ok(epoch)) => &epoch.entities,
            // `new` returns an error unless this epoch was built.
            _ => unreachable!("the epoch of the engine's building is built with it"),
        }
    }

    /// The epoch an instant falls in, built on first use.
    pub fn epoch(&self, at: Instant) -> std::result::Result<&Epoch, &Error> {
        let number = self.corporate.epoch_of(at);
        self.epochs[number]
            .get_or_init(|| self.build_epoch(number))
            .as_ref()
    }

    fn build_epoch(&self, number: usize) -> Result<Epoch> {
        let inventory = &self.inventory;
        let structure = self.corporate.at(number);
        let facts = Facts::new(inventory, &self.ids, &structure);
        let entities = build(&Mapping {
            inventory,
            facts: &facts,
            structure: &structure,
            ids: &self.ids,
        })?;
        let systems = inventory.systems.iter();
        let systems = systems.map(|s| uid("System", s.id.as_str())).collect();
        let releases = inventory.releases.iter();
        let releases = releases.map(|r| uid("Release", r.id.as_str())).collect();
        Ok(Epoch {
            systems: Classes::new(Side::System, systems),
            releases: Classes::new(Side::Release, releases),
            explanations: Explanations::new(),
            structure,
            facts,
            entities,
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

    /// What Cedar sees of the inventory in an epoch.
    pub fn mapping<'a>(&'a self, epoch: &'a Epoch) -> Mapping<'a> {
        Mapping {
            inventory: &self.inventory,
            facts: &epoch.facts,
            structure: &epoch.structure,
            ids: &self.ids,
        }
    }

    /// What profiling a system or release of an epoch reads.
    pub fn lookup<'a>(&'a self, epoch: &'a Epoch) -> Lookup<'a> {
        Lookup {
            analysis: self.analysis(),
            mapping: self.mapping(epoch),
            entities: &epoch.entities,
            authorizer: &self.authorizer,
        }
    }
}

impl Epoch {
    /// What the engine knows of a system, worked out on first use.
    pub fn system<'a>(&'a self, system: usize, lookup: &Lookup<'a>) -> &'a Profile {
        self.systems.profile(system, lookup)
    }

    /// What the engine knows of a release, worked out on first use.
    pub fn release<'a>(&'a self, release: usize, lookup: &Lookup<'a>) -> &'a Profile {
        self.releases.profile(release, lookup)
    }
}
