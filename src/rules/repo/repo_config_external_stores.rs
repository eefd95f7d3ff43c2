use super::DocContext;
use crate::finding::{Finding, RuleInfo, Severity};

pub static RULE: RuleInfo = RuleInfo {
    id: "repo-config-external-stores",
    severity: Severity::Error,
    summary: "an external_stores.plan_store of a type other than s3, or an s3 store without bucket or region",
    suppressible: false,
    docs: r#"## What it checks
`external_stores.plan_store` (Atlantis v0.47.0) supports `type: s3` only
(`unsupported plan store type "gcs": only 's3' is supported`), and an s3 store needs `bucket`
and `region` (`external_stores.plan_store.s3.bucket is required when type is 's3'`).

Atlantis validates the block whenever it parses the repo config, `--enable-external-stores` or
not, so this rule reports these mistakes wherever the repo config is read (a file,
`repo-config-json`, a Helm `repoConfig`, a mounted ConfigMap key), at the value;
`external-stores` does not repeat them. That flag without a `plan_store.type` is
`external-stores`'s finding.

## Why it matters
Atlantis refuses to start.

## Example
```yaml
external_stores:
  plan_store:
    type: s3
    s3:
      bucket: atlantis-plans
```

## Fix
Add `region: eu-west-1`.
"#,
};

pub fn check(ctx: &DocContext, out: &mut Vec<Finding>) {
    let Some(x) = ctx.global().and_then(|g| g.external_stores.as_ref()) else {
        return;
    };
    let Some(t) = x.plan_store_type.as_ref().filter(|t| !t.v.is_empty()) else {
        return;
    };
    let at = |span| ctx.at(span);
    if t.v != "s3" {
        let atl = format!(
            "unsupported plan store type {:?}: only 's3' is supported",
            t.v
        );
        out.push(
            Finding::new(&RULE, at(t.span), atl.clone())
                .label("not a supported store")
                .help(format!("use `type: s3` (an S3-compatible store: set `endpoint` for MinIO and the like). {}", ctx.refused(&atl))),
        );
        return;
    }
    let s3_key = x.s3.as_ref().map(|s| s.key).unwrap_or(t.key);
    for (key, value) in [
        ("bucket", x.s3.as_ref().and_then(|s| s.bucket.as_ref())),
        ("region", x.s3.as_ref().and_then(|s| s.region.as_ref())),
    ] {
        if value.is_some_and(|v| !v.v.is_empty()) {
            continue;
        }
        let atl = format!("external_stores.plan_store.s3.{key} is required when type is 's3'");
        out.push(
            Finding::new(&RULE, at(value.map_or(s3_key, |v| v.entry())), atl.clone())
                .label(format!("no {key}"))
                .help(format!("set `s3.{key}`. {}", ctx.refused(&atl))),
        );
        break;
    }
}
