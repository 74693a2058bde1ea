//! Policy text: the limits on what is read, and where a problem is in it.

use cedar_policy::PolicyId;

/// How deep brackets (`(`, `[`, `{`) may nest in one policy.
pub(super) const MAX_NESTING: usize = 16;
/// The most policy text one `add_text` reads: far beyond any real pack, and a
/// bound on the time Cedar's parser and validator spend on hostile text.
pub(super) const MAX_POLICY_TEXT: usize = 1 << 20;
/// How deep `if`s may nest (an `else if` chain nests) in one policy.
pub(super) const MAX_IF_NESTING: usize = 32;
/// How many chaining operators (`&&`, `||`, `+`, `-`, `*`, `.`) one policy may have.
pub(super) const MAX_OPERATORS: usize = 4096;

/// Cedar parses, validates and evaluates policies recursively, with no limit
/// of its own: text nested a few hundred levels deep overflows the stack and
/// aborts the process (a few dozen in a debug build on a 2 MiB thread). So
/// the text is measured first, outside string literals and comments, and
/// rejected where it nests deeper than any real policy does.
pub(super) fn check_nesting(text: &str) -> std::result::Result<(), String> {
    let bytes = text.as_bytes();
    // For each open bracket, the `if`s opened at its level since it or the last comma.
    let mut open: Vec<usize> = Vec::new();
    let mut ifs_at_top = 0usize;
    let mut ifs_total = 0usize;
    let mut operators = 0usize;
    let mut i = 0;
    let fail = |at: usize, what: String| {
        let (line, column) = line_and_column(text, at);
        Err(format!("line {line}, column {column}: {what}"))
    };
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                open.push(0);
                if open.len() > MAX_NESTING {
                    return fail(i, format!("brackets nest more than {MAX_NESTING} deep"));
                }
            }
            b')' | b']' | b'}' => {
                if let Some(ifs) = open.pop() {
                    ifs_total -= ifs;
                }
            }
            b',' => {
                let ifs = open.last_mut().unwrap_or(&mut ifs_at_top);
                ifs_total -= *ifs;
                *ifs = 0;
            }
            b';' if open.is_empty() => {
                ifs_total = 0;
                ifs_at_top = 0;
                operators = 0;
            }
            b'&' | b'|' | b'+' | b'-' | b'*' | b'.' => {
                operators += 1;
                if operators > MAX_OPERATORS {
                    return fail(
                        i,
                        format!("a policy may have at most {MAX_OPERATORS} operators"),
                    );
                }
            }
            b'i' if bytes.get(i + 1) == Some(&b'f')
                && (i == 0 || !is_word(bytes[i - 1]))
                && !bytes.get(i + 2).copied().is_some_and(is_word) =>
            {
                *open.last_mut().unwrap_or(&mut ifs_at_top) += 1;
                ifs_total += 1;
                if ifs_total > MAX_IF_NESTING {
                    return fail(i, format!("`if` nests more than {MAX_IF_NESTING} deep"));
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Cedar's parse errors, each with the line and column it points at.
pub(super) fn describe_parse_errors(errors: &cedar_policy::ParseErrors, text: &str) -> String {
    use miette::Diagnostic;
    errors
        .iter()
        .map(|error| {
            let at = error
                .labels()
                .and_then(|mut labels| labels.next())
                .map(|label| {
                    let (line, column) = line_and_column(text, label.offset());
                    format!("line {line}, column {column}: ")
                })
                .unwrap_or_default();
            let help = error.help().map(|h| format!(" ({h})")).unwrap_or_default();
            format!("{at}{error}{help}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Cedar names the policies of a parsed text `policy0`, `policy1`, ... in order.
pub(super) fn position_in_text(id: &PolicyId) -> usize {
    AsRef::<str>::as_ref(id)
        .strip_prefix("policy")
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.chars().rev().take_while(|c| *c != '\n').count() + 1;
    (line, column)
}
