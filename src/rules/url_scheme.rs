use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "url-scheme",
    severity: Severity::Error,
    summary: "bitbucket-base-url, gitea-base-url or atlantis-url without http:// or https://, or unparsable",
    suppressible: false,
    docs: r#"## What it checks
`bitbucket-base-url`, `gitea-base-url` and `atlantis-url` must parse as URLs (Go's `url.Parse`)
and have the scheme `http` or `https` (in any case: Go lower-cases the scheme).

## Why it matters
Atlantis refuses to start with, for example:
- `--bitbucket-base-url must have http:// or https://, got "bitbucket.example.com"`
- `error parsing --gitea-webhook-secret flag value "://gitea.example.com": parse "://gitea.example.com": missing protocol scheme`
  (Atlantis names the wrong flag in this message)
- `initializing server: parsing --atlantis-url flag "atlantis.example.com": http or https must be specified`

A value such as `atlantis.example.com:4141` parses as the scheme `atlantis.example.com`, so it is
rejected too.

## Example
```yaml
atlantis-url: atlantis.example.com
gitea-base-url: gitea.example.com
```

## Fix
Write the full URL: `atlantis-url: https://atlantis.example.com`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    for flag in [
        flags::BITBUCKET_BASE_URL,
        flags::GITEA_BASE_URL,
        flags::ATLANTIS_URL,
    ] {
        if !cfg.is_set(flag) {
            continue;
        }
        let Some(url) = cfg.str(flag) else { continue };
        let problem = match parse_scheme(url) {
            Err(e) => {
                let atlantis = match flag {
                    flags::ATLANTIS_URL => {
                        format!("parsing --atlantis-url flag \"{url}\": parse \"{url}\": {e}")
                    }
                    // Atlantis really names the webhook-secret flag here.
                    flags::BITBUCKET_BASE_URL => format!(
                        "error parsing --bitbucket-webhook-secret flag value \"{url}\": parse \"{url}\": {e}"
                    ),
                    _ => format!(
                        "error parsing --gitea-webhook-secret flag value \"{url}\": parse \"{url}\": {e}"
                    ),
                };
                (format!("{flag} `{url}` is not a valid URL: {e}"), atlantis)
            }
            Ok(scheme) if scheme == "http" || scheme == "https" => continue,
            Ok(scheme) => {
                let atlantis = if flag == flags::ATLANTIS_URL {
                    format!(
                        "parsing --atlantis-url flag \"{url}\": http or https must be specified"
                    )
                } else {
                    format!("--{flag} must have http:// or https://, got \"{url}\"")
                };
                let what = if scheme.is_empty() {
                    "has no scheme".to_string()
                } else {
                    format!("has the scheme `{scheme}`")
                };
                (
                    format!("{flag} `{url}` {what}; it must start with http:// or https://"),
                    atlantis,
                )
            }
        };
        let (message, atlantis) = problem;
        let fixed = with_scheme(url);
        let example = match &fixed {
            Some(fixed) => format!(": `{fixed}`"),
            None => format!(", e.g. `https://{}`", example_host(flag)),
        };
        let mut f = Finding::new(&RULE, cfg.value_location(flag), message)
            .key(flag)
            .label("not an http(s) URL")
            .help(format!(
                "write the full URL{example}; Atlantis refuses to start with: {atlantis}"
            ));
        if let Some(fixed) = fixed {
            f = f.suggestion(fixed);
        }
        out.push(f);
    }
}

fn example_host(flag: flags::FlagId) -> &'static str {
    match flag {
        flags::BITBUCKET_BASE_URL => "bitbucket.example.com",
        flags::GITEA_BASE_URL => "gitea.example.com",
        _ => "atlantis.example.com",
    }
}

/// A likely fix for a bare host (`atlantis.example.com`, `host:4141`, `//host`).
fn with_scheme(url: &str) -> Option<String> {
    let rest = url.trim_start_matches(':').trim_start_matches('/');
    if rest.is_empty() || rest.contains("://") || rest.contains(char::is_whitespace) {
        return None;
    }
    let fixed = format!("https://{rest}");
    parse_scheme(&fixed).ok().map(|_| fixed)
}

/// The lower-cased scheme Go's `url.Parse` finds, or its error (the text after `parse "<url>": `).
pub(crate) fn parse_scheme(raw: &str) -> Result<String, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let (without_fragment, fragment) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    if raw == "*" || without_fragment.is_empty() {
        return Ok(String::new());
    }
    let (scheme, mut rest) = get_scheme(without_fragment)?;
    let scheme = scheme.to_ascii_lowercase();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, _query)) = rest.split_once('?') {
        rest = r;
    }
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // An opaque URL such as `mailto:x` or `host:4141`.
            return check_fragment(fragment).map(|_| scheme);
        }
        let segment = rest.split('/').next().unwrap_or("");
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, path) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        parse_authority(authority)?;
        rest = path;
    }
    unescape(rest, Mode::Path)?;
    check_fragment(fragment)?;
    Ok(scheme)
}

fn check_fragment(fragment: Option<&str>) -> Result<(), String> {
    match fragment {
        Some(f) => unescape(f, Mode::Fragment),
        None => Ok(()),
    }
}

/// Go's `getScheme`.
fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        if c.is_ascii_alphabetic() {
            continue;
        }
        if c.is_ascii_digit() || c == b'+' || c == b'-' || c == b'.' {
            if i == 0 {
                return Ok(("", raw));
            }
            continue;
        }
        if c == b':' {
            if i == 0 {
                return Err("missing protocol scheme".into());
            }
            return Ok((&raw[..i], &raw[i + 1..]));
        }
        return Ok(("", raw));
    }
    Ok(("", raw))
}

fn parse_authority(authority: &str) -> Result<(), String> {
    let host = match authority.rfind('@') {
        Some(i) => {
            let userinfo = &authority[..i];
            if !userinfo
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&b))
            {
                return Err("net/url: invalid userinfo".into());
            }
            unescape(userinfo, Mode::UserInfo)?;
            &authority[i + 1..]
        }
        None => authority,
    };
    parse_host(host)
}

fn parse_host(host: &str) -> Result<(), String> {
    if let Some(stripped) = host.strip_prefix('[') {
        let Some(end) = stripped.find(']') else {
            return Err("missing ']' in host".into());
        };
        let colon_port = &stripped[end + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {colon_port:?} after host"));
        }
    } else if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {colon_port:?} after host"));
        }
    }
    unescape(host, Mode::Host)
}

fn valid_optional_port(port: &str) -> bool {
    if port.is_empty() {
        return true;
    }
    match port.strip_prefix(':') {
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

#[derive(PartialEq, Clone, Copy)]
enum Mode {
    Host,
    Path,
    UserInfo,
    Fragment,
}

/// Go's `unescape`, for its errors only.
fn unescape(s: &str, mode: Mode) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if i + 2 >= b.len() || !is_hex(b[i + 1]) || !is_hex(b[i + 2]) {
                    let bad: String = s[i..].chars().take(3).collect();
                    return Err(format!("invalid URL escape {bad:?}"));
                }
                if mode == Mode::Host && hex_value(b[i + 1]) < 8 && &s[i..i + 3] != "%25" {
                    return Err(format!("invalid URL escape {:?}", &s[i..i + 3]));
                }
                i += 3;
            }
            c => {
                if mode == Mode::Host && c < 0x80 && should_escape_in_host(c) {
                    return Err(format!(
                        "invalid character {:?} in host name",
                        (c as char).to_string()
                    ));
                }
                i += 1;
            }
        }
    }
    Ok(())
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn hex_value(c: u8) -> u8 {
    (c as char).to_digit(16).unwrap_or(0) as u8
}

fn should_escape_in_host(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"".contains(&c))
}

#[cfg(test)]
mod tests {
    use super::parse_scheme;

    #[test]
    fn matches_go_url_parse() {
        assert_eq!(
            parse_scheme("https://bitbucket.example.com").unwrap(),
            "https"
        );
        assert_eq!(
            parse_scheme("HTTPS://bitbucket.example.com").unwrap(),
            "https"
        );
        assert_eq!(parse_scheme("bitbucket.example.com").unwrap(), "");
        assert_eq!(
            parse_scheme("atlantis.example.com:4141").unwrap(),
            "atlantis.example.com"
        );
        assert_eq!(parse_scheme("localhost:4141").unwrap(), "localhost");
        assert_eq!(parse_scheme("https://").unwrap(), "https");
        assert_eq!(
            parse_scheme("://mydomain.com").unwrap_err(),
            "missing protocol scheme"
        );
        assert_eq!(
            parse_scheme("https://host:port").unwrap_err(),
            "invalid port \":port\" after host"
        );
        assert_eq!(
            parse_scheme("https://exa mple.com").unwrap_err(),
            "invalid character \" \" in host name"
        );
        assert_eq!(
            parse_scheme("https://h/%zz").unwrap_err(),
            "invalid URL escape \"%zz\""
        );
        assert_eq!(
            parse_scheme("1http://x").unwrap_err(),
            "first path segment in URL cannot contain colon"
        );
        assert_eq!(parse_scheme("/a:b").unwrap(), "");
        assert_eq!(parse_scheme("a/b:c").unwrap(), "");
        assert_eq!(
            parse_scheme("1a:b").unwrap_err(),
            "first path segment in URL cannot contain colon"
        );
        assert_eq!(parse_scheme("https://[::1]:8443/x").unwrap(), "https");
        assert_eq!(
            parse_scheme("https://[::1").unwrap_err(),
            "missing ']' in host"
        );
    }
}
