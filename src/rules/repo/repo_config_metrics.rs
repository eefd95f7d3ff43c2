use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::repo_config::ozzo;
use crate::source::Span;

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-metrics",
    severity: Severity::Error,
    summary: "metrics.statsd without a valid host and port, or metrics.prometheus without an endpoint",
    suppressible: false,
    docs: r#"## What it checks
`metrics.statsd` needs `host` (an IP address or DNS name) and `port` (an integer, written as a
string or a number): `metrics: (statsd: (host: cannot be blank; port: cannot be blank.).).`,
`(host: must be a valid IP address or DNS name.)`, `(port: must be an integer number.)`.
`metrics.prometheus` needs `endpoint`. A null `statsd:` is skipped. With both set, Atlantis
uses statsd only.

## Why it matters
Atlantis refuses to start.

## Example
```yaml
metrics:
  statsd:
    host: statsd.example.com:8125
```

## Fix
```yaml
metrics:
  statsd:
    host: statsd.example.com
    port: "8125"
```
"#,
};

/// govalidator's `IsDNSName` (what ozzo's `is.Host` accepts besides an IP address).
fn dns_name(s: &str) -> bool {
    if s.is_empty() || s.len() > 255 {
        return false;
    }
    let s = s.strip_suffix(['.', '_']).unwrap_or(s);
    s.split('.').all(|label| {
        let b = label.as_bytes();
        !b.is_empty()
            && b.len() <= 63
            && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
    })
}

fn is_int(s: &str) -> bool {
    let d = s.strip_prefix(['+', '-']).unwrap_or(s);
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) && (d == "0" || !d.starts_with('0'))
}

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(m) = ctx.global().and_then(|g| g.metrics.as_ref()) else {
        return;
    };
    let mut push = |path: &[&str], msg: &str, span: Span, label: &str, fix: &str| {
        let atl = ozzo(path, msg);
        out.push(
            Finding::new(&RULE, ctx.at(span), atl.clone())
                .label(label)
                .help(format!("{fix} {}", ctx.refused(&atl))),
        );
    };
    if let Some(s) = &m.statsd {
        let host = s.host.as_ref().filter(|h| !h.v.is_empty());
        let port = s.port.as_ref().filter(|p| !p.v.is_empty());
        match host {
            None => push(
                &["metrics", "statsd", "host"],
                "cannot be blank",
                s.host.as_ref().map_or(s.key, |h| h.entry()),
                "no host",
                "set `host:` to the statsd server's name or IP address.",
            ),
            Some(h) if h.v.parse::<std::net::IpAddr>().is_err() && !dns_name(&h.v) => push(
                &["metrics", "statsd", "host"],
                "must be a valid IP address or DNS name",
                h.span,
                "not a host name",
                "write the host alone (the port goes in `port:`).",
            ),
            _ => {}
        }
        match port {
            None => push(
                &["metrics", "statsd", "port"],
                "cannot be blank",
                s.port.as_ref().map_or(s.key, |p| p.entry()),
                "no port",
                "set `port: \"8125\"`.",
            ),
            Some(p) if !is_int(&p.v) => push(
                &["metrics", "statsd", "port"],
                "must be an integer number",
                p.span,
                "not a number",
                "write the port number.",
            ),
            _ => {}
        }
    }
    if let Some(p) = &m.prometheus {
        if p.endpoint.as_ref().is_none_or(|e| e.v.is_empty()) {
            push(
                &["metrics", "prometheus", "endpoint"],
                "cannot be blank",
                p.endpoint.as_ref().map_or(p.key, |e| e.entry()),
                "no endpoint",
                "set `endpoint: /metrics`.",
            );
        }
    }
}
