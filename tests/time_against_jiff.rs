//! `Instant`'s reading and writing of RFC 3339 against jiff's, the reference
//! (BurntSushi's datetime library), on random instants, offsets and
//! fractions: wherever `clearance` accepts a text, jiff reads the same
//! instant (to the millisecond, Cedar's resolution), and what `clearance`
//! writes jiff reads back. The rules of `Instant` that are its own (a date
//! alone is midnight UTC; an offset is required; years 0000 to 9999) are
//! checked here too, so that the two readers differ only where documented.

use clearance::Instant;
use jiff::civil::Date;
use jiff::Timestamp;
use proptest::prelude::*;

const MS_PER_DAY: i64 = 86_400_000;

fn ms_of(timestamp: Timestamp) -> i64 {
    // Milliseconds, rounding towards the past, as `Instant` drops finer digits.
    timestamp.as_nanosecond().div_euclid(1_000_000) as i64
}

/// Any instant both represent, to the nanosecond. jiff's timestamps end at
/// 9999-12-30T22:00:00Z (so that every offset keeps the civil year within
/// 9999); Cedar's datetimes, and so `Instant`s, go on to the end of the year.
fn any_timestamp() -> impl Strategy<Value = Timestamp> {
    let min = Instant::MIN.unix_millis();
    let max = Timestamp::MAX
        .as_millisecond()
        .min(Instant::MAX.unix_millis());
    (min..=max, 0i64..1_000_000).prop_map(|(ms, ns)| {
        Timestamp::from_nanosecond(i128::from(ms) * 1_000_000 + i128::from(ns)).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// A date-time with an offset and 0 to 9 fraction digits reads as jiff
    /// reads it, truncated to the millisecond (when it is inside the years
    /// 0000 to 9999 once the offset is applied).
    #[test]
    fn date_times_read_as_jiff_reads_them(
        timestamp in any_timestamp(),
        offset_minutes in -(23 * 60 + 59)..=(23i32 * 60 + 59),
        digits in 0usize..=9,
        colon in any::<bool>(),
        zulu in any::<bool>(),
        lower in any::<bool>(),
    ) {
        let offset = if zulu { 0 } else { offset_minutes };
        let zone = jiff::tz::TimeZone::fixed(jiff::tz::Offset::from_seconds(offset * 60).unwrap());
        let local = zone.to_datetime(timestamp);
        prop_assume!((0..=9999).contains(&local.year()));
        let fraction = if digits == 0 {
            String::new()
        } else {
            format!(".{:09}", local.subsec_nanosecond())[..=digits].to_owned()
        };
        let suffix = if zulu {
            if lower { "z".to_owned() } else { "Z".to_owned() }
        } else {
            let (sign, abs) = if offset < 0 { ('-', -offset) } else { ('+', offset) };
            let sep = if colon { ":" } else { "" };
            format!("{sign}{:02}{sep}{:02}", abs / 60, abs % 60)
        };
        let t = if lower { 't' } else { 'T' };
        let text = format!(
            "{:04}-{:02}-{:02}{t}{:02}:{:02}:{:02}{fraction}{suffix}",
            local.year(), local.month(), local.day(), local.hour(), local.minute(), local.second()
        );
        let ours = text.parse::<Instant>();
        // jiff reads offsets with a colon; give it the same instant in its form.
        let reference: Timestamp = text
            .replace('t', "T")
            .replace('z', "Z")
            .parse()
            .or_else(|_| {
                let (head, tail) = text.split_at(text.len() - 4);
                format!("{head}:{tail}").replace('t', "T").parse::<Timestamp>()
            })
            .unwrap_or_else(|e| panic!("jiff rejects {text}: {e}"));
        // Instant keeps the first three digits of the fraction.
        let kept: i64 = {
            let whole = i64::try_from(reference.as_nanosecond().div_euclid(1_000_000_000)).unwrap();
            let nanos = if digits == 0 { 0 } else { i64::from(local.subsec_nanosecond()) };
            let kept_nanos = match digits {
                0 => 0,
                1 => nanos / 100_000_000 * 100_000_000,
                2 => nanos / 10_000_000 * 10_000_000,
                _ => nanos / 1_000_000 * 1_000_000,
            };
            whole * 1000 + kept_nanos / 1_000_000
        };
        match Instant::from_unix_millis(kept) {
            Some(expected) => prop_assert_eq!(ours, Ok(expected), "{}", text),
            None => prop_assert!(ours.is_err(), "{} read outside the years 0000 to 9999", text),
        }
    }

    /// What `Instant` writes, jiff reads as the same instant.
    #[test]
    fn what_instant_writes_jiff_reads(timestamp in any_timestamp()) {
        let instant = Instant::from_unix_millis(ms_of(timestamp)).unwrap();
        let written = instant.to_string();
        let reference: Timestamp = written.parse().unwrap();
        prop_assert_eq!(ms_of(reference), instant.unix_millis(), "{}", written);
    }

    /// A date alone is midnight UTC at its start, for every date jiff knows
    /// in the years 0000 to 9999 (up to the 30th of December 9999, its last
    /// midnight); a day that does not exist is refused by both.
    #[test]
    fn dates_are_midnight_utc(year in 0i16..=9999, month in 1i8..=12, day in 1i8..=31) {
        prop_assume!((year, month, day) < (9999, 12, 31));
        let text = format!("{year:04}-{month:02}-{day:02}");
        match Date::new(year, month, day) {
            Ok(date) => {
                let midnight = date.to_zoned_datetime(jiff::tz::TimeZone::UTC).unwrap().timestamp();
                prop_assert_eq!(text.parse::<Instant>().map(Instant::unix_millis), Ok(ms_of(midnight)));
            }
            Err(_) => prop_assert!(text.parse::<Instant>().is_err(), "{} accepted", text),
        }
    }
}

#[test]
fn the_rules_of_instant_that_jiff_does_not_share() {
    // jiff reads a date-time without an offset as a civil time; an Instant
    // must know which instant is meant.
    assert!("2024-09-29T10:00:00"
        .parse::<jiff::civil::DateTime>()
        .is_ok());
    assert!("2024-09-29T10:00:00".parse::<Instant>().is_err());
    // Years beyond 9999 or before 0000 are not Cedar datetimes.
    assert!("-000001-12-31T00:00:00Z".parse::<Timestamp>().is_ok());
    assert!("-000001-12-31T00:00:00Z".parse::<Instant>().is_err());
    // The last day of 9999 is an Instant (and a Cedar datetime), beyond jiff's Timestamp.
    assert_eq!(Instant::MAX.unix_millis() + 1, 253_402_300_800_000);
    assert!("9999-12-31T23:59:59.999Z".parse::<Instant>().is_ok());
    assert!("9999-12-31T23:59:59.999Z".parse::<Timestamp>().is_err());
    assert_eq!(
        ms_of("0000-01-01T00:00:00Z".parse::<Timestamp>().unwrap()),
        Instant::MIN.unix_millis()
    );
    assert_eq!(MS_PER_DAY, 86_400_000);
}
