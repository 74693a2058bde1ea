//! A catalogue of bad input: every malformed inventory, policy or question
//! gets a typed error that names what is wrong and where, and nothing panics.
//!
//! Each case states the [`ErrorKind`] it must get and the words its message
//! must contain (the offending id, JSON path, policy id or origin). The
//! evaluation-error tests at the end check the other half of failing closed:
//! a policy that validates but fails at run time gives Deny, never Allow.

use std::path::PathBuf;

use clearance::{Action, Engine, ErrorKind, Instant, Inventory, Pack, Policies, Query, MAX_ID_LEN};
use serde_json::{json, Value};

/// A small valid inventory every case starts from.
fn base() -> Value {
    json!({
        "vendors": [
            {"id": "acme", "name": "Acme Ltd", "incorporated": "GB", "headquarters": "GB"},
            {"id": "acme-sub", "name": "Acme Sub", "incorporated": "FR", "headquarters": "FR", "controlled_by": "acme"},
            {"id": "beta", "name": "Beta Inc", "incorporated": "US", "headquarters": "US"}
        ],
        "products": [
            {"id": "acme-av", "name": "Acme AV", "vendor": "acme", "category": "antivirus"},
            {"id": "beta-suite", "name": "Beta Suite", "vendor": "beta", "category": "software"}
        ],
        "releases": [
            {"id": "acme-av-5", "product": "acme-av", "version": "5.0.0"},
            {"id": "beta-suite-2", "product": "beta-suite", "version": "2.0.0", "components": ["acme-av-5"]}
        ],
        "authorisations": [
            {"id": "cc-1", "product": "acme-av", "assurance": "common-criteria:eal4", "versions": ">=5"}
        ],
        "organisations": [
            {"id": "gov", "name": "Government", "country": "GB", "sector": "central-government"},
            {"id": "dept", "name": "Department", "country": "GB", "sector": "central-government", "parent": "gov"}
        ],
        "systems": [
            {"id": "desktops", "name": "Desktops", "owner": "dept", "classification": "official"}
        ],
        "waivers": [
            {"id": "w1", "rules": ["au-pspf-002-2025/kaspersky"], "vendors": ["acme"], "systems": ["desktops"],
             "actions": ["operate"], "granted_by": "Someone", "until": "2030-01-01"}
        ],
        "deployments": [
            {"system": "desktops", "release": "acme-av-5"}
        ]
    })
}

/// What a case feeds in.
enum Input {
    /// Bytes read as an inventory.
    Json(Vec<u8>),
    /// Policy text added, as `bad.cedar`, to the shipped packs.
    Policy(String),
    /// Shipped pack names.
    Packs(Vec<String>),
    /// An action name.
    Action(String),
    /// An instant as text.
    Instant(String),
    /// A question (system, release) about the base inventory.
    Query(String, String),
    /// An inventory file.
    InventoryFile(PathBuf),
    /// A policy file.
    PolicyFile(PathBuf),
    /// An inventory, built into an engine with every shipped pack.
    Engine(Vec<u8>),
}

struct Case {
    name: &'static str,
    input: Input,
    kind: ErrorKind,
    mentions: Vec<String>,
}

fn case(name: &'static str, input: Input, kind: ErrorKind, mentions: &[&str]) -> Case {
    Case {
        name,
        input,
        kind,
        mentions: mentions.iter().map(|m| (*m).to_owned()).collect(),
    }
}

/// The base inventory, changed by `f`.
fn edit(f: impl FnOnce(&mut Value)) -> Input {
    let mut v = base();
    f(&mut v);
    Input::Json(serde_json::to_vec(&v).unwrap())
}

/// The base inventory, changed by `f`, built into an engine.
fn engine_of(f: impl FnOnce(&mut Value)) -> Input {
    let mut v = base();
    f(&mut v);
    Input::Engine(serde_json::to_vec(&v).unwrap())
}

fn text(s: &str) -> Input {
    Input::Json(s.as_bytes().to_vec())
}

fn policy(s: &str) -> Input {
    Input::Policy(s.to_owned())
}

fn run(input: &Input) -> clearance::Result<()> {
    match input {
        Input::Json(bytes) => Inventory::from_json_slice(bytes).map(drop),
        Input::Policy(text) => {
            let mut policies = Policies::all_packs()?;
            policies.add_text("bad.cedar", text).map(drop)
        }
        Input::Packs(names) => Policies::from_pack_names(names).map(drop),
        Input::Action(name) => name.parse::<Action>().map(drop),
        Input::Instant(text) => text.parse::<Instant>().map(drop),
        Input::Query(system, release) => {
            let inventory: Inventory = serde_json::from_value(base()).unwrap();
            let engine = Engine::new(inventory, Policies::all_packs()?)?;
            engine
                .decide(&Query::new(
                    system.as_str(),
                    Action::Deploy,
                    release.as_str(),
                ))
                .map(drop)
        }
        Input::InventoryFile(path) => Inventory::from_path(path).map(drop),
        Input::PolicyFile(path) => Policies::new().add_file(path).map(drop),
        Input::Engine(bytes) => {
            let inventory = Inventory::from_json_slice(bytes)?;
            Engine::new(inventory, Policies::all_packs()?).map(drop)
        }
    }
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// The kind a value error gets when it is found while reading inventory JSON
/// (an id, country, version, date, assurance level or keyword that has the
/// right JSON type but is not valid).
///
/// `ErrorKind::InvalidValue`'s documentation lists exactly these, but
/// `Inventory::from_json_slice` maps every serde error, including the ones the
/// value types raise themselves, to `ErrorKind::Json` (reported; see
/// fuzz/README.md). The message does name the JSON path and the value. If
/// the loader is changed to classify them as `InvalidValue`, change this line.
const IN_JSON: ErrorKind = ErrorKind::Json;

fn cases() -> Vec<Case> {
    use ErrorKind::*;
    let long_id = "x".repeat(MAX_ID_LEN + 1);
    let huge_id = "y".repeat(1 << 20);
    let example = std::fs::read("examples/article-inventory.json").unwrap();
    let scratch = std::env::temp_dir().join(format!("clearance-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let bad_file = scratch.join("bad-inventory.json");
    std::fs::write(&bad_file, br#"{"vendors": [{"id": "acme", "name": "Acme", "incorporated": "UK", "headquarters": "GB"}]}"#).unwrap();

    vec![
        // --- JSON text ---------------------------------------------------
        case("empty input", text(""), Json, &["EOF", "line 1"]),
        case("truncated object", text(r#"{"vendors": [{"id": "x""#), Json, &["EOF", "line 1 column 23"]),
        case(
            "truncated example file",
            Input::Json(example[..example.len() / 2].to_vec()),
            Json,
            &["EOF"],
        ),
        case(
            "non-UTF-8 bytes in an id",
            Input::Json(b"{\"vendors\": [{\"id\": \"acme\xff\xfe\", \"name\": \"A\", \"incorporated\": \"GB\", \"headquarters\": \"GB\"}]}".to_vec()),
            Json,
            &["vendors[0].id", "unicode"],
        ),
        case(
            "Latin-1 text",
            Input::Json(b"{\"vendors\": [{\"id\": \"acme\", \"name\": \"Soci\xe9t\xe9\", \"incorporated\": \"FR\", \"headquarters\": \"FR\"}]}".to_vec()),
            Json,
            &["vendors[0].name", "line 1"],
        ),
        case(
            "UTF-16 text",
            Input::Json("{}".encode_utf16().flat_map(u16::to_le_bytes).collect()),
            Json,
            &["line 1"],
        ),
        case("trailing text", text("{} {}"), Json, &["trailing characters", "line 1 column 4"]),
        // A list is read as the struct's fields in order: the first must be a list.
        case("not an object", text("[1, 2]"), Json, &["`[0]`", "expected a sequence"]),
        case(
            "deep nesting where a list is expected",
            text(&format!("{{\"vendors\": [{}]}}", nested(100_000))),
            Json,
            &["vendors[0]"],
        ),
        case(
            "deep nesting at the top",
            text(&nested(1_000_000)),
            Json,
            &["`[0][0][0]`", "line 1 column 3"],
        ),
        case(
            "deep nesting in a name",
            text(&format!(r#"{{"vendors": [{{"id": "a", "name": {}}}]}}"#, nested(50_000))),
            Json,
            &["vendors[0].name"],
        ),
        case(
            "a list that is an object",
            edit(|v| v["vendors"] = json!({})),
            Json,
            &["`vendors`", "expected a sequence"],
        ),
        case(
            "a flag that is a string",
            edit(|v| v["products"][0]["privileged"] = json!("yes")),
            Json,
            &["products[0].privileged", "expected a boolean"],
        ),
        case(
            "a version that is a number",
            edit(|v| v["releases"][1]["version"] = json!(2)),
            Json,
            &["releases[1].version"],
        ),
        case(
            "null where a list is expected",
            edit(|v| v["systems"] = Value::Null),
            Json,
            &["`systems`"],
        ),
        case(
            "unknown top-level field",
            edit(|v| v["vendorz"] = json!([])),
            Json,
            &["unknown field `vendorz`"],
        ),
        case(
            "unknown field in a vendor",
            edit(|v| v["vendors"][1]["ceo"] = json!("someone")),
            Json,
            &["vendors[1]", "unknown field `ceo`"],
        ),
        case(
            "misspelt optional field",
            edit(|v| v["vendors"][1]["controled_by"] = json!("acme")),
            Json,
            &["vendors[1]", "controled_by"],
        ),
        case(
            "missing required field",
            edit(|v| {
                v["systems"][0].as_object_mut().unwrap().remove("owner");
            }),
            Json,
            &["systems[0]", "missing field `owner`"],
        ),
        case(
            "a key given twice",
            text(r#"{"vendors": [{"id": "a", "id": "b", "name": "A", "incorporated": "GB", "headquarters": "GB"}]}"#),
            Json,
            &["vendors[0]", "duplicate field `id`"],
        ),
        // --- values ------------------------------------------------------
        case(
            "an id with a space",
            edit(|v| v["vendors"][0]["id"] = json!("acme ltd")),
            IN_JSON,
            &["vendors[0].id", "acme ltd", "' '"],
        ),
        case(
            "an empty id",
            edit(|v| v["products"][0]["id"] = json!("")),
            IN_JSON,
            &["products[0].id", "1 to 128"],
        ),
        case(
            "an id one byte too long",
            edit(|v| v["releases"][0]["id"] = json!(long_id)),
            IN_JSON,
            &["releases[0].id", "1 to 128", &"x".repeat(40)],
        ),
        case(
            "a megabyte id",
            edit(|v| v["systems"][0]["id"] = json!(huge_id)),
            IN_JSON,
            &["systems[0].id", "1 to 128"],
        ),
        case(
            "a non-ASCII id",
            edit(|v| v["organisations"][0]["id"] = json!("gov-ü")),
            IN_JSON,
            &["organisations[0].id", "'ü'"],
        ),
        case(
            "the United Kingdom as UK",
            edit(|v| v["vendors"][0]["incorporated"] = json!("UK")),
            IN_JSON,
            &["vendors[0].incorporated", "\"GB\""],
        ),
        case(
            "a lower-case country",
            edit(|v| v["organisations"][1]["country"] = json!("gb")),
            IN_JSON,
            &["organisations[1].country", "\"gb\""],
        ),
        case(
            "a version without minor and patch",
            edit(|v| v["releases"][0]["version"] = json!("5")),
            IN_JSON,
            &["releases[0].version"],
        ),
        case(
            "a version with a leading zero",
            edit(|v| v["releases"][0]["version"] = json!("05.0.0")),
            IN_JSON,
            &["releases[0].version", "leading zero"],
        ),
        case(
            "a version too large for Cedar",
            edit(|v| v["releases"][0]["version"] = json!("9223372036854775808.0.0")),
            InvalidValue,
            &["release `acme-av-5`", "9223372036854775807"],
        ),
        case(
            "a version range that does not parse",
            edit(|v| v["authorisations"][0]["versions"] = json!("=>5")),
            IN_JSON,
            &["authorisations[0].versions"],
        ),
        case(
            "an unknown assurance level",
            edit(|v| v["authorisations"][0]["assurance"] = json!("fedramp:extreme")),
            IN_JSON,
            &["authorisations[0].assurance", "fedramp:extreme", "low, moderate, high"],
        ),
        case(
            "an unknown assurance scheme",
            edit(|v| v["systems"][0]["requires"] = json!(["iso:27001"])),
            IN_JSON,
            &["systems[0].requires", "iso"],
        ),
        case(
            "an unknown category",
            edit(|v| v["products"][1]["category"] = json!("antivirus-ish")),
            IN_JSON,
            &["products[1].category", "antivirus-ish"],
        ),
        case(
            "an unknown sector",
            edit(|v| v["organisations"][0]["sector"] = json!("government")),
            IN_JSON,
            &["organisations[0].sector", "\"government\""],
        ),
        case(
            "an unknown action in a waiver",
            edit(|v| v["waivers"][0]["actions"] = json!(["operate", "buy"])),
            IN_JSON,
            &["waivers[0].actions", "\"buy\""],
        ),
        case(
            "a date that does not exist",
            edit(|v| v["waivers"][0]["until"] = json!("2023-02-29")),
            IN_JSON,
            &["waivers[0].until", "2023-02-29"],
        ),
        case(
            "a month 13",
            edit(|v| v["authorisations"][0]["lapses"] = json!("2024-13-01")),
            IN_JSON,
            &["authorisations[0].lapses", "2024-13-01"],
        ),
        case(
            "a date-time without an offset",
            edit(|v| v["waivers"][0]["until"] = json!("2030-01-01T10:00:00")),
            IN_JSON,
            &["waivers[0].until", "UTC offset"],
        ),
        case(
            "a date-time before the year 0000",
            edit(|v| v["waivers"][0]["from"] = json!("0000-01-01T00:00:00+00:01")),
            IN_JSON,
            &["waivers[0].from", "0000 to 9999"],
        ),
        case(
            "a five-digit year",
            edit(|v| v["waivers"][0]["until"] = json!("10000-01-01")),
            IN_JSON,
            &["waivers[0].until", "10000-01-01"],
        ),
        case(
            "a date as a number",
            edit(|v| v["waivers"][0]["until"] = json!(20300101)),
            Json,
            &["waivers[0].until"],
        ),
        case(
            "a megabyte string where a flag is expected",
            edit(|v| v["products"][0]["privileged"] = json!("q".repeat(1 << 20))),
            Json,
            &["products[0].privileged", "expected a boolean"],
        ),
        case(
            "a megabyte date",
            edit(|v| v["waivers"][0]["until"] = json!(format!("2030-01-01T{}", "9".repeat(1 << 20)))),
            IN_JSON,
            &["waivers[0].until", "2030-01-01T999"],
        ),
        case(
            "a megabyte category",
            edit(|v| v["products"][0]["category"] = json!("c".repeat(1 << 20))),
            IN_JSON,
            &["products[0].category"],
        ),
        case(
            "a blank name",
            edit(|v| v["vendors"][2]["name"] = json!("   ")),
            InvalidValue,
            &["vendor `beta`", "`name` is empty"],
        ),
        case(
            "OFFICIAL-SENSITIVE on a SECRET system",
            edit(|v| {
                v["systems"][0]["classification"] = json!("secret");
                v["systems"][0]["official_sensitive"] = json!(true);
            }),
            InvalidValue,
            &["system `desktops`", "OFFICIAL-SENSITIVE"],
        ),
        // --- ids and references -------------------------------------------
        case(
            "two vendors with one id",
            edit(|v| v["vendors"][2]["id"] = json!("acme")),
            DuplicateId,
            &["vendor", "`acme`"],
        ),
        case(
            "two releases with one id",
            edit(|v| v["releases"][1]["id"] = json!("acme-av-5")),
            DuplicateId,
            &["release", "`acme-av-5`"],
        ),
        case(
            "a deployment listed twice",
            edit(|v| {
                let d = v["deployments"][0].clone();
                v["deployments"].as_array_mut().unwrap().push(d);
            }),
            DuplicateId,
            &["deployment #1", "acme-av-5 on desktops"],
        ),
        case(
            "redefining a built-in country group",
            edit(|v| {
                v["country_groups"] = json!([{"id": "us-foreign-adversaries", "name": "Mine", "countries": ["RU"]}]);
            }),
            DuplicateId,
            &["`us-foreign-adversaries`", "built in"],
        ),
        case(
            "a product of a vendor not in the inventory",
            edit(|v| v["products"][0]["vendor"] = json!("ghost")),
            DanglingReference,
            &["product `acme-av`", "`vendor`", "`ghost`"],
        ),
        case(
            "a release of a product not in the inventory",
            edit(|v| v["releases"][0]["product"] = json!("ghost-av")),
            DanglingReference,
            &["release `acme-av-5`", "`ghost-av`"],
        ),
        case(
            "a component not in the inventory",
            edit(|v| v["releases"][1]["components"] = json!(["acme-av-5", "ghost-sdk"])),
            DanglingReference,
            &["release `beta-suite-2`", "`components`", "`ghost-sdk`"],
        ),
        case(
            "a controller not in the inventory",
            edit(|v| v["vendors"][1]["controlled_by"] = json!("acme-holdings")),
            DanglingReference,
            &["vendor `acme-sub`", "`controlled_by`", "`acme-holdings`"],
        ),
        case(
            "a system owned by nobody known",
            edit(|v| v["systems"][0]["owner"] = json!("ghost-org")),
            DanglingReference,
            &["system `desktops`", "`ghost-org`"],
        ),
        case(
            "a parent organisation not in the inventory",
            edit(|v| v["organisations"][1]["parent"] = json!("ghost-gov")),
            DanglingReference,
            &["organisation `dept`", "`ghost-gov`"],
        ),
        case(
            "an authorisation of an unknown product",
            edit(|v| v["authorisations"][0]["product"] = json!("ghost-av")),
            DanglingReference,
            &["authorisation `cc-1`", "`ghost-av`"],
        ),
        case(
            "a waiver for an unknown vendor",
            edit(|v| v["waivers"][0]["vendors"] = json!(["ghost"])),
            DanglingReference,
            &["waiver `w1`", "`vendors`", "`ghost`"],
        ),
        case(
            "a deployment of an unknown release",
            edit(|v| v["deployments"][0]["release"] = json!("ghost-release")),
            DanglingReference,
            &["deployment #0", "`ghost-release`"],
        ),
        case(
            "a deployment on an unknown system",
            edit(|v| v["deployments"][0]["system"] = json!("ghost-system")),
            DanglingReference,
            &["deployment #0", "`ghost-system`"],
        ),
        // --- ownership, control and the registry -----------------------------
        case(
            "an owner not in the inventory",
            edit(|v| v["vendors"][1]["owners"] = json!([{"owner": "ghost-holding", "share": 60}])),
            DanglingReference,
            &["vendor `acme-sub`", "`owners`", "`ghost-holding`", "shipped registry"],
        ),
        case(
            "a negative share",
            edit(|v| v["vendors"][1]["owners"] = json!([{"owner": "acme", "share": -5}])),
            IN_JSON,
            &["vendors[1].owners[0].share", "-5", "percentage from 0 to 100"],
        ),
        case(
            "a share over 100%",
            edit(|v| v["vendors"][1]["owners"] = json!([{"owner": "acme", "share": 100.5}])),
            IN_JSON,
            &["vendors[1].owners[0].share", "100.5"],
        ),
        case(
            "a share with three decimals",
            edit(|v| v["vendors"][1]["owners"] = json!([{"owner": "acme", "share": 33.333}])),
            IN_JSON,
            &["vendors[1].owners[0].share", "more than two decimals"],
        ),
        case(
            "shares adding up to more than 100%",
            edit(|v| {
                v["parties"] = json!([{"id": "fund", "name": "A fund", "kind": "fund"}]);
                v["vendors"][1]["controlled_by"] = Value::Null;
                v["vendors"][1]["owners"] =
                    json!([{"owner": "acme", "share": 70}, {"owner": "fund", "share": 40}]);
            }),
            InvalidValue,
            &["vendor `acme-sub`", "110%", "more than 100%"],
        ),
        case(
            "shares over 100% only while two stakes overlap",
            edit(|v| {
                v["parties"] = json!([{"id": "fund", "name": "A fund", "kind": "fund"}]);
                v["vendors"][1]["controlled_by"] = Value::Null;
                v["vendors"][1]["owners"] = json!([
                    {"owner": "acme", "share": 70, "until": "2020-01-01"},
                    {"owner": "fund", "share": 40, "from": "2019-06-01"}
                ]);
            }),
            InvalidValue,
            &["vendor `acme-sub`", "110%", "from 2019-06-01"],
        ),
        case(
            "a stake that ends before it starts",
            edit(|v| {
                v["vendors"][1]["owners"] =
                    json!([{"owner": "acme", "from": "2020-01-01", "until": "2019-01-01"}]);
            }),
            InvalidValue,
            &["vendor `acme-sub`", "`acme`", "`from` is not before `until`"],
        ),
        case(
            "an owner listed twice at once",
            edit(|v| v["vendors"][1]["owners"] = json!([{"owner": "acme", "share": 20, "controls": true}])),
            InvalidValue,
            &["vendor `acme-sub`", "`acme` is listed twice"],
        ),
        case(
            "ownership going round through a party",
            edit(|v| {
                v["parties"] = json!([{"id": "trust", "name": "A trust", "kind": "fund",
                                       "owners": [{"owner": "acme-sub", "share": 10}]}]);
                v["vendors"][0]["owners"] = json!([{"owner": "trust", "share": 30}]);
            }),
            Cycle,
            &["ownership goes round", "acme", "acme-sub", "trust"],
        ),
        case(
            "a vendor and a party with one id",
            edit(|v| v["parties"] = json!([{"id": "beta", "name": "Beta Holdings", "kind": "holding-company"}])),
            DuplicateId,
            &["`beta`", "vendors and parties share ids"],
        ),
        case(
            "a party of an unknown kind",
            edit(|v| v["parties"] = json!([{"id": "p", "name": "P", "kind": "cooperative"}])),
            IN_JSON,
            &["parties[0].kind", "cooperative", "holding-company"],
        ),
        case(
            "a blocking without who blocked it",
            edit(|v| v["vendors"][2]["blocked"] = json!({"by": " ", "from": "2024-06-21"})),
            InvalidValue,
            &["vendor `beta`", "`blocked.by` is empty"],
        ),
        case(
            "a registry company defined again",
            edit(|v| v["vendors"][2]["id"] = json!("ao-kaspersky-lab")),
            DuplicateId,
            &["vendor `ao-kaspersky-lab`", "shipped registry", "\"registry\": false"],
        ),
        case(
            "a registry company defined otherwise",
            edit(|v| {
                v["vendors"].as_array_mut().unwrap().push(json!({
                    "id": "kaspersky-lab-inc", "name": "Kaspersky Lab, Inc.",
                    "incorporated": "GB", "headquarters": "US"
                }))
            }),
            DuplicateId,
            &["vendor `kaspersky-lab-inc`", "says otherwise", "incorporated in US"],
        ),
        case(
            "a registry company under another id",
            edit(|v| v["vendors"][2]["name"] = json!("Kaspersky Labs Ltd.")),
            DuplicateId,
            &["vendor `beta`", "`kaspersky-labs-limited`", "refer to"],
        ),
        case(
            "a registry id without the registry",
            edit(|v| {
                v["registry"] = json!(false);
                v["vendors"][1]["controlled_by"] = json!("kaspersky-labs-limited");
            }),
            DanglingReference,
            &["vendor `acme-sub`", "`controlled_by`", "`kaspersky-labs-limited`"],
        ),
        case(
            "a nonessential component that is not a component",
            edit(|v| v["releases"][1]["nonessential_components"] = json!(["beta-suite-2"])),
            InvalidValue,
            &["release `beta-suite-2`", "`nonessential_components`", "not one of its `components`"],
        ),
        case(
            "a waiver naming no rule of the policy set",
            engine_of(|v| v["waivers"][0]["rules"] = json!(["us-ndaa-889/agency-telecon"])),
            DanglingReference,
            &["waiver `w1`", "`us-ndaa-889/agency-telecon`", "no rule of the policy set"],
        ),
        case(
            "a waiver naming a rule that accepts no waivers",
            engine_of(|v| v["waivers"][0]["rules"] = json!(["us-bod-17-01/kaspersky-security-products"])),
            DanglingReference,
            &["waiver `w1`", "`us-bod-17-01/kaspersky-security-products`", "accepts no waivers"],
        ),
        case(
            "a blanket exception to a rule that allows none (OMB M-23-13)",
            engine_of(|v| {
                v["waivers"][0]["rules"] = json!(["us-no-tiktok-act/agency-it"]);
                v["waivers"][0]["systems"] = json!([]);
                v["waivers"][0]["organisations"] = json!(["dept"]);
            }),
            InvalidValue,
            &["waiver `w1`", "`us-no-tiktok-act/agency-it`", "no blanket exceptions", "`systems`"],
        ),
        case(
            "an unknown waiver kind",
            edit(|v| v["waivers"][0]["kind"] = json!("forbearance")),
            Json,
            &["waivers[0].kind", "\"forbearance\"", "non-enforcement"],
        ),
        case(
            "an unknown device",
            edit(|v| v["systems"][0]["device"] = json!("phone")),
            Json,
            &["systems[0].device", "\"phone\"", "mobile"],
        ),
        case(
            "an unknown product a law names",
            edit(|v| v["products"][0]["known_as"] = json!("tik-tok")),
            Json,
            &["products[0].known_as", "\"tik-tok\"", "tiktok"],
        ),
        case(
            "a @binds naming an unknown role",
            policy(r#"@id("mine/b") @reason("a rule of mine") @binds("role:app-shop") forbid (principal, action, resource);"#),
            PolicyAnnotation,
            &["mine/b", "@binds", "app-shop"],
        ),
        case(
            "a @waivers with another value than systems",
            policy(r#"@id("mine/w") @reason("a rule of mine") @waivers("organisations") forbid (principal, action, resource);"#),
            PolicyAnnotation,
            &["mine/w", "@waivers", "\"systems\""],
        ),
        // --- cycles ----------------------------------------------------------
        case(
            "a vendor controlling itself",
            edit(|v| v["vendors"][2]["controlled_by"] = json!("beta")),
            Cycle,
            &["vendor `beta`", "beta -> beta"],
        ),
        case(
            "control going round three vendors",
            edit(|v| {
                v["vendors"][0]["controlled_by"] = json!("beta");
                v["vendors"][2]["controlled_by"] = json!("acme-sub");
            }),
            Cycle,
            &["control goes round", "acme", "acme-sub", "beta"],
        ),
        case(
            "a release embedding itself",
            edit(|v| v["releases"][0]["components"] = json!(["acme-av-5"])),
            Cycle,
            &["acme-av-5 embeds acme-av-5"],
        ),
        case(
            "two releases embedding each other",
            edit(|v| v["releases"][0]["components"] = json!(["beta-suite-2"])),
            Cycle,
            &["embed each other", "acme-av-5", "beta-suite-2"],
        ),
        case(
            "organisations in a circle",
            edit(|v| v["organisations"][0]["parent"] = json!("dept")),
            Cycle,
            &["organisation", "parent goes round", "gov", "dept"],
        ),
        // --- waivers -----------------------------------------------------------
        case(
            "a waiver of no rule",
            edit(|v| v["waivers"][0]["rules"] = json!([])),
            InvalidValue,
            &["waiver `w1`", "`rules` is empty"],
        ),
        case(
            "a waiver for no action",
            edit(|v| v["waivers"][0]["actions"] = json!([])),
            InvalidValue,
            &["waiver `w1`", "`actions` is empty"],
        ),
        case(
            "a waiver for no product or vendor",
            edit(|v| v["waivers"][0]["vendors"] = json!([])),
            InvalidValue,
            &["waiver `w1`", "`products` and `vendors`"],
        ),
        case(
            "a waiver for no system or organisation",
            edit(|v| v["waivers"][0]["systems"] = json!([])),
            InvalidValue,
            &["waiver `w1`", "`systems` and `organisations`"],
        ),
        case(
            "a waiver ending before it starts",
            edit(|v| v["waivers"][0]["from"] = json!("2031-01-01")),
            InvalidValue,
            &["waiver `w1`", "`from` is not before `until`"],
        ),
        case(
            "a waiver granted by nobody",
            edit(|v| v["waivers"][0]["granted_by"] = json!("")),
            InvalidValue,
            &["waiver `w1`", "`granted_by`"],
        ),
        // --- files -----------------------------------------------------------
        case(
            "an inventory file that does not exist",
            Input::InventoryFile(scratch.join("missing.json")),
            Io,
            &["missing.json"],
        ),
        case(
            "an inventory file with a bad value",
            Input::InventoryFile(bad_file),
            IN_JSON,
            &["bad-inventory.json", "vendors[0].incorporated", "\"UK\""],
        ),
        case(
            "a policy file that does not exist",
            Input::PolicyFile(scratch.join("missing.cedar")),
            Io,
            &["missing.cedar"],
        ),
        // --- packs, actions, instants, questions -------------------------------
        case(
            "an unknown pack",
            Input::Packs(vec!["baseline".into(), "uk-ncsc-2018".into()]),
            UnknownPack,
            &["\"uk-ncsc-2018\"", "uk-ncsc-2017"],
        ),
        case(
            "a pack name in capitals",
            Input::Packs(vec!["BASELINE".into()]),
            UnknownPack,
            &["\"BASELINE\""],
        ),
        case("an unknown action", Input::Action("buy".into()), UnknownAction, &["\"buy\"", "procure"]),
        case("an action in capitals", Input::Action("Deploy".into()), UnknownAction, &["\"Deploy\""]),
        case(
            "an instant that is a word",
            Input::Instant("yesterday".into()),
            InvalidValue,
            &["\"yesterday\""],
        ),
        case(
            "an instant at 24:00",
            Input::Instant("2024-09-29T24:00:00Z".into()),
            InvalidValue,
            &["2024-09-29T24:00:00Z", "out of range"],
        ),
        case(
            "a question about an unknown system",
            Input::Query("ghost-system".into(), "acme-av-5".into()),
            UnknownSystem,
            &["`ghost-system`"],
        ),
        case(
            "a question about an unknown release",
            Input::Query("desktops".into(), "ghost-release".into()),
            UnknownRelease,
            &["`ghost-release`"],
        ),
        case(
            "a question with a megabyte system id",
            Input::Query("z".repeat(1 << 20), "acme-av-5".into()),
            UnknownSystem,
            &[&"z".repeat(40)],
        ),
        case(
            "a question naming a product, not a release",
            Input::Query("desktops".into(), "acme-av".into()),
            UnknownRelease,
            &["`acme-av`"],
        ),
        // --- policies ----------------------------------------------------------
        case(
            "a syntax error",
            policy("@id(\"mine/a\")\n@reason(\"r\")\nforbid (principal, action, resource)\nwhen { principal.tier >= };"),
            PolicySyntax,
            &["bad.cedar", "line 4"],
        ),
        case(
            "an unterminated string",
            policy("@id(\"mine/a\")\n@reason(\"r)\nforbid (principal, action, resource);"),
            PolicySyntax,
            &["bad.cedar", "line 2"],
        ),
        case(
            "text that is not Cedar",
            policy("{\"vendors\": []}"),
            PolicySyntax,
            &["bad.cedar", "line 1, column 1"],
        ),
        case(
            "a template",
            policy("@id(\"mine/t\")\n@reason(\"r\")\npermit (principal == ?principal, action, resource);"),
            PolicySyntax,
            &["bad.cedar", "templates are not supported"],
        ),
        case(
            "an attribute the schema does not have",
            policy("@id(\"mine/colour\")\n@reason(\"r\")\nforbid (principal, action, resource) when { resource.colour == \"red\" };"),
            PolicyValidation,
            &["bad.cedar", "policy `mine/colour`", "colour"],
        ),
        case(
            "a comparison of the wrong types",
            policy("@id(\"mine/types\")\n@reason(\"r\")\nforbid (principal, action, resource) when { principal.tier == \"3\" };"),
            PolicyValidation,
            &["bad.cedar", "policy `mine/types`"],
        ),
        case(
            "an entity type the schema does not have",
            policy("@id(\"mine/type\")\n@reason(\"r\")\nforbid (principal, action, resource in Company::\"acme\");"),
            PolicyValidation,
            &["policy `mine/type`", "Company"],
        ),
        case(
            "an action the schema does not have",
            policy("@id(\"mine/buy\")\n@reason(\"r\")\nforbid (principal, action == Action::\"buy\", resource);"),
            PolicyValidation,
            &["policy `mine/buy`", "buy"],
        ),
        case(
            "a context attribute that does not exist",
            policy("@id(\"mine/ctx\")\n@reason(\"r\")\nforbid (principal, action, resource) when { context.user == \"bob\" };"),
            PolicyValidation,
            &["policy `mine/ctx`", "user"],
        ),
        case(
            "a policy without @id",
            policy("@id(\"mine/ok\")\n@reason(\"r\")\nforbid (principal, action, resource) when { resource.audited };\n@reason(\"r\")\nforbid (principal, action, resource);"),
            PolicyAnnotation,
            &["bad.cedar", "policy #2 in the text", "@id"],
        ),
        case(
            "a policy without @reason",
            policy("@id(\"mine/no-reason\")\nforbid (principal, action, resource);"),
            PolicyAnnotation,
            &["policy `mine/no-reason`", "@reason"],
        ),
        case(
            "a blank @reason",
            policy("@id(\"mine/blank\")\n@reason(\"  \")\nforbid (principal, action, resource);"),
            PolicyAnnotation,
            &["policy `mine/blank`", "@reason"],
        ),
        case(
            "an @id with spaces",
            policy("@id(\"my rule\")\n@reason(\"r\")\nforbid (principal, action, resource);"),
            PolicyAnnotation,
            &["\"my rule\"", "1 to 128"],
        ),
        case(
            "an @id too long",
            policy(&format!("@id(\"{}\")\n@reason(\"r\")\nforbid (principal, action, resource);", "r".repeat(129))),
            PolicyAnnotation,
            &["1 to 128"],
        ),
        case(
            "an @id a hundred kilobytes long",
            policy(&format!("@id(\"{}\")\n@reason(\"r\")\nforbid (principal, action, resource);", "i".repeat(100_000))),
            PolicyAnnotation,
            &["bad.cedar", "1 to 128"],
        ),
        case(
            "a long attribute name",
            policy(&format!("@id(\"mine/long\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ resource.{} }};", "a".repeat(2000))),
            PolicyValidation,
            &["policy `mine/long`"],
        ),
        case(
            "an unterminated string of a hundred kilobytes",
            policy(&format!("@id(\"mine/s\")\n@reason(\"{}", "s".repeat(100_000))),
            PolicySyntax,
            &["bad.cedar", "line 2"],
        ),
        case(
            "deeply nested parentheses",
            policy(&format!("@id(\"mine/deep\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {}true{} }};", "(".repeat(100_000), ")".repeat(100_000))),
            PolicySyntax,
            &["bad.cedar", "line 3, column 60", "nest more than 16"],
        ),
        case(
            "sets nested 17 deep",
            policy(&format!("@id(\"mine/sets\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {}1{}.isEmpty() }};", "[".repeat(16), "]".repeat(16))),
            PolicySyntax,
            &["bad.cedar", "line 3", "nest more than 16"],
        ),
        case(
            "records nested a thousand deep",
            policy(&format!("@id(\"mine/records\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {}1{} has a }};", "{a: ".repeat(1000), "}".repeat(1000))),
            PolicySyntax,
            &["bad.cedar", "nest more than 16"],
        ),
        case(
            "an else-if chain a thousand long",
            policy(&format!("@id(\"mine/ifs\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {}true }};", "if principal.critical then true else ".repeat(1000))),
            PolicySyntax,
            &["bad.cedar", "`if` nests more than 32"],
        ),
        case(
            "a chain of ten thousand ors",
            policy(&format!("@id(\"mine/ors\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {} }};", vec!["principal.critical"; 10_000].join(" || "))),
            PolicySyntax,
            &["bad.cedar", "at most 4096 operators"],
        ),
        case(
            "more than a megabyte of policy text",
            policy(&format!("// {}\n@id(\"mine/big\")\n@reason(\"r\")\nforbid (principal, action, resource);", "x".repeat(1 << 20))),
            PolicySyntax,
            &["bad.cedar", "at most 1048576"],
        ),
        case(
            "a deeply nested negation",
            policy(&format!("@id(\"mine/not\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {}principal.critical }};", "!".repeat(100_000))),
            PolicySyntax,
            &["bad.cedar"],
        ),
        case(
            "@advice on a permit",
            policy("@id(\"mine/advice-permit\")\n@reason(\"r\")\n@advice\npermit (principal, action, resource);"),
            PolicyAnnotation,
            &["policy `mine/advice-permit`", "@advice", "permit"],
        ),
        case(
            "@advice with a value",
            policy("@id(\"mine/advice-value\")\n@reason(\"r\")\n@advice(\"yes\")\nforbid (principal, action, resource);"),
            PolicyAnnotation,
            &["policy `mine/advice-value`", "@advice takes no value"],
        ),
        case(
            "an empty @source",
            policy("@id(\"mine/source\")\n@reason(\"r\")\n@source(\"\")\nforbid (principal, action, resource);"),
            PolicyAnnotation,
            &["policy `mine/source`", "@source"],
        ),
        case(
            "two policies with one @id",
            policy("@id(\"mine/twice\")\n@reason(\"r\")\nforbid (principal, action, resource) when { resource.audited };\n@id(\"mine/twice\")\n@reason(\"r\")\nforbid (principal, action, resource) when { resource.audited };"),
            DuplicatePolicyId,
            &["bad.cedar", "policy `mine/twice`"],
        ),
        case(
            "the @id of a shipped rule",
            policy("@id(\"uk-ncsc-2017/secret-and-above\")\n@reason(\"r\")\nforbid (principal, action, resource) when { resource.audited };"),
            DuplicatePolicyId,
            &["policy `uk-ncsc-2017/secret-and-above`"],
        ),
    ]
}

#[test]
fn every_bad_input_gets_a_typed_error_naming_the_culprit() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let started = std::time::Instant::now();
        let result = run(&case.input);
        if std::env::var_os("BAD_INPUT_TIMES").is_some() {
            eprintln!("{:>8.3}s {}", started.elapsed().as_secs_f64(), case.name);
        }
        match result {
            Ok(()) => failures.push(format!("{}: accepted", case.name)),
            Err(err) => {
                if err.kind() != case.kind {
                    failures.push(format!(
                        "{}: kind {:?}, expected {:?}: {err}",
                        case.name,
                        err.kind(),
                        case.kind
                    ));
                }
                for word in &case.mentions {
                    if !err.message().contains(word.as_str()) {
                        failures.push(format!(
                            "{}: message does not mention {word:?}: {err}",
                            case.name
                        ));
                    }
                }
                // Messages stay readable whatever the size of the input.
                if err.message().len() > 4096 {
                    failures.push(format!(
                        "{}: message of {} bytes",
                        case.name,
                        err.message().len()
                    ));
                }
                // Display is the message.
                assert_eq!(err.to_string(), err.message());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn error_kinds_fall_in_their_groups() {
    for case in cases() {
        let kind = case.kind;
        let groups = [kind.is_inventory(), kind.is_policy(), kind.is_query()];
        let expected = match (&case.input, kind) {
            (_, ErrorKind::Io) => [false, false, false],
            // A bad instant is a bad value wherever it is written.
            (Input::Instant(_), _) => [true, false, false],
            (Input::Json(_) | Input::InventoryFile(_) | Input::Engine(_), _) => {
                [true, false, false]
            }
            (Input::Policy(_) | Input::Packs(_) | Input::PolicyFile(_), _) => [false, true, false],
            (Input::Query(..) | Input::Action(_), _) => [false, false, true],
        };
        assert_eq!(groups, expected, "{}: {kind:?}", case.name);
    }
}

// ---------------------------------------------------------------------------
// Nothing half-loaded
// ---------------------------------------------------------------------------

#[test]
fn a_failed_policy_addition_leaves_the_set_as_it_was() {
    let mut policies = Policies::from_packs(&[Pack::Baseline, Pack::UkNcsc2017]).unwrap();
    let before: Vec<String> = policies.rules().map(|r| r.id().to_owned()).collect();
    let texts = [
        // A good policy, then one failing validation.
        "@id(\"mine/good\")\n@reason(\"r\")\nforbid (principal, action, resource) when { resource.audited };\n\
         @id(\"mine/bad\")\n@reason(\"r\")\nforbid (principal, action, resource) when { resource.colour };",
        // A good policy, then one without @reason.
        "@id(\"mine/good\")\n@reason(\"r\")\nforbid (principal, action, resource) when { resource.audited };\n\
         @id(\"mine/bad\")\nforbid (principal, action, resource);",
        // A good advice, then a duplicate of a shipped id.
        "@id(\"mine/good\")\n@reason(\"r\")\n@advice\nforbid (principal, action, resource);\n\
         @id(\"baseline/permit-unless-forbidden\")\n@reason(\"r\")\npermit (principal, action, resource);",
    ];
    for text in texts {
        assert!(policies.add_text("mixed.cedar", text).is_err());
        let after: Vec<String> = policies.rules().map(|r| r.id().to_owned()).collect();
        assert_eq!(after, before);
        assert!(policies.rule("mine/good").is_none());
        assert_eq!(
            policies.binding().policies().count() + policies.advice().policies().count(),
            before.len()
        );
    }
    // And the set still works: the good policy alone goes in.
    policies
        .add_text("good.cedar", "@id(\"mine/good\")\n@reason(\"r\")\nforbid (principal, action, resource) when { resource.audited };")
        .unwrap();
    assert_eq!(policies.len(), before.len() + 1);
}

#[test]
fn a_bad_inventory_never_reaches_an_engine() {
    // The engine re-checks an inventory built or edited in Rust.
    let mut inventory: Inventory = serde_json::from_value(base()).unwrap();
    inventory.vendors[0].controlled_by = Some("acme-sub".parse().unwrap());
    let err = Engine::new(inventory, Policies::all_packs().unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cycle);
    assert!(err.message().contains("acme"), "{err}");

    let mut inventory: Inventory = serde_json::from_value(base()).unwrap();
    inventory.releases[0].version = semver::Version::new(u64::MAX, 0, 0);
    let err = Engine::new(inventory, Policies::all_packs().unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert!(err.message().contains("release `acme-av-5`"), "{err}");
}

// ---------------------------------------------------------------------------
// Evaluation errors fail closed
// ---------------------------------------------------------------------------

/// The base inventory with releases of major versions 0, 1 and 2.
fn engine_with(text: &str) -> Engine {
    let mut v = base();
    v["releases"] = json!([
        {"id": "v0", "product": "acme-av", "version": "0.1.0"},
        {"id": "v1", "product": "acme-av", "version": "1.0.0"},
        {"id": "v2", "product": "acme-av", "version": "2.0.0"},
        {"id": "acme-av-5", "product": "acme-av", "version": "5.0.0"}
    ]);
    v["deployments"] = json!([
        {"system": "desktops", "release": "v0"},
        {"system": "desktops", "release": "v2"}
    ]);
    let inventory: Inventory = serde_json::from_value(v).unwrap();
    let mut policies = Policies::all_packs().unwrap();
    policies.add_text("runtime.cedar", text).unwrap();
    Engine::new(inventory, policies).unwrap()
}

fn decide(engine: &Engine, release: &str) -> clearance::Decision {
    engine
        .decide(&Query::new("desktops", Action::Deploy, release).at("2024-01-01".parse().unwrap()))
        .unwrap()
}

const OVERFLOW: &str = r#"
@id("test/overflow")
@reason("Overflows for a major version of 2 or more.")
forbid (principal, action, resource)
when { resource.major * 9223372036854775807 > 0 };
"#;

#[test]
fn an_integer_overflow_denies_with_the_error() {
    let engine = engine_with(OVERFLOW);
    // The baseline permit is there: without the error this would be Allow.
    assert!(engine
        .policies()
        .rule("baseline/permit-unless-forbidden")
        .is_some());

    let zero = decide(&engine, "v0");
    assert!(zero.allowed(), "{zero}");
    assert!(zero.errors().is_empty());

    let one = decide(&engine, "v1");
    assert!(!one.allowed());
    assert_eq!(one.rule_ids(), ["test/overflow"]);
    assert!(one.errors().is_empty());

    let two = decide(&engine, "v2");
    assert!(!two.allowed(), "{two}");
    assert_eq!(two.errors().len(), 1, "{two}");
    assert!(two.errors()[0].contains("test/overflow"), "{two}");
    assert!(two.errors()[0].contains("overflow"), "{two}");
    // No rule decided it, and no permit is offered as the reason.
    assert!(two.rule_ids().is_empty(), "{two}");
    assert!(two.to_string().contains("error"), "{two}");

    // The same through the sweep and the matrix.
    let sweep = engine.sweep("2024-01-01".parse().unwrap());
    let verdicts: Vec<(String, bool)> = sweep
        .iter()
        .map(|(d, x)| (d.release.to_string(), x.allowed()))
        .collect();
    assert_eq!(
        verdicts,
        [("v0".to_owned(), true), ("v2".to_owned(), false)]
    );
    let matrix = engine.matrix(Action::Update, "2024-01-01".parse().unwrap());
    let cell = matrix.get("acme-av-5", "desktops").unwrap();
    assert!(!cell.allowed() && !cell.errors().is_empty(), "{cell}");
}

#[test]
fn reading_an_entity_that_is_not_in_the_store_denies_with_the_error() {
    let engine = engine_with(
        r#"
        @id("test/ghost")
        @reason("Reads a vendor the inventory does not have.")
        forbid (principal, action, resource)
        when { Vendor::"ghost".name == "x" };
        "#,
    );
    let decision = decide(&engine, "v0");
    assert!(!decision.allowed(), "{decision}");
    assert!(!decision.errors().is_empty());
    assert!(
        decision.errors().iter().any(|e| e.contains("test/ghost")),
        "{decision}"
    );
    assert!(
        decision.errors().iter().any(|e| e.contains("ghost")),
        "{decision}"
    );
}

#[test]
fn an_error_in_advice_or_in_an_unless_still_denies() {
    for text in [
        // Advice that fails: advice cannot deny, but an error does.
        r#"@id("test/advice-error") @reason("r") @advice
           forbid (principal, action, resource) when { resource.major * 9223372036854775807 > 0 };"#,
        // A forbid whose exception fails: the exception must not be taken as granted.
        r#"@id("test/unless-error") @reason("r")
           forbid (principal, action, resource) when { true }
           unless { resource.major * 9223372036854775807 > 0 };"#,
        // A permit that fails is not a permit; the baseline's must not carry it.
        r#"@id("test/permit-error") @reason("r")
           permit (principal, action, resource) when { Vendor::"ghost".name == "x" };"#,
    ] {
        let engine = engine_with(text);
        let decision = decide(&engine, "v2");
        assert!(!decision.allowed(), "{text}\n{decision}");
        assert!(!decision.errors().is_empty(), "{text}\n{decision}");
        assert!(
            !decision
                .rule_ids()
                .contains(&"baseline/permit-unless-forbidden"),
            "{decision}"
        );
    }
}

#[test]
fn an_error_in_one_rule_does_not_hide_another_rules_deny() {
    let engine = engine_with(&format!(
        r#"{OVERFLOW}
        @id("test/always")
        @reason("Always forbids.")
        forbid (principal, action, resource);
        "#
    ));
    let decision = decide(&engine, "v2");
    assert!(!decision.allowed());
    assert_eq!(decision.rule_ids(), ["test/always"]);
    assert_eq!(decision.errors().len(), 1, "{decision}");
}

// ---------------------------------------------------------------------------
// Policies that can never apply
// ---------------------------------------------------------------------------

/// A `forbid` whose scope can never match a request (principal and resource
/// swapped, or a principal of the wrong type) would be a ban that silently
/// never applies: the author believes the product is banned, and every
/// answer is Allow. Cedar's validator reports these only as warnings
/// (`impossiblePolicy`, `invalidActionApplication`); `Policies::add_text`
/// refuses them (it accepted them until this test was written).
#[test]
fn a_forbid_that_can_never_apply_is_rejected() {
    for (id, head) in [
        // Principal and resource swapped: a System is never `in` a Vendor.
        (
            "mine/swapped",
            "forbid (principal in Vendor::\"ao-kaspersky-lab\", action, resource)",
        ),
        // The principal is a release.
        (
            "mine/wrong-type",
            "forbid (principal == Release::\"kes-12\", action, resource)",
        ),
        // The resource is an organisation.
        (
            "mine/wrong-resource",
            "forbid (principal, action, resource in Organisation::\"uk-mod\")",
        ),
    ] {
        let text = format!("@id(\"{id}\")\n@reason(\"r\")\n{head};");
        let mut policies = Policies::all_packs().unwrap();
        let err = policies
            .add_text("never.cedar", &text)
            .map(drop)
            .expect_err(&format!("{id} was accepted, and can never forbid anything"));
        assert_eq!(err.kind(), ErrorKind::PolicyValidation, "{err}");
        assert!(err.message().contains(id), "{err}");
    }
}

// ---------------------------------------------------------------------------
// Nesting limits: deep enough for any real policy, shallow enough for the stack
// ---------------------------------------------------------------------------

/// Policies at the nesting limits load, and are evaluated, on this test's own
/// thread (2 MiB of stack, a debug build): the limits leave room to spare.
#[test]
fn policies_at_the_nesting_limits_load_and_evaluate() {
    // `when {` and `.isEmpty(` take two levels; the sets take the rest.
    let sets = 16 - 2;
    let deep_sets = format!(
        "@id(\"limit/sets\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {}resource.major{}.isEmpty() }};",
        "[".repeat(sets),
        "]".repeat(sets)
    );
    let records = 16 - 1;
    let deep_records = format!(
        "@id(\"limit/records\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {}resource.major{}{} == 2 }};",
        "{a: ".repeat(records),
        "}".repeat(records),
        ".a".repeat(records)
    );
    let ifs = format!(
        "@id(\"limit/ifs\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {}resource.major == 2 }};",
        "if resource.major == 1 then false else ".repeat(16)
    );
    for text in [deep_sets, deep_records, ifs] {
        let engine = engine_with(&text);
        let two = decide(&engine, "v2");
        let zero = decide(&engine, "v0");
        assert!(
            two.errors().is_empty() && zero.errors().is_empty(),
            "{two}\n{zero}"
        );
        // Each of them forbids exactly major version 2, except the sets,
        // which are never empty.
        if text.contains("limit/sets") {
            assert!(two.allowed() && zero.allowed());
        } else {
            assert!(
                !two.allowed() && zero.allowed(),
                "{text:.80}\n{two}\n{zero}"
            );
        }
    }
}

/// A long chain of `||` (or `&&`, `+`, ...) is flat text but a deep tree.
/// `Engine::new` reads every policy's JSON form to share work between
/// releases; `Policy::to_json` recurses without a limit, and before this test
/// it overflowed the stack (a process abort) with 200 terms in a debug build
/// on a 2 MiB thread. It now reads them on a thread with room to spare.
#[test]
fn a_long_chain_of_ors_builds_an_engine_and_evaluates() {
    let ors = format!(
        "@id(\"limit/ors\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {} }};",
        vec!["resource.major == 2"; 1300].join(" || ")
    );
    let engine = engine_with(&ors);
    let two = decide(&engine, "v2");
    let zero = decide(&engine, "v0");
    // Cedar stops evaluating when the thread's stack runs low (a 2 MiB test
    // thread in a debug build does, for this chain), and that error denies:
    // v0 is allowed, or denied with the error; never allowed wrongly.
    assert!(!two.allowed(), "{two}");
    assert!(zero.allowed() || !zero.errors().is_empty(), "{zero}");
}

/// Brackets in strings and comments do not count.
#[test]
fn brackets_in_strings_and_comments_do_not_count() {
    let text = format!(
        "// {}\n@id(\"mine/strings\")\n@reason(\"{} \\\" {}\")\nforbid (principal, action, resource) when {{ resource.name == \"{}\" }};",
        "(".repeat(100),
        "[".repeat(100),
        "{".repeat(100),
        "(".repeat(1000)
    );
    let mut policies = Policies::all_packs().unwrap();
    policies.add_text("strings.cedar", &text).unwrap();
    assert!(policies.rule("mine/strings").is_some());
}
