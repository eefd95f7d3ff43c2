use super::Context;
use crate::config::{Channel, Location, Spelling};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
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

The same check applies to the path Atlantis is told to load with `--config` or `ATLANTIS_CONFIG`.
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

/// Why Atlantis would refuse to load `path`: (message, Atlantis's error, a suggested extension).
fn problem(path: &str) -> Option<(String, String, Option<String>)> {
    let ext = extension(path);
    if DECODED.contains(&ext) {
        return None;
    }
    let lower = ext.to_ascii_lowercase();
    let (message, atlantis) = if NO_DECODER.contains(&ext) {
        (
            format!("Atlantis cannot read `.{ext}` config files"),
            "While parsing config: decoder not found for this format".to_string(),
        )
    } else if ext.is_empty() {
        (
            format!("`{path}` has no extension, so Atlantis cannot tell its format"),
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
    let suggestion = DECODED
        .contains(&lower.as_str())
        .then(|| format!(".{lower}"));
    Some((message, atlantis, suggestion))
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if let Some(file) = &cfg.file {
        if file.path != "<stdin>" {
            if let Some((message, atlantis, suggestion)) = problem(&file.path) {
                let location = Location::Source {
                    source: file.source,
                    spelling: Spelling::ConfigKey,
                    span: Span::new(0, 0),
                };
                out.push(finding(
                    location, message, &file.path, &atlantis, suggestion, None,
                ));
            }
        }
    }
    // The file Atlantis itself is told to load (`--config`, ATLANTIS_CONFIG). A `config:` key
    // inside the file does nothing: the file has been chosen by then.
    if let Some(setting) = cfg.winner(flags::CONFIG) {
        if setting.origin.channel != Channel::File {
            let path = cfg.explicit_text(flags::CONFIG).map(|t| t.as_str());
            // When the linter read that very file, the finding above already covers it.
            let already = cfg.file.as_ref().map(|f| f.path.as_str());
            if let Some(path) = path.filter(|p| Some(*p) != already) {
                if let Some((message, atlantis, suggestion)) = problem(path) {
                    let message = format!("config `{path}` cannot be loaded: {message}");
                    out.push(finding(
                        setting.origin.value(),
                        message,
                        path,
                        &atlantis,
                        suggestion,
                        Some(flags::CONFIG.name()),
                    ));
                }
            }
        }
    }
}

fn finding(
    location: Location,
    message: String,
    path: &str,
    atlantis: &str,
    suggestion: Option<String>,
    key: Option<&str>,
) -> Finding {
    let mut f = Finding::new(&RULE, location, message)
        .label(if key.is_some() {
            "this config file"
        } else {
            "this file"
        })
        .help(format!(
            "rename the file to end in `.yaml`; Atlantis refuses to start with: \
             invalid config: reading {path}: {atlantis}"
        ));
    if let Some(key) = key {
        f = f.key(key);
    }
    if let Some(s) = suggestion {
        f = f.suggestion(s);
    }
    f
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
