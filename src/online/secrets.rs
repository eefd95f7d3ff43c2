//! Every secret the online layer loads or builds (a token read from a `*-file`, an app key, the
//! JWT signed with it, a minted installation token) and every encoding it sends (the Basic
//! header's base64), so that nothing a host echoes can print one.
//!
//! Two strengths of redaction, because a secret's 8-character pieces are also ordinary words in
//! test tokens and in the linter's own sentences (`Atlantis`):
//! - text a host wrote ([`scrub`](super::http::scrub) goes through [`redact_host_text`]) loses
//!   every 8-character piece of a secret and of its base64 forms;
//! - every finding of a probe ([`Secrets::redact_finding`]) loses whole secrets and their
//!   base64 forms, whatever put them there.
//!
//! The values live in zeroized buffers and are wiped when the host's probe ends.
//!
//! A host's probe runs on its own thread; the thread's secrets are reachable from `scrub` without
//! passing them through every call ([`Scope`]).
//!
//! Every value registered here is also handed to the run's [`KnownSecrets`], so that the report
//! redactor (the last line of defence) knows it as well; the probe still redacts its own
//! findings before they leave `probe::run_one`.

use crate::finding::Finding;
use crate::secret::KnownSecrets;
use aho_corasick::{AhoCorasick, MatchKind};
use std::cell::RefCell;
use std::rc::Rc;
use zeroize::Zeroizing;

/// Pieces shorter than this are not searched for.
const WINDOW: usize = 8;

/// The secrets of one host's probe.
#[derive(Default)]
pub struct Secrets {
    /// Each value, and whether its base64 forms are searched too (they are for everything
    /// that is sent; a key never leaves this machine, only the JWT signed with it).
    values: RefCell<Vec<(Zeroizing<String>, bool)>>,
    /// Built on first use after a change: the 8-character pieces (only for host text)...
    pieces: RefCell<Option<Rc<Option<AhoCorasick>>>>,
    /// ... and the whole values with their base64 fragments (for every finding).
    whole: RefCell<Option<Rc<Option<AhoCorasick>>>>,
    /// The run's list for the report redactor: every value registered here goes there too.
    report: KnownSecrets,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} values)", self.values.borrow().len())
    }
}

fn base64_forms(v: &[u8]) -> Vec<Vec<u8>> {
    use base64::Engine as _;
    let mut out = Vec::new();
    for engine in [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::URL_SAFE,
    ] {
        for k in 0..3 {
            let mut bytes = Zeroizing::new(Vec::with_capacity(k + v.len()));
            bytes.resize(k, b':');
            bytes.extend_from_slice(v);
            let enc = Zeroizing::new(engine.encode(&*bytes));
            // Drop the characters that depend on what precedes or follows the secret.
            if enc.len() > 8 + WINDOW {
                out.push(enc.as_bytes()[4..enc.len() - 4].to_vec());
            }
        }
    }
    out
}

/// The automaton of `patterns`, which are wiped (duplicates included) once it is built. The
/// automaton's own copy of them cannot be: aho-corasick gives no access to its memory.
fn build(mut patterns: Vec<Vec<u8>>, kind: MatchKind) -> Option<AhoCorasick> {
    use zeroize::Zeroize as _;
    patterns.sort();
    patterns.dedup_by(|dropped, kept| {
        let same = dropped == kept;
        if same {
            dropped.zeroize();
        }
        same
    });
    // An NFA: building a DFA for a few kilobytes of patterns costs more than every search.
    let built = (!patterns.is_empty())
        .then(|| {
            AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .match_kind(kind)
                .build(&patterns)
                .ok()
        })
        .flatten();
    patterns.iter_mut().for_each(|p| p.zeroize());
    built
}

impl Secrets {
    /// Secrets whose values also reach the report redactor through `report`.
    pub fn reporting_to(report: KnownSecrets) -> Secrets {
        Secrets {
            report,
            ..Secrets::default()
        }
    }

    /// Registers a secret (and its trimmed form). Values shorter than 8 characters are kept
    /// out of redaction: they would match ordinary words.
    pub fn add(&self, value: &str) {
        self.add_as(value, true);
    }

    /// Registers a value sent as it is (a header value, a JWT): no base64 form of it is ever
    /// sent, so only its own pieces are searched.
    pub fn add_raw(&self, value: &str) {
        self.add_as(value, false);
    }

    fn add_as(&self, value: &str, encoded: bool) {
        let mut values = self.values.borrow_mut();
        for v in [value, value.trim()] {
            if v.len() >= WINDOW && !values.iter().any(|(x, _)| x.as_str() == v) {
                self.report.add(v);
                values.push((Zeroizing::new(v.to_string()), encoded));
                *self.pieces.borrow_mut() = None;
                *self.whole.borrow_mut() = None;
            }
        }
    }

    /// Registers a PEM key: each body line (the armor lines are public). The key itself never
    /// leaves this machine; only the JWT signed with it does.
    pub fn add_pem(&self, pem: &str) {
        for line in pem.lines().map(str::trim) {
            if !line.starts_with("-----") {
                self.add_as(line, false);
            }
        }
    }

    /// Each value's forms: itself, and its base64 fragments when it is sent encoded (wiped
    /// when dropped).
    fn forms(&self) -> Vec<Zeroizing<Vec<u8>>> {
        let values = self.values.borrow();
        let mut out = Vec::new();
        for (v, encoded) in values.iter() {
            out.push(Zeroizing::new(v.as_bytes().to_vec()));
            if *encoded {
                out.extend(base64_forms(v.as_bytes()).into_iter().map(Zeroizing::new));
            }
        }
        out
    }

    fn pieces(&self) -> Rc<Option<AhoCorasick>> {
        if let Some(s) = self.pieces.borrow().as_ref() {
            return s.clone();
        }
        let mut pieces: Vec<Vec<u8>> = Vec::new();
        for f in self.forms() {
            pieces.extend(f.windows(WINDOW).map(<[u8]>::to_vec));
        }
        let s = Rc::new(build(pieces, MatchKind::Standard));
        *self.pieces.borrow_mut() = Some(s.clone());
        s
    }

    fn whole(&self) -> Rc<Option<AhoCorasick>> {
        if let Some(s) = self.whole.borrow().as_ref() {
            return s.clone();
        }
        let whole = self.forms().into_iter().map(|f| f.to_vec()).collect();
        let s = Rc::new(build(whole, MatchKind::LeftmostLongest));
        *self.whole.borrow_mut() = Some(s.clone());
        s
    }

    /// Host-written text without any 8-character piece of a secret or of its base64 forms.
    pub fn redact_host_text(&self, text: &str) -> String {
        let s = self.pieces();
        match s.as_ref() {
            Some(ac) => replace(
                text,
                ac.find_overlapping_iter(text).map(|m| (m.start(), m.end())),
            ),
            None => text.to_string(),
        }
    }

    /// Any text without a whole secret or a base64 form of one (the base64 word around a
    /// fragment goes too).
    pub fn redact(&self, text: &str) -> String {
        let s = self.whole();
        let Some(ac) = s.as_ref() else {
            return text.to_string();
        };
        let b = text.as_bytes();
        let is_b64 =
            |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'-' | b'_');
        let ranges = ac.find_iter(text).map(|m| {
            let mut start = m.start();
            let mut end = m.end();
            while start > 0 && is_b64(b[start - 1]) {
                start -= 1;
            }
            while end < b.len() && is_b64(b[end]) {
                end += 1;
            }
            (start, end)
        });
        replace(text, ranges)
    }

    /// [`Secrets::redact`] on every text of a finding.
    pub fn redact_finding(&self, f: &mut Finding) {
        f.message = self.redact(&f.message);
        for t in [&mut f.help, &mut f.label, &mut f.suggestion, &mut f.key]
            .into_iter()
            .flatten()
        {
            *t = self.redact(t);
        }
        for r in &mut f.related {
            r.text = self.redact(&r.text);
        }
    }
}

/// Replaces the (possibly overlapping) byte ranges by `<redacted>`, widened to whole characters.
fn replace(text: &str, ranges: impl Iterator<Item = (usize, usize)>) -> String {
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (mut start, mut end) in ranges {
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    if merged.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in merged {
        out.push_str(&text[at..start]);
        out.push_str("<redacted>");
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Secrets>>> = const { RefCell::new(None) };
}

/// Makes `secrets` the current thread's for [`current`] until dropped (one host's probe).
pub struct Scope;

impl Scope {
    pub fn enter(secrets: Rc<Secrets>) -> Scope {
        CURRENT.with(|c| *c.borrow_mut() = Some(secrets));
        Scope
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        CURRENT.with(|c| *c.borrow_mut() = None);
    }
}

/// The secrets of the probe running on this thread, if any.
pub fn current() -> Option<Rc<Secrets>> {
    CURRENT.with(|c| c.borrow().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_and_encodings_are_redacted() {
        use base64::Engine as _;
        let s = Secrets::default();
        s.add("qzSecretValue0123456789");
        let basic = base64::engine::general_purpose::STANDARD.encode("bot:qzSecretValue0123456789");
        s.add(&basic);
        assert_eq!(
            s.redact_host_text("login qzSecretV and 0123456789!"),
            "login <redacted> and <redacted>!"
        );
        assert_eq!(
            s.redact(&format!("header Basic {basic} end")),
            "header Basic <redacted> end"
        );
        assert_eq!(s.redact("x qzSecretValue0123456789 y"), "x <redacted> y");
        // Unrelated text is left alone, by both.
        assert_eq!(s.redact_host_text("Atlantis needs"), "Atlantis needs");
        // A multi-byte character next to a piece stays whole.
        assert_eq!(s.redact_host_text("é0123456789é"), "é<redacted>é");
    }

    #[test]
    fn scope_is_per_thread() {
        let s = Rc::new(Secrets::default());
        {
            let _scope = Scope::enter(s);
            assert!(current().is_some());
        }
        assert!(current().is_none());
    }
}
