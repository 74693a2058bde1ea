//! Versions as SBOMs write them, read as semantic versions.
//!
//! A release's version is a semantic version, because policies and
//! authorisations compare versions (`resource.major >= 8`, `"~2.1"`). SBOMs
//! carry whatever their ecosystems use, so a version is read in one of three
//! ways:
//!
//! - **as it is**, when it is a semantic version (`1.2.3`, `2.0.0-rc.1`);
//! - **coerced**, when it is one with less or more written: a leading `v`
//!   (`v2.3.1`), missing numbers (`1.2` is 1.2.0, `8` is 8.0.0, `2.0-beta` is
//!   2.0.0-beta), leading zeros (`1.02` is 1.2.0), or more than three numbers
//!   (`12.0.0.465`, as Windows products write them, is 12.0.0+465: the rest
//!   is kept as build metadata, which no comparison reads);
//! - **as a placeholder**, when it is none of these (`latest`, `dev-master`,
//!   a commit hash, a Debian `1:2.3-4ubuntu1`) or missing: `0.0.0`, with the
//!   text as build metadata (`0.0.0+latest`) so that two such versions stay
//!   two releases.
//!
//! A component is never dropped for its version: what the rules read first is
//! whose code it is, and losing that over a version string would let a
//! banned vendor's code through unseen. A version that is not read as it is
//! is listed in the [`SbomReport`](crate::sbom::SbomReport), and the release
//! keeps the text in its name (`Acme SDK 12.0.0.465`).

use semver::Version;

/// How a version was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// A semantic version as written.
    Exact,
    /// A semantic version with less or more written.
    Coerced,
    /// Not a semantic version, or missing: `0.0.0`, with the text as build metadata.
    Placeholder,
}

/// Reads a version an SBOM gives (or does not).
pub(crate) fn read(text: Option<&str>) -> (Version, Reading) {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return (Version::new(0, 0, 0), Reading::Placeholder);
    };
    if let Ok(version) = Version::parse(text) {
        if fits(&version) {
            return (version, Reading::Exact);
        }
    }
    if let Some(version) = coerce(text).filter(fits) {
        return (version, Reading::Coerced);
    }
    let mut version = Version::new(0, 0, 0);
    if let Ok(build) = semver::BuildMetadata::new(&as_build(text)) {
        version.build = build;
    }
    (version, Reading::Placeholder)
}

/// Cedar's integers are 64-bit and signed: larger numbers are not versions here.
fn fits(version: &Version) -> bool {
    [version.major, version.minor, version.patch]
        .iter()
        .all(|n| i64::try_from(*n).is_ok())
}

fn coerce(text: &str) -> Option<Version> {
    let text = text
        .strip_prefix(['v', 'V'])
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(text);
    let cut = text.find(['-', '+']).unwrap_or(text.len());
    let (numbers, rest) = text.split_at(cut);
    let numbers: Vec<u64> = numbers
        .split('.')
        .map(|n| {
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                n.parse().ok()
            } else {
                None
            }
        })
        .collect::<Option<_>>()?;
    let (pre, build) = match rest.split_once('+') {
        Some((pre, build)) => (pre, Some(build)),
        None => (rest, None),
    };
    let mut text = match numbers.as_slice() {
        [] => return None,
        [major] => format!("{major}.0.0"),
        [major, minor] => format!("{major}.{minor}.0"),
        [major, minor, patch, ..] => format!("{major}.{minor}.{patch}"),
    };
    text.push_str(pre);
    let extra: Vec<String> = numbers.iter().skip(3).map(u64::to_string).collect();
    let build: Vec<&str> = extra
        .iter()
        .map(String::as_str)
        .chain(build.filter(|b| !b.is_empty()))
        .collect();
    if !build.is_empty() {
        text.push('+');
        text.push_str(&build.join("."));
    }
    Version::parse(&text).ok()
}

/// Text as semver build metadata: ASCII letters, digits and hyphens in
/// identifiers separated by dots, none empty.
fn as_build(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect();
    mapped
        .split('.')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::{read, Reading};

    #[test]
    fn versions_are_read_as_they_are_coerced_or_held_by_a_placeholder() {
        for (text, version, reading) in [
            (Some("1.2.3"), "1.2.3", Reading::Exact),
            (Some("2.0.0-rc.1+b5"), "2.0.0-rc.1+b5", Reading::Exact),
            (Some("1.2"), "1.2.0", Reading::Coerced),
            (Some("8"), "8.0.0", Reading::Coerced),
            (Some("v2.3.1"), "2.3.1", Reading::Coerced),
            (Some("1.02"), "1.2.0", Reading::Coerced),
            (Some("2.0-beta"), "2.0.0-beta", Reading::Coerced),
            (Some("12.0.0.465"), "12.0.0+465", Reading::Coerced),
            (Some("1.2.3.4-rc1+x"), "1.2.3-rc1+4.x", Reading::Coerced),
            (Some("latest"), "0.0.0+latest", Reading::Placeholder),
            (Some("dev-master"), "0.0.0+dev-master", Reading::Placeholder),
            (
                Some("1:2.3-4ubuntu1"),
                "0.0.0+1.2.3-4ubuntu1",
                Reading::Placeholder,
            ),
            (Some("rev-1"), "0.0.0+rev-1", Reading::Placeholder),
            (
                Some("99999999999999999999.0"),
                "0.0.0+99999999999999999999.0",
                Reading::Placeholder,
            ),
            (
                Some("10000000000000000000"),
                "0.0.0+10000000000000000000",
                Reading::Placeholder,
            ),
            (Some("  "), "0.0.0", Reading::Placeholder),
            (Some("äöü"), "0.0.0", Reading::Placeholder),
            (None, "0.0.0", Reading::Placeholder),
        ] {
            let (read_version, read_how) = read(text);
            assert_eq!(
                (read_version.to_string().as_str(), read_how),
                (version, reading),
                "{text:?}"
            );
        }
    }
}
