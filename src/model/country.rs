//! Countries and named groups of countries.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::truncate;
use crate::error::{invalid, Error};
use crate::model::Id;

/// A country, by its ISO 3166-1 alpha-2 code (`"RU"`, `"GB"`, `"US"`).
///
/// Only officially assigned codes are accepted, so a typo such as `"UK"`
/// (the code for the United Kingdom is `"GB"`) is an error rather than a
/// country no rule mentions.
///
/// ```
/// use clearance::Country;
///
/// let ru: Country = "RU".parse()?;
/// assert_eq!(ru.code(), "RU");
/// assert!("UK".parse::<Country>().is_err());
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country([u8; 2]);

impl Country {
    /// The two-letter code.
    pub fn code(&self) -> &str {
        // Only ever built from ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl std::str::FromStr for Country {
    type Err = Error;
    fn from_str(code: &str) -> Result<Self, Error> {
        match code.as_bytes() {
            [a, b] if ISO_3166_ALPHA_2.contains(&code) => Ok(Country([*a, *b])),
            _ => Err(invalid(
                format_args!("country {:?}", truncate(code)),
                if code.eq_ignore_ascii_case("uk") {
                    "not an ISO 3166-1 alpha-2 code (the United Kingdom is \"GB\")"
                } else {
                    "not an assigned ISO 3166-1 alpha-2 code (two capital letters, e.g. \"RU\")"
                },
            )),
        }
    }
}

crate::keyword::text_form!(Country);

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

/// A named set of countries, for rules written about several at once.
///
/// Policies see the groups a release's controlling or data countries fall in
/// as `resource.controlGroups` and `resource.dataGroups`. Every inventory has
/// the built-in group [`CountryGroup::US_FOREIGN_ADVERSARIES`]; more can be
/// defined in its `country_groups`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryGroup {
    /// How policies name the group.
    pub id: Id,
    /// A human name.
    pub name: String,
    /// The members.
    pub countries: BTreeSet<Country>,
}

impl CountryGroup {
    /// The id of the built-in group of "foreign adversaries" listed in US
    /// regulation 15 CFR 791.4.
    pub const US_FOREIGN_ADVERSARIES: &'static str = "us-foreign-adversaries";

    /// The governments 15 CFR 791.4 determines to be foreign adversaries:
    /// China (including Hong Kong), Cuba, Iran, North Korea, Russia and
    /// Venezuela (the Maduro regime, which a country code cannot express).
    pub fn us_foreign_adversaries() -> CountryGroup {
        CountryGroup {
            id: Id::try_from(Self::US_FOREIGN_ADVERSARIES.to_owned()).expect("valid id"),
            name: "Foreign adversaries (15 CFR 791.4)".to_owned(),
            countries: ["CN", "HK", "CU", "IR", "KP", "RU", "VE"]
                .iter()
                .map(|code| code.parse().expect("assigned code"))
                .collect(),
        }
    }
}

/// Officially assigned ISO 3166-1 alpha-2 codes.
const ISO_3166_ALPHA_2: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_list_is_sorted_and_complete() {
        assert!(ISO_3166_ALPHA_2.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ISO_3166_ALPHA_2.len(), 249);
    }

    #[test]
    fn typos_are_errors() {
        for bad in ["UK", "ru", "R", "RUS", "", "XX", "Ру"] {
            assert!(bad.parse::<Country>().is_err(), "{bad:?} accepted");
        }
        let uk = "UK".parse::<Country>().unwrap_err();
        assert!(uk.to_string().contains("\"GB\""), "{uk}");
    }
}
