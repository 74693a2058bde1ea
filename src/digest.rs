//! Digests that name exactly what a decision was made from: SHA-256, written
//! `sha256:<hex>` as OCI and SLSA write theirs.

use sha2::{Digest, Sha256};

/// The SHA-256 of `parts`, each preceded by its length so that no two
/// different lists of parts give the same bytes.
pub(crate) fn sha256<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    let mut text = String::with_capacity(7 + 64);
    text.push_str("sha256:");
    for byte in hasher.finalize() {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_delimited() {
        assert_ne!(sha256([&b"ab"[..], b"c"]), sha256([&b"a"[..], b"bc"]));
        assert_eq!(sha256([&b"x"[..]]).len(), 7 + 64);
    }
}
