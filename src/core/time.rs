//! Time arithmetic and formatting without reading the clock (the caller passes `now`).

/// "3 days", "5 h 2 min", "42 s": a rough, readable length of time.
pub fn human_duration(secs: i128) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    let text = if d >= 2 {
        format!("{d} days")
    } else if d == 1 {
        format!("1 day {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else if m > 0 {
        format!("{m} min {sec} s")
    } else {
        format!("{sec} s")
    };
    if secs < 0 { format!("-{text}") } else { text }
}

/// `2026-01-01 00:00:00 UTC` for Unix seconds, or the number itself when out of range.
pub fn format_utc(secs: i64) -> String {
    match jiff::Timestamp::from_second(secs) {
        Ok(ts) => ts.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
        Err(_) => format!("{secs} (out of range)"),
    }
}

/// RFC 3339 (`2026-01-01T00:00:00Z`) for Unix seconds.
pub fn rfc3339(secs: i64) -> Option<String> {
    jiff::Timestamp::from_second(secs)
        .ok()
        .map(|t| t.to_string())
}

/// An HTTP date (`Sun, 01 Jun 2025 12:30:45 GMT`, as Werkzeug writes it) to Unix seconds.
pub fn parse_http_date(text: &str) -> Option<i64> {
    jiff::fmt::rfc2822::parse(text)
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// "3 days ago", "in 2 h 5 min".
pub fn relative(now: i64, then: i64) -> String {
    let delta = i128::from(now) - i128::from(then);
    if delta >= 0 {
        format!("{} ago", human_duration(delta))
    } else {
        format!("in {}", human_duration(-delta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_dates() {
        assert_eq!(human_duration(42), "42 s");
        assert_eq!(human_duration(3 * 86_400 + 5), "3 days");
        assert_eq!(human_duration(3700), "1 h 1 min");
        assert_eq!(format_utc(1_767_225_000), "2025-12-31 23:50:00 UTC");
        assert_eq!(
            parse_http_date("Sun, 01 Jun 2025 12:30:45 GMT"),
            Some(1_748_781_045)
        );
        assert_eq!(relative(100, 40), "1 min 0 s ago");
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
    }
}
