//! The shipped packs are formatted by Cedar's own formatter (what `cargo run
//! --example policy-fmt -- --check` and CI check), and formatting them
//! changes nothing Cedar reads: each policy's JSON form (its scope,
//! conditions and annotations) and every comment, in place, are the same
//! before and after.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;

use cedar_policy::PolicySet;
use cedar_policy_formatter::{policies_str_to_pretty, Config};

/// Every `.cedar` file the project ships: the packs and the example policy.
fn pack_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["policies", "examples/policies"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}")))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "cedar"))
        .collect();
    files.sort();
    files
}

/// The formatting `policy-fmt` and `cedar format` apply by default.
fn format(text: &str) -> String {
    let config = Config {
        line_width: 80,
        indent_width: 2,
    };
    policies_str_to_pretty(text, &config).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Each policy's JSON form and annotations, by its `@id`.
fn semantics(text: &str) -> BTreeMap<String, (serde_json::Value, Vec<(String, String)>)> {
    let set = PolicySet::from_str(text).expect("the pack parses");
    set.policies()
        .map(|p| {
            let id = p
                .annotation("id")
                .expect("every policy has an @id")
                .to_owned();
            let mut annotations: Vec<(String, String)> = p
                .annotations()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            annotations.sort();
            (id, (p.to_json().expect("a static policy"), annotations))
        })
        .collect()
}

/// The text as comments and the code between them, whitespace left out: the
/// same list means the same comments, each between the same code.
fn comments_in_place(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut code = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            let bytes = rest.as_bytes();
            let mut end = 1;
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            let end = (end + 1).min(rest.len());
            code.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            pieces.push(std::mem::take(&mut code));
            pieces.push(rest[..end].trim_end().to_owned());
            rest = &rest[end..];
        } else {
            if !c.is_whitespace() {
                code.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    pieces.push(code);
    pieces
}

#[test]
fn every_shipped_cedar_file_is_found() {
    let files = pack_files();
    // The fourteen packs and the bank's example policy.
    assert_eq!(files.len(), clearance::Pack::ALL.len() + 1, "{files:?}");
}

#[test]
fn formatting_the_packs_keeps_every_policy_annotation_and_comment() {
    for file in pack_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let formatted = format(&text);
        let name = file.display();
        assert_eq!(semantics(&formatted), semantics(&text), "{name}");
        assert_eq!(
            comments_in_place(&formatted),
            comments_in_place(&text),
            "{name}: a comment was dropped or moved"
        );
        // The packs carry their legal notes as comments: there are some.
        assert!(
            comments_in_place(&text).len() > 1,
            "{name}: no comments found"
        );
    }
}

#[test]
fn the_shipped_packs_are_formatted() {
    let unformatted: Vec<String> = pack_files()
        .into_iter()
        .filter(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            format(&text) != text
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(
        unformatted.is_empty(),
        "not formatted (run `cargo run --example policy-fmt -- FILE...`): {unformatted:?}"
    );
}

#[test]
fn the_formatting_depends_on_the_tokens_not_on_the_layout_they_had() {
    // Indentation and spacing inside a line removed, the formatter gives the
    // shipped text back: its output is a function of the policies and
    // comments alone.
    for file in pack_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let flattened: String = text
            .lines()
            .map(|line| {
                if line.trim_start().starts_with("//") {
                    line.to_owned()
                } else {
                    line.trim_start().to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert_ne!(flattened, text, "{}", file.display());
        assert_eq!(format(&flattened), text, "{}", file.display());
    }
}

#[test]
fn the_packs_load_the_same_from_the_files_as_from_the_crate() {
    // The crate includes the pack files at build time: what is checked here
    // is what the engine runs.
    for pack in clearance::Pack::ALL {
        let path = format!("policies/{}.cedar", pack.as_str());
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert_eq!(pack.text(), on_disk, "{path}");
    }
}
