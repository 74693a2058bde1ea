//! Instants in time: when a question is asked, when a rule takes effect, when
//! a waiver or an authorisation lapses.
//!
//! Rules speak of days in their own time zone ("until 12:00 AM EDT on
//! September 29, 2024"), so an [`Instant`] is one point in time: a count of
//! milliseconds since the Unix epoch, written and read as RFC 3339 text, with
//! the offset the text gives (`2024-09-29T00:00:00-04:00` is
//! `2024-09-29T04:00:00Z`). A date alone means midnight UTC at its start; the
//! shipped packs write the start of an instrument's day in its own zone as a
//! UTC instant instead. A time without an offset is rejected: "10:00" on its
//! own does not say when.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{invalid, Error};

const MS_PER_SECOND: i64 = 1_000;
const MS_PER_DAY: i64 = 86_400 * MS_PER_SECOND;

/// A point in time, to the millisecond, in UTC.
///
/// Parse one from `YYYY-MM-DD` (midnight UTC) or from an RFC 3339 date-time
/// with `Z` or a numeric offset:
///
/// ```
/// use clearance::Instant;
///
/// let day: Instant = "2024-09-29".parse()?;
/// let same: Instant = "2024-09-29T02:00:00+02:00".parse()?;
/// assert_eq!(day, same);
/// assert_eq!(day.to_string(), "2024-09-29T00:00:00Z");
///
/// // A time with no offset is ambiguous, so it is an error.
/// assert!("2024-09-29T10:00:00".parse::<Instant>().is_err());
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Instant {
    unix_ms: i64,
}

impl Instant {
    /// The earliest instant `clearance` represents: 0000-01-01T00:00:00Z.
    pub const MIN: Instant = Instant {
        unix_ms: days_from_civil(0, 1, 1) * MS_PER_DAY,
    };
    /// The latest instant `clearance` represents: 9999-12-31T23:59:59.999Z.
    pub const MAX: Instant = Instant {
        unix_ms: days_from_civil(10_000, 1, 1) * MS_PER_DAY - 1,
    };

    /// The current time, from the system clock.
    pub fn now() -> Instant {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Instant {
            unix_ms: since_epoch.clamp(Self::MIN.unix_ms, Self::MAX.unix_ms),
        }
    }

    /// The instant this many milliseconds after 1970-01-01T00:00:00Z, if it is
    /// within [`Instant::MIN`] and [`Instant::MAX`].
    pub fn from_unix_millis(unix_ms: i64) -> Option<Instant> {
        (Self::MIN.unix_ms..=Self::MAX.unix_ms)
            .contains(&unix_ms)
            .then_some(Instant { unix_ms })
    }

    /// Milliseconds since 1970-01-01T00:00:00Z (negative before it).
    pub fn unix_millis(self) -> i64 {
        self.unix_ms
    }

    /// Whether this instant falls in `[from, until)`; an open end is no bound.
    pub(crate) fn within(self, from: Option<Instant>, until: Option<Instant>) -> bool {
        from.is_none_or(|from| from <= self) && until.is_none_or(|until| self < until)
    }

    /// The form Cedar's `datetime()` accepts: always with milliseconds and `Z`.
    pub(crate) fn to_cedar_string(self) -> String {
        let (date, ms_of_day) = self.split();
        format!("{date}T{}Z", TimeOfDay(ms_of_day, true))
    }

    fn split(self) -> (Date, i64) {
        let days = self.unix_ms.div_euclid(MS_PER_DAY);
        (civil_from_days(days), self.unix_ms.rem_euclid(MS_PER_DAY))
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (date, ms_of_day) = self.split();
        write!(f, "{date}T{}Z", TimeOfDay(ms_of_day, false))
    }
}

impl FromStr for Instant {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        parse(text).map_err(|problem| {
            invalid(
                format_args!("datetime {:?}", crate::error::truncate(text)),
                problem,
            )
        })
    }
}

crate::keyword::text_form!(Instant);

#[derive(Debug, Clone, Copy)]
struct Date {
    year: i64,
    month: i64,
    day: i64,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Milliseconds into a day; the flag forces the milliseconds to be written.
struct TimeOfDay(i64, bool);

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let TimeOfDay(ms, always_ms) = *self;
        let secs = ms / MS_PER_SECOND;
        write!(
            f,
            "{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )?;
        if always_ms || ms % MS_PER_SECOND != 0 {
            write!(f, ".{:03}", ms % MS_PER_SECOND)?;
        }
        Ok(())
    }
}

fn parse(text: &str) -> Result<Instant, &'static str> {
    let bytes = text.as_bytes();
    if bytes.len() < 10 {
        return Err("expected a date `YYYY-MM-DD` or an RFC 3339 date-time");
    }
    let year = digits(&bytes[0..4])?;
    let month = digits(&bytes[5..7])?;
    let day = digits(&bytes[8..10])?;
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return Err("expected a date `YYYY-MM-DD`");
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err("no such calendar date");
    }
    let mut ms = days_from_civil(year, month, day) * MS_PER_DAY;
    let rest = &bytes[10..];
    if rest.is_empty() {
        return Ok(Instant { unix_ms: ms });
    }
    if !matches!(rest[0], b'T' | b't') || rest.len() < 9 {
        return Err("expected `T` and a time `HH:MM:SS` after the date");
    }
    let (hour, minute, second) = (
        digits(&rest[1..3])?,
        digits(&rest[4..6])?,
        digits(&rest[7..9])?,
    );
    if rest[3] != b':' || rest[6] != b':' {
        return Err("expected a time `HH:MM:SS`");
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err("time of day out of range");
    }
    ms += (hour * 3600 + minute * 60 + second) * MS_PER_SECOND;
    let mut rest = &rest[9..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let len = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 || len > 9 {
            return Err("a fraction of a second needs 1 to 9 digits");
        }
        // Milliseconds are the resolution of Cedar's datetime; finer digits are dropped.
        let mut millis = 0;
        for (i, b) in fraction[..len.min(3)].iter().enumerate() {
            millis += i64::from(b - b'0') * [100, 10, 1][i];
        }
        ms += millis;
        rest = &fraction[len..];
    }
    let offset_minutes = match rest {
        [] => {
            return Err(
                "a date-time needs a UTC offset (`Z` or `+HH:MM`); without one it is ambiguous",
            )
        }
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return Err("UTC offset out of range");
            }
            let minutes = h * 60 + m;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return Err("expected `Z` or a UTC offset `+HH:MM` after the time"),
    };
    Instant::from_unix_millis(ms - offset_minutes * 60 * MS_PER_SECOND)
        .ok_or("outside the years 0000 to 9999")
}

fn digits(bytes: &[u8]) -> Result<i64, &'static str> {
    if bytes.iter().all(u8::is_ascii_digit) {
        Ok(bytes.iter().fold(0, |n, b| n * 10 + i64::from(b - b'0')))
    } else {
        Err("expected digits")
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Instant {
        text.parse().unwrap()
    }

    #[test]
    fn dates_are_midnight_utc() {
        assert_eq!(at("1970-01-01").unix_millis(), 0);
        assert_eq!(at("1970-01-02").unix_millis(), MS_PER_DAY);
        assert_eq!(at("1969-12-31").unix_millis(), -MS_PER_DAY);
        assert_eq!(at("2000-02-29").to_string(), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn offsets_move_to_utc() {
        assert_eq!(at("2024-09-29T00:30:00+01:00"), at("2024-09-28T23:30:00Z"));
        assert_eq!(at("2024-09-29T00:30:00-0130"), at("2024-09-29T02:00:00Z"));
        assert_eq!(at("2024-09-29T00:00:00.250Z").unix_millis() % 1000, 250);
        assert_eq!(
            at("2024-09-29T00:00:00.250Z").to_cedar_string(),
            "2024-09-29T00:00:00.250Z"
        );
        assert_eq!(
            at("2024-09-29").to_cedar_string(),
            "2024-09-29T00:00:00.000Z"
        );
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for bad in [
            "",
            "2024",
            "2024-13-01",
            "2023-02-29",
            "2024-04-31",
            "2024-09-29T10:00:00",
            "2024-09-29T24:00:00Z",
            "2024-09-29T10:00Z",
            "2024-09-29 10:00:00Z",
            "2024-09-29T10:00:00+25:00",
            "2024-09-29T10:00:00.Z",
            "２０２４-09-29",
            "2024-09-29Z",
        ] {
            assert!(bad.parse::<Instant>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn bounds_hold() {
        assert_eq!(Instant::MIN.to_string(), "0000-01-01T00:00:00Z");
        assert_eq!(Instant::MAX.to_string(), "9999-12-31T23:59:59.999Z");
        assert!("0000-01-01T00:00:00+00:01".parse::<Instant>().is_err());
        assert!(Instant::from_unix_millis(Instant::MAX.unix_millis() + 1).is_none());
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "1999-12-31T23:59:59.999Z",
            "2024-02-29T12:00:00Z",
            "0001-01-01T00:00:00Z",
        ] {
            assert_eq!(at(text).to_string(), text);
        }
    }
}
