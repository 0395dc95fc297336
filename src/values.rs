//! Value formats: dates (`YYYY-MM-DD`), periods (`2026`, `2026-H1`, `2026-Q3`, `2026-05`),
//! durations (`90d`, `6w`, `3m`, `1q`, `1y`) and ids (lowercase words joined by `-`).

use jiff::ToSpan;
use jiff::civil::Date;

/// Parse a strict `YYYY-MM-DD` date that is a real calendar day.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let b = t.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(format!("`{t}` is not a date in the form YYYY-MM-DD"));
    }
    let y: i16 = t[0..4]
        .parse()
        .map_err(|_| format!("`{t}` has an invalid year"))?;
    let m: i8 = t[5..7]
        .parse()
        .map_err(|_| format!("`{t}` has an invalid month"))?;
    let d: i8 = t[8..10]
        .parse()
        .map_err(|_| format!("`{t}` has an invalid day"))?;
    if !(1..=12).contains(&m) {
        return Err(format!("`{t}` has month {m}; months run from 01 to 12"));
    }
    Date::new(y, m, d).map_err(|_| {
        let last = Date::new(y, m, 1).map(|f| f.days_in_month()).unwrap_or(31);
        format!("`{t}` is not a real calendar day: {y:04}-{m:02} has {last} days")
    })
}

/// A number as people write it: `3`, `0.5`, `1,250.5` stays `1250.5`.
pub fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// How long from `then` to `today` in words: `1 day`, `3 weeks`, `4 months`, `2 years`.
pub fn how_long(then: Date, today: Date) -> String {
    let days = then.until(today).map_or(0, |s| s.get_days()).max(0);
    let (n, unit) = match days {
        0..=13 => (days, "day"),
        14..=59 => (days / 7, "week"),
        60..=729 => (days / 30, "month"),
        _ => (days / 365, "year"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// A planning period: `YYYY`, `YYYY-Hn`, `YYYY-Qn`, `YYYY-MM` or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

impl Period {
    /// The calendar quarter the period ends in, e.g. `2026-Q4`, for timelines.
    pub fn end_quarter(&self) -> String {
        format!("{}-Q{}", self.end.year(), (self.end.month() - 1) / 3 + 1)
    }
}

fn month_range(year: i16, first: i8, months: i8) -> Option<Period> {
    let start = Date::new(year, first, 1).ok()?;
    let end = start
        .checked_add(months.months())
        .ok()?
        .checked_sub(1.day())
        .ok()?;
    Some(Period { start, end })
}

/// Parse a period; the error message says which forms are allowed.
pub fn parse_period(text: &str) -> Result<Period, String> {
    let t = text.trim();
    let bad = || {
        format!("`{t}` is not a period: use YYYY, YYYY-H1/H2, YYYY-Q1..Q4, YYYY-MM or YYYY-MM-DD")
    };
    let year = |s: &str| -> Option<i16> {
        (s.len() == 4 && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if t.len() == 10 {
        let d = parse_date(t)?;
        return Ok(Period { start: d, end: d });
    }
    if let Some(y) = year(t) {
        return month_range(y, 1, 12).ok_or_else(bad);
    }
    let (ys, rest) = t.split_once('-').ok_or_else(bad)?;
    let y = year(ys).ok_or_else(bad)?;
    let upper = rest.to_ascii_uppercase();
    let p = if let Some(n) = upper.strip_prefix('H') {
        match n {
            "1" => month_range(y, 1, 6),
            "2" => month_range(y, 7, 6),
            _ => None,
        }
    } else if let Some(n) = upper.strip_prefix('Q') {
        match n {
            "1" | "2" | "3" | "4" => month_range(y, (n.parse::<i8>().unwrap_or(1) - 1) * 3 + 1, 3),
            _ => None,
        }
    } else if rest.len() == 2 && rest.bytes().all(|c| c.is_ascii_digit()) {
        let m: i8 = rest.parse().unwrap_or(0);
        if (1..=12).contains(&m) {
            month_range(y, m, 1)
        } else {
            None
        }
    } else {
        None
    };
    p.ok_or_else(bad)
}

/// A review interval such as `90d` or `6m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub amount: i32,
    pub unit: char,
}

impl Duration {
    pub const fn days(amount: i32) -> Self {
        Duration { amount, unit: 'd' }
    }
    /// `date` moved forward by this duration `times` times (months clamp to the month's end).
    pub fn after(&self, date: Date, times: i32) -> Date {
        let n = i64::from(self.amount) * i64::from(times);
        let span = match self.unit {
            'd' => n.days(),
            'w' => n.weeks(),
            'm' => n.months(),
            'q' => (n * 3).months(),
            _ => n.years(),
        };
        date.checked_add(span).unwrap_or(Date::MAX)
    }
}

impl std::fmt::Display for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.amount, self.unit)
    }
}

/// Parse `<int><unit>` with unit d, w, m, q or y.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad =
        || format!("`{t}` is not a duration: use a number and d, w, m, q or y, e.g. `90d` or `6m`");
    let unit = t.chars().last().ok_or_else(bad)?;
    if !matches!(unit, 'd' | 'w' | 'm' | 'q' | 'y') {
        return Err(bad());
    }
    let digits = &t[..t.len() - 1];
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let amount: i32 = digits.parse().map_err(|_| bad())?;
    if amount == 0 || amount > 100_000 {
        return Err(format!(
            "`{t}` must be a positive duration of reasonable size"
        ));
    }
    Ok(Duration { amount, unit })
}

/// Check an id: lowercase ASCII words joined by single dashes, at most 63 characters.
pub fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 63
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else if id.len() > 63 {
        Err(format!(
            "id `{id}` is {} characters long; the limit is 63",
            id.len()
        ))
    } else {
        Err(format!(
            "id `{id}` must be lowercase letters and digits in words joined by single `-`"
        ))
    }
}

/// An id made from arbitrary text: `Search v2.md` → `search-v2`.
pub fn suggest_id(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(63).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_days() {
        assert_eq!(
            parse_date("2026-02-28").unwrap(),
            Date::new(2026, 2, 28).unwrap()
        );
        assert!(
            parse_date("2026-02-30")
                .unwrap_err()
                .contains("has 28 days")
        );
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2026-13-01").unwrap_err().contains("month"));
        assert!(parse_date("26-1-1").is_err());
        assert!(parse_date("2026/01/01").is_err());
    }

    #[test]
    fn periods_end_on_their_last_day() {
        let end = |s| parse_period(s).unwrap().end.to_string();
        assert_eq!(end("2026"), "2026-12-31");
        assert_eq!(end("2026-H1"), "2026-06-30");
        assert_eq!(end("2026-Q1"), "2026-03-31");
        assert_eq!(end("2026-q4"), "2026-12-31");
        assert_eq!(end("2026-02"), "2026-02-28");
        assert_eq!(end("2026-05-17"), "2026-05-17");
        assert!(parse_period("2026-Q5").is_err());
        assert!(parse_period("2026-13").is_err());
        assert!(parse_period("Q4").is_err());
        assert_eq!(parse_period("2026-11").unwrap().end_quarter(), "2026-Q4");
    }

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("90d").unwrap(),
            Duration {
                amount: 90,
                unit: 'd'
            }
        );
        assert!(parse_duration("6 months").is_err());
        assert!(parse_duration("0d").is_err());
        assert!(parse_duration("d").is_err());
        let d = Date::new(2026, 1, 31).unwrap();
        assert_eq!(
            parse_duration("1m").unwrap().after(d, 1).to_string(),
            "2026-02-28"
        );
        assert_eq!(
            parse_duration("1q").unwrap().after(d, 2).to_string(),
            "2026-07-31"
        );
        assert_eq!(
            parse_duration("2w").unwrap().after(d, 1).to_string(),
            "2026-02-14"
        );
    }

    #[test]
    fn how_long_in_words() {
        let d = |s| parse_date(s).unwrap();
        assert_eq!(how_long(d("2026-11-22"), d("2026-11-23")), "1 day");
        assert_eq!(how_long(d("2026-11-01"), d("2026-11-23")), "3 weeks");
        assert_eq!(how_long(d("2026-06-30"), d("2026-11-23")), "4 months");
        assert_eq!(how_long(d("2024-06-30"), d("2026-11-23")), "2 years");
    }

    #[test]
    fn ids() {
        assert!(check_id("search-v2").is_ok());
        assert!(check_id("Search").is_err());
        assert!(check_id("a--b").is_err());
        assert!(check_id("-a").is_err());
        assert!(check_id(&"a".repeat(64)).is_err());
        assert_eq!(suggest_id("Search V2 (beta)"), "search-v2-beta");
    }
}
