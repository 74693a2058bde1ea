//! The test file format: reading a suite and checking it against the engine
//! it builds, so that a case which could never pass, or names something the
//! inventory lacks, is an error at load rather than a puzzling failure.
//!
//! Reading happens in two steps. serde reads the JSON into the `*Field`
//! types below (with `deny_unknown_fields`, through `serde_path_to_error`, so
//! a bad value is named by its JSON path, such as `cases[3].expect`); then
//! [`Suite::from_json`] loads the inventory and policies, builds the
//! [`Engine`] and checks every case against it. Either step's error names the
//! file, the case and the field.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::decision::{Asked, Verdict};
use crate::engine::Engine;
use crate::error::{truncate, Error, ErrorKind, Result};
use crate::model::{Action, Id, Instant, Inventory, Waiver};
use crate::policy::{Effect, Pack, Policies};

// ---------------------------------------------------------------------------
// The file, as serde reads it
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteField {
    #[serde(default)]
    description: Option<String>,
    inventory: InventoryField,
    #[serde(default)]
    packs: PacksField,
    #[serde(default)]
    policies: Vec<String>,
    #[serde(default)]
    extra_waivers: Vec<Waiver>,
    #[serde(default)]
    at: Option<Instant>,
    #[serde(default)]
    cases: Vec<CaseField>,
    #[serde(default)]
    matrices: Vec<MatrixField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseField {
    #[serde(default)]
    name: Option<String>,
    system: String,
    action: Action,
    release: String,
    #[serde(default)]
    at: Option<Instant>,
    expect: Expect,
    #[serde(default)]
    rules: Option<Vec<String>>,
    #[serde(default)]
    advice: Option<Vec<String>>,
    #[serde(default)]
    waivers: Option<Vec<String>>,
    #[serde(default)]
    errors: Option<Vec<String>>,
    #[serde(default, rename = "match")]
    matching: Option<Match>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MatrixField {
    #[serde(default)]
    name: Option<String>,
    action: Action,
    #[serde(default)]
    at: Option<Instant>,
    releases: Vec<String>,
    systems: Vec<String>,
    expect: MatrixExpect,
    #[serde(default)]
    rules: Option<Vec<String>>,
    #[serde(default)]
    advice: Option<Vec<String>>,
    #[serde(default)]
    waivers: Option<Vec<String>>,
    #[serde(default)]
    errors: Option<Vec<String>>,
    #[serde(default, rename = "match")]
    matching: Option<Match>,
}

/// What a case or matrix may check besides the verdict, as written. (The
/// fields are repeated in [`CaseField`] and [`MatrixField`] because serde's
/// `flatten` does not work with `deny_unknown_fields`.)
struct ListsField {
    rules: Option<Vec<String>>,
    advice: Option<Vec<String>>,
    waivers: Option<Vec<String>>,
    errors: Option<Vec<String>>,
    matching: Option<Match>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum Expect {
    Allow,
    Deny,
}

impl From<Expect> for Verdict {
    fn from(expect: Expect) -> Verdict {
        match expect {
            Expect::Allow => Verdict::Allow,
            Expect::Deny => Verdict::Deny,
        }
    }
}

/// How the listed ids are compared with the decision's.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug, Default)]
#[serde(rename_all = "lowercase")]
pub(super) enum Match {
    /// The listed ids are exactly the decision's, as sets; `errors` must
    /// number as many as the decision's.
    #[default]
    Exact,
    /// The listed ids are among the decision's (as `cedar run-tests` allows).
    Subset,
}

/// `"path.json"` or an inventory written inline.
enum InventoryField {
    Path(String),
    Inline(Box<Inventory>),
}

impl<'de> Deserialize<'de> for InventoryField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = InventoryField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("the path of an inventory file, or an inventory object")
            }
            fn visit_str<E: de::Error>(self, path: &str) -> Result<InventoryField, E> {
                Ok(InventoryField::Path(path.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<InventoryField, A::Error> {
                // Read in place, so that a bad value inside is named by its
                // path in this file (`inventory.systems[2].owner`).
                let inventory = Inventory::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(InventoryField::Inline(Box::new(inventory)))
            }
        }
        deserializer.deserialize_any(Either)
    }
}

/// `"all"` or a list of shipped pack names.
#[derive(Default)]
enum PacksField {
    #[default]
    All,
    Named(Vec<String>),
}

impl<'de> Deserialize<'de> for PacksField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = PacksField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"all\" or a list of shipped pack names")
            }
            fn visit_str<E: de::Error>(self, word: &str) -> Result<PacksField, E> {
                match word {
                    "all" => Ok(PacksField::All),
                    _ => Err(E::invalid_value(de::Unexpected::Str(word), &self)),
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PacksField, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Ok(PacksField::Named(names))
            }
        }
        deserializer.deserialize_any(Either)
    }
}

/// One verdict for every cell, or a table `{release: {system: verdict}}`.
enum MatrixExpect {
    Every(Expect),
    Table(Keyed<Keyed<Expect>>),
}

impl<'de> Deserialize<'de> for MatrixExpect {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = MatrixExpect;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"allow\", \"deny\", or a table {\"release\": {\"system\": \"allow\" or \"deny\"}}")
            }
            fn visit_str<E: de::Error>(self, word: &str) -> Result<MatrixExpect, E> {
                Expect::deserialize(de::value::StrDeserializer::<E>::new(word))
                    .map(MatrixExpect::Every)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MatrixExpect, A::Error> {
                Keyed::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(MatrixExpect::Table)
            }
        }
        deserializer.deserialize_any(Either)
    }
}

/// A JSON object read in order, refusing a key written twice (which a map
/// would silently keep the last of).
struct Keyed<V>(Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Keyed<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = Keyed<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keyed<V>, A::Error> {
                let mut entries: Vec<(String, V)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format_args!(
                            "`{}` is written twice",
                            truncate(&key)
                        )));
                    }
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(Keyed(entries))
            }
        }
        deserializer.deserialize_map(Entries(std::marker::PhantomData))
    }
}

// ---------------------------------------------------------------------------
// The suite, checked
// ---------------------------------------------------------------------------

/// A policy test file, loaded and checked: the engine its inventory and
/// policies build, and the cases and matrices to ask it.
///
/// See the [module documentation](crate::testing) for the file format.
///
/// ```
/// use clearance::testing::Suite;
///
/// let suite = Suite::from_path("policies/tests/baseline.json")?;
/// assert!(suite.checks() > 0);
/// assert!(suite.run().all_passed());
/// # Ok::<(), clearance::Error>(())
/// ```
pub struct Suite {
    pub(super) origin: String,
    description: Option<String>,
    pub(super) engine: Engine,
    pub(super) cases: Vec<Case>,
    pub(super) matrices: Vec<MatrixCheck>,
}

impl fmt::Debug for Suite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Suite")
            .field("origin", &self.origin)
            .field("cases", &self.cases.len())
            .field("matrices", &self.matrices.len())
            .finish_non_exhaustive()
    }
}

/// One question and what its decision must be.
pub(super) struct Case {
    pub(super) label: String,
    pub(super) asked: Asked,
    pub(super) expected: Expected,
}

/// A matrix: one action at one instant, the cells to look at, and what each
/// must be.
pub(super) struct MatrixCheck {
    pub(super) label: String,
    pub(super) action: Action,
    pub(super) at: Instant,
    /// `(release, system, verdict)`, in the order written.
    pub(super) cells: Vec<(Id, Id, Verdict)>,
    pub(super) lists: Lists,
}

/// What a decision must be.
pub(super) struct Expected {
    pub(super) verdict: Verdict,
    pub(super) lists: Lists,
}

/// The lists a case checks; `None` is not checked, except that `errors:
/// None` means the decision must have no errors.
#[derive(Clone, Default)]
pub(super) struct Lists {
    pub(super) rules: Option<Vec<String>>,
    pub(super) advice: Option<Vec<String>>,
    pub(super) waivers: Option<Vec<String>>,
    pub(super) errors: Option<Vec<String>>,
    pub(super) matching: Match,
}

impl Suite {
    /// Reads, loads and checks a test file. Paths in it (the inventory, the
    /// policy files) are relative to the file's directory.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] naming the path when the file cannot be read; the
    /// errors of [`Suite::from_json`] otherwise.
    ///
    /// ```
    /// use clearance::{testing::Suite, ErrorKind};
    ///
    /// let missing = Suite::from_path("policies/tests/no-such-suite.json").unwrap_err();
    /// assert_eq!(missing.kind(), ErrorKind::Io);
    /// assert!(missing.message().contains("policies/tests/no-such-suite.json"));
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Suite> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| Error::new(ErrorKind::Io, format!("reading policy test {origin}: {e}")))?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            Error::new(
                ErrorKind::TestFile,
                format!("{origin}: not UTF-8 text: {e}"),
            )
        })?;
        let base = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Suite::from_json(&origin, text, base)
    }

    /// Loads and checks a test file's text. `origin` names it in errors and
    /// failures; relative paths in it are resolved against `base_dir`.
    ///
    /// # Errors
    /// - [`ErrorKind::TestFile`] for anything wrong in the text itself:
    ///   malformed JSON, a missing, unknown or invalid field, an inline
    ///   inventory that does not load, an unknown pack, extra waivers that do
    ///   not fit the inventory or the policies, a case naming a system,
    ///   release, rule or waiver the engine lacks, an expectation that can
    ///   never hold (a forbid listed for an Allow, advice among the deciding
    ///   rules), duplicate case names, a matrix table that does not cover its
    ///   cells exactly, or a case with no `at` of its own nor a default. The
    ///   message names the file, the case (by name, or by index) and the field.
    /// - For a file the test refers to, its own error, the message prefixed
    ///   with the test file and the field naming it: [`ErrorKind::Io`] when
    ///   it cannot be read, the inventory's or the policies' kinds when it is
    ///   not valid. Likewise for an engine that the inventory and policies
    ///   together cannot build (a waiver of the inventory naming a rule the
    ///   packs chosen leave out).
    ///
    /// ```
    /// use clearance::{testing::Suite, ErrorKind};
    ///
    /// let text = r#"{
    ///     "inventory": "data/world.json",
    ///     "at": "2018-01-10",
    ///     "cases": [
    ///         {"name": "a typo", "system": "mod-secrte", "action": "deploy",
    ///          "release": "kes-12", "expect": "deny"}
    ///     ]
    /// }"#;
    /// let error = Suite::from_json("mine.json", text, "policies/tests").unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::TestFile);
    /// assert_eq!(
    ///     error.message(),
    ///     "mine.json: case `a typo` (cases[0]): field `system`: no system `mod-secrte` in the inventory"
    /// );
    /// ```
    pub fn from_json(origin: &str, text: &str, base_dir: impl AsRef<Path>) -> Result<Suite> {
        let base = base_dir.as_ref();
        let file = parse(origin, text)?;
        let top = Place::top(origin);

        let mut policies = load_packs(&top, &file.packs)?;
        for (i, path) in file.policies.iter().enumerate() {
            policies.add_file(base.join(path)).map_err(|e| {
                Error::new(
                    e.kind(),
                    format!("{origin}: field `policies[{i}]`: {}", e.message()),
                )
            })?;
        }

        let inventory = match file.inventory {
            InventoryField::Path(path) => Inventory::from_path(base.join(&path)).map_err(|e| {
                Error::new(
                    e.kind(),
                    format!("{origin}: field `inventory`: {}", e.message()),
                )
            })?,
            InventoryField::Inline(inventory) => {
                inventory
                    .validate()
                    .map_err(|e| top.error("inventory", e.message()))?;
                *inventory
            }
        };
        let engine = build_engine(&top, inventory, file.extra_waivers, policies)?;

        let checker = Checker::new(&engine);
        let mut names = Names::default();
        let mut cases = Vec::with_capacity(file.cases.len());
        for (index, case) in file.cases.into_iter().enumerate() {
            let place = Place::item(origin, "case", "cases", index, case.name.as_deref());
            names.add(&place, case.name.as_deref())?;
            cases.push(checker.case(&place, case, file.at)?);
        }
        let mut matrices = Vec::with_capacity(file.matrices.len());
        for (index, matrix) in file.matrices.into_iter().enumerate() {
            let place = Place::item(origin, "matrix", "matrices", index, matrix.name.as_deref());
            names.add(&place, matrix.name.as_deref())?;
            matrices.push(checker.matrix(&place, matrix, file.at)?);
        }
        if cases.is_empty() && matrices.is_empty() {
            return Err(Error::new(
                ErrorKind::TestFile,
                format!("{origin}: no `cases` and no `matrices`: the file tests nothing"),
            ));
        }
        Ok(Suite {
            origin: origin.to_owned(),
            description: file.description,
            engine,
            cases,
            matrices,
        })
    }

    /// The name the suite was loaded under: the file's path, or the `origin`
    /// given to [`Suite::from_json`].
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The file's `description`, if it has one.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The engine the suite's inventory and policies built, which its cases
    /// are asked of.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// How many checks a run makes: one per case and one per matrix cell.
    pub fn checks(&self) -> usize {
        self.cases.len() + self.matrices.iter().map(|m| m.cells.len()).sum::<usize>()
    }
}

/// serde's reading of the file, its errors naming the case and the field.
fn parse(origin: &str, text: &str) -> Result<SuiteField> {
    // serde reads a struct from an array too (its fields in order), which
    // `deny_unknown_fields` does not stop: the file and its cases are objects.
    // Read as a plain value too, to find a case's name for an error; text
    // that does not parse gives none.
    let value = serde_json::from_str::<serde_json::Value>(text).ok();
    if let Some(value) = &value {
        check_objects(origin, value)?;
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let file: SuiteField = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| json_error(origin, value.as_ref(), e))?;
    deserializer.end().map_err(|e| {
        Error::new(
            ErrorKind::TestFile,
            format!("{origin}: text after the JSON object: {e}"),
        )
    })?;
    Ok(file)
}

/// The file, each case and each matrix must be JSON objects.
fn check_objects(origin: &str, value: &serde_json::Value) -> Result<()> {
    let Some(file) = value.as_object() else {
        return Err(Error::new(
            ErrorKind::TestFile,
            format!("{origin}: a test file is a JSON object, with `inventory` and `cases`"),
        ));
    };
    for (list, kind) in [("cases", "case"), ("matrices", "matrix")] {
        let items = file.get(list).and_then(serde_json::Value::as_array);
        for (index, item) in items.into_iter().flatten().enumerate() {
            if !item.is_object() {
                let place = Place::item(origin, kind, list, index, None);
                return Err(place.problem(format_args!("a {kind} is a JSON object")));
            }
        }
    }
    Ok(())
}

/// Names the case (or matrix) and the field a serde error is about, from its
/// JSON path: `cases[3].expect` is the field `expect` of the case at index 3,
/// named by its `name` if the file's `value` has one.
fn json_error(
    origin: &str,
    value: Option<&serde_json::Value>,
    error: serde_path_to_error::Error<serde_json::Error>,
) -> Error {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = error.path().iter().collect();
    let problem = error.inner();
    let item = match segments.as_slice() {
        [Segment::Map { key }, Segment::Seq { index }, ..]
            if key == "cases" || key == "matrices" =>
        {
            let kind = if key == "cases" { "case" } else { "matrix" };
            // Malformed text has no value, and then the name is not known
            // (which is not the same as the case having none).
            let place = match value {
                Some(value) => {
                    let name = value
                        .get(key)
                        .and_then(|list| list.get(*index))
                        .and_then(|item| item.get("name"))
                        .and_then(serde_json::Value::as_str);
                    Place::item(origin, kind, key, *index, name)
                }
                None => Place::unread(origin, kind, key, *index),
            };
            Some((place, 2))
        }
        _ => None,
    };
    let (place, skip) = item.unwrap_or((Place::top(origin), 0));
    let field = path_text(&segments[skip.min(segments.len())..]);
    if field.is_empty() {
        place.problem(problem)
    } else {
        place.error(&field, problem)
    }
}

fn path_text(segments: &[&serde_path_to_error::Segment]) -> String {
    use serde_path_to_error::Segment;
    let mut text = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => text.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            Segment::Unknown => text.push_str(if text.is_empty() { "?" } else { ".?" }),
        }
    }
    text
}

/// The shipped packs, parsed and validated once per process: suites that
/// load them all share the work, and what engines read off them.
fn all_packs() -> Result<Policies> {
    static ALL: OnceLock<Result<Policies>> = OnceLock::new();
    ALL.get_or_init(Policies::all_packs).clone()
}

fn load_packs(top: &Place, packs: &PacksField) -> Result<Policies> {
    let names = match packs {
        PacksField::All => return all_packs(),
        PacksField::Named(names) => names,
    };
    let mut policies = Policies::new();
    for (i, name) in names.iter().enumerate() {
        let field = format!("packs[{i}]");
        let pack: Pack = name
            .parse()
            .map_err(|e: Error| top.error(&field, e.message()))?;
        if names[..i].contains(name) {
            return Err(top.error(&field, format_args!("`{name}` is listed twice")));
        }
        policies.add_pack(pack)?;
    }
    Ok(policies)
}

/// Builds the engine, blaming `extra_waivers` for what they break: the
/// inventory and the policies alone were fine when the engine fails only
/// with them.
fn build_engine(
    top: &Place,
    inventory: Inventory,
    extra: Vec<Waiver>,
    policies: Policies,
) -> Result<Engine> {
    let in_test = |e: &Error| top.error("extra_waivers", e.message());
    if extra.is_empty() {
        return Engine::new(inventory, policies).map_err(|e| top.building(&e));
    }
    let mut extended = inventory.clone();
    extended.waivers.extend(extra);
    // The inventory was valid, so an error now is the extra waivers'.
    extended.validate().map_err(|e| in_test(&e))?;
    match Engine::new(extended, policies.clone()) {
        Ok(engine) => Ok(engine),
        // Building again is the cost of an error only.
        Err(error) => match Engine::new(inventory, policies) {
            Ok(_) => Err(in_test(&error)),
            Err(own) => Err(top.building(&own)),
        },
    }
}

/// Where in the file a problem is: the file, and the case or matrix if any.
struct Place {
    /// `file.json`, or `file.json: case `name` (cases[3])`.
    prefix: String,
    /// What failures call the case: its name, or `cases[3]`.
    label: String,
}

impl Place {
    fn top(origin: &str) -> Place {
        Place {
            prefix: origin.to_owned(),
            label: String::new(),
        }
    }

    fn item(origin: &str, kind: &str, list: &str, index: usize, name: Option<&str>) -> Place {
        let at = format!("{list}[{index}]");
        match name {
            Some(name) => Place {
                prefix: format!("{origin}: {kind} `{}` ({at})", truncate(name)),
                label: name.to_owned(),
            },
            None => Place {
                prefix: format!("{origin}: {kind} {at} (unnamed)"),
                label: at,
            },
        }
    }

    /// A case or matrix of text that does not parse, whose name is unknown.
    fn unread(origin: &str, kind: &str, list: &str, index: usize) -> Place {
        let at = format!("{list}[{index}]");
        Place {
            prefix: format!("{origin}: {kind} {at}"),
            label: at,
        }
    }

    fn error(&self, field: &str, problem: impl fmt::Display) -> Error {
        Error::new(
            ErrorKind::TestFile,
            format!("{}: field `{field}`: {problem}", self.prefix),
        )
    }

    fn problem(&self, problem: impl fmt::Display) -> Error {
        Error::new(ErrorKind::TestFile, format!("{}: {problem}", self.prefix))
    }

    fn building(&self, error: &Error) -> Error {
        Error::new(
            error.kind(),
            format!(
                "{}: building the engine from `inventory` and the policies: {}",
                self.prefix,
                error.message()
            ),
        )
    }
}

/// Case and matrix names, which must be unique within a file.
#[derive(Default)]
struct Names(HashSet<String>);

impl Names {
    fn add(&mut self, place: &Place, name: Option<&str>) -> Result<()> {
        match name {
            Some("") => Err(place.error(
                "name",
                "is empty; give a name that says what it checks, or leave it out",
            )),
            Some(name) if !self.0.insert(name.to_owned()) => Err(place.error(
                "name",
                "another case or matrix of this file has the same name",
            )),
            _ => Ok(()),
        }
    }
}

/// Checks cases against what the engine knows.
struct Checker<'e> {
    engine: &'e Engine,
    systems: BTreeMap<&'e str, &'e Id>,
    releases: BTreeMap<&'e str, &'e Id>,
    waivers: BTreeSet<&'e str>,
}

impl<'e> Checker<'e> {
    fn new(engine: &'e Engine) -> Checker<'e> {
        let inventory = engine.inventory();
        Checker {
            engine,
            systems: inventory
                .systems
                .iter()
                .map(|s| (s.id.as_str(), &s.id))
                .collect(),
            releases: inventory
                .releases
                .iter()
                .map(|r| (r.id.as_str(), &r.id))
                .collect(),
            waivers: inventory.waivers.iter().map(|w| w.id.as_str()).collect(),
        }
    }

    fn system(&self, place: &Place, field: &str, id: &str) -> Result<Id> {
        self.systems.get(id).map(|id| (*id).clone()).ok_or_else(|| {
            place.error(
                field,
                format_args!("no system `{}` in the inventory", truncate(id)),
            )
        })
    }

    fn release(&self, place: &Place, field: &str, id: &str) -> Result<Id> {
        self.releases
            .get(id)
            .map(|id| (*id).clone())
            .ok_or_else(|| {
                place.error(
                    field,
                    format_args!("no release `{}` in the inventory", truncate(id)),
                )
            })
    }

    fn at(place: &Place, own: Option<Instant>, default: Option<Instant>) -> Result<Instant> {
        own.or(default).ok_or_else(|| {
            place.error(
                "at",
                "no instant to ask about: give the case an `at`, or the file a default `at`",
            )
        })
    }

    fn case(&self, place: &Place, case: CaseField, default_at: Option<Instant>) -> Result<Case> {
        let system = self.system(place, "system", &case.system)?;
        let release = self.release(place, "release", &case.release)?;
        let at = Self::at(place, case.at, default_at)?;
        let verdict = Verdict::from(case.expect);
        let lists = ListsField {
            rules: case.rules,
            advice: case.advice,
            waivers: case.waivers,
            errors: case.errors,
            matching: case.matching,
        };
        let lists = self.lists(place, lists, &[verdict])?;
        Ok(Case {
            label: place.label.clone(),
            asked: Asked {
                system,
                action: case.action,
                release,
                at,
            },
            expected: Expected { verdict, lists },
        })
    }

    fn matrix(
        &self,
        place: &Place,
        matrix: MatrixField,
        default_at: Option<Instant>,
    ) -> Result<MatrixCheck> {
        let releases = self.ids(place, "releases", &matrix.releases, |f, id| {
            self.release(place, f, id)
        })?;
        let systems = self.ids(place, "systems", &matrix.systems, |f, id| {
            self.system(place, f, id)
        })?;
        let at = Self::at(place, matrix.at, default_at)?;
        let mut cells = Vec::with_capacity(releases.len() * systems.len());
        match matrix.expect {
            MatrixExpect::Every(expect) => {
                for release in &releases {
                    for system in &systems {
                        cells.push((release.clone(), system.clone(), expect.into()));
                    }
                }
            }
            MatrixExpect::Table(Keyed(rows)) => {
                for (release, Keyed(row)) in &rows {
                    if !matrix.releases.contains(release) {
                        return Err(place.error(
                            "expect",
                            format_args!(
                                "has a row for release `{}`, which is not in `releases`",
                                truncate(release)
                            ),
                        ));
                    }
                    for (system, _) in row {
                        if !matrix.systems.contains(system) {
                            return Err(place.error(
                                &format!("expect.{release}"),
                                format_args!(
                                    "has a cell for system `{}`, which is not in `systems`",
                                    truncate(system)
                                ),
                            ));
                        }
                    }
                }
                // In the order of `releases` and `systems`, as the engine's matrix is.
                for release in &releases {
                    let Some((_, Keyed(row))) = rows.iter().find(|(r, _)| r == release.as_str())
                    else {
                        return Err(place.error(
                            "expect",
                            format_args!("has no row for release `{release}`; the table must cover every cell"),
                        ));
                    };
                    for system in &systems {
                        let Some((_, expect)) = row.iter().find(|(s, _)| s == system.as_str())
                        else {
                            return Err(place.error(
                                &format!("expect.{release}"),
                                format_args!("has no cell for system `{system}`; the table must cover every cell"),
                            ));
                        };
                        cells.push((release.clone(), system.clone(), (*expect).into()));
                    }
                }
            }
        }
        let verdicts: Vec<Verdict> = cells.iter().map(|(_, _, v)| *v).collect();
        let lists = ListsField {
            rules: matrix.rules,
            advice: matrix.advice,
            waivers: matrix.waivers,
            errors: matrix.errors,
            matching: matrix.matching,
        };
        let lists = self.lists(place, lists, &verdicts)?;
        Ok(MatrixCheck {
            label: place.label.clone(),
            action: matrix.action,
            at,
            cells,
            lists,
        })
    }

    /// A matrix's releases or systems: known, listed once, at least one.
    fn ids(
        &self,
        place: &Place,
        field: &str,
        ids: &[String],
        known: impl Fn(&str, &str) -> Result<Id>,
    ) -> Result<Vec<Id>> {
        if ids.is_empty() {
            return Err(place.error(
                field,
                "is empty: a matrix needs at least one release and one system",
            ));
        }
        let mut checked = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let at = format!("{field}[{i}]");
            if ids[..i].contains(id) {
                return Err(place.error(&at, format_args!("`{}` is listed twice", truncate(id))));
            }
            checked.push(known(&at, id)?);
        }
        Ok(checked)
    }

    /// The lists, checked against the policies and inventory, and against
    /// the verdicts they will be compared with: an expectation that can
    /// never hold is a mistake in the file, not a failure to report later.
    fn lists(&self, place: &Place, lists: ListsField, verdicts: &[Verdict]) -> Result<Lists> {
        let policies = self.engine.policies();
        let allows = verdicts.contains(&Verdict::Allow);
        let denies = verdicts.contains(&Verdict::Deny);
        let each = if verdicts.len() == 1 {
            "the case"
        } else {
            "a cell"
        };
        if let Some(rules) = &lists.rules {
            distinct(place, "rules", rules)?;
            for (i, id) in rules.iter().enumerate() {
                let field = format!("rules[{i}]");
                let Some(rule) = policies.rule(id) else {
                    return Err(place.error(
                        &field,
                        format_args!("no rule `{}` in the policies", truncate(id)),
                    ));
                };
                let problem = match rule.effect() {
                    Effect::Advice => {
                        Some("is advice, which never decides: list it under `advice`".to_owned())
                    }
                    Effect::Forbid if allows => Some(format!(
                        "is a forbid, which cannot decide an Allow, and {each} expects allow"
                    )),
                    Effect::Permit if denies => Some(format!(
                        "is a permit, which cannot decide a Deny, and {each} expects deny"
                    )),
                    _ => None,
                };
                if let Some(problem) = problem {
                    return Err(place.error(&field, format_args!("`{id}` {problem}")));
                }
            }
        }
        if let Some(advice) = &lists.advice {
            distinct(place, "advice", advice)?;
            for (i, id) in advice.iter().enumerate() {
                let field = format!("advice[{i}]");
                match policies.rule(id) {
                    None => {
                        return Err(place.error(
                            &field,
                            format_args!("no rule `{}` in the policies", truncate(id)),
                        ))
                    }
                    Some(rule) if rule.effect() != Effect::Advice => {
                        return Err(place.error(
                            &field,
                            format_args!(
                                "`{id}` is not advice (no `@advice`): list it under `rules`"
                            ),
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        if let Some(waivers) = &lists.waivers {
            distinct(place, "waivers", waivers)?;
            for (i, id) in waivers.iter().enumerate() {
                if !self.waivers.contains(id.as_str()) {
                    return Err(place.error(
                        &format!("waivers[{i}]"),
                        format_args!(
                            "no waiver `{}` in the inventory or `extra_waivers`",
                            truncate(id)
                        ),
                    ));
                }
            }
        }
        if let Some(errors) = &lists.errors {
            if let Some(i) = errors.iter().position(String::is_empty) {
                return Err(place.error(
                    &format!("errors[{i}]"),
                    "is empty, which every error contains",
                ));
            }
            if !errors.is_empty() && allows {
                return Err(place.error(
                    "errors",
                    format_args!(
                        "lists errors, but {each} expects allow, and any error gives Deny"
                    ),
                ));
            }
        }
        Ok(Lists {
            rules: lists.rules,
            advice: lists.advice,
            waivers: lists.waivers,
            errors: lists.errors,
            matching: lists.matching.unwrap_or_default(),
        })
    }
}

fn distinct(place: &Place, field: &str, ids: &[String]) -> Result<()> {
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(place.error(
                &format!("{field}[{i}]"),
                format_args!("`{}` is listed twice", truncate(id)),
            ));
        }
    }
    Ok(())
}
