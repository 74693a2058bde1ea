//! Format Cedar policy files, or check that they are formatted: the
//! formatting check for policy authors.
//!
//! ```text
//! cargo run --example policy-fmt -- FILE... [--check]
//!
//!   (no flag)   rewrite each file that is not formatted, and say which
//!   --check     change nothing; list each file that would change, with the
//!               first lines that differ
//!
//! cargo run --example policy-fmt -- --check policies/*.cedar examples/policies/*.cedar
//! ```
//!
//! The formatting is Cedar's own (the `cedar-policy-formatter` crate, which
//! `cedar format` uses), with its defaults: lines of 80 columns, indents of 2.
//! That formatter checks that the policies, their scopes, conditions and
//! annotations are unchanged; this tool checks in addition that every comment
//! is kept, in order, since pack comments carry legal notes: a file whose
//! comments the formatter would drop or move is an error, not rewritten.
//!
//! Every file is read and formatted before any is written, so an error in
//! one leaves all of them as they were.
//!
//! Exit status: 0 when every file is (or now is) formatted; 1 with `--check`
//! when a file would change; 2 for an error (a file that cannot be read,
//! does not parse, or would lose a comment), naming the file.

mod common;

use std::process::ExitCode;

use cedar_policy_formatter::{policies_str_to_pretty, Config};

const USAGE: &str = "usage: policy-fmt FILE... [--check]";

/// How many differing lines of each side `--check` shows.
const SHOWN: usize = 6;

fn main() -> ExitCode {
    common::quiet_on_closed_pipe();
    let mut check = false;
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                eprintln!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            flag if flag.starts_with("--") => {
                eprintln!("policy-fmt: unknown option {flag}\n{USAGE}");
                return ExitCode::from(2);
            }
            _ => files.push(arg),
        }
    }
    if files.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }

    // Format everything first: a problem in any file writes nothing.
    let mut changed = Vec::new();
    let mut failed = false;
    for file in &files {
        match format_file(file) {
            Ok(Some(formatted)) => changed.push((file, formatted)),
            Ok(None) => {}
            Err(problem) => {
                eprintln!("policy-fmt: {file}: {problem}");
                failed = true;
            }
        }
    }
    if failed {
        return ExitCode::from(2);
    }

    // Written at once, and a closed stdout (piped into `head`) is no error.
    let mut report = String::new();
    let status = if check {
        for (file, (original, formatted)) in &changed {
            report.push_str(&format!("{file}: not formatted\n"));
            report.push_str(&first_difference(original, formatted));
        }
        if changed.is_empty() {
            ExitCode::SUCCESS
        } else {
            report.push_str(&format!(
                "{} of {} files would be reformatted; run `cargo run --example policy-fmt -- FILE...`\n",
                changed.len(),
                files.len()
            ));
            ExitCode::from(1)
        }
    } else {
        let mut status = ExitCode::SUCCESS;
        for (file, (_, formatted)) in &changed {
            if let Err(e) = std::fs::write(file, formatted) {
                eprintln!("policy-fmt: {file}: cannot write: {e}");
                status = ExitCode::from(2);
                break;
            }
            report.push_str(&format!("formatted {file}\n"));
        }
        status
    };
    let _ = std::io::Write::write_all(&mut std::io::stdout(), report.as_bytes());
    status
}

/// The file's text and its formatted text, if they differ.
fn format_file(file: &str) -> Result<Option<(String, String)>, String> {
    let original = std::fs::read_to_string(file).map_err(|e| format!("cannot read: {e}"))?;
    let config = Config {
        line_width: 80,
        indent_width: 2,
    };
    let formatted = policies_str_to_pretty(&original, &config).map_err(|report| {
        // The report's first line is the formatter's context ("cannot parse
        // input policies"); the causes below it say what is wrong.
        let causes: Vec<String> = report.chain().map(ToString::to_string).collect();
        causes.join(": ")
    })?;
    if let Some(problem) = moved_comment(&original, &formatted) {
        return Err(format!(
            "the formatter {problem}; comments carry the packs' legal notes, so the file is left as it is"
        ));
    }
    Ok((formatted != original).then_some((original, formatted)))
}

/// A piece of Cedar policy text: a `//` comment (Cedar has only line
/// comments), or the code between two comments with its whitespace left out.
#[derive(PartialEq)]
enum Piece<'a> {
    Code(String),
    Comment(&'a str),
}

/// The text as comments and the code between them, whitespace aside: two
/// texts with the same pieces differ only in whitespace, so each comment
/// sits between the same code in both. String literals are code, kept whole,
/// so `//` inside one is not a comment.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut code = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            // Up to the closing quote, stepping over escapes.
            let mut end = 1;
            let bytes = rest.as_bytes();
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            let end = (end + 1).min(rest.len());
            code.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            pieces.push(Piece::Code(std::mem::take(&mut code)));
            pieces.push(Piece::Comment(rest[..end].trim_end()));
            rest = &rest[end..];
        } else {
            if !c.is_whitespace() {
                code.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    pieces.push(Piece::Code(code));
    pieces
}

/// What the formatting would do to the comments of `original`, if it drops
/// one or moves one relative to the code.
fn moved_comment(original: &str, formatted: &str) -> Option<String> {
    let (before, after) = (pieces(original), pieces(formatted));
    let comments = |pieces: &[Piece<'_>]| -> Vec<String> {
        pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Comment(text) => Some((*text).to_owned()),
                Piece::Code(_) => None,
            })
            .collect()
    };
    let (was, now) = (comments(&before), comments(&after));
    if was != now {
        let lost = was
            .iter()
            .zip(&now)
            .find(|(w, n)| w != n)
            .map(|(w, _)| w.clone())
            .or_else(|| was.get(now.len()).cloned())
            .unwrap_or_else(|| now[was.len()].clone());
        return Some(format!("would drop or change the comment `{lost}`"));
    }
    if was.is_empty() || before == after {
        // No comment to move; the formatter itself checks the code.
        return None;
    }
    // The comments are the same, but the code between them is not: name the
    // first comment whose neighbourhood changed.
    let differs = before.iter().zip(&after).position(|(b, a)| b != a)?;
    let near = before[differs..]
        .iter()
        .chain(before[..differs].iter().rev())
        .find_map(|p| match p {
            Piece::Comment(text) => Some(*text),
            Piece::Code(_) => None,
        })?;
    Some(format!(
        "would move the comment `{near}` relative to the code"
    ))
}

/// The first lines that differ, as `-` (now) and `+` (formatted) lines with
/// their line numbers: enough to see what the formatter wants.
fn first_difference(original: &str, formatted: &str) -> String {
    let (old, new): (Vec<&str>, Vec<&str>) =
        (original.lines().collect(), formatted.lines().collect());
    let start = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    // Lines the two share at the end bound the differing stretch.
    let common_end = old[start..]
        .iter()
        .rev()
        .zip(new[start..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_end, new_end) = (old.len() - common_end, new.len() - common_end);
    let mut out = String::new();
    let side = |out: &mut String, sign: char, lines: &[&str], end: usize| {
        for (n, line) in lines.iter().enumerate().take(end).skip(start).take(SHOWN) {
            out.push_str(&format!("  {sign} {:>4} | {line}\n", n + 1));
        }
        if end.saturating_sub(start) > SHOWN {
            out.push_str(&format!(
                "  {sign}      | ... ({} more)\n",
                end - start - SHOWN
            ));
        }
    };
    side(&mut out, '-', &old, old_end);
    side(&mut out, '+', &new, new_end);
    if out.is_empty() {
        // Only the end of the file differs: a missing final newline, say.
        out.push_str("  (the end of the file: its final newline)\n");
    }
    out
}
