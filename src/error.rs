//! The one error type of the crate.
//!
//! Every failure names what is wrong and where: the item of the inventory (by
//! its id or its JSON path), the policy (by its `@id` or the file it came
//! from), or the part of the query. [`Error::kind`] says which class of
//! problem it is, so callers can branch without parsing messages.

use std::fmt;

/// What went wrong, without the details; see [`Error::kind`].
///
/// The kinds fall into three groups, which the Python bindings turn into
/// exception classes: inventory ([`ErrorKind::is_inventory`]), policy
/// ([`ErrorKind::is_policy`]) and query ([`ErrorKind::is_query`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The inventory is not well-formed JSON of the expected shape: malformed
    /// or truncated text, a wrong type, an unknown or missing field, or a
    /// value that is not valid (the message names its JSON path).
    Json,
    /// A value has the right type but is not valid: an id, a country code, a
    /// semantic version, a date, an assurance level, parsed from text with
    /// `FromStr` or found by [`crate::Inventory::validate`] (such as a version
    /// too large for Cedar). Inside inventory JSON, a bad value is reported as
    /// [`ErrorKind::Json`] with its JSON path, since serde reads it. It counts
    /// as an inventory kind; where the bad value is a query's instant,
    /// bindings may report it as a query error.
    InvalidValue,
    /// Two items of the same kind share an id.
    DuplicateId,
    /// An item refers to another item that is not in the inventory.
    DanglingReference,
    /// Control (vendors), ownership (organisations) or embedding (releases)
    /// goes round in a circle.
    Cycle,
    /// A policy pack name that `clearance` does not ship.
    UnknownPack,
    /// Policy text that does not parse.
    PolicySyntax,
    /// A policy that parses but fails strict validation against the schema.
    PolicyValidation,
    /// A policy without the annotations `clearance` requires, or with a
    /// malformed one.
    PolicyAnnotation,
    /// Two policies share an `@id`.
    DuplicatePolicyId,
    /// A policy reads the time in a way whose changes cannot be listed
    /// exactly (arithmetic on `context.now`, durations, a comparison with
    /// anything but a `datetime("...")` literal), so
    /// [`crate::Engine::timeline`] cannot say when its decisions change. The
    /// message names the policy.
    UnboundedTime,
    /// A policy test file that is not valid: malformed JSON, a missing or
    /// unknown field, a case naming something the inventory lacks. The
    /// message names the file, the case and the field.
    TestFile,
    /// A query names a system that is not in the inventory.
    UnknownSystem,
    /// A query names a release that is not in the inventory.
    UnknownRelease,
    /// An action name that is not one of `procure`, `deploy`, `operate`, `update`.
    UnknownAction,
    /// A file could not be read.
    Io,
    /// Cedar rejected entities or a request built from a valid inventory.
    /// This is a bug in `clearance`; please report it.
    Internal,
}

impl ErrorKind {
    /// A stable kebab-case name for the kind (`"dangling-reference"`), for
    /// logs and for other languages' bindings.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Json => "json",
            ErrorKind::InvalidValue => "invalid-value",
            ErrorKind::DuplicateId => "duplicate-id",
            ErrorKind::DanglingReference => "dangling-reference",
            ErrorKind::Cycle => "cycle",
            ErrorKind::UnknownPack => "unknown-pack",
            ErrorKind::PolicySyntax => "policy-syntax",
            ErrorKind::PolicyValidation => "policy-validation",
            ErrorKind::PolicyAnnotation => "policy-annotation",
            ErrorKind::DuplicatePolicyId => "duplicate-policy-id",
            ErrorKind::UnboundedTime => "unbounded-time",
            ErrorKind::TestFile => "test-file",
            ErrorKind::UnknownSystem => "unknown-system",
            ErrorKind::UnknownRelease => "unknown-release",
            ErrorKind::UnknownAction => "unknown-action",
            ErrorKind::Io => "io",
            ErrorKind::Internal => "internal",
        }
    }

    /// Whether this kind is about the inventory (its JSON or its content).
    pub fn is_inventory(self) -> bool {
        matches!(
            self,
            ErrorKind::Json
                | ErrorKind::InvalidValue
                | ErrorKind::DuplicateId
                | ErrorKind::DanglingReference
                | ErrorKind::Cycle
        )
    }

    /// Whether this kind is about policies or policy packs.
    pub fn is_policy(self) -> bool {
        matches!(
            self,
            ErrorKind::UnknownPack
                | ErrorKind::PolicySyntax
                | ErrorKind::PolicyValidation
                | ErrorKind::PolicyAnnotation
                | ErrorKind::DuplicatePolicyId
                | ErrorKind::UnboundedTime
                | ErrorKind::TestFile
        )
    }

    /// Whether this kind is about a query.
    pub fn is_query(self) -> bool {
        matches!(
            self,
            ErrorKind::UnknownSystem | ErrorKind::UnknownRelease | ErrorKind::UnknownAction
        )
    }
}

/// An error from loading an inventory, loading policies or asking a question.
///
/// ```
/// use clearance::{ErrorKind, Inventory};
///
/// let err = Inventory::from_json(r#"{"vendors": [{"id": "x"}"#).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Json);
/// println!("{err}"); // names the line and column where the text stops
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// The class of problem.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message alone, as `Display` prints it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Builds errors whose message starts with the item it is about.
pub(crate) fn invalid(what: impl fmt::Display, problem: impl fmt::Display) -> Error {
    Error::new(ErrorKind::InvalidValue, format!("{what}: {problem}"))
}

/// Keeps error messages short when the offending text is huge.
pub(crate) fn truncate(text: &str) -> String {
    const SHOWN: usize = 40;
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorKind::*;

    #[test]
    fn every_kind_is_in_exactly_one_group_or_none() {
        let all = [
            Json,
            InvalidValue,
            DuplicateId,
            DanglingReference,
            Cycle,
            UnknownPack,
            PolicySyntax,
            PolicyValidation,
            PolicyAnnotation,
            DuplicatePolicyId,
            UnboundedTime,
            TestFile,
            UnknownSystem,
            UnknownRelease,
            UnknownAction,
            Io,
            Internal,
        ];
        let names: std::collections::BTreeSet<&str> = all.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), all.len());
        for kind in all {
            let groups = [kind.is_inventory(), kind.is_policy(), kind.is_query()];
            let expected = usize::from(!matches!(kind, Io | Internal));
            assert_eq!(groups.iter().filter(|g| **g).count(), expected, "{kind:?}");
        }
    }
}
