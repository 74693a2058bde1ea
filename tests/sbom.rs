//! SBOM import: real documents no one here wrote (a cargo-cyclonedx SBOM of
//! this crate, the CycloneDX and SPDX projects' published examples), hand-made
//! ones for each error, and the end to end: an SBOM naming a Kaspersky SDK
//! makes the shipped packs deny the product that embeds it.
//!
//! Each fixture's origin and licence is in `tests/data/sbom/README.md`.

use std::collections::BTreeSet;

use clearance::sbom::{AliasMap, Format, Sbom, SbomReport, Source};
use clearance::{Action, Engine, ErrorKind, Inventory, Policies, Query, Verdict};

const DATA: &str = "tests/data/sbom";

fn sbom(file: &str) -> Sbom {
    Sbom::from_path(format!("{DATA}/{file}")).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn aliases() -> AliasMap {
    AliasMap::from_path(format!("{DATA}/aliases.json")).expect("the test alias map reads")
}

fn inventory() -> Inventory {
    Inventory::from_path(format!("{DATA}/inventory.json")).expect("the test inventory loads")
}

/// Attaches a fixture to the test inventory's `product-1` with the test alias map.
fn attach(file: &str) -> (Inventory, SbomReport) {
    let mut inventory = inventory();
    let report = inventory
        .attach_sbom("product-1", &sbom(file), &aliases())
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    (inventory, report)
}

fn names(sbom: &Sbom, indices: &[usize]) -> Vec<String> {
    indices
        .iter()
        .map(|&i| sbom.components()[i].name.clone())
        .collect()
}

fn release<'a>(inventory: &'a Inventory, id: &str) -> &'a clearance::Release {
    inventory
        .releases
        .iter()
        .find(|r| r.id.as_str() == id)
        .unwrap_or_else(|| panic!("no release {id}"))
}

fn attributed(report: &SbomReport) -> Vec<(&str, &str)> {
    report
        .attributed
        .iter()
        .map(|a| (a.name.as_str(), a.by.vendor.as_str()))
        .collect()
}

fn unknown(report: &SbomReport) -> Vec<&str> {
    report
        .unattributed
        .iter()
        .map(|u| u.name.as_str())
        .collect()
}

#[track_caller]
fn fails(file: &str, kind: ErrorKind, names: &[&str]) {
    let error = Sbom::from_path(format!("{DATA}/{file}")).unwrap_err();
    assert_eq!(error.kind(), kind, "{file}: {error}");
    let message = error.to_string();
    assert!(
        message.contains(file),
        "{file}: the message names the file: {message}"
    );
    for name in names {
        assert!(
            message.contains(name),
            "{file}: the message names {name}: {message}"
        );
    }
}

// ---------------------------------------------------------------------------
// Real SBOMs: this crate's, by cargo-cyclonedx.

#[test]
fn cargo_cyclonedx_sbom_of_this_crate_reads_and_maps_its_authors() {
    let sbom = sbom("cargo-cyclonedx-clearance-1.5.json");
    assert_eq!(sbom.format(), &Format::CycloneDx("1.5".to_owned()));
    // The crate, its library target nested in it, and 143 crates.
    assert_eq!(sbom.components().len(), 145);
    assert_eq!(names(&sbom, sbom.roots()), ["clearance"]);
    let direct = names(&sbom, sbom.contents());
    for dependency in ["cedar-policy", "serde", "semver", "rayon", "thiserror"] {
        assert!(direct.contains(&dependency.to_owned()), "{direct:?}");
    }
    // Build-time crates (cargo-cyclonedx marks them `excluded`) are not part of it.
    let left_out = names(
        &sbom,
        &sbom
            .left_out()
            .iter()
            .map(|l| l.component)
            .collect::<Vec<_>>(),
    );
    assert_eq!(left_out.len(), 33);
    assert!(left_out.contains(&"lalrpop".to_owned()), "{left_out:?}");
    assert!(sbom
        .left_out()
        .iter()
        .all(|l| l.reason.contains("excluded")));

    let (inventory, report) = attach("cargo-cyclonedx-clearance-1.5.json");
    assert_eq!(report.components, 145);
    assert_eq!(report.left_out.len(), 33);
    // Every component but the root is attributed or reported.
    assert_eq!(
        report.attributed.len() + report.unattributed.len(),
        145 - 1 - 33
    );
    let by = attributed(&report);
    // The alias map's purls: Cedar is AWS's.
    assert!(by.contains(&("cedar-policy", "aws")), "{by:?}");
    assert!(by.contains(&("cedar-policy-core", "aws")), "{by:?}");
    // The inventory's vendors by name: an author written with an e-mail address.
    for name in ["itoa", "thiserror", "semver", "serde_path_to_error"] {
        assert!(by.contains(&(name, "dtolnay")), "{name}: {by:?}");
    }
    assert!(by.contains(&("sha2", "rustcrypto")), "{by:?}");
    // A list of authors is tried whole, then name by name.
    assert!(by.contains(&("serde", "dtolnay")), "{by:?}");
    // The alias map's names: "The Rust Project Developers" is the Rust Foundation here.
    let rust = report
        .attributed
        .iter()
        .find(|a| a.by.vendor.as_str() == "rust-foundation");
    let rust = rust.expect("a crate by The Rust Project Developers");
    assert_eq!(rust.by.source, Source::AliasMap);
    // The rest is reported with what was tried.
    let aho = report
        .unattributed
        .iter()
        .find(|u| u.name == "aho-corasick")
        .unwrap();
    assert_eq!(
        aho.tried,
        [
            "author \"Andrew Gallant\"",
            "purl pkg:cargo/aho-corasick@1.1.5"
        ]
    );
    assert_eq!(aho.key, "pkg:cargo/aho-corasick@1.1.5");
    // The crate's own library target names no one.
    assert!(unknown(&report).contains(&"clearance"));

    // What the root embeds reaches the release; what a crate embeds, its release.
    let product = release(&inventory, "product-1");
    assert!(
        product.components.contains("aws:cedar-policy:4.14.1"),
        "{:?}",
        product.components
    );
    assert!(product
        .unattributed_components
        .contains("pkg:cargo/rayon@1.12.0"));
    let cedar = release(&inventory, "aws:cedar-policy:4.14.1");
    assert!(
        cedar.components.contains("aws:cedar-policy-core:4.14.1"),
        "{:?}",
        cedar.components
    );
    // Unknown crates below a known one are recorded by the known one.
    assert!(!cedar.unattributed_components.is_empty());
}

#[test]
fn cargo_cyclonedx_top_level_sbom_lists_only_direct_dependencies() {
    let sbom = sbom("cargo-cyclonedx-clearance-1.4-top-level.json");
    assert_eq!(sbom.format(), &Format::CycloneDx("1.4".to_owned()));
    assert_eq!(sbom.components().len(), 12);
    assert_eq!(sbom.contents().len(), 11);
    let (inventory, report) = attach("cargo-cyclonedx-clearance-1.4-top-level.json");
    assert_eq!(
        attributed(&report),
        [
            ("cedar-policy", "aws"),
            ("semver", "dtolnay"),
            ("serde", "dtolnay"),
            ("serde_path_to_error", "dtolnay"),
            ("sha2", "rustcrypto"),
            ("thiserror", "dtolnay"),
        ]
    );
    assert_eq!(
        unknown(&report),
        ["clearance", "foldhash", "miette", "rayon", "serde_json"]
    );
    // 5 distinct unknown components, seen by policies through the root release.
    assert_eq!(
        release(&inventory, "product-1")
            .unattributed_components
            .len(),
        5
    );
}

// ---------------------------------------------------------------------------
// Real SBOMs: the CycloneDX project's examples.

#[test]
fn cyclonedx_hardware_bom_maps_suppliers_named_in_the_inventory() {
    let sbom = sbom("bom-examples-hbom-pcie-sata-1.4.json");
    assert_eq!(sbom.components().len(), 7);
    assert_eq!(names(&sbom, sbom.roots()), ["pcie-sata-adaptor-board"]);
    let (inventory, report) = attach("bom-examples-hbom-pcie-sata-1.4.json");
    assert_eq!(
        attributed(&report),
        [("PCIE-098-02-F-D-EMS2", "samtec"), ("47155-4001", "molex")]
    );
    assert_eq!(
        unknown(&report),
        ["5622-4100-ML", "MC9A22-1034", "826632-3", "MP000003"]
    );
    assert_eq!(report.unattributed[0].tried, ["supplier \"3M\""]);
    // A part without a version is recorded as 0.0.0 and reported.
    let molex = release(&inventory, "molex:47155-4001:0.0.0");
    assert_eq!(molex.version, semver::Version::new(0, 0, 0));
    assert!(report
        .versions
        .iter()
        .any(|v| v.name == "47155-4001" && v.placeholder && v.given.is_none()));
    // The products it adds are of the least surprising category.
    let product = inventory
        .products
        .iter()
        .find(|p| p.id.as_str() == "samtec:pcie-098-02-f-d-ems2")
        .unwrap();
    assert_eq!(product.category, clearance::Category::Software);
}

#[test]
fn cyclonedx_laravel_bom_maps_purl_namespaces_and_coerces_v_versions() {
    let sbom = sbom("bom-examples-laravel-7.12.0-1.4.json");
    assert_eq!(sbom.components().len(), 63);
    let (inventory, report) = attach("bom-examples-laravel-7.12.0-1.4.json");
    let by = attributed(&report);
    assert_eq!(by.iter().filter(|(_, v)| *v == "symfony").count(), 27);
    assert_eq!(by.iter().filter(|(_, v)| *v == "laravel").count(), 3);
    assert_eq!(by.len(), 30);
    assert_eq!(report.unattributed.len(), 62 - 30);
    let framework = report
        .attributed
        .iter()
        .find(|a| a.name == "framework")
        .unwrap();
    assert_eq!(framework.by.by, "purl pkg:composer/laravel");
    // `v7.30.6` is read as 7.30.6, its group kept in the product's name.
    assert_eq!(
        framework.release.as_str(),
        "laravel:laravel-framework:7.30.6"
    );
    let product = inventory
        .products
        .iter()
        .find(|p| p.id.as_str() == "laravel:laravel-framework")
        .unwrap();
    assert_eq!(product.name, "laravel/framework");
    assert!(report
        .versions
        .iter()
        .any(|v| v.given.as_deref() == Some("v7.30.6") && !v.placeholder));
}

#[test]
fn cyclonedx_1_6_examples_nesting_dependencies_identifiers_and_crypto_assets() {
    // Nested components are parts of the one they are nested in.
    let assembly = sbom("specification-valid-assembly-1.6.json");
    assert_eq!(names(&assembly, assembly.contents()), ["acme-library-a"]);
    assert_eq!(names(&assembly, assembly.parts(0)), ["acme-library-b"]);

    let dependency = sbom("specification-valid-dependency-1.6.json");
    assert_eq!(
        names(&dependency, dependency.contents()),
        ["library-a", "library-b"]
    );

    // A purl namespace in the alias map.
    let (_, report) = attach("specification-valid-component-identifiers-1.6.json");
    assert_eq!(attributed(&report), [("acme-library", "example-corp")]);
    assert_eq!(report.attributed[0].by.by, "purl pkg:maven/com.example");

    // Cryptographic assets are not supplied code.
    let cbom = sbom("bom-examples-cbom-dependencies-1.6.json");
    assert_eq!(cbom.components().len(), 4);
    assert_eq!(names(&cbom, &[cbom.left_out()[0].component]), ["AES"]);
    let (inventory, report) = attach("bom-examples-cbom-dependencies-1.6.json");
    assert_eq!(unknown(&report), ["Crypto library", "Some library"]);
    let product = release(&inventory, "product-1");
    assert_eq!(
        product.unattributed_components,
        BTreeSet::from([
            "Crypto library@1.0.0".to_owned(),
            "Some library@1.0.0".to_owned()
        ])
    );
}

// ---------------------------------------------------------------------------
// Real SBOMs: the SPDX project's examples.

#[test]
fn spdx_acme_example_contains_three_packages_none_attributed() {
    let sbom = sbom("spdx-examples-acme-2.3.spdx.json");
    assert_eq!(names(&sbom, sbom.roots()), ["Acme Applcation"]);
    assert_eq!(
        names(&sbom, sbom.contents()),
        ["elliptic", "alpine", "OpenSSL"]
    );
    assert_eq!(sbom.components()[0].supplier.as_deref(), Some("Jane Doe"));
    assert_eq!(
        sbom.components()[0].manufacturer.as_deref(),
        Some("ExampleCodeInspect")
    );
    assert_eq!(
        sbom.components()[1].purl.as_deref(),
        Some("pkg:npm/elliptic@6.5.2")
    );
    let (inventory, report) = attach("spdx-examples-acme-2.3.spdx.json");
    assert!(report.attributed.is_empty());
    assert_eq!(unknown(&report), ["elliptic", "alpine", "OpenSSL"]);
    assert_eq!(
        report.unattributed[2].tried,
        ["purl pkg:alpine/openssl@3.0.4"]
    );
    assert!(
        report.unattributed[1].tried.is_empty(),
        "alpine names no one"
    );
    assert_eq!(
        release(&inventory, "product-1")
            .unattributed_components
            .len(),
        3
    );
}

#[test]
fn spdx_maven_example_links_dynamically_and_leaves_its_test_dependency_out() {
    let sbom = sbom("spdx-examples-examplemaven-0.0.1-2.3.spdx.json");
    assert_eq!(sbom.components().len(), 6);
    assert_eq!(names(&sbom, sbom.roots()), ["examplemaven"]);
    assert_eq!(sbom.contents().len(), 4, "four DYNAMIC_LINKs");
    let junit = &sbom.left_out()[0];
    assert_eq!(sbom.components()[junit.component].name, "JUnit");
    assert!(
        junit.reason.contains("TEST_DEPENDENCY_OF"),
        "{}",
        junit.reason
    );
    let (_, report) = attach("spdx-examples-examplemaven-0.0.1-2.3.spdx.json");
    assert_eq!(report.left_out.len(), 1);
    assert_eq!(report.unattributed.len(), 4);
}

#[test]
fn spdx_dependency_example_describes_by_relationship_and_maps_a_supplier() {
    let sbom = sbom("spdx-examples-sbom-with-dependency-2.3.spdx.json");
    assert_eq!(names(&sbom, sbom.roots()), ["tools-java"]);
    assert_eq!(names(&sbom, sbom.contents()), ["xlsx"]);
    let (_, report) = attach("spdx-examples-sbom-with-dependency-2.3.spdx.json");
    assert_eq!(unknown(&report), ["xlsx"]);
    assert_eq!(
        report.unattributed[0].tried,
        [
            "supplier \"Webjar\"",
            "purl pkg:maven/org.webjars.npm/xlsx@0.16.6"
        ]
    );
}

#[test]
fn spdx_example_describing_a_file_and_a_package_reads_the_package_as_root() {
    let sbom = sbom("spdx-examples-hello-server-2.3.spdx.json");
    assert_eq!(names(&sbom, sbom.roots()), ["hello-server-src"]);
    assert_eq!(
        names(&sbom, sbom.contents()),
        ["hyper", "tokio", "pretty_env_logger"]
    );
    let (inventory, report) = attach("spdx-examples-hello-server-2.3.spdx.json");
    assert_eq!(report.unattributed.len(), 3);
    assert!(release(&inventory, "product-1")
        .unattributed_components
        .contains("pkg:cargo/hyper@0.14"));
}

// ---------------------------------------------------------------------------
// Bad SBOMs: each a named error naming the file, the component and the field.

#[test]
fn unsupported_versions_say_which_are_supported() {
    fails(
        "bad-spec-version-1.3.cdx.json",
        ErrorKind::InvalidValue,
        &["`specVersion` \"1.3\"", "supported: 1.4, 1.5, 1.6"],
    );
    fails(
        "bad-spdx-version-2.2.spdx.json",
        ErrorKind::InvalidValue,
        &["`spdxVersion` \"SPDX-2.2\"", "supported: SPDX-2.3"],
    );
    fails(
        "bad-bom-format.json",
        ErrorKind::InvalidValue,
        &["`bomFormat` \"SWID\""],
    );
    fails(
        "bad-not-an-sbom.json",
        ErrorKind::Json,
        &["neither `bomFormat` nor `spdxVersion`"],
    );
}

#[test]
fn components_without_a_name_are_named_by_reference_or_path() {
    fails(
        "bad-missing-name.cdx.json",
        ErrorKind::InvalidValue,
        &["`pkg:npm/nameless@2.0.0`", "`components[1]`", "`name`"],
    );
    fails(
        "bad-missing-name-nested.cdx.json",
        ErrorKind::InvalidValue,
        &["`components[0].components[0]`", "`name`"],
    );
    fails(
        "bad-missing-name.spdx.json",
        ErrorKind::InvalidValue,
        &["`SPDXRef-nameless`", "`packages[1]`", "`name`"],
    );
}

#[test]
fn references_to_undefined_components_are_dangling() {
    fails(
        "bad-undefined-ref.cdx.json",
        ErrorKind::DanglingReference,
        &["`dependencies[0].dependsOn[1]`", "`lib-ghost`"],
    );
    fails(
        "bad-undefined-ref.spdx.json",
        ErrorKind::DanglingReference,
        &["`relationships[1].relatedSpdxElement`", "`SPDXRef-ghost`"],
    );
    fails(
        "bad-duplicate-ref.cdx.json",
        ErrorKind::DuplicateId,
        &["`components[1]`", "`same`"],
    );
}

#[test]
fn dependency_cycles_are_named_round_the_cycle() {
    fails(
        "bad-cycle.cdx.json",
        ErrorKind::Cycle,
        &["`a` (alpha) -> `b` (beta) -> `c` (gamma) -> `a` (alpha)"],
    );
    fails(
        "bad-cycle.spdx.json",
        ErrorKind::Cycle,
        &["`SPDXRef-x` (x) -> `SPDXRef-y` (y) -> `SPDXRef-x` (x)"],
    );
}

#[test]
fn malformed_json_gives_its_path_line_and_column() {
    fails("bad-truncated.cdx.json", ErrorKind::Json, &["line 3"]);
    fails(
        "bad-wrong-type.cdx.json",
        ErrorKind::Json,
        &["`components[1].components[0].version`", "expected a string"],
    );
    let error = Sbom::from_path(format!("{DATA}/no-such-file.json")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Io);
    assert!(error.to_string().contains("no-such-file.json"));
    for text in [
        "",
        "[]",
        "null",
        "{\"bomFormat\": 1}",
        "{\"spdxVersion\": \"SPDX-2.3\", \"packages\": {}}",
    ] {
        assert_eq!(
            Sbom::from_json(text).unwrap_err().kind(),
            ErrorKind::Json,
            "{text:?}"
        );
    }
}

#[test]
fn bad_alias_maps_are_named_errors() {
    let unknown_field = AliasMap::from_json(r#"{"purls": {}}"#).unwrap_err();
    assert_eq!(unknown_field.kind(), ErrorKind::Json);
    assert!(
        unknown_field.to_string().contains("purls"),
        "{unknown_field}"
    );
    let not_purl =
        AliasMap::from_json(r#"{"purl_namespaces": {"maven/com.acme": "acme"}}"#).unwrap_err();
    assert_eq!(not_purl.kind(), ErrorKind::InvalidValue);
    let bad_id = AliasMap::from_json(r#"{"names": {"Acme": "has space"}}"#).unwrap_err();
    assert_eq!(bad_id.kind(), ErrorKind::Json);
    assert!(bad_id.to_string().contains("names.Acme"), "{bad_id}");
    // A vendor the inventory lacks: nothing is attached.
    let mut inventory = inventory();
    let before = inventory.clone();
    let ghost = AliasMap::from_json(r#"{"names": {"Acme": "ghost-vendor"}}"#).unwrap();
    let error = inventory
        .attach_sbom("product-1", &sbom("hand-unknown-parts.cdx.json"), &ghost)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::DanglingReference);
    assert!(error.to_string().contains("`ghost-vendor`"), "{error}");
    assert_eq!(inventory, before);
}

// ---------------------------------------------------------------------------
// Attaching: the embedding, unknown components, reuse, conflicts, all or nothing.

#[test]
fn unknown_components_count_once_for_every_release_embedding_them() {
    let (inventory, report) = attach("hand-unknown-parts.cdx.json");
    assert_eq!(
        attributed(&report),
        [
            ("Acme UI (hypothetical)", "acme"),
            ("Acme Net (hypothetical)", "acme")
        ]
    );
    assert_eq!(unknown(&report), ["mystery-codec", "radio-blob", "helper"]);
    let ui = release(&inventory, "acme:acme-ui-hypothetical:2.0.0");
    let net = release(&inventory, "acme:acme-net-hypothetical:1.4.0");
    let both = BTreeSet::from([
        "mystery-codec@0.9".to_owned(),
        "pkg:npm/helper@1.0.0".to_owned(),
    ]);
    assert_eq!(ui.unattributed_components, both);
    assert_eq!(net.unattributed_components, both);
    let product = release(&inventory, "product-1");
    assert_eq!(
        product.unattributed_components,
        BTreeSet::from(["radio-blob@latest".to_owned()])
    );
    assert_eq!(
        product.components,
        BTreeSet::from([ui.id.clone(), net.id.clone()])
    );
    let helper = report
        .unattributed
        .iter()
        .find(|u| u.name == "helper")
        .unwrap();
    assert_eq!(helper.counted_in, [net.id.clone(), ui.id.clone()]);

    // Policies see the distinct unknown components of the release and all it
    // embeds: radio-blob, mystery-codec and helper (shared by both parts) = 3.
    let mut inventory = inventory;
    add_system(&mut inventory);
    let mut policies = Policies::new();
    policies
        .add_text("count.cedar", &counting_policies())
        .expect("the policies validate");
    let engine = Engine::new(inventory, policies).unwrap();
    let at = "2025-01-01".parse().unwrap();
    let ask = |release: &str| {
        engine
            .decide(&Query::new("lab", Action::Deploy, release).at(at))
            .unwrap()
            .rule_ids()
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(ask("product-1"), ["count/three"]);
    assert_eq!(ask("acme:acme-ui-hypothetical:2.0.0"), ["count/two"]);
}

fn add_system(inventory: &mut Inventory) {
    let extra: Inventory = Inventory::from_json(
        r#"{"organisations": [{"id": "acme-org", "name": "Acme Labs (hypothetical)", "country": "GB", "sector": "business"}],
            "systems": [{"id": "lab", "name": "Lab", "owner": "acme-org"}]}"#,
    )
    .unwrap();
    inventory.organisations.extend(extra.organisations);
    inventory.systems.extend(extra.systems);
}

fn counting_policies() -> String {
    let mut text = String::new();
    for (id, n) in [("count/two", 2), ("count/three", 3)] {
        text.push_str(&format!(
            "@id(\"{id}\")\n@reason(\"counts unattributed components\")\n@source(\"tests/sbom.rs\")\n\
             forbid (principal, action, resource) when {{ resource.unattributedComponents == {n} }};\n"
        ));
    }
    text.push_str(
        "@id(\"count/permit\")\n@reason(\"r\")\n@source(\"tests/sbom.rs\")\npermit (principal, action, resource);\n",
    );
    text
}

#[test]
fn attaching_twice_changes_nothing_more_and_cyclonedx_and_spdx_agree() {
    let (once, first) = attach("hand-suite-with-kaspersky-sdk.cdx.json");
    assert!(!first.releases_added.is_empty());
    let mut twice = once.clone();
    let second = twice
        .attach_sbom(
            "product-1",
            &sbom("hand-suite-with-kaspersky-sdk.cdx.json"),
            &aliases(),
        )
        .unwrap();
    assert_eq!(twice, once);
    assert!(second.products_added.is_empty() && second.releases_added.is_empty());
    assert!(second.releases_changed.is_empty());
    // The same product described in SPDX gives the same inventory.
    let (spdx, _) = attach("hand-suite-with-kaspersky-sdk.spdx.json");
    assert_eq!(spdx, once);
}

#[test]
fn the_kaspersky_sdk_is_attributed_by_supplier_and_what_else_matched_is_shown() {
    let (inventory, report) = attach("hand-suite-with-kaspersky-sdk.cdx.json");
    let sdk = report
        .attributed
        .iter()
        .find(|a| a.reference == "kav-sdk")
        .unwrap();
    // The user's map comes first: its CPE vendor entry decides, and the registry agrees.
    assert_eq!(sdk.by.vendor.as_str(), "ao-kaspersky-lab");
    assert_eq!(sdk.by.source, Source::AliasMap);
    assert!(sdk.others.is_empty());
    assert_eq!(
        sdk.release.as_str(),
        "ao-kaspersky-lab:kaspersky-anti-virus-sdk:8.0.0"
    );
    // Nested in the engine, the SDK is the engine's component; zlib the SDK's.
    let engine = release(
        &inventory,
        "hexagone-telecom:hexagone-scan-engine-hypothetical:3.2.0",
    );
    assert!(engine.components.contains(&sdk.release));
    let sdk_release = release(&inventory, sdk.release.as_str());
    assert_eq!(
        sdk_release.name.as_deref(),
        Some("Kaspersky Anti-Virus SDK 8.0")
    );
    assert!(sdk_release
        .unattributed_components
        .contains("pkg:generic/zlib@1.2.11"));
    assert_eq!(
        report.left_out[0].name,
        "Hexagone Test Harness (hypothetical)"
    );
    let text = report.to_string();
    assert!(text.contains("`kav-sdk` (Kaspersky Anti-Virus SDK) -> `ao-kaspersky-lab:kaspersky-anti-virus-sdk:8.0.0`"), "{text}");

    // Without the alias map, the registry finds AO Kaspersky Lab by name.
    let mut plain = self::inventory();
    let report = plain
        .attach_sbom(
            "product-1",
            &sbom("hand-suite-with-kaspersky-sdk.cdx.json"),
            &AliasMap::default(),
        )
        .unwrap();
    let sdk = report
        .attributed
        .iter()
        .find(|a| a.reference == "kav-sdk")
        .unwrap();
    assert_eq!(
        (sdk.by.source, sdk.by.by.as_str()),
        (Source::Registry, "supplier \"AO Kaspersky Lab\"")
    );

    // A user's map that says otherwise wins, and the report shows the disagreement.
    let mut overruled = self::inventory();
    let map = AliasMap::from_json(r#"{"names": {"AO Kaspersky Lab": "integrator"}}"#).unwrap();
    let report = overruled
        .attach_sbom(
            "product-1",
            &sbom("hand-suite-with-kaspersky-sdk.cdx.json"),
            &map,
        )
        .unwrap();
    let sdk = report
        .attributed
        .iter()
        .find(|a| a.reference == "kav-sdk")
        .unwrap();
    assert_eq!(sdk.by.vendor.as_str(), "integrator");
    assert_eq!(sdk.others[0].vendor.as_str(), "ao-kaspersky-lab");
    assert_eq!(sdk.others[0].source, Source::Registry);
}

#[test]
fn a_party_is_not_a_vendor_and_is_noted() {
    let mut inventory = inventory();
    let sbom = Sbom::from_json(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
            "components": [{"name": "holding-tool", "supplier": {"name": "Acme Holdings (hypothetical)"}},
                           {"name": "surveillance-sdk", "manufacturer": {"name": "CETC"}}]}"#,
    )
    .unwrap();
    let report = inventory
        .attach_sbom("product-1", &sbom, &AliasMap::default())
        .unwrap();
    assert_eq!(report.unattributed.len(), 2);
    assert!(report.unattributed[0].notes[0].contains("party `acme-holdings`"));
    assert!(report.unattributed[1].notes[0].contains("registry's party `cetc`"));
}

#[test]
fn existing_products_and_releases_are_reused_and_conflicting_ids_refused() {
    // The article's inventory has the Kaspersky SDK 8.0.0 as `kav-sdk-8`.
    let mut inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
    add_target(&mut inventory);
    let report = inventory
        .attach_sbom(
            "office-2018",
            &sbom("hand-suite-with-kaspersky-sdk.cdx.json"),
            &AliasMap::default(),
        )
        .unwrap();
    let sdk = report
        .attributed
        .iter()
        .find(|a| a.reference == "kav-sdk")
        .unwrap();
    assert_eq!(sdk.release.as_str(), "kav-sdk-8");
    assert!(!report
        .products_added
        .iter()
        .any(|p| p.as_str().contains("kaspersky")));
    // The reused release gains what the SBOM says it embeds.
    assert!(report
        .releases_changed
        .iter()
        .any(|r| r.as_str() == "kav-sdk-8"));

    // An id the import would make, taken by another product: refused, nothing changed.
    let mut inventory = self::inventory();
    let squatter = Inventory::from_json(
        r#"{"vendors": [{"id": "acme", "name": "Acme Ltd (hypothetical)", "incorporated": "GB", "headquarters": "GB"}],
            "products": [{"id": "acme:acme-ui-hypothetical", "name": "Something Else", "vendor": "acme", "category": "telecom"}]}"#,
    )
    .unwrap();
    inventory.products.extend(squatter.products);
    let before = inventory.clone();
    let error = inventory
        .attach_sbom(
            "product-1",
            &sbom("hand-unknown-parts.cdx.json"),
            &aliases(),
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::DuplicateId);
    assert!(
        error
            .to_string()
            .contains("`acme-ui` (Acme UI (hypothetical))"),
        "{error}"
    );
    assert!(
        error.to_string().contains("hand-unknown-parts.cdx.json"),
        "{error}"
    );
    assert_eq!(inventory, before);

    // Defining the product first gives it a category of one's choosing.
    let mut inventory = self::inventory();
    let defined = Inventory::from_json(
        r#"{"vendors": [{"id": "acme", "name": "Acme Ltd (hypothetical)", "incorporated": "GB", "headquarters": "GB"}],
            "products": [{"id": "acme-ui", "name": "ACME UI (Hypothetical)", "vendor": "acme", "category": "telecom"}]}"#,
    )
    .unwrap();
    inventory.products.extend(defined.products);
    let report = inventory
        .attach_sbom(
            "product-1",
            &sbom("hand-unknown-parts.cdx.json"),
            &aliases(),
        )
        .unwrap();
    assert_eq!(report.attributed[0].release.as_str(), "acme-ui:2.0.0");
}

#[test]
fn an_unknown_release_or_an_invalid_result_changes_nothing() {
    let mut inventory = inventory();
    let before = inventory.clone();
    let error = inventory
        .attach_sbom(
            "no-such-release",
            &sbom("hand-unknown-parts.cdx.json"),
            &aliases(),
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnknownRelease);
    // Two components the SBOM keeps apart that are one release: the result
    // would embed itself, which no inventory may.
    let loop_sbom = Sbom::from_json(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
            "components": [
              {"bom-ref": "a", "name": "Acme Net (hypothetical)", "version": "1.0", "publisher": "Acme Ltd (hypothetical)"},
              {"bom-ref": "b", "name": "zlib", "version": "1"},
              {"bom-ref": "c", "name": "acme net (HYPOTHETICAL)", "version": "1.0.0", "publisher": "Acme Ltd (hypothetical)"},
              {"bom-ref": "d", "name": "Acme UI (hypothetical)", "version": "2", "publisher": "Acme Ltd (hypothetical)"}],
            "dependencies": [{"ref": "a", "dependsOn": ["d"]}, {"ref": "d", "dependsOn": ["b"]}, {"ref": "b", "dependsOn": ["c"]}]}"#,
    )
    .expect("acyclic as the document says");
    let error = inventory
        .attach_sbom("product-1", &loop_sbom, &aliases())
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Cycle, "{error}");
    assert!(
        error
            .to_string()
            .starts_with("attaching SBOM SBOM to release `product-1`"),
        "{error}"
    );
    assert_eq!(inventory, before);
}

#[test]
fn an_inventory_with_unattributed_components_round_trips_through_json() {
    let (inventory, _) = attach("hand-unknown-parts.cdx.json");
    let again = Inventory::from_json(&inventory.to_json()).unwrap();
    assert_eq!(again, inventory);
    assert!(inventory.to_json().contains("\"unattributed_components\""));
    // Releases without any leave the field out.
    let plain = self::inventory().to_json();
    assert!(!plain.contains("unattributed_components"));
}

// ---------------------------------------------------------------------------
// End to end: the shipped packs, and a policy on unattributed components.

/// The article's inventory with a French suite (hypothetical) whose SBOM is
/// yet to be attached, deployed nowhere.
fn add_target(inventory: &mut Inventory) {
    let product: clearance::Product = serde_json::from_str(
        r#"{"id": "office", "name": "Hexagone Secure Office (hypothetical)", "vendor": "hexagone-telecom",
            "category": "antivirus", "privileged": true}"#,
    )
    .unwrap();
    let release: clearance::Release = serde_json::from_str(
        r#"{"id": "office-2018", "product": "office", "version": "2018.1.0"}"#,
    )
    .unwrap();
    inventory.products.push(product);
    inventory.releases.push(release);
    inventory.validate().unwrap();
}

#[test]
fn an_sbom_naming_a_kaspersky_sdk_makes_the_shipped_packs_deny_the_suite() {
    let at = |date: &str| date.parse().unwrap();
    for file in [
        "hand-suite-with-kaspersky-sdk.cdx.json",
        "hand-suite-with-kaspersky-sdk.spdx.json",
    ] {
        let mut inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
        add_target(&mut inventory);
        let before = Engine::new(inventory.clone(), Policies::all_packs().unwrap()).unwrap();
        let secret = Query::new("mod-secret", Action::Deploy, "office-2018").at(at("2018-01-10"));
        assert_eq!(
            before.decide(&secret).unwrap().verdict(),
            Verdict::Allow,
            "{file}"
        );

        let map = AliasMap::default();
        inventory
            .attach_sbom("office-2018", &sbom(file), &map)
            .unwrap();
        let engine = Engine::new(inventory, Policies::all_packs().unwrap()).unwrap();
        // A UK SECRET system: the suite contains code of a vendor controlled from Russia.
        let decision = engine.decide(&secret).unwrap();
        assert_eq!(decision.verdict(), Verdict::Deny, "{file}: {decision}");
        assert_eq!(
            decision.rule_ids(),
            ["uk-ncsc-2017/secret-and-above"],
            "{file}"
        );
        let chains: Vec<String> = decision.chains().iter().map(ToString::to_string).collect();
        assert!(
            chains.iter().any(
                |c| c.contains("embeds Hexagone Scan Engine (hypothetical) 3.2")
                    && c.contains("embeds Kaspersky Anti-Virus SDK 8")
            ),
            "{file}: {chains:?}"
        );
        // A US federal contractor producing deliverables: items containing Kaspersky components.
        let contractor =
            Query::new("contractor-endpoints", Action::Deploy, "office-2018").at(at("2019-06-01"));
        assert_eq!(
            engine.decide(&contractor).unwrap().rule_ids(),
            ["us-ndaa-1634/kaspersky"],
            "{file}"
        );
    }
}

#[test]
fn a_policy_on_unattributed_components_denies_what_cannot_be_attributed() {
    let mut inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
    add_target(&mut inventory);
    inventory
        .attach_sbom(
            "office-2018",
            &sbom("hand-suite-with-kaspersky-sdk.spdx.json"),
            &AliasMap::default(),
        )
        .unwrap();
    let mut policies = Policies::all_packs().unwrap();
    policies
        .add_text(
            "unattributed.cedar",
            r#"@id("org/no-unattributed-code")
@reason("Every component of what we deploy must have a known vendor.")
@source("Our supply-chain policy (test)")
forbid (principal, action, resource) when { resource.unattributedComponents > 0 };
"#,
        )
        .unwrap();
    let engine = Engine::new(inventory, policies).unwrap();
    let at = "2025-06-01".parse().unwrap();
    // zlib, two levels down, names no one: every release embedding it is denied.
    let uk_home = Query::new("uk-home-laptop", Action::Deploy, "office-2018").at(at);
    assert_eq!(
        engine.decide(&uk_home).unwrap().rule_ids(),
        ["org/no-unattributed-code"]
    );
    // A release with none is not.
    let kes = Query::new("uk-home-laptop", Action::Deploy, "kes-12").at(at);
    assert!(engine.decide(&kes).unwrap().allowed());
}
