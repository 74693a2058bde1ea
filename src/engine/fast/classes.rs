//! Classes of systems, and of releases, that look the same to every policy.
//!
//! Two releases are in one class when the same policies' scopes admit them
//! and they agree on every observation the policies make of `resource` (see
//! [`crate::engine::fast::share`]); likewise systems and `principal`. Members
//! of a class get the same answer from Cedar for the same question, so one
//! member stands for them all: its *representative*, the first in inventory
//! order. Cedar is handed only the representatives (see
//! [`crate::engine::loaded`]), evaluates questions about them, and judges
//! each class's guards (see [`crate::engine::fast::guard`]) on its
//! representative.
//!
//! Classes are read off the crate's own mapping of the inventory
//! ([`crate::cedar::mapping`]), when the engine is built, for every system
//! and release: the entities handed to Cedar depend on them. Guards are
//! judged the first time a question names a member of the class.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use cedar_policy::{Authorizer, Entities, EntityUid};

use super::analysis::Analysis;
use super::guard::{Judged, Judgements};
use super::mask::Mask;
use super::share::Observation;
use super::slice::Named;
use crate::cedar::entities::uid;
use crate::cedar::mapping::{Kind, Mapping, Ref};

/// Which side of a request a member stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// Systems, the `principal`.
    System,
    /// Releases, the `resource`.
    Release,
}

impl Side {
    fn kind(self) -> Kind {
        match self {
            Side::System => Kind::System,
            Side::Release => Kind::Release,
        }
    }
}

/// What the engine knows of one class of systems or releases.
pub(crate) struct Profile {
    /// Classes are numbered in inventory order of their representatives.
    pub class: usize,
    /// The policies whose scope admits its members.
    pub scope: Mask,
    /// How Cedar judged its guards.
    pub guards: Judged,
}

/// One class, as read off the mapping.
struct Class {
    representative: usize,
    uid: EntityUid,
    scope: Mask,
}

/// The classes of every system, or of every release.
pub(crate) struct Classes {
    side: Side,
    /// Each member's class.
    class_of: Vec<u32>,
    classes: Vec<Class>,
    /// Each class's profile, made on first use.
    profiles: Vec<OnceLock<Profile>>,
    /// How Cedar judged the guards for these entities.
    judgements: Judgements,
}

/// What judging guards reads: the policies' analysis, the inventory as
/// Cedar sees it, and Cedar with the representatives' entities.
pub(crate) struct Lookup<'a> {
    pub analysis: &'a Analysis,
    pub mapping: Mapping<'a>,
    pub entities: &'a Entities,
    pub authorizer: &'a Authorizer,
}

impl Classes {
    /// Reads the classes of every member of a side off the mapping.
    pub fn new(side: Side, mapping: &Mapping<'_>, analysis: &Analysis) -> Classes {
        let reads = match side {
            Side::System => &analysis.reads[0],
            Side::Release => &analysis.reads[1],
        };
        let named = |entity: Ref| Named {
            kind: entity.kind.name(),
            id: mapping.id(entity),
        };
        let mut known: BTreeMap<(Mask, Observation), u32> = BTreeMap::new();
        let mut classes: Vec<Class> = Vec::new();
        let class_of = mapping
            .every(side.kind())
            .map(|entity| {
                let ancestors: Vec<Named<'_>> =
                    mapping.ancestors(entity).into_iter().map(named).collect();
                let scope = match side {
                    Side::System => analysis.slicer.for_principal(named(entity), &ancestors),
                    Side::Release => analysis.slicer.for_resource(named(entity), &ancestors),
                };
                let observed = reads.observe(mapping, entity);
                let next = classes.len() as u32;
                *known
                    .entry((scope, observed))
                    .or_insert_with_key(|(scope, _)| {
                        classes.push(Class {
                            representative: entity.index,
                            uid: uid(entity.kind.name(), mapping.id(entity)),
                            scope: scope.clone(),
                        });
                        next
                    })
            })
            .collect();
        Classes {
            side,
            class_of,
            profiles: classes.iter().map(|_| OnceLock::new()).collect(),
            classes,
            judgements: Judgements::default(),
        }
    }

    /// The representative of each class, in class order.
    pub fn representatives(&self) -> impl Iterator<Item = usize> + '_ {
        self.classes.iter().map(|c| c.representative)
    }

    /// The uid of the representative of a member's class: what Cedar is
    /// asked about in the member's place.
    pub fn representative_uid(&self, member: usize) -> &EntityUid {
        &self.classes[self.class_of[member] as usize].uid
    }

    /// The profile of a member's class, its guards judged on first use.
    pub fn profile(&self, member: usize, lookup: &Lookup<'_>) -> &Profile {
        let class = self.class_of[member] as usize;
        self.profiles[class].get_or_init(|| self.make(class, lookup))
    }

    fn make(&self, class: usize, lookup: &Lookup<'_>) -> Profile {
        let Lookup {
            analysis,
            mapping,
            entities,
            authorizer,
        } = lookup;
        let Class {
            uid,
            scope,
            representative,
        } = &self.classes[class];
        // The guards read nothing the observations do not compare, so the
        // representative's judgement holds for the whole class.
        let member = (Ref::new(self.side.kind(), *representative), uid);
        let store = (*authorizer, *entities, mapping);
        let judged = match &analysis.guards {
            Some(guards) => match self.side {
                Side::System => guards.for_system(store, member, &self.judgements),
                Side::Release => guards.for_release(store, member, &self.judgements),
            },
            None => Judged::nothing(analysis.slicer.len()),
        };
        Profile {
            class,
            scope: scope.clone(),
            guards: judged,
        }
    }
}
