//! What an engine holds once built, as the batches that answer its questions
//! read it.
//!
//! A [`Loaded`] is the inventory (with the shipped registry merged in), its
//! corporate structure over time, the policies with what the fast path reads
//! off them, and one [`Epoch`] per period in which the structure cannot
//! change: the facts of that period, the classes of its systems and
//! releases, and the Cedar entities it evaluates on. Those are every
//! organisation, vendor and product but only one system and one release per
//! class (and any a policy names as a literal): a class's members look the same to every policy, so Cedar's answer
//! about the representative is its answer about each of them, and at estate
//! scale systems and releases are most of the entities, and most of their
//! bytes. An evaluation that errs is asked again about the member itself, on
//! every entity (built then), since Cedar's messages may name it. Epochs are
//! built the first time a question falls in them; the one containing the
//! instant the engine is built is built with it. [`crate::Engine`] owns a `Loaded`
//! and hands it, with the epoch of the question, to each
//! [`super::batch::Batch`], so a batch reads these parts and never the
//! engine itself.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use cedar_policy::{Authorizer, Entities};

use super::context::ContextCache;
use super::explain::Explanations;
use super::fast::classes::{Classes, Lookup, Profile, Side};
use super::fast::Analysis;
use crate::cedar::entities::{build, build_only};
use crate::cedar::facts::Facts;
use crate::cedar::mapping::{Ids, Kind, Mapping, Ref};
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
    /// What Cedar evaluates: every organisation, vendor and product, the
    /// representative of each class of systems and of releases (see
    /// [`Classes`]), and the systems and releases policies name.
    pub entities: Entities,
    /// Every entity, built the first time something needs them (an
    /// evaluation that errs, whose messages may name the system or release;
    /// [`crate::Engine::entities`]).
    whole: OnceLock<std::result::Result<Entities, Error>>,
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

    /// Every entity of the epoch built with the engine.
    pub fn built_epoch(&self) -> std::result::Result<&Entities, &Error> {
        match self.epochs[self.built].get() {
            Some(Ok(epoch)) => self.whole(epoch),
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
        let mapping = Mapping {
            inventory,
            facts: &facts,
            structure: &structure,
            ids: &self.ids,
        };
        let analysis = self.analysis();
        let systems = Classes::new(Side::System, &mapping, analysis);
        let releases = Classes::new(Side::Release, &mapping, analysis);
        // The systems and releases Cedar is asked about, and those the
        // policies name (all of them if that is not known).
        let mut members: BTreeSet<Ref> = systems
            .representatives()
            .map(|s| Ref::new(Kind::System, s))
            .chain(
                releases
                    .representatives()
                    .map(|r| Ref::new(Kind::Release, r)),
            )
            .collect();
        match &analysis.named {
            Some(named) => members.extend(
                named
                    .iter()
                    .filter_map(|(kind, id)| Some(Ref::new(*kind, self.ids.get(*kind, id)?))),
            ),
            None => members.extend(
                [Kind::System, Kind::Release]
                    .into_iter()
                    .flat_map(|kind| mapping.every(kind)),
            ),
        }
        let handed = [Kind::Organisation, Kind::Vendor, Kind::Product]
            .into_iter()
            .flat_map(|kind| mapping.every(kind))
            .chain(members);
        let entities = build_only(&mapping, handed)?;
        Ok(Epoch {
            systems,
            releases,
            explanations: Explanations::new(),
            whole: OnceLock::new(),
            structure,
            facts,
            entities,
        })
    }

    /// Every entity of an epoch, built on first use.
    pub fn whole<'a>(&'a self, epoch: &'a Epoch) -> std::result::Result<&'a Entities, &'a Error> {
        epoch
            .whole
            .get_or_init(|| build(&self.mapping(epoch)))
            .as_ref()
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

    /// What judging the guards of a class of an epoch reads.
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

#[cfg(test)]
mod tests {
    use crate::{Action, Engine, Instant, Inventory, Policies, Query};

    /// Three releases of one product that no shipped policy can tell apart,
    /// and one of a Kaspersky product, on one system.
    fn engine(extra_policy: Option<&str>) -> Engine {
        let inventory = Inventory::from_json(
            r#"{
            "products": [{"id": "kes", "name": "KES", "vendor": "ao-kaspersky-lab",
                          "category": "antivirus"},
                         {"id": "editor", "name": "Editor", "vendor": "ao-kaspersky-lab",
                          "category": "software"}],
            "releases": [{"id": "kes-12", "product": "kes", "version": "12.0.0"},
                         {"id": "editor-1", "product": "editor", "version": "1.0.0"},
                         {"id": "editor-2", "product": "editor", "version": "2.0.0"},
                         {"id": "editor-3", "product": "editor", "version": "2.1.0"}],
            "organisations": [{"id": "uk-mod", "name": "MOD", "country": "GB",
                               "sector": "defence"}],
            "systems": [{"id": "secret", "name": "SECRET", "owner": "uk-mod",
                         "classification": "secret"}],
            "deployments": [{"system": "secret", "release": "editor-2"}]
        }"#,
        )
        .unwrap();
        let mut policies = Policies::all_packs().unwrap();
        if let Some(text) = extra_policy {
            policies.add_text("extra.cedar", text).unwrap();
        }
        Engine::new(inventory, policies).unwrap()
    }

    fn at() -> Instant {
        "2018-01-10".parse().unwrap()
    }

    #[test]
    fn cedar_is_handed_one_release_per_class_and_every_entity_only_when_asked() {
        let engine = engine(None);
        let epoch = engine.loaded.epoch(at()).unwrap();
        let releases = |entities: &cedar_policy::Entities| {
            let mut ids: Vec<String> = entities
                .iter()
                .filter(|e| e.uid().type_name().to_string() == "Release")
                .map(|e| e.uid().id().unescaped().to_owned())
                .collect();
            ids.sort();
            ids
        };
        // The editor releases differ only in their version, which no shipped
        // policy reads: the first stands for all three.
        assert_eq!(releases(&epoch.entities), ["editor-1", "kes-12"]);
        let decision = engine
            .decide(&Query::new("secret", Action::Deploy, "editor-2").at(at()))
            .unwrap();
        assert!(decision.errors().is_empty(), "{decision}");
        assert_eq!(decision.asked().release.as_str(), "editor-2");
        drop(engine.sweep(at()));
        assert!(epoch.whole.get().is_none(), "built without being needed");
        let whole = engine.entities_at(at()).unwrap();
        assert_eq!(
            releases(whole),
            ["editor-1", "editor-2", "editor-3", "kes-12"]
        );
    }

    #[test]
    fn a_release_a_policy_names_is_handed_to_cedar_whatever_its_class() {
        // `in` is false, not an error, for an entity Cedar does not hold, so
        // editor-3 must be among the entities though editor-1 stands for it.
        let engine = engine(Some(
            r#"@id("named") @reason("names a release")
               forbid (principal, action, resource)
               when { Release::"editor-3" in Product::"editor" };"#,
        ));
        let decision = engine
            .decide(&Query::new("secret", Action::Deploy, "editor-1").at(at()))
            .unwrap();
        assert!(decision.rule_ids().contains(&"named"), "{decision}");
    }

    #[test]
    fn an_evaluation_that_errs_is_asked_again_about_the_release_itself() {
        // Overflows for every release of major version 2 and more.
        let engine = engine(Some(
            r#"@id("overflow") @reason("overflows for major versions of 2 and more")
               forbid (principal, action, resource)
               when { resource.major * 4611686018427387904 < 0 };"#,
        ));
        let epoch = engine.loaded.epoch(at()).unwrap();
        // Versions 2.0.0 and 2.1.0 look alike to it: editor-2 stands for both.
        let editor_3 = engine.release_index("editor-3").unwrap();
        let represented_by = epoch.releases.representative_uid(editor_3);
        assert_eq!(represented_by.id().unescaped(), "editor-2");
        let query = Query::new("secret", Action::Deploy, "editor-3").at(at());
        let decision = engine.decide(&query).unwrap();
        assert!(!decision.errors().is_empty(), "{decision}");
        assert!(epoch.whole.get().is_some(), "the error was not asked again");
        // Cedar's own errors for the request about editor-3 itself.
        let request = engine.request(&query).unwrap();
        let whole = engine.entities_at(at()).unwrap();
        let cedar = cedar_policy::Authorizer::new().is_authorized(
            &request,
            engine.policies().binding(),
            whole,
        );
        let errors: Vec<String> = cedar
            .diagnostics()
            .errors()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(decision.errors(), errors);
    }
}
