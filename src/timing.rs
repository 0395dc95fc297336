//! Phase timings on stderr for profiling (`OPSBOOK_TIMINGS=1`): each call prints the time
//! since the previous one and since the start, and the peak memory so far. Off by default; costs one atomic load.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::time::Instant;

struct Clock {
    start: Instant,
    last: Mutex<Instant>,
}

fn clock() -> Option<&'static Clock> {
    static CLOCK: OnceLock<Option<Clock>> = OnceLock::new();
    CLOCK
        .get_or_init(|| {
            std::env::var_os("OPSBOOK_TIMINGS").map(|_| {
                let now = Instant::now();
                Clock {
                    start: now,
                    last: Mutex::new(now),
                }
            })
        })
        .as_ref()
}

/// Mark the end of phase `name`.
pub fn phase(name: &str) {
    if let Some(c) = clock() {
        let now = Instant::now();
        let mut last = c.last.lock().unwrap_or_else(|e| e.into_inner());
        eprintln!(
            "timing: {name:<24} {:>8.3} s  (total {:.3} s{})",
            (now - *last).as_secs_f64(),
            (now - c.start).as_secs_f64(),
            peak_rss().map_or_else(String::new, |kb| format!(", peak RSS {} MB", kb / 1024))
        );
        *last = now;
    }
}

/// The peak resident memory so far in KB (Linux only).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Start the clock (call first thing, so "total" counts from process start).
pub fn start() {
    let _ = clock();
}
