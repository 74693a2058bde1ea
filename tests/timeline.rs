//! Decisions over time: `Engine::timeline` and `Engine::changes` against
//! deciding at every instant that could matter, and the named errors.
//!
//! The property tests work out, independently of the engine, every instant
//! at which an answer could turn (each `datetime` literal of the generated
//! policies, each waiver's, authorisation's, stake's and blocking's dates),
//! and check that the timeline's decision equals the engine's own at each of
//! them, a millisecond either side, and at random instants between.

mod support;

use std::collections::BTreeSet;

use clearance::{Action, Engine, ErrorKind, Instant, Inventory, Policies, Verdict};
use proptest::collection::vec;
use proptest::prelude::*;

use support::*;

/// Every instant written in the inventory.
fn inventory_dates(inventory: &Inventory) -> BTreeSet<Instant> {
    let mut dates = BTreeSet::new();
    for waiver in &inventory.waivers {
        dates.extend(waiver.from);
        dates.insert(waiver.until);
    }
    dates.extend(inventory.authorisations.iter().filter_map(|a| a.lapses));
    let owners = inventory
        .vendors
        .iter()
        .map(|v| (&v.owners, &v.blocked))
        .chain(inventory.parties.iter().map(|p| (&p.owners, &p.blocked)));
    for (stakes, blocked) in owners {
        for stake in stakes {
            dates.extend(stake.from);
            dates.extend(stake.until);
        }
        if let Some(blocked) = blocked {
            dates.extend(blocked.from);
            dates.extend(blocked.until);
        }
    }
    dates
}

/// Every `datetime("...")` literal in policy texts.
fn literal_dates(texts: &[String]) -> BTreeSet<Instant> {
    let mut dates = BTreeSet::new();
    for text in texts {
        for piece in text.split("datetime(\"").skip(1) {
            let literal = &piece[..piece.find('"').expect("a closed literal")];
            dates.insert(literal.parse().expect("generated literals parse"));
        }
    }
    dates
}

fn shifted(at: Instant, ms: i64) -> Option<Instant> {
    Instant::from_unix_millis(at.unix_millis().checked_add(ms)?)
}

/// Policies whose conditions read the time, most of them.
fn timed_policies() -> impl Strategy<Value = Vec<String>> {
    (
        policies("forbid", "gen-forbid", 1..=3, false),
        policies("advice", "gen-advice", 0..=2, false),
        policies("permit", "gen-permit", 0..=1, false),
    )
        .prop_map(|(f, a, p)| [f, a, p].concat())
}

/// A forbid and an advice that turn on the time alone, the forbid waivable:
/// so that most timelines have steps.
fn time_only_policies() -> impl Strategy<Value = Vec<String>> {
    (time_comparison(), time_comparison(), time_comparison()).prop_map(|(a, b, c)| {
        vec![
            format!(
                "@id(\"gen-timed/forbid\")\n@reason(\"r\")\nforbid (principal, action, resource)\n\
                 when {{ {a} || {b} }}\nunless {{ context.waivers.contains(\"gen-timed/forbid\") }};\n"
            ),
            format!("@id(\"gen-timed/advice\")\n@reason(\"r\")\n@advice\nforbid (principal, action, resource)\nwhen {{ {c} }};\n"),
            // Turns when the authorisations of `authorisations_for` lapse.
            "@id(\"gen-timed/assured\")\n@reason(\"r\")\n@advice\nforbid (principal, action, resource)\n\
             when { context.assurance.contains(\"fedramp:low\") };\n"
                .to_owned(),
        ]
    })
}

/// Waivers of `gen-timed/forbid` for the asked questions, over random periods.
fn waivers_for(
    inventory: &Inventory,
    asks: &[Ask],
    periods: &[(Instant, Instant)],
) -> Vec<clearance::Waiver> {
    asks.iter()
        .zip(periods)
        .enumerate()
        .map(|(n, (ask, &(from, until)))| {
            serde_json::from_value(serde_json::json!({
                "id": format!("gen-timed-waiver-{n}"),
                "rules": ["gen-timed/forbid"],
                "systems": [inventory.systems[ask.system].id],
                "products": [inventory.releases[ask.release].product],
                "actions": [ask.action],
                "granted_by": "generated",
                "from": from,
                "until": until,
            }))
            .expect("a valid waiver")
        })
        .collect()
}

/// An authorisation of the asked releases' products, lapsing at random.
fn authorisations_for(
    inventory: &Inventory,
    asks: &[Ask],
    lapses: &[Instant],
) -> Vec<clearance::Authorisation> {
    asks.iter()
        .zip(lapses)
        .enumerate()
        .map(|(n, (ask, lapses))| {
            serde_json::from_value(serde_json::json!({
                "id": format!("gen-timed-authorisation-{n}"),
                "product": inventory.releases[ask.release].product,
                "assurance": "fedramp:moderate",
                "versions": "*",
                "lapses": lapses,
            }))
            .expect("a valid authorisation")
        })
        .collect()
}

/// A period `[from, until)` between 2014 and 2029.
fn period() -> impl Strategy<Value = (Instant, Instant)> {
    (recent_instant(), recent_instant(), any::<bool>()).prop_map(|(a, b, whole)| {
        if whole || a == b {
            (at("2014-06-01"), at("2029-01-01"))
        } else {
            (a.min(b), a.max(b))
        }
    })
}

proptest! {
    #![proptest_config(config(24))]

    /// The timeline's decision at any instant of the period is the engine's
    /// decision then: at every candidate instant, a millisecond either side
    /// of each, and at random instants between; its steps start at `from`,
    /// are in order, and each differs from the one before.
    #[test]
    fn a_timeline_equals_deciding_at_every_instant_that_could_matter(
        (inventory, asks) in inventory_and_asks(2),
        generated in timed_policies(),
        time_only in time_only_policies(),
        waived in vec(period(), 2),
        lapses in vec(recent_instant(), 2),
        (from, until) in period(),
        between in vec(0.0f64..1.0, 6),
    ) {
        let texts = [generated, time_only].concat();
        let policies = with_text(all_packs(), &texts);
        let mut inventory = waivable(&inventory, &policies);
        inventory.waivers.extend(waivers_for(&inventory, &asks, &waived));
        inventory.authorisations.extend(authorisations_for(&inventory, &asks, &lapses));
        let engine = Engine::new(inventory, policies).unwrap();
        let mut candidates = literal_dates(&texts);
        candidates.extend(inventory_dates(engine.inventory()));
        candidates.extend(engine.structure_changes().iter().copied());
        // The shipped packs' own dates are in the engine's candidates too; a
        // few of them checked here keep the oracle independent of the packs.
        candidates.extend(["2017-12-01", "2017-12-12", "2024-09-29", "2025-04-01"].map(at));
        let mut instants: BTreeSet<Instant> = candidates
            .iter()
            .flat_map(|&c| [-1, 0, 1].map(|ms| shifted(c, ms)))
            .flatten()
            .chain([from, shifted(until, -1).unwrap()])
            .filter(|t| (from..until).contains(t))
            .collect();
        let span = (until.unix_millis() - from.unix_millis()) as f64;
        instants.extend(between.iter().map(|f| shifted(from, (span * f) as i64).unwrap()));

        for ask in &asks {
            let query = ask.query(engine.inventory());
            let timeline = engine
                .timeline(&query.system, query.action, &query.release, from, until)
                .unwrap();
            let steps = timeline.steps();
            prop_assert_eq!(steps[0].at(), from);
            for pair in steps.windows(2) {
                prop_assert!(pair[0].at() < pair[1].at());
                prop_assert_ne!(answer(pair[0].decision()), answer(pair[1].decision()));
            }
            for &t in &instants {
                let decided = engine.decide(&query.clone().at(t)).unwrap();
                let on_timeline = timeline.decision_at(t).unwrap();
                prop_assert_eq!(
                    answer(&decided),
                    answer(on_timeline),
                    "at {} for {:?}\n{}",
                    t,
                    query,
                    timeline
                );
            }
            prop_assert!(timeline.decision_at(until).is_none());
        }
    }

    /// `changes` lists exactly the steps after the first of every
    /// deployment's own timeline, in date order.
    #[test]
    fn changes_are_the_deployments_timelines(
        inventory in inventory(),
        generated in timed_policies(),
        time_only in time_only_policies(),
        (from, until) in period(),
        action in proptest::sample::select(Action::ALL),
    ) {
        let policies = with_text(all_packs(), &[generated, time_only].concat());
        let engine = Engine::new(waivable(&inventory, &policies), policies).unwrap();
        let changes = engine.changes(action, from, until).unwrap();
        let mut expected = Vec::new();
        for (n, deployment) in engine.inventory().deployments.iter().enumerate() {
            let timeline = engine
                .timeline(deployment.system.as_str(), action, deployment.release.as_str(), from, until)
                .unwrap();
            for step in &timeline.steps()[1..] {
                expected.push((step.at(), n, answer(step.decision())));
            }
        }
        expected.sort_by_key(|(at, n, _)| (*at, *n));
        let index = |c: &clearance::Change| {
            engine.inventory().deployments.iter().position(|d| d == c.deployment()).unwrap()
        };
        let got: Vec<_> = changes
            .iter()
            .map(|c| (c.at(), index(c), answer(c.step().decision())))
            .collect();
        prop_assert_eq!(got, expected);
    }
}

// ---------------------------------------------------------------------------
// The article's world
// ---------------------------------------------------------------------------

fn article() -> Engine {
    Engine::new(
        Inventory::from_path("examples/article-inventory.json").unwrap(),
        Policies::all_packs().unwrap(),
    )
    .unwrap()
}

#[test]
fn a_kaspersky_laptop_in_the_us_from_2017_to_2025() {
    let timeline = article()
        .timeline(
            "us-home-laptop",
            Action::Update,
            "kis-2019",
            at("2017-01-01"),
            at("2025-01-01"),
        )
        .unwrap();
    let steps = timeline.steps();
    assert_eq!(steps.len(), 2, "{timeline}");
    assert_eq!(steps[0].decision().verdict(), Verdict::Allow);
    assert_eq!(steps[0].previous_verdict(), None);
    // 12:00 AM EDT on 29 September 2024.
    assert_eq!(steps[1].at(), at("2024-09-29T04:00:00Z"));
    assert!(steps[1].verdict_changed());
    assert_eq!(steps[1].rules_started(), ["us-icts-2024-kaspersky/updates"]);
    assert_eq!(
        steps[1].rules_stopped(),
        ["baseline/permit-unless-forbidden"]
    );
    // Late on 28 September in Washington, updates were still allowed.
    let eve = timeline
        .decision_at(at("2024-09-29T03:59:59.999Z"))
        .unwrap();
    assert!(eve.allowed());
}

#[test]
fn the_hikvision_waiver_lapses_on_its_date() {
    let engine = article();
    let waiver = engine
        .inventory()
        .waivers
        .iter()
        .find(|w| w.id.as_str() == "gsa-889-waiver-cctv")
        .unwrap()
        .clone();
    let timeline = engine
        .timeline(
            "gsa-facility-cctv",
            Action::Deploy,
            "hikvision-nvr-4",
            at("2019-01-01"),
            at("2022-01-01"),
        )
        .unwrap();
    let lapse = timeline
        .steps()
        .iter()
        .find(|s| s.waivers_ended().contains(&waiver.id))
        .unwrap_or_else(|| panic!("no step ends the waiver:\n{timeline}"));
    assert_eq!(lapse.at(), waiver.until);
    assert_eq!(lapse.decision().verdict(), Verdict::Deny);
    assert_eq!(lapse.previous_verdict(), Some(Verdict::Allow));
}

#[test]
fn changes_list_the_update_ban_day() {
    let changes = article()
        .changes(Action::Update, at("2024-01-01"), at("2025-01-01"))
        .unwrap();
    let ban: Vec<_> = changes
        .iter()
        .filter(|c| c.at() == at("2024-09-29T04:00:00Z"))
        .map(|c| c.deployment().system.as_str())
        .collect();
    assert!(ban.contains(&"us-home-laptop"), "{ban:?}");
    assert!(changes.windows(2).all(|w| w[0].at() <= w[1].at()));
    let laptop = changes
        .iter()
        .find(|c| {
            c.at() == at("2024-09-29T04:00:00Z")
                && c.deployment().system.as_str() == "us-home-laptop"
        })
        .unwrap();
    assert!(!laptop.step().decision().allowed());
    assert_eq!(
        laptop.step().rules_started(),
        ["us-icts-2024-kaspersky/updates"]
    );
}

// ---------------------------------------------------------------------------
// Exact edges and named errors
// ---------------------------------------------------------------------------

fn one_rule(condition: &str) -> Engine {
    let mut policies = Policies::from_pack_names(&["baseline"]).unwrap();
    policies
        .add_text(
            "edge.cedar",
            &format!(
                "@id(\"edge/rule\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {condition} }};"
            ),
        )
        .unwrap();
    // The article's waivers name rules of packs left out here.
    let mut inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
    inventory.waivers.clear();
    Engine::new(inventory, policies).unwrap()
}

fn verdicts(engine: &Engine, from: &str, until: &str) -> Vec<(String, Verdict)> {
    engine
        .timeline("mod-secret", Action::Deploy, "kes-12", at(from), at(until))
        .unwrap()
        .steps()
        .iter()
        .map(|s| (s.at().to_string(), s.decision().verdict()))
        .collect()
}

#[test]
fn an_equality_with_the_time_holds_for_one_millisecond() {
    let engine = one_rule(r#"context.now == datetime("2024-01-01T12:00:00.500Z")"#);
    assert_eq!(
        verdicts(&engine, "2024-01-01", "2024-01-02"),
        [
            ("2024-01-01T00:00:00Z".to_owned(), Verdict::Allow),
            ("2024-01-01T12:00:00.500Z".to_owned(), Verdict::Deny),
            ("2024-01-01T12:00:00.501Z".to_owned(), Verdict::Allow),
        ]
    );
}

#[test]
fn strict_and_loose_comparisons_turn_a_millisecond_apart() {
    let after = one_rule(r#"context.now > datetime("2024-01-01")"#);
    let from = one_rule(r#"datetime("2024-01-01") <= context.now"#);
    assert_eq!(
        verdicts(&after, "2023-01-01", "2025-01-01")[1],
        ("2024-01-01T00:00:00.001Z".to_owned(), Verdict::Deny)
    );
    assert_eq!(
        verdicts(&from, "2023-01-01", "2025-01-01")[1],
        ("2024-01-01T00:00:00Z".to_owned(), Verdict::Deny)
    );
    // Cedar reads the offset: 02:00 at +0200 is midnight UTC.
    let offset = one_rule(r#"context.now >= datetime("2024-01-01T02:00:00+0200")"#);
    assert_eq!(
        verdicts(&offset, "2023-01-01", "2025-01-01")[1],
        ("2024-01-01T00:00:00Z".to_owned(), Verdict::Deny)
    );
}

#[test]
fn a_period_with_no_change_is_one_step() {
    let engine = one_rule(r#"context.now >= datetime("2030-01-01")"#);
    assert_eq!(
        verdicts(&engine, "2024-01-01", "2030-01-01"),
        [("2024-01-01T00:00:00Z".to_owned(), Verdict::Allow)]
    );
}

#[test]
fn time_arithmetic_is_an_unbounded_time_error_naming_the_policy() {
    for condition in [
        r#"context.now.offset(duration("30d")) >= datetime("2024-01-01")"#,
        r#"context.now >= datetime("2024-01-01").offset(duration("1h"))"#,
        r#"context.now.durationSince(datetime("2024-01-01")) > duration("1d")"#,
    ] {
        let engine = one_rule(condition);
        let err = engine
            .timeline(
                "mod-secret",
                Action::Deploy,
                "kes-12",
                at("2024-01-01"),
                at("2025-01-01"),
            )
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnboundedTime, "{condition}");
        assert!(err.message().contains("edge/rule"), "{err}");
        assert!(err.message().contains("edge.cedar"), "{err}");
        let err = engine
            .changes(Action::Operate, at("2024-01-01"), at("2025-01-01"))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnboundedTime);
        // Single decisions are unaffected.
        assert!(engine
            .decide(
                &clearance::Query::new("mod-secret", Action::Deploy, "kes-12").at(at("2024-06-01"))
            )
            .is_ok());
    }
}

#[test]
fn a_period_must_be_ordered_and_name_what_exists() {
    let engine = article();
    let err = engine
        .timeline(
            "mod-secret",
            Action::Deploy,
            "kes-12",
            at("2024-01-01"),
            at("2024-01-01"),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert!(err.message().contains("not before"), "{err}");
    let err = engine
        .timeline(
            "no-such-system",
            Action::Deploy,
            "kes-12",
            at("2024-01-01"),
            at("2025-01-01"),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownSystem);
    let err = engine
        .changes(Action::Deploy, at("2025-01-01"), at("2024-01-01"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
}
