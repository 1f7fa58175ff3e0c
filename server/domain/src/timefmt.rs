//! Timestamps for people: the same text on the server and in the browser
//! (so hydration sees identical markup), without a date library in wasm.

/// Unix milliseconds → `2026-12-04 05:10:03 UTC`.
pub fn utc_text(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Unix milliseconds → RFC 3339 (`2026-12-04T05:10:03Z`), for `<time datetime>`.
pub fn rfc3339(ms: i64) -> String {
    let t = utc_text(ms);
    format!("{}T{}Z", &t[..10], &t[11..19])
}

/// `YYYY-MM-DD` (as an `<input type=date>` sends it) → Unix ms at 00:00 UTC.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s[..4].parse().ok()?;
    let m: i64 = s[5..7].parse().ok()?;
    let d: i64 = s[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // Reject 2026-02-31 and friends: the round trip must give the same date.
    (civil_from_days(days) == (y, m, d)).then_some(days * 86_400_000)
}

// Howard Hinnant's algorithms (public domain), proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(utc_text(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_text(1_796_361_003_000), "2026-12-04 05:10:03 UTC");
        assert_eq!(rfc3339(1_796_361_003_000), "2026-12-04T05:10:03Z");
        assert_eq!(utc_text(951_782_400_000), "2000-02-29 00:00:00 UTC");
    }

    #[test]
    fn dates_round_trip_and_bad_dates_are_refused() {
        assert_eq!(parse_date("2026-12-04"), Some(1_796_342_400_000));
        assert_eq!(parse_date("1970-01-01"), Some(0));
        for bad in ["2026-02-31", "2026-13-01", "26-12-04", "2026/12/04", "", "2026-12-4x"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
