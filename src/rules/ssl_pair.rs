use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "ssl-pair",
    severity: Severity::Error,
    summary: "only one of ssl-key-file and ssl-cert-file is set",
    suppressible: false,
    docs: r#"## What it checks
`ssl-key-file` and `ssl-cert-file` must be set together or not at all.

## Why it matters
Atlantis refuses to start with `--ssl-key-file and --ssl-cert-file are both required for ssl`.

## Example
```yaml
ssl-cert-file: /etc/atlantis/tls/tls.crt
# ssl-key-file missing
```

## Fix
Set the missing file, or remove the one that is there to serve plain HTTP (for example behind a
TLS-terminating load balancer).
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.complete() {
        return;
    }
    let (set, missing) = match (
        cfg.is_set(flags::SSL_KEY_FILE),
        cfg.is_set(flags::SSL_CERT_FILE),
    ) {
        (true, false) => (flags::SSL_KEY_FILE, flags::SSL_CERT_FILE),
        (false, true) => (flags::SSL_CERT_FILE, flags::SSL_KEY_FILE),
        _ => return,
    };
    out.push(
        Finding::new(
            &RULE,
            cfg.location(set),
            format!("{set} is set but {missing} is not"),
        )
        .key(set)
        .label(format!("needs {missing}"))
        .help(format!(
            "set {missing} as well, or remove {set}; Atlantis refuses to start with: \
             --ssl-key-file and --ssl-cert-file are both required for ssl"
        )),
    );
}
