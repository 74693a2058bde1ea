//! Cedar entities, built from the [`super::mapping`] of the typed model.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;

use cedar_policy::{Entities, Entity, EntityId, EntityTypeName, EntityUid, RestrictedExpression};

use crate::cedar::mapping::{Kind, Mapping, Ref, Value};
use crate::cedar::schema;
use crate::error::{Error, ErrorKind, Result};

pub(crate) fn uid(kind: &str, id: &str) -> EntityUid {
    // The six type names are parsed once; any string is a valid entity id.
    static KINDS: OnceLock<Vec<(&'static str, EntityTypeName)>> = OnceLock::new();
    let kinds = KINDS.get_or_init(|| {
        [
            "Organisation",
            "System",
            "Vendor",
            "Product",
            "Release",
            "Action",
        ]
        .into_iter()
        .map(|k| {
            (
                k,
                EntityTypeName::from_str(k).expect("a fixed entity type name"),
            )
        })
        .collect()
    });
    let kind = match kinds.iter().find(|(name, _)| *name == kind) {
        Some((_, parsed)) => parsed.clone(),
        None => EntityTypeName::from_str(kind).expect("a fixed entity type name"),
    };
    EntityUid::from_type_name_and_id(kind, EntityId::new(id))
}

/// Builds every entity of the inventory, checked against the schema, with
/// the corporate structure of one epoch.
pub(crate) fn build(mapping: &Mapping<'_>) -> Result<Entities> {
    build_only(
        mapping,
        Kind::ALL.into_iter().flat_map(|kind| mapping.every(kind)),
    )
}

/// Builds these entities of the inventory, checked against the schema.
pub(crate) fn build_only(
    mapping: &Mapping<'_>,
    entities: impl Iterator<Item = Ref>,
) -> Result<Entities> {
    let mut all = Vec::new();
    for entity in entities {
        let (kind, id) = (entity.kind.name(), mapping.id(entity));
        let attrs = mapping
            .attributes(entity)
            .map(|(name, value)| Ok((name.to_owned(), expression(value)?)))
            .collect::<std::result::Result<HashMap<String, RestrictedExpression>, String>>()
            .map_err(|e| {
                Error::new(
                    ErrorKind::Internal,
                    format!("building {kind} `{id}` for Cedar: {e}"),
                )
            })?;
        let parents = mapping
            .parents(entity)
            .into_iter()
            .map(|p| uid(p.kind.name(), mapping.id(p)))
            .collect();
        let built = Entity::new(uid(kind, id), attrs, parents).map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("building {kind} `{id}` for Cedar: {e}"),
            )
        })?;
        all.push(built);
    }
    // Checking the entities against the schema only checks this module's own
    // mapping, and costs as much as building them. Debug builds (every test,
    // property and fuzz run) check it; release builds trust it, and a mapping
    // that were wrong would make Cedar's evaluation fail, which denies.
    let check = cfg!(debug_assertions).then(schema);
    Entities::from_entities(all, check).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("Cedar rejected the inventory's entities: {e}"),
        )
    })
}

/// A value as Cedar is handed it.
fn expression(value: Value<'_>) -> std::result::Result<RestrictedExpression, String> {
    Ok(match value {
        Value::Bool(b) => RestrictedExpression::new_bool(b),
        Value::Long(n) => RestrictedExpression::new_long(n),
        Value::DateTime(at) => RestrictedExpression::new_datetime(at.to_cedar_string()),
        Value::String(s) => RestrictedExpression::new_string(s.into_owned()),
        Value::Entity { kind, id } => RestrictedExpression::new_entity_uid(uid(&kind, &id)),
        Value::Set(items) => RestrictedExpression::new_set(
            items
                .into_iter()
                .map(expression)
                .collect::<std::result::Result<Vec<_>, String>>()?,
        ),
        Value::Record(fields) => RestrictedExpression::new_record(
            fields
                .into_iter()
                .map(|(name, value)| Ok((name.to_owned(), expression(value)?)))
                .collect::<std::result::Result<Vec<_>, String>>()?,
        )
        .map_err(|e| format!("a record: {e}"))?,
    })
}
