//! The probe's HTTP layer: one blocking reqwest client per host, GET only, no redirects,
//! per-request timeout bounded by the run's deadline, errors mapped to our own words.

use super::secrets::Secrets;
use super::target::origin;
use super::{ConnectTo, Options};
use reqwest::blocking::Client;
use reqwest::header::{HeaderMap, HeaderValue};
use std::cell::{Cell, RefCell};
use std::io::Read;
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The User-Agent of every request.
pub const USER_AGENT: &str = concat!("atlantis-lint/", env!("CARGO_PKG_VERSION"));

/// Bodies larger than this are cut (a probe never needs more).
const MAX_BODY: u64 = 1 << 20;

/// How a request authenticates. The values are secrets: they only ever reach a header.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    None,
    /// HTTP Basic `user:password`.
    Basic(&'a str, &'a str),
    /// `Authorization: Bearer <token>`.
    Bearer(&'a str),
    /// `Authorization: token <token>` (Gitea).
    Token(&'a str),
    /// `PRIVATE-TOKEN: <token>` (GitLab).
    PrivateToken(&'a str),
}

/// A host whose remaining rate-limit quota is below this is not asked again (Atlantis shares
/// the quota).
const LOW_QUOTA: i64 = 5;

/// No usable answer: why, and what to do about it.
#[derive(Debug, Clone)]
pub struct Indeterminate {
    pub reason: String,
    pub help: Option<String>,
    /// `--dry-run`: the request was printed, not sent; nothing to report.
    pub planned: bool,
}

impl Indeterminate {
    pub fn new(reason: impl Into<String>) -> Self {
        Indeterminate {
            reason: reason.into(),
            help: None,
            planned: false,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// An answer, with its body read.
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub json: Option<serde_json::Value>,
    pub html: bool,
    /// The request URL's origin and path (no query), for messages.
    pub what: String,
}

/// The parsed body can hold a secret (a minted token, a credential a host echoes): its strings
/// are wiped when the answer is dropped.
impl Drop for Resp {
    fn drop(&mut self) {
        if let Some(json) = &mut self.json {
            wipe_json(json);
        }
    }
}

/// Overwrites every string of a JSON value (object keys excepted: serde_json gives no mutable
/// access to them, and hosts never put a secret in a key).
fn wipe_json(v: &mut serde_json::Value) {
    use zeroize::Zeroize as _;
    match v {
        serde_json::Value::String(s) => s.zeroize(),
        serde_json::Value::Array(a) => a.iter_mut().for_each(wipe_json),
        serde_json::Value::Object(m) => m.values_mut().for_each(wipe_json),
        _ => {}
    }
}

/// Reads a whole body into a buffer that is wiped when dropped, and that never leaves an
/// unwiped copy behind: where `read_to_end` would reallocate (freeing the old buffer as it is),
/// this copies into a larger wiped buffer and wipes the old one.
fn read_wiped(mut r: impl Read) -> std::io::Result<zeroize::Zeroizing<Vec<u8>>> {
    use zeroize::Zeroizing;
    let mut out = Zeroizing::new(Vec::with_capacity(16 * 1024));
    let mut chunk = Zeroizing::new([0u8; 8 * 1024]);
    loop {
        let n = match r.read(&mut chunk[..]) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if out.capacity() - out.len() < n {
            let mut bigger = Zeroizing::new(Vec::with_capacity((out.len() + n) * 2));
            bigger.extend_from_slice(&out);
            out = bigger;
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The host's clock, from its `Date` header.
    pub fn server_now(&self) -> Option<i64> {
        self.header("date").and_then(parse_http_date)
    }

    /// The JSON body as the host's typed answer (`None` when it does not have that shape).
    pub fn body<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.json.as_ref().and_then(|j| T::deserialize(j).ok())
    }

    /// A string field of the JSON body.
    pub fn str_field(&self, path: &[&str]) -> Option<&str> {
        let mut v = self.json.as_ref()?;
        for p in path {
            v = v.get(p)?;
        }
        v.as_str()
    }

    /// The host's own explanation, from allowlisted fields only, scrubbed and shortened.
    pub fn message(&self) -> Option<String> {
        let j = self.json.as_ref()?;
        let pick = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
        let text = pick(j.get("error_description"))
            .or_else(|| pick(j.get("message")))
            .or_else(|| pick(j.pointer("/error/message")))
            .or_else(|| pick(j.pointer("/errors/0/message")))
            .or_else(|| pick(j.get("error")))?;
        Some(scrub(&text))
    }
}

/// Removes anything token-like, every 8-character piece of a secret of this probe, and every URL
/// query from host-provided text, and shortens it.
pub fn scrub(text: &str) -> String {
    let mut s = text.replace(['\n', '\r', '\t'], " ");
    if let Some(secrets) = super::secrets::current() {
        s = secrets.redact_host_text(&s);
    }
    let mut spans = crate::secret::token_like_spans(&s);
    spans.sort_by_key(|sp| std::cmp::Reverse(sp.start));
    for sp in spans {
        s.replace_range(sp.start..sp.end, "<redacted>");
    }
    // Query strings can carry request ids and tokens: drop them.
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find("://") {
        let start = rest[..i]
            .char_indices()
            .rev()
            .find(|&(_, c)| !c.is_ascii_alphanumeric())
            .map_or(0, |(p, c)| p + c.len_utf8());
        out.push_str(&rest[..start]);
        let url_end = rest[i..]
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ')')
            .map_or(rest.len(), |e| i + e);
        let url = &rest[start..url_end];
        out.push_str(url.split(['?', '#']).next().unwrap_or(url));
        rest = &rest[url_end..];
    }
    out.push_str(rest);
    let out = out.trim();
    if out.chars().count() > 300 {
        let cut: String = out.chars().take(300).collect();
        format!("{cut}…")
    } else {
        out.to_string()
    }
}

pub struct Http {
    client: Result<Client, String>,
    deadline: Instant,
    timeout: Duration,
    allow_http: bool,
    dry_run: bool,
    connect_to: Vec<ConnectTo>,
    /// The flag holding the credential, for `--dry-run`'s masked requests.
    credential_name: &'static str,
    /// Every secret this host's probe loaded, built or sent.
    pub secrets: Rc<Secrets>,
    /// Set once the host reported a low rate-limit quota: nothing more is sent.
    low_quota: RefCell<Option<String>>,
    /// `--dry-run`: the requests that would have been sent, credentials masked.
    pub planned: RefCell<Vec<String>>,
    /// A request carrying the credential got an HTTP answer.
    pub answered: Cell<bool>,
    progress: Option<super::progress::Line>,
}

impl Http {
    /// A client for the URLs one host's probe will request (for `--connect-to` matching).
    pub fn new(
        options: &Options,
        deadline: Instant,
        urls: &[&str],
        credential_name: &'static str,
        progress: Option<super::progress::Line>,
    ) -> Http {
        let hosts: Vec<(String, u16)> = urls.iter().filter_map(|u| host_port(u)).collect();
        Http {
            client: build_client(options, &hosts),
            deadline,
            timeout: options.timeout,
            allow_http: options.allow_http,
            dry_run: options.dry_run,
            connect_to: options.connect_to.clone(),
            credential_name,
            secrets: Rc::new(Secrets::reporting_to(options.secrets.clone())),
            low_quota: RefCell::new(None),
            planned: RefCell::new(Vec::new()),
            answered: Cell::new(false),
            progress,
        }
    }

    /// `--connect-to`: the URL to connect to (the mapped port) and the `Host` header that
    /// keeps naming the configured host and port, as curl does.
    fn route(&self, url: &reqwest::Url) -> (reqwest::Url, Option<String>) {
        let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
            return (url.clone(), None);
        };
        let host = host.to_ascii_lowercase();
        let Some(c) = self
            .connect_to
            .iter()
            .find(|c| c.host == host && c.port.is_none_or(|p| p == port))
        else {
            return (url.clone(), None);
        };
        let mut to = url.clone();
        if to.set_port(Some(c.to.port())).is_err() {
            return (url.clone(), None);
        }
        let header = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host,
        };
        (to, Some(header))
    }

    /// The words `--dry-run` prints for a request's authentication: scheme and flags, never a
    /// credential's characters.
    fn masked(&self, auth: Auth) -> String {
        let cred = self.credential_name;
        match auth {
            Auth::None => "no credential".into(),
            Auth::Basic("", _) => {
                format!("Authorization: Basic base64(\":\" + <{cred}>)")
            }
            Auth::Basic(u, _) => format!("Authorization: Basic base64(\"{u}:\" + <{cred}>)"),
            Auth::Bearer(_) if cred.starts_with("gh-app-key") => {
                format!("Authorization: Bearer <JWT signed with {cred}>")
            }
            Auth::Bearer(_) => format!("Authorization: Bearer <{cred}>"),
            Auth::Token(_) => format!("Authorization: token <{cred}>"),
            Auth::PrivateToken(_) => format!("PRIVATE-TOKEN: <{cred}>"),
        }
    }

    /// One GET. A 3xx, a transport failure or a refused plain-http credential is `Err`; any
    /// other status is returned for the caller to read (see [`Http::api`] for the common cases).
    pub fn get(
        &self,
        url: &str,
        auth: Auth,
        extra: &[(&str, &str)],
    ) -> Result<Resp, Indeterminate> {
        self.send(reqwest::Method::GET, url, auth, extra, None)
    }

    /// One request of any method; only the opt-in GitHub App deep check sends anything but GET
    /// (a POST that mints a down-scoped token, the DELETE that revokes it).
    pub fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        auth: Auth,
        extra: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Resp, Indeterminate> {
        let client = self
            .client
            .as_ref()
            .map_err(|e| Indeterminate::new(format!("could not set up the HTTPS client: {e}")))?;
        let parsed = reqwest::Url::parse(url)
            .map_err(|_| Indeterminate::new(format!("`{}` is not a valid URL", origin(url))))?;
        let what = format!("{method} {}{}", origin(url), parsed.path());
        match parsed.scheme() {
            "https" => {}
            "http" if matches!(auth, Auth::None) || self.allow_http => {}
            "http" => {
                return Err(Indeterminate::new(format!(
                    "not sent: {what} is plain http://, which would expose the credential on the network"
                ))
                .help("use an https:// URL; if this is intended, pass --online-allow-http"));
            }
            other => {
                return Err(Indeterminate::new(format!(
                    "`{other}://` URLs cannot be probed"
                )));
            }
        }
        if self.dry_run {
            self.planned
                .borrow_mut()
                .push(format!("{what} ({})", self.masked(auth)));
            let mut ind = Indeterminate::new("dry run");
            ind.planned = true;
            return Err(ind);
        }
        if let Some(low) = self.low_quota.borrow().as_ref() {
            return Err(Indeterminate::new(format!("{what} was not sent: {low}"))
                .help("run the probe again after the reset; Atlantis uses the same quota"));
        }
        let header = auth_header(auth)?;
        if let Some((_, v)) = &header {
            if let Ok(v) = v.to_str() {
                // What goes on the wire: `Basic <base64>`, `Bearer <jwt>`, `<token>`.
                self.secrets.add_raw(v);
                if let Some((_, cred)) = v.split_once(' ') {
                    self.secrets.add_raw(cred);
                }
            }
        }
        let (send_to, host_header) = self.route(&parsed);
        if let Some(p) = &self.progress {
            p.set(&what);
        }
        let mut attempt = 0;
        let mut timeout: Duration;
        let resp = loop {
            attempt += 1;
            let now = Instant::now();
            if now >= self.deadline {
                return Err(Indeterminate::new(format!(
                    "{what} was not sent: the run's time budget ran out"
                ))
                .help("raise --online-timeout (the run is bounded by six request timeouts)"));
            }
            timeout = self.timeout.min(self.deadline - now);
            let mut req = client
                .request(method.clone(), send_to.clone())
                .timeout(timeout)
                .header(reqwest::header::USER_AGENT, USER_AGENT);
            if let Some(h) = &host_header {
                req = req.header(reqwest::header::HOST, h.as_str());
            }
            let has_accept = extra.iter().any(|(k, _)| k.eq_ignore_ascii_case("accept"));
            if !has_accept {
                req = req.header(reqwest::header::ACCEPT, "application/json");
            }
            for (k, v) in extra {
                req = req.header(*k, *v);
            }
            if let Some((name, value)) = &header {
                req = req.header(*name, value.clone());
            }
            if let Some(b) = body {
                req = req
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(b.to_string());
            }
            // One retry, after a short pause, for a 5xx or a connection dropped before an
            // answer; never after 4xx (repeated auth failures can lock accounts).
            match req.send() {
                Ok(r) if r.status().is_server_error() && attempt == 1 => retry_pause(),
                Ok(r) => break r,
                Err(e) if attempt == 1 && dropped(&e) => retry_pause(),
                Err(e) => return Err(map_error(&e, &what, timeout)),
            }
        };
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            let target = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(|loc| match parsed.join(loc) {
                    Ok(u) => origin(u.as_str()),
                    Err(_) => "an unreadable location".into(),
                })
                .unwrap_or_else(|| "nowhere (no Location header)".into());
            return Err(Indeterminate::new(format!(
                "{what} answered {status}, a redirect to {target}; redirects are not followed, so the credential went nowhere else"
            ))
            .help("a redirect usually means a wrong host name or base URL, a sign-in proxy, or http vs https; point the config at the API itself"));
        }
        if header.is_some() {
            self.answered.set(true);
        }
        let headers = resp.headers().clone();
        if let Some(low) = low_quota(&headers, status) {
            *self.low_quota.borrow_mut() = Some(low);
        }
        let content_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        // Zeroized: an answer can hold a minted token (the GitHub App deep check).
        let bytes = read_wiped(resp.take(MAX_BODY)).map_err(|_| read_error(&what, timeout))?;
        let json = if content_type.contains("json") || content_type.is_empty() {
            serde_json::from_slice(&bytes).ok()
        } else {
            None
        };
        let html = content_type.contains("html")
            || (json.is_none() && bytes.trim_ascii_start().starts_with(b"<"));
        Ok(Resp {
            status,
            headers,
            json,
            html,
            what,
        })
    }

    /// A GET whose answer must be the API's JSON: rate limits, 5xx and non-JSON answers end
    /// the probe as indeterminate. Other statuses (2xx, 401, 403, 404) are returned.
    pub fn api(
        &self,
        url: &str,
        auth: Auth,
        extra: &[(&str, &str)],
    ) -> Result<Resp, Indeterminate> {
        let r = self.get(url, auth, extra)?;
        check_api(r)
    }
}

/// The common classification (host-apis.md 1.3, steps 3, 4 and 8).
pub fn check_api(r: Resp) -> Result<Resp, Indeterminate> {
    if let Some(limit) = rate_limited(&r) {
        return Err(limit);
    }
    if r.status >= 500 {
        return Err(Indeterminate::new(format!(
            "{} answered {} (a server error)",
            r.what, r.status
        ))
        .help("the host has a problem right now; run the probe again later"));
    }
    // An HTML page is never the API. Other non-JSON answers are only a problem on success:
    // a 401 with an empty body is a normal refusal (Bitbucket Cloud).
    if r.json.is_none() && (r.html || r.status < 300) {
        let got = if r.html {
            "an HTML page"
        } else {
            "something that is not JSON"
        };
        return Err(Indeterminate::new(format!(
            "{} answered {} with {got}, not the API's JSON",
            r.what, r.status
        ))
        .help("check the host name / base URL: a sign-in page, a proxy or a web UI answered instead of the API"));
    }
    Ok(r)
}

fn rate_limited(r: &Resp) -> Option<Indeterminate> {
    let remaining_zero = r.header("x-ratelimit-remaining").map(str::trim) == Some("0");
    let retry_after = r.header("retry-after");
    let secondary = r
        .message()
        .is_some_and(|m| m.to_ascii_lowercase().contains("rate limit"));
    let limited = r.status == 429
        || (r.status == 403 && (remaining_zero || retry_after.is_some() || secondary));
    if !limited {
        return None;
    }
    let now = unix_now();
    let when = retry_after
        .and_then(|v| {
            v.trim()
                .parse::<i64>()
                .ok()
                .map(|s| now + s)
                .or_else(|| parse_http_date(v))
        })
        .or_else(|| {
            r.header("x-ratelimit-reset")
                .or_else(|| r.header("ratelimit-reset"))
                .and_then(|v| v.trim().parse::<i64>().ok())
                .map(|v| if v < 1_000_000_000 { now + v } else { v })
        });
    let retry = match when {
        Some(t) => format!(
            "; retry after {} (in {})",
            format_time(t),
            format_duration(t - now)
        ),
        None => String::new(),
    };
    Some(
        Indeterminate::new(format!(
            "{} answered {}: rate limited{retry}",
            r.what, r.status
        ))
        .help("the probe does not wait or retry; run it again after that time (Atlantis shares this quota)"),
    )
}

fn auth_header(auth: Auth) -> Result<Option<(&'static str, HeaderValue)>, Indeterminate> {
    use base64::Engine as _;
    // Every intermediate copy of the credential is allocated once, at its final size (a
    // reallocation would free a partial copy unwiped), and wiped when dropped.
    let (name, value) = match auth {
        Auth::None => return Ok(None),
        Auth::Basic(u, p) => {
            let pair = wiped_concat(&[u.as_bytes(), b":", p.as_bytes()]);
            let encoded =
                zeroize::Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(&*pair));
            (
                "authorization",
                wiped_concat(&[b"Basic ", encoded.as_bytes()]),
            )
        }
        Auth::Bearer(t) => ("authorization", wiped_concat(&[b"Bearer ", t.as_bytes()])),
        Auth::Token(t) => ("authorization", wiped_concat(&[b"token ", t.as_bytes()])),
        Auth::PrivateToken(t) => ("private-token", wiped_concat(&[t.as_bytes()])),
    };
    // The header shares this wiped buffer (no copy): it is wiped once reqwest drops the last
    // clone of the header. What hyper and rustls copy on the way to the wire is out of reach.
    let mut v = HeaderValue::from_maybe_shared(bytes::Bytes::from_owner(WipedBytes(value)))
        .map_err(|_| {
            Indeterminate::new(
                "not sent: the credential contains characters an HTTP header cannot carry (a newline or a control character)",
            )
            .help("remove the newline or control character from the credential (see the offline findings)")
        })?;
    v.set_sensitive(true);
    Ok(Some((name, v)))
}

/// `parts` joined in one allocation of the exact size, wiped when dropped.
fn wiped_concat(parts: &[&[u8]]) -> zeroize::Zeroizing<Vec<u8>> {
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(parts.iter().map(|p| p.len()).sum()));
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

/// The owner of a header value's bytes: wiped when the last [`bytes::Bytes`] sharing it drops.
struct WipedBytes(zeroize::Zeroizing<Vec<u8>>);

impl AsRef<[u8]> for WipedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn build_client(options: &Options, hosts: &[(String, u16)]) -> Result<Client, String> {
    let tls = super::tls::client_config(&options.ca_pem)?;
    let mut b = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // Connection setup (TCP and TLS) may take the whole request timeout, as the message
        // about a timeout says.
        .connect_timeout(options.timeout.max(Duration::from_millis(1)))
        .user_agent(USER_AGENT)
        .referer(false)
        .tls_backend_preconfigured(tls);
    for c in &options.connect_to {
        if hosts
            .iter()
            .any(|(h, p)| *h == c.host && c.port.is_none_or(|cp| cp == *p))
        {
            // Port 0: the port comes from the URL, which `Http::route` sets to the mapped one.
            b = b.resolve(&c.host, std::net::SocketAddr::new(c.to.ip(), 0));
        }
    }
    b.build()
        .map_err(|_| "the HTTPS client could not be set up".to_string())
}

/// A short pause with jitter before the one retry.
fn retry_pause() {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    std::thread::sleep(Duration::from_millis(200 + u64::from(nanos % 300)));
}

/// A connection that broke before an answer (worth one retry), as opposed to a refusal, a
/// name that does not resolve, TLS or a timeout.
fn dropped(e: &reqwest::Error) -> bool {
    if e.is_timeout() || tls_reason(e).is_some() {
        return false;
    }
    let lower = error_chain(e).to_ascii_lowercase();
    lower.contains("reset") || lower.contains("closed") || lower.contains("eof")
}

/// A successful answer whose rate-limit headers say fewer than [`LOW_QUOTA`] requests are
/// left: why the probe stops asking.
fn low_quota(headers: &HeaderMap, status: u16) -> Option<String> {
    if !(200..300).contains(&status) {
        return None;
    }
    let get = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).map(str::trim);
    let left: i64 = get("x-ratelimit-remaining")
        .or_else(|| get("ratelimit-remaining"))?
        .parse()
        .ok()?;
    if left >= LOW_QUOTA {
        return None;
    }
    let reset = get("x-ratelimit-reset")
        .or_else(|| get("ratelimit-reset"))
        .and_then(|v| v.parse::<i64>().ok())
        .map(|v| if v < 1_000_000_000 { unix_now() + v } else { v })
        .map(|t| format!(", until {}", format_time(t)))
        .unwrap_or_default();
    Some(format!(
        "the host's rate-limit quota is nearly spent ({left} requests left{reset}), and Atlantis needs it"
    ))
}

/// Hosts (and ports) a URL connects to, for `--connect-to` matching.
pub fn host_port(url: &str) -> Option<(String, u16)> {
    let u = reqwest::Url::parse(url).ok()?;
    Some((
        u.host_str()?.to_ascii_lowercase(),
        u.port_or_known_default()?,
    ))
}

fn read_error(what: &str, timeout: Duration) -> Indeterminate {
    Indeterminate::new(format!(
        "{what}: the answer broke off or did not finish within {}",
        format_duration(timeout.as_secs() as i64)
    ))
}

/// Our own words for a transport failure. Never the library's message: it can hold the URL.
fn map_error(e: &reqwest::Error, what: &str, timeout: Duration) -> Indeterminate {
    let chain = error_chain(e);
    let lower = chain.to_ascii_lowercase();
    if e.is_timeout() || lower.contains("timed out") || lower.contains("deadline") {
        return Indeterminate::new(format!(
            "{what}: no answer within {} from this machine",
            format_secs(timeout)
        ))
        .help("the host may be unreachable from here (firewall, VPN, proxy); raise --online-timeout if it is just slow");
    }
    if lower.contains("dns error")
        || lower.contains("failed to lookup")
        || lower.contains("name or service not known")
        || lower.contains("no address associated")
    {
        return Indeterminate::new(format!(
            "{what}: the host name does not resolve from this machine"
        ))
        .help("check the host name; an internal host may only resolve inside the network Atlantis runs in (see --connect-to)");
    }
    if let Some(tls) = tls_reason(e) {
        return Indeterminate::new(format!("{what}: TLS failed: {tls}"))
            .help("for an internal CA, pass its root certificate with --ca-cert FILE (or SSL_CERT_FILE); never disable verification");
    }
    if lower.contains("connection refused") {
        return Indeterminate::new(format!(
            "{what}: the connection was refused from this machine"
        ))
        .help("check the host name and port, and whether a proxy is needed (HTTPS_PROXY)");
    }
    if lower.contains("reset") || lower.contains("closed") || lower.contains("eof") {
        return Indeterminate::new(format!(
            "{what}: the connection was closed before an answer"
        ));
    }
    Indeterminate::new(format!(
        "{what}: the request failed before an answer (network error)"
    ))
}

/// The texts of the error's sources, below reqwest's own (which names the URL).
fn error_chain(e: &reqwest::Error) -> String {
    let mut out = String::new();
    for c in causes(e) {
        let t = c.to_string();
        if !t.contains("://") {
            out.push_str(&t);
            out.push_str("; ");
        }
    }
    out
}

/// Every error below reqwest's, looking inside `io::Error`s (whose `source()` skips the error
/// they wrap).
fn causes(e: &reqwest::Error) -> Vec<&(dyn std::error::Error + 'static)> {
    let mut out = Vec::new();
    let mut todo: Vec<&(dyn std::error::Error + 'static)> =
        std::error::Error::source(e).into_iter().collect();
    while let Some(c) = todo.pop() {
        out.push(c);
        if let Some(inner) = c
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            todo.push(inner);
        } else if let Some(next) = c.source() {
            todo.push(next);
        }
    }
    out
}

/// Our own words for a TLS failure; never the library's text.
fn tls_reason(e: &reqwest::Error) -> Option<String> {
    use rustls::CertificateError as C;
    let causes = causes(e);
    for c in &causes {
        if let Some(r) = c.downcast_ref::<rustls::Error>() {
            return Some(match r {
                rustls::Error::InvalidCertificate(c) => match c {
                    C::UnknownIssuer => {
                        "the server's certificate is signed by an unknown authority".into()
                    }
                    C::Expired | C::ExpiredContext { .. } => {
                        "the server's certificate has expired".into()
                    }
                    C::NotValidYet | C::NotValidYetContext { .. } => {
                        "the server's certificate is not valid yet".into()
                    }
                    C::NotValidForName | C::NotValidForNameContext { .. } => {
                        "the server's certificate is not valid for this host name".into()
                    }
                    C::Revoked => "the server's certificate is revoked".into(),
                    C::BadSignature => "the server's certificate has a bad signature".into(),
                    C::BadEncoding => "the server's certificate cannot be read".into(),
                    C::Other(o)
                        if matches!(
                            o.0.downcast_ref::<webpki::Error>(),
                            Some(webpki::Error::CaUsedAsEndEntity)
                        ) =>
                    {
                        "the server's certificate is a CA certificate (CA:TRUE) that no --ca-cert file holds".into()
                    }
                    _ => "the server's certificate was refused".into(),
                },
                rustls::Error::AlertReceived(_) => "the server ended the handshake".into(),
                rustls::Error::PeerIncompatible(_) => {
                    "the server offers no TLS version or cipher suite in common".into()
                }
                _ => "the handshake failed".into(),
            });
        }
    }
    causes
        .iter()
        .any(|c| {
            let t = c.to_string().to_ascii_lowercase();
            t.contains("certificate") || t.contains("tls") || t.contains("handshake")
        })
        .then(|| "handshake failed".into())
}

pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn format_secs(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `45 s`, `12 min`, `3 h 5 min`, `2 days`.
pub fn format_duration(secs: i64) -> String {
    let s = secs.max(0);
    if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min", (s + 59) / 60)
    } else if s < 86_400 {
        format!("{} h {} min", s / 3600, (s % 3600) / 60)
    } else {
        let d = s / 86_400;
        format!("{d} day{}", if d == 1 { "" } else { "s" })
    }
}

/// Days from 1970-01-01 (inverse of [`crate::date::civil_from_days`]).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-30 12:00 UTC`.
pub fn format_time(t: i64) -> String {
    let (y, m, d) = crate::date::civil_from_days(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        s / 3600,
        (s % 3600) / 60
    )
}

/// `YYYY-MM-DD[ T]HH:MM:SS[.fff][ ](UTC|Z|±HHMM|±HH:MM)`, or a bare date (midnight UTC).
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    let date = crate::date::parse(s.get(..10)?)?;
    let base = days_from_civil(date.0, date.1, date.2) * 86_400;
    let rest = s[10..].trim_start_matches(['T', ' ']);
    if rest.is_empty() {
        return Some(base);
    }
    let hh: i64 = rest.get(0..2)?.parse().ok()?;
    let mm: i64 = rest.get(3..5)?.parse().ok()?;
    let ss: i64 = rest.get(6..8)?.parse().ok()?;
    let mut zone = rest[8..].trim_start();
    if let Some(z) = zone.strip_prefix('.') {
        zone = z
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start();
    }
    let offset = match zone {
        "" | "UTC" | "Z" | "GMT" => 0,
        z => {
            let sign = match z.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: String = z[1..].chars().filter(|c| c.is_ascii_digit()).collect();
            let h: i64 = digits.get(0..2)?.parse().ok()?;
            let m: i64 = digits.get(2..4).unwrap_or("00").parse().ok()?;
            sign * (h * 3600 + m * 60)
        }
    };
    Some(base + hh * 3600 + mm * 60 + ss - offset)
}

/// RFC 7231 `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let mut it = s.split_whitespace().skip(1);
    let d: u32 = it.next()?.parse().ok()?;
    let mon = it.next()?;
    let m = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|x| x.eq_ignore_ascii_case(mon))? as u32
        + 1;
    let y: i32 = it.next()?.parse().ok()?;
    let time = it.next()?;
    parse_time(&format!("{y:04}-{m:02}-{d:02} {time} UTC"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbing_a_url_after_a_multi_byte_character() {
        // The URL's start was taken one byte after the character before it: inside `é`, a
        // panic on a host's message such as this one.
        assert_eq!(
            scrub("voir éhttps://git.example.com/x?private_token=abc ici"),
            "voir éhttps://git.example.com/x ici"
        );
        assert_eq!(scrub("日本https://h/a?b"), "日本https://h/a");
    }

    #[test]
    fn times() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 11, 29), 20_786);
        let t = parse_time("2026-11-30 12:00:00 UTC").unwrap();
        assert_eq!(format_time(t), "2026-11-30 12:00 UTC");
        let t = parse_time("2026-12-01 00:00:00 -0800").unwrap();
        assert_eq!(format_time(t), "2026-12-01 08:00 UTC");
        assert_eq!(
            parse_time("2027-01-31").map(format_time).as_deref(),
            Some("2027-01-31 00:00 UTC")
        );
        assert_eq!(
            parse_http_date("Sun, 29 Nov 2026 11:24:38 GMT")
                .map(format_time)
                .as_deref(),
            Some("2026-11-29 11:24 UTC")
        );
    }

    #[test]
    fn credential_headers_are_sensitive_and_exact() {
        let (name, v) = auth_header(Auth::Basic("bot", "s3cr3t-token"))
            .unwrap()
            .unwrap();
        assert_eq!(name, "authorization");
        assert_eq!(v.to_str().unwrap(), "Basic Ym90OnMzY3IzdC10b2tlbg==");
        assert!(v.is_sensitive());
        let (name, v) = auth_header(Auth::PrivateToken("glpat-abc"))
            .unwrap()
            .unwrap();
        assert_eq!((name, v.to_str().unwrap()), ("private-token", "glpat-abc"));
        let (_, v) = auth_header(Auth::Token("t0k")).unwrap().unwrap();
        assert_eq!(v.to_str().unwrap(), "token t0k");
        // A clone shares the buffer, and outlives the original.
        let (_, v) = auth_header(Auth::Bearer("jwt.jwt.jwt")).unwrap().unwrap();
        let kept = v.clone();
        drop(v);
        assert_eq!(kept.to_str().unwrap(), "Bearer jwt.jwt.jwt");
        assert!(auth_header(Auth::Bearer("line\nbreak")).is_err());
        assert!(auth_header(Auth::None).unwrap().is_none());
    }

    #[test]
    fn bodies_are_read_whole_into_wiped_buffers() {
        // Larger than the first buffer, in reads of uneven size.
        let body: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let read = read_wiped(std::io::Cursor::new(body.clone())).unwrap();
        assert_eq!(*read, body);
        assert!(read_wiped(std::io::empty()).unwrap().is_empty());
        let mut v: serde_json::Value =
            serde_json::from_str(r#"{"token":"ghs_abc","list":[{"x":"y"}],"n":1}"#).unwrap();
        wipe_json(&mut v);
        assert_eq!(v, serde_json::json!({"token":"","list":[{"x":""}],"n":1}));
    }

    #[test]
    fn scrub_drops_tokens_and_queries() {
        let s = scrub(
            "see https://github.com/orgs/acme/sso?authorization_request=abc and ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        );
        assert_eq!(s, "see https://github.com/orgs/acme/sso and <redacted>");
    }
}
