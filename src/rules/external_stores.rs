//! `enable-external-stores` against the `external_stores` block of the server-side repo config.
//!
//! The repo config is read here by a small reader of just `external_stores.plan_store`
//! ([`plan_store`]); a full repo-config document model replaces it once it exists.

use super::Context;
use crate::config::Location;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
use crate::input::yaml::{self, NodeId, NodeKind, YamlDoc};
use std::path::{Path, PathBuf};

pub static RULE: RuleInfo = RuleInfo {
    id: "external-stores",
    severity: Severity::Error,
    summary: "enable-external-stores without an external plan store in the repo config (or a plan store it leaves unused)",
    suppressible: true,
    docs: r#"## What it checks
With `enable-external-stores: true`, the server-side repo config (`repo-config-json`, the
`repos.yaml` a deployment mounts where `repo-config` points (the Helm chart's `repoConfig`, a
ConfigMap key), or the file `repo-config` names when the linter can read it: with
`--check-files`, or beside the config file) must configure an external plan store:
`external_stores.plan_store.type` must be set. Without a repo config, or without the block,
`NewServer` refuses to start with `--enable-external-stores is set but no
external_stores.plan_store.type is configured in the server-side repo config`.

A type other than `s3`, and an `s3` store without `bucket` or `region`, are refused while the
repo config is parsed, flag or not: `repo-config-external-stores` reports them, at the value and
with Atlantis's words, wherever the repo config is read; this rule does not repeat them.

Without `enable-external-stores`, a configured `s3` plan store is not used (Atlantis keeps plans
on local disk): a warning. A repo-config file the linter cannot read is not judged.

## Why it matters
Each of the errors stops Atlantis at startup; the unused store looks like plans survive a pod
restart when they do not.

## Example
```yaml
enable-external-stores: true
repo-config-json: '{"repos":[{"id":"/.*/"}]}'   # no external_stores
```

## Fix
Add the store to the repo config:
```yaml
external_stores:
  plan_store:
    type: s3
    s3:
      bucket: acme-atlantis-plans
      region: eu-west-1
```
"#,
};

/// What the repo config says about `external_stores.plan_store`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PlanStore {
    pub store_type: String,
    pub bucket: bool,
    pub region: bool,
}

/// Reads `external_stores.plan_store` from a repo config: YAML, or JSON (`json`), where Go's
/// `encoding/json` matches keys without regard to case. `Err` when the text does not parse.
pub fn plan_store(text: &str, json: bool) -> Result<PlanStore, String> {
    if json {
        return plan_store_json(text);
    }
    let json_keys = false;
    let doc = yaml::parse(text).map_err(|e| e.message)?;
    let mut store = PlanStore::default();
    let Some(root) = doc.root else {
        return Ok(store);
    };
    let get = |node: NodeId, key: &str| -> Option<NodeId> {
        let NodeKind::Map(pairs) = &doc.resolve(node).kind else {
            return None;
        };
        // The last of duplicate keys, as Go's decoders keep it.
        pairs
            .iter()
            .rev()
            .find_map(|&(k, v)| match &doc.resolve(k).kind {
                NodeKind::Scalar(s)
                    if s.value == key || (json_keys && s.value.eq_ignore_ascii_case(key)) =>
                {
                    Some(v)
                }
                _ => None,
            })
    };
    let text_of = |doc: &YamlDoc, node: NodeId| match &doc.resolve(node).kind {
        NodeKind::Scalar(s) if s.value != "~" && s.value != "null" => s.value.clone(),
        _ => String::new(),
    };
    let Some(ps) = get(root, "external_stores").and_then(|e| get(e, "plan_store")) else {
        return Ok(store);
    };
    store.store_type = get(ps, "type")
        .map(|t| text_of(&doc, t))
        .unwrap_or_default();
    if let Some(s3) = get(ps, "s3") {
        store.bucket = get(s3, "bucket").is_some_and(|b| !text_of(&doc, b).is_empty());
        store.region = get(s3, "region").is_some_and(|r| !text_of(&doc, r).is_empty());
    }
    Ok(store)
}

fn plan_store_json(text: &str) -> Result<PlanStore, String> {
    use serde_json::Value;
    if text.trim().is_empty() {
        return Ok(PlanStore::default());
    }
    let root: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
        let map = v.as_object()?;
        map.get(key).or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })
    }
    let text_of = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    let Some(ps) = get(&root, "external_stores").and_then(|e| get(e, "plan_store")) else {
        return Ok(PlanStore::default());
    };
    let s3 = get(ps, "s3");
    Ok(PlanStore {
        store_type: text_of(get(ps, "type")),
        bucket: !text_of(s3.and_then(|s| get(s, "bucket"))).is_empty(),
        region: !text_of(s3.and_then(|s| get(s, "region"))).is_empty(),
    })
}

/// The repo-config file to read: the one the run lints as a document
/// (`crate::repo_config::run::named_repo_config`), so that what this rule leaves to
/// `repo-config-external-stores` is reported there.
fn locate(ctx: &Context) -> Option<PathBuf> {
    crate::repo_config::run::named_repo_config(ctx.cfg, ctx.options.check_files)
}

fn read(path: &Path) -> Option<String> {
    let bytes = crate::input::read_regular_file(path, 1 << 20).ok()?;
    String::from_utf8(bytes).ok()
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.complete() {
        return;
    }
    let enabled = cfg.bool(flags::ENABLE_EXTERNAL_STORES);
    // (the repo config's text, where it is named, how to name it in messages)
    let (text, at, what) = if let Some(json) = cfg.explicit_text(flags::REPO_CONFIG_JSON) {
        (
            Some(json.as_str().to_string()),
            cfg.value_location(flags::REPO_CONFIG_JSON),
            flags::REPO_CONFIG_JSON.to_string(),
        )
    } else if let Some(mounted) = crate::repo_config::run::mounted_repo_config(cfg) {
        let text = crate::input::mounted::content(mounted, &cfg.sources.get(mounted.source).text);
        (
            Some(text.to_string()),
            cfg.value_location(flags::REPO_CONFIG),
            format!("the repo config {}", mounted.path),
        )
    } else if let Some(path) = cfg.explicit_text(flags::REPO_CONFIG) {
        let text = locate(ctx).and_then(|p| read(&p));
        if text.is_none() {
            // Not readable here: nothing certain to say.
            return;
        }
        (
            text,
            cfg.value_location(flags::REPO_CONFIG),
            format!("the repo config {}", path.as_str()),
        )
    } else {
        (None, Location::None, String::new())
    };
    let store = match &text {
        None => PlanStore::default(),
        // A repo config that does not parse is the repo-config rules' finding.
        Some(t) => match plan_store(t, what.as_str() == flags::REPO_CONFIG_JSON) {
            Ok(store) => store,
            Err(_) => return,
        },
    };
    let flag_at = cfg.location(flags::ENABLE_EXTERNAL_STORES);
    let finding = |message: String, help: &str| {
        Finding::new(&RULE, flag_at.clone(), message)
            .key(flags::ENABLE_EXTERNAL_STORES)
            .label("needs an external plan store")
            .related(at.clone(), "the server-side repo config")
            .help(help.to_string())
    };
    let example = "add `external_stores: {plan_store: {type: s3, s3: {bucket: ..., region: ...}}}` to the server-side repo config, or turn enable-external-stores off";
    if !enabled {
        if store.store_type == "s3" {
            out.push(
                Finding::new(
                    &RULE,
                    at,
                    format!("{what} configures an s3 plan store, but enable-external-stores is off: Atlantis keeps plans on local disk"),
                )
                .severity(Severity::Warning)
                .key(flags::ENABLE_EXTERNAL_STORES)
                .label("plan store not used")
                .help("set enable-external-stores: true to use it, or remove the external_stores block"),
            );
        }
        return;
    }
    if store.store_type.is_empty() {
        let message = if text.is_none() {
            "enable-external-stores is on, but there is no server-side repo config (repo-config or repo-config-json) to configure a plan store: Atlantis refuses to start".to_string()
        } else {
            format!(
                "enable-external-stores is on, but {what} has no external_stores.plan_store.type: Atlantis refuses to start"
            )
        };
        let mut f = finding(message, example);
        // A source the input does not show (an `envFrom` Secret) may set repo-config-json.
        if text.is_none()
            && cfg
                .opaque
                .iter()
                .any(|o| "ATLANTIS_".starts_with(&o.prefix) || o.prefix.starts_with("ATLANTIS_"))
        {
            f = f.severity(Severity::Info);
        }
        out.push(f);
    }
    // A type other than s3, or an s3 store without bucket or region: `repo-config-external-stores`
    // reports it at the value, with Atlantis's words (the repo config is linted wherever this
    // rule could read it).
}

#[cfg(test)]
mod tests {
    use super::{PlanStore, plan_store};

    #[test]
    fn reads_the_plan_store() {
        let s3 = "external_stores:\n  plan_store:\n    type: s3\n    s3:\n      bucket: b\n      region: r\n";
        assert_eq!(
            plan_store(s3, false).unwrap(),
            PlanStore {
                store_type: "s3".into(),
                bucket: true,
                region: true
            }
        );
        assert_eq!(
            plan_store("repos: []\n", false).unwrap(),
            PlanStore::default()
        );
        assert_eq!(plan_store("", false).unwrap(), PlanStore::default());
        let json = r#"{"External_Stores":{"plan_store":{"TYPE":"gcs"}}}"#;
        assert_eq!(plan_store(json, true).unwrap().store_type, "gcs");
        assert_eq!(
            plan_store("External_Stores: {plan_store: {type: gcs}}", false)
                .unwrap()
                .store_type,
            ""
        );
        assert!(plan_store("{", true).is_err());
        assert_eq!(plan_store("- a\n", false).unwrap(), PlanStore::default());
    }
}
