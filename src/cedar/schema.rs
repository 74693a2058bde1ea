//! The Cedar schema that ships with the crate.

use std::sync::OnceLock;

use cedar_policy::Schema;

/// The text of the schema every policy is validated against, in Cedar's
/// schema syntax. It documents the attributes policies can read.
pub const SCHEMA_TEXT: &str = include_str!("../../policies/clearance.cedarschema");

/// The parsed schema, built once per process: what every policy is validated
/// against and every entity checked against.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        // The text is part of the crate and a unit test parses it.
        let (schema, _warnings) =
            Schema::from_cedarschema_str(SCHEMA_TEXT).expect("the shipped schema parses");
        schema
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_schema_parses_without_warnings() {
        let (_, warnings) = cedar_policy::Schema::from_cedarschema_str(super::SCHEMA_TEXT).unwrap();
        assert_eq!(warnings.count(), 0);
    }
}
