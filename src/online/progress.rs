//! Progress on a terminal: while probing, one live line per host on standard error (the
//! request in flight and how long it has been waiting), redrawn in place and erased when the
//! host is done. Nothing at all when standard error is not a terminal.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
struct State {
    /// One entry per host that is still probing: (host, request, since).
    lines: Vec<Option<(String, String, Instant)>>,
    /// Lines currently on the screen.
    drawn: usize,
    ticking: bool,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

/// A host's line, removed from the screen when dropped.
pub struct Line {
    slot: usize,
}

fn with<R>(f: impl FnOnce(&mut State) -> R) -> R {
    let mut guard = STATE.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(State::default))
}

impl Line {
    /// Starts a line for `host`.
    pub fn start(host: &str) -> Line {
        let (slot, start_ticker) = with(|s| {
            s.lines
                .push(Some((host.to_string(), String::new(), Instant::now())));
            (s.lines.len() - 1, !std::mem::replace(&mut s.ticking, true))
        });
        if start_ticker {
            std::thread::spawn(tick);
        }
        Line { slot }
    }

    /// The request now in flight.
    pub fn set(&self, request: &str) {
        with(|s| {
            if let Some(Some(l)) = s.lines.get_mut(self.slot) {
                l.1 = request.to_string();
                l.2 = Instant::now();
            }
        });
        redraw();
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        with(|s| {
            if let Some(l) = s.lines.get_mut(self.slot) {
                *l = None;
            }
        });
        redraw();
    }
}

fn tick() {
    loop {
        std::thread::sleep(Duration::from_millis(250));
        let done = with(|s| {
            let done = s.lines.iter().all(Option::is_none);
            if done {
                s.lines.clear();
                s.ticking = false;
            }
            done
        });
        redraw();
        if done {
            return;
        }
    }
}

fn redraw() {
    let out = with(|s| {
        let now = Instant::now();
        let lines: Vec<String> = s
            .lines
            .iter()
            .flatten()
            .map(|(host, req, since)| line(host, req, now.duration_since(*since)))
            .collect();
        let out = render(&lines, s.drawn);
        s.drawn = lines.len();
        out
    });
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(out.as_bytes());
    let _ = err.flush();
}

/// `GitHub at https://api.github.com: GET https://api.github.com/user (1.2 s)`.
fn line(host: &str, request: &str, elapsed: Duration) -> String {
    let what = if request.is_empty() {
        "starting".to_string()
    } else {
        format!("{request} ({:.1} s)", elapsed.as_secs_f64())
    };
    let text: String = format!("{host}: {what}")
        .chars()
        .filter(|c| !c.is_control())
        .take(150)
        .collect();
    format!("atlantis-lint: {text}")
}

/// The bytes that replace the `drawn` lines on the screen by `lines`: back to the first of
/// them, clear to the end of the screen, write the new ones.
pub fn render(lines: &[String], drawn: usize) -> String {
    let mut out = String::new();
    if drawn > 0 {
        out.push_str(&format!("\x1b[{drawn}F"));
    }
    out.push_str("\x1b[J");
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_redrawn_in_place_and_erased() {
        let l = line(
            "GitHub at https://api.github.com",
            "GET https://api.github.com/user",
            Duration::from_millis(1234),
        );
        assert_eq!(
            l,
            "atlantis-lint: GitHub at https://api.github.com: GET https://api.github.com/user (1.2 s)"
        );
        assert_eq!(render(std::slice::from_ref(&l), 0), format!("\x1b[J{l}\n"));
        assert_eq!(
            render(std::slice::from_ref(&l), 2),
            format!("\x1b[2F\x1b[J{l}\n")
        );
        // Done: back up over the lines and clear them.
        assert_eq!(render(&[], 1), "\x1b[1F\x1b[J");
    }
}
