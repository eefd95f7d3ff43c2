use super::Context;
use crate::config::{Location, OriginKind};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::source::Span;

pub static RULE: RuleInfo = RuleInfo {
    id: "unsupported-config-file",
    severity: Severity::Error,
    summary: "a config file name Atlantis would refuse to load (no extension, `.YAML`, `.ini`, ...)",
    suppressible: false,
    docs: r#"## What it checks
Atlantis (viper) picks the config-file format from the file name's extension alone, and the
check is case-sensitive:
- `yaml`, `yml`, `json`, `toml`, `env` and `dotenv` load;
- `properties`, `props`, `prop`, `hcl`, `tfvars` and `ini` are accepted by name, but viper has no
  decoder for them;
- anything else, an upper-case extension (`atlantis.YAML`) or no extension at all is refused.

Standard input (`-`) is only checked when `--stdin-filename` names it.

## Why it matters
Atlantis refuses to start with
`invalid config: reading <path>: Unsupported Config Type "<ext>"`, or
`... While parsing config: decoder not found for this format`.

## Example
`atlantis server --config /etc/atlantis/server.conf`

## Fix
Rename the file to end in `.yaml` (the linter reads it as YAML, like Atlantis would then).
"#,
};

/// viper's `SupportedExts` that have a decoder.
const DECODED: &[&str] = &["yaml", "yml", "json", "toml", "env", "dotenv"];
/// viper's `SupportedExts` without a decoder in viper 1.21.
const NO_DECODER: &[&str] = &["properties", "props", "prop", "hcl", "tfvars", "ini"];

/// Go's `filepath.Ext` without the dot.
fn extension(path: &str) -> &str {
    let base = path.rsplit('/').next().unwrap_or(path);
    match base.rfind('.') {
        Some(i) => &base[i + 1..],
        None => "",
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(file) = &ctx.cfg.file else {
        return;
    };
    if file.path == "<stdin>" {
        return;
    }
    let ext = extension(&file.path);
    if DECODED.contains(&ext) {
        return;
    }
    let location = Location::Source {
        source: file.source,
        kind: OriginKind::File,
        span: Span::new(0, 0),
    };
    let lower = ext.to_ascii_lowercase();
    let (message, atlantis) = if NO_DECODER.contains(&ext) {
        (
            format!("Atlantis cannot read `.{ext}` config files"),
            "While parsing config: decoder not found for this format".to_string(),
        )
    } else if ext.is_empty() {
        (
            format!(
                "`{}` has no extension, so Atlantis cannot tell its format",
                file.path
            ),
            "Unsupported Config Type \"\"".to_string(),
        )
    } else if DECODED.contains(&lower.as_str()) || NO_DECODER.contains(&lower.as_str()) {
        (
            format!(
                "the extension `.{ext}` is not lower case; Atlantis matches extensions case-sensitively"
            ),
            format!("Unsupported Config Type \"{ext}\""),
        )
    } else {
        (
            format!("Atlantis does not load config files with the extension `.{ext}`"),
            format!("Unsupported Config Type \"{ext}\""),
        )
    };
    let mut f = Finding::new(&RULE, location, message)
        .label("this file")
        .help(format!(
            "rename the file to end in `.yaml`; Atlantis refuses to start with: \
             invalid config: reading {}: {atlantis}",
            file.path
        ));
    if DECODED.contains(&lower.as_str()) {
        f = f.suggestion(format!(".{lower}"));
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::extension;

    #[test]
    fn extension_is_go_filepath_ext() {
        assert_eq!(extension("atlantis.yaml"), "yaml");
        assert_eq!(extension("/etc/atlantis/config"), "");
        assert_eq!(extension("/etc/at.lantis/config"), "");
        assert_eq!(extension("server.YAML"), "YAML");
        assert_eq!(extension("a.tar.gz"), "gz");
        assert_eq!(extension(".env"), "env");
    }
}
