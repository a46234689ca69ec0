//! Dates and times as the API sends them.

use std::fmt;
use std::str::FromStr;

use chrono::{FixedOffset, SecondsFormat};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date (`format: date`), `YYYY-MM-DD`.
pub type Date = chrono::NaiveDate;

/// An RFC 3339 date-time (`format: date-time`) that is written back exactly as it was read.
///
/// The API mixes `Z` and `+00:00` and uses 0, 3 or 6 fractional digits. A plain
/// `chrono::DateTime` would re-format such values, so echoing a server value back (or round-tripping
/// a stored payload) would change its text. This type keeps the instant and its spelling; compare
/// instants with [`DateTime::as_chrono`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    instant: chrono::DateTime<FixedOffset>,
    digits: SecondsFormat,
    zulu: bool,
}

impl DateTime {
    /// The instant, with the offset it was given in.
    pub fn as_chrono(&self) -> chrono::DateTime<FixedOffset> {
        self.instant
    }

    /// Parses an RFC 3339 date-time.
    pub fn parse(text: &str) -> Result<Self, chrono::ParseError> {
        let instant = chrono::DateTime::parse_from_rfc3339(text)?;
        let fraction = text
            .find('.')
            .map(|dot| {
                text[dot + 1..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .count()
            })
            .unwrap_or(0);
        let digits = match fraction {
            0 => SecondsFormat::Secs,
            1..=3 => SecondsFormat::Millis,
            4..=6 => SecondsFormat::Micros,
            _ => SecondsFormat::Nanos,
        };
        let zulu = text.ends_with('Z') || text.ends_with('z');
        Ok(DateTime {
            instant,
            digits,
            zulu,
        })
    }
}

impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for DateTime {
    /// Written with as many fractional digits as needed, and `Z` for UTC.
    fn from(value: chrono::DateTime<Tz>) -> Self {
        let instant = value.fixed_offset();
        DateTime {
            instant,
            digits: SecondsFormat::AutoSi,
            zulu: instant.offset().local_minus_utc() == 0,
        }
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.instant.to_rfc3339_opts(self.digits, self.zulu))
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl FromStr for DateTime {
    type Err = chrono::ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::parse(s)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Parsed where it lies in the input: no copy of the text.
        crate::runtime::de::parse_str(deserializer, "an RFC 3339 date-time", |text| {
            DateTime::parse(text).ok()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_the_api_uses_round_trips() {
        for text in [
            "2013-07-16T19:23:00.000+00:00",
            "2013-07-16T19:23:00.000Z",
            "2013-07-16T19:23:00+01:00",
            "2013-07-16T19:23:00.123456+00:00",
            "2013-07-16T19:23:00Z",
        ] {
            assert_eq!(DateTime::parse(text).unwrap().to_string(), text);
        }
    }
}
