use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
use crate::input::yaml::{self, NodeKind, YamlDoc};
use std::path::{Path, PathBuf};

pub static RULE: RuleInfo = RuleInfo {
    id: "language-config-file",
    severity: Severity::Error,
    summary: "a language-config-file Atlantis refuses at startup: broken YAML, an unknown field, a value of the wrong shape",
    suppressible: true,
    docs: r#"## What it checks
The custom message catalog named by `language-config-file`, read the way `validate()` reads it
at startup (`i18n.ValidateCustomCatalog`, strict YAML decoding with known fields only). The file
is read when the linter can see it: with `--check-files` at the path given (relative paths
against the working directory, as Atlantis resolves them), otherwise when a file of that name
sits beside the config file (relative paths against the config file's folder; for an absolute
path, the file of the same name in that folder, as in a ConfigMap that holds both files). A
file the linter cannot see is not reported (with `--check-files`, `file-not-found` reports it).

The catalog is a YAML mapping with at most these keys:
- `command_titles`: a mapping of command name to title (`plan: Planificar`);
- `pull_request_label`, `merge_request_label`: strings.

Reported: a YAML syntax error, a root that is not a mapping, an unknown key (`pull_request`,
`commands`), a key written twice, `command_titles` that is not a mapping or holds a list or
mapping as a title, a label that is a list or mapping. An empty file is accepted, as Atlantis
accepts it.

## Why it matters
Atlantis refuses to start: `invalid language-config-file "<path>": yaml: unmarshal errors: line 2:
field pull_request not found in type i18n.catalog`, naming neither the fix nor the other problems.

## Example
```yaml
# atlantis.yaml
language: es
language-config-file: /etc/atlantis/messages.yaml
```
```yaml
# messages.yaml
command_title:            # unknown: the key is command_titles
  plan: Planificar
```

## Fix
Use the keys above; quote titles that YAML would read otherwise.
"#,
};

/// Findings per catalog: Atlantis reports only the first problem; ten show the pattern.
const MAX_SHOWN: usize = 10;

const KEYS: &[&str] = &[
    "command_titles",
    "pull_request_label",
    "merge_request_label",
];

/// The catalog file to read, and whether it was found beside the config rather than at its path.
fn locate(ctx: &Context, path: &str) -> Option<(PathBuf, bool)> {
    if ctx.options.check_files {
        return Some((PathBuf::from(path), false));
    }
    let config = Path::new(&ctx.cfg.file.as_ref()?.path);
    let dir = config.parent()?;
    let given = Path::new(path);
    let beside = if given.is_absolute() {
        dir.join(given.file_name()?)
    } else {
        dir.join(given)
    };
    beside.is_file().then_some((beside, true))
}

/// At most 1 MiB of a regular file (a FIFO is never opened: that would wait for a writer).
fn read(path: &Path) -> Option<String> {
    let bytes = crate::input::read_regular_file(path, 1 << 20).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// Names shown in messages: keys of a catalog, never long or odd text.
fn shown(s: &str) -> String {
    if !s.is_empty()
        && s.len() <= 40
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        format!("`{s}`")
    } else {
        "a key".to_string()
    }
}

/// What Atlantis's strict decoding refuses in a catalog: (byte offset, problem).
pub fn problems(text: &str) -> Vec<(usize, String)> {
    let doc: YamlDoc = match yaml::parse(text) {
        Ok(doc) => doc,
        Err(e) => return vec![(e.span.start, format!("is not valid YAML: {}", e.message))],
    };
    let Some(root) = doc.root else {
        return Vec::new();
    };
    let root_node = doc.resolve(root);
    let pairs = match &root_node.kind {
        NodeKind::Map(pairs) => pairs,
        NodeKind::Scalar(s) if s.value.is_empty() || s.value == "~" || s.value == "null" => {
            return Vec::new();
        }
        _ => {
            return vec![(
                root_node.span.start,
                "is not a mapping of `command_titles`, `pull_request_label` and `merge_request_label`".into(),
            )];
        }
    };
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for &(k, v) in pairs {
        let key_node = doc.node(k);
        let NodeKind::Scalar(key) = &doc.resolve(k).kind else {
            out.push((key_node.span.start, "has a key that is not a string".into()));
            continue;
        };
        let name = key.value.as_str();
        if !seen.insert(name) {
            out.push((
                key_node.span.start,
                format!("defines {} twice", shown(name)),
            ));
            continue;
        }
        let value = doc.resolve(v);
        match name {
            "command_titles" => match &value.kind {
                NodeKind::Map(titles) => {
                    for &(_, t) in titles {
                        if !matches!(doc.resolve(t).kind, NodeKind::Scalar(_)) {
                            out.push((
                                doc.node(t).span.start,
                                "has a command title that is a list or mapping, not a string"
                                    .into(),
                            ));
                        }
                    }
                }
                NodeKind::Scalar(s)
                    if s.value.is_empty() || s.value == "~" || s.value == "null" => {}
                _ => out.push((
                    doc.node(v).span.start,
                    "has `command_titles` that is not a mapping of command name to title".into(),
                )),
            },
            "pull_request_label" | "merge_request_label" => {
                if !matches!(value.kind, NodeKind::Scalar(_)) {
                    out.push((
                        doc.node(v).span.start,
                        format!("has `{name}` that is a list or mapping, not a string"),
                    ));
                }
            }
            _ => {
                let hint = crate::rules::invalid_value::did_you_mean(name, KEYS)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                out.push((
                    key_node.span.start,
                    format!("has the unknown field {}{hint}", shown(name)),
                ));
            }
        }
    }
    out
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(path) = cfg.explicit_text(flags::LANGUAGE_CONFIG_FILE) else {
        return;
    };
    let path = path.as_str();
    if path.trim().is_empty() {
        return;
    }
    let Some((file, beside)) = locate(ctx, path) else {
        return;
    };
    let Some(text) = read(&file) else { return };
    let read_from = if beside {
        format!(" (read from {}, beside the config)", file.display())
    } else {
        String::new()
    };
    let all = problems(&text);
    let more = all.len().saturating_sub(MAX_SHOWN);
    for (i, (offset, problem)) in all.into_iter().take(MAX_SHOWN).enumerate() {
        let more = if i + 1 == MAX_SHOWN && more > 0 {
            format!(" ({more} more problems in the file not listed)")
        } else {
            String::new()
        };
        let (line, col) = line_col(&text, offset);
        out.push(
            Finding::new(
                &RULE,
                cfg.value_location(flags::LANGUAGE_CONFIG_FILE),
                format!("language-config-file {path} {problem}, at line {line} column {col}{read_from}{more}"),
            )
            .key(flags::LANGUAGE_CONFIG_FILE)
            .label("Atlantis refuses this file at startup")
            .help(format!(
                "fix the file: a mapping of `command_titles` (command: title), `pull_request_label` and `merge_request_label`; Atlantis refuses to start with: invalid language-config-file \"{path}\": ..."
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::problems;

    #[test]
    fn catalogs() {
        assert!(problems("").is_empty());
        assert!(problems("# nothing\n").is_empty());
        assert!(
            problems("command_titles:\n  plan: Planificar\n  apply: 1\npull_request_label: PR\n")
                .is_empty()
        );
        assert_eq!(problems("pull_request: x\n").len(), 1);
        assert_eq!(problems("- a\n").len(), 1);
        assert_eq!(problems("command_titles: [a]\n").len(), 1);
        assert_eq!(problems("command_titles:\n  plan: [a]\n").len(), 1);
        assert_eq!(problems("a: 1\na: 2\n").len(), 2);
        assert_eq!(problems("key: [unclosed\n").len(), 1);
        let many = "x: 1\n".repeat(2000);
        assert_eq!(problems(&many).len(), 2000);
    }
}
