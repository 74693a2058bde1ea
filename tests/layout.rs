//! The layout of `src/` is the architecture: modules depend on each other one
//! way only, so no two modules import each other, directly or round a circle.
//!
//! The test reads the crate's source, resolves every `crate::`, `super::` and
//! child-module path to the file that defines the item (seeing through
//! `pub use` re-exports), and checks, at every level of the tree, that the
//! dependencies between sibling modules form no cycle and that no module
//! depends on an item defined by a module above it. `#[cfg(test)]` modules and
//! comments are left out: tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".to_owned()
    } else {
        module.join("::")
    }
}

/// Every module of the crate and its code, comments and tests left out.
fn modules() -> BTreeMap<Module, String> {
    fn walk(dir: &Path, into: &mut BTreeMap<Module, String>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, into);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix("src").expect("under src/");
                let mut module: Module = relative
                    .with_extension("")
                    .iter()
                    .map(|part| part.to_string_lossy().into_owned())
                    .collect();
                if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                    module.pop();
                }
                let text = std::fs::read_to_string(&path).expect("a source file");
                into.insert(module, code_of(&text));
            }
        }
    }
    let mut modules = BTreeMap::new();
    walk(Path::new("src"), &mut modules);
    modules
}

fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(end) => &text[..end],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string literal (a URL) is rare in code; keep it.
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a module's code names, each as its segments from the crate root.
fn paths_named(module: &Module, code: &str, modules: &BTreeMap<Module, String>) -> Vec<Module> {
    let tokens = tokens(code);
    let mut paths = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // `pub(crate)`, `pub(super)`: a visibility, not a path.
        let is_path = tokens.get(i + 1).is_some_and(|t| t == "::");
        let start = match tokens[i].as_str() {
            _ if !is_path => None,
            "crate" => Some(Vec::new()),
            "super" => Some(module[..module.len().saturating_sub(1)].to_vec()),
            child
                if i >= 1
                    && tokens[i - 1] == "use"
                    && modules.contains_key(&[module.clone(), vec![child.to_owned()]].concat()) =>
            {
                Some([module.clone(), vec![child.to_owned()]].concat())
            }
            _ => None,
        };
        let Some(mut base) = start else {
            i += 1;
            continue;
        };
        // `super::super::x` and `use child::x`: the first segment is consumed.
        i += 1;
        while i + 1 < tokens.len() && tokens[i] == "::" && tokens[i + 1] == "super" {
            base.pop();
            i += 2;
        }
        read_path(&tokens, &mut i, base, &mut paths);
    }
    paths
}

/// Reads `::a::b`, `::a::{b, c::d}` from `tokens[*i]` on, after `base`.
fn read_path(tokens: &[String], i: &mut usize, base: Module, into: &mut Vec<Module>) {
    let mut path = base;
    while *i + 1 < tokens.len() && tokens[*i] == "::" {
        let next = &tokens[*i + 1];
        if next == "{" {
            *i += 2;
            loop {
                read_path_segment(tokens, i, path.clone(), into);
                match tokens.get(*i).map(String::as_str) {
                    Some(",") => *i += 1,
                    Some("}") => {
                        *i += 1;
                        return;
                    }
                    _ => return,
                }
            }
        }
        path.push(next.clone());
        *i += 2;
    }
    into.push(path);
}

/// Reads `a::b` or `self` inside a brace group.
fn read_path_segment(tokens: &[String], i: &mut usize, mut base: Module, into: &mut Vec<Module>) {
    match tokens.get(*i) {
        Some(word) if word == "self" => *i += 1,
        Some(word) if is_ident(word) => {
            base.push(word.clone());
            *i += 1;
        }
        _ => return,
    }
    read_path(tokens, i, base, into);
}

fn is_ident(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::` and single punctuation; string literals dropped.
fn tokens(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".to_owned());
            i += 2;
        } else {
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            i += 1;
        }
    }
    tokens
}

/// The module that defines what `path` names: its longest prefix that is a
/// module, followed through that module's `pub use child::...` re-exports.
fn defining_module(path: &[String], modules: &BTreeMap<Module, String>) -> Module {
    let mut length = path.len();
    while length > 0 && !modules.contains_key(&path[..length]) {
        length -= 1;
    }
    let module = path[..length].to_vec();
    let Some(item) = path.get(length) else {
        return module;
    };
    for (child, names) in reexports(&modules[&module]) {
        if names.contains(item) {
            let child_path = [module.clone(), vec![child]].concat();
            if modules.contains_key(&child_path) {
                let rest = [child_path, path[length..].to_vec()].concat();
                return defining_module(&rest, modules);
            }
        }
    }
    module
}

/// `pub use child::{A, B};` and `pub(crate) use child::A;` of a module.
fn reexports(code: &str) -> Vec<(String, BTreeSet<String>)> {
    let tokens = tokens(code);
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if token != "use" || i == 0 {
            continue;
        }
        let public = tokens[i - 1] == "pub" || (i >= 4 && tokens[i - 4] == "pub");
        if !public || tokens.get(i + 2).map(String::as_str) != Some("::") {
            continue;
        }
        let child = tokens[i + 1].clone();
        let mut names = BTreeSet::new();
        for word in tokens[i + 3..].iter().take_while(|t| *t != ";") {
            if is_ident(word) {
                names.insert(word.clone());
            }
        }
        found.push((child, names));
    }
    found
}

/// Every dependency of one module on another, each resolved to the module
/// that defines the item.
fn dependencies() -> BTreeSet<(Module, Module)> {
    let modules = modules();
    let mut edges = BTreeSet::new();
    for (module, code) in &modules {
        for path in paths_named(module, code, &modules) {
            let target = defining_module(&path, &modules);
            if &target != module {
                edges.insert((module.clone(), target));
            }
        }
    }
    edges
}

#[test]
fn the_reader_sees_through_braces_and_reexports() {
    let modules = modules();
    let engine: Module = vec!["engine".into()];
    let named = paths_named(&engine, &modules[&engine], &modules);
    let resolved: BTreeSet<String> = named
        .iter()
        .map(|p| name(&defining_module(p, &modules)))
        .collect();
    // `use crate::model::{Action, ...}` names `model::action` through its re-export.
    assert!(resolved.contains("model::action"), "{resolved:?}");
    assert!(resolved.contains("engine::batch"), "{resolved:?}");
    assert!(resolved.contains("policy"), "{resolved:?}");
}

#[test]
fn no_module_depends_on_one_above_it_or_round_a_circle() {
    let edges = dependencies();
    assert!(edges.len() > 30, "too few dependencies read: {edges:?}");
    let mut upwards = Vec::new();
    // Dependencies between siblings, under their nearest common parent.
    let mut levels: BTreeMap<Module, BTreeSet<(String, String)>> = BTreeMap::new();
    for (from, to) in &edges {
        let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        if common == to.len() {
            upwards.push(format!("{} uses {}", name(from), name(to)));
        } else if common < from.len() {
            levels
                .entry(from[..common].to_vec())
                .or_default()
                .insert((from[common].clone(), to[common].clone()));
        }
    }
    assert!(
        upwards.is_empty(),
        "modules using an item defined above them: {upwards:?}"
    );
    for (parent, siblings) in &levels {
        if let Some(cycle) = find_cycle(siblings) {
            panic!(
                "under {}, modules import each other in a circle: {}",
                name(parent),
                cycle.join(" -> ")
            );
        }
    }
}

fn find_cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    fn visit<'a>(
        node: &'a str,
        edges: &'a BTreeSet<(String, String)>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut cycle: Vec<String> = path[at..].iter().map(|n| (*n).to_owned()).collect();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for (_, to) in edges.iter().filter(|(from, _)| from == node) {
            if let Some(cycle) = visit(to, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    edges
        .iter()
        .find_map(|(from, _)| visit(from, edges, &mut Vec::new(), &mut done))
}
