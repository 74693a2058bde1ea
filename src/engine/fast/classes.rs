//! Classes of systems, and of releases, that look the same to every policy.
//!
//! Two releases are in one class when the same policies' scopes admit them
//! and they agree on every observation the policies make of `resource` (see
//! [`crate::engine::fast::share`]); likewise systems and `principal`. Members of a class
//! share evaluations, and their guards (see [`crate::engine::fast::guard`]) are judged once
//! per class, on its first member.
//!
//! Nothing here is worked out when the engine is built: each system or
//! release is profiled the first time a question names it, and kept. A
//! single question profiles one system and one release; a matrix profiles
//! each of them once.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use cedar_policy::{Authorizer, Entities, EntityUid};

use super::analysis::Analysis;
use super::guard::Judged;
use super::mask::Mask;
use super::share::Observation;
use super::slice::Named;
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

/// What the engine knows of one system or release.
pub(crate) struct Profile {
    /// Members of one class are numbered alike; classes are numbered in the
    /// order they are first met.
    pub class: usize,
    /// The policies whose scope admits it.
    pub scope: Mask,
    /// How Cedar judged its class's guards.
    pub guards: Arc<Judged>,
}

/// The profiles of every system, or of every release, made on first use.
pub(crate) struct Classes {
    side: Side,
    uids: Vec<EntityUid>,
    profiles: Vec<OnceLock<Profile>>,
    /// Each class, with its guards, by what its members show the policies.
    known: Mutex<BTreeMap<Shows, (usize, Arc<Judged>)>>,
}

/// What a member shows the policies: which scopes admit it, and what they
/// observe of it.
type Shows = (Mask, Observation);

/// What profiling reads: the policies' analysis, the inventory as Cedar
/// sees it, and Cedar with its entities (for the guards).
pub(crate) struct Lookup<'a> {
    pub analysis: &'a Analysis,
    pub mapping: Mapping<'a>,
    pub entities: &'a Entities,
    pub authorizer: &'a Authorizer,
}

impl Classes {
    pub fn new(side: Side, uids: Vec<EntityUid>) -> Classes {
        let profiles = uids.iter().map(|_| OnceLock::new()).collect();
        Classes {
            side,
            uids,
            profiles,
            known: Mutex::new(BTreeMap::new()),
        }
    }

    pub fn uid(&self, member: usize) -> &EntityUid {
        &self.uids[member]
    }

    /// The profile of a member, made on first use.
    pub fn profile(&self, member: usize, lookup: &Lookup<'_>) -> &Profile {
        self.profiles[member].get_or_init(|| self.make(member, lookup))
    }

    fn make(&self, member: usize, lookup: &Lookup<'_>) -> Profile {
        let Lookup {
            analysis,
            mapping,
            entities,
            authorizer,
        } = lookup;
        let uid = &self.uids[member];
        let entity = Ref::new(self.side.kind(), member);
        let named = |entity: Ref| Named {
            kind: entity.kind.name(),
            id: mapping.id(entity),
        };
        let ancestors: Vec<Named<'_>> = mapping.ancestors(entity).into_iter().map(named).collect();
        let (scope, reads) = match self.side {
            Side::System => (
                analysis.slicer.for_principal(named(entity), &ancestors),
                &analysis.reads[0],
            ),
            Side::Release => (
                analysis.slicer.for_resource(named(entity), &ancestors),
                &analysis.reads[1],
            ),
        };
        let observed = reads.observe(mapping, entity);
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let next = known.len();
        let (class, guards) = known.entry((scope.clone(), observed)).or_insert_with(|| {
            // The guards read nothing the observations do not compare, so
            // the first member's judgement holds for the whole class.
            let judged = match &analysis.guards {
                Some(guards) => match self.side {
                    Side::System => guards.for_system(authorizer, entities, uid),
                    Side::Release => guards.for_release(authorizer, entities, uid),
                },
                None => Judged::nothing(analysis.slicer.len()),
            };
            (next, Arc::new(judged))
        });
        Profile {
            class: *class,
            scope,
            guards: Arc::clone(guards),
        }
    }
}
