//! Reads `ATLANTIS_*` variables from the process environment and from env files.
//!
//! Env files are read as `docker run --env-file` reads them: one `KEY=VALUE` per line, `#`
//! comments and blank lines skipped, leading whitespace trimmed, and **no** quote processing,
//! so quotes stay part of the value (as they would in the container).

use crate::config::{Channel, EnvFileIssue, Origin, RawValue, Setting, Spelling, match_flag};
use crate::flags;
use crate::secret::Text;
use crate::source::{SourceId, SourceText, Span};

/// True for variables Kubernetes injects for Services whose name starts with `atlantis`
/// (`ATLANTIS_SERVICE_HOST`, `ATLANTIS_PORT_4141_TCP_ADDR`, `ATLANTIS_REDIS_PORT=tcp://…`):
/// they are not Atlantis settings and are never reported as unknown.
pub fn is_service_link(name: &str, value: &str) -> bool {
    let Some(rest) = name.strip_prefix("ATLANTIS_") else {
        return false;
    };
    let parts: Vec<&str> = rest.split('_').collect();
    if let Some(i) = parts.iter().position(|p| *p == "SERVICE") {
        if matches!(parts.get(i + 1), Some(&"HOST") | Some(&"PORT")) {
            return true;
        }
    }
    if let Some(i) = parts.iter().position(|p| *p == "PORT") {
        let tail = &parts[i + 1..];
        if tail.len() >= 2
            && tail[0].bytes().all(|b| b.is_ascii_digit())
            && matches!(tail[1], "TCP" | "UDP" | "SCTP")
        {
            return true;
        }
        if tail.is_empty() && (value.starts_with("tcp://") || value.starts_with("udp://")) {
            return true;
        }
    }
    false
}

/// True for a line without `=` that reads as what docker makes of it, a variable passed through
/// from the host (`HOME`, `AWS_REGION`, `export TF_LOG`): an upper-case name that is not shaped
/// like a credential. Any other such line (lower-case letters, symbols, several words, a run of
/// capitals and digits such as an access key id) is masked whole in snippets: it may be a
/// credential that lost its name (a token pasted on a line of its own, the second line of a
/// value docker does not read as one), and no variable of Atlantis's is read from it.
fn is_pass_through_name(line: &str) -> bool {
    let name = line.strip_prefix("export ").unwrap_or(line).trim();
    let digits = name.bytes().any(|b| b.is_ascii_digit());
    name.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_uppercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && (name.contains('_') || !digits)
        && crate::secret::token_like_spans(name).is_empty()
}

/// A secret flag's variable, or a name that looks like one (`ATLANTIS_GH_TOKN`, `ATLANTIS_gh_token`).
fn env_is_secret(name: &str) -> bool {
    crate::input::mask::name_is_secret(name)
}

/// A variable of Atlantis's environment (the process's, an env file's, a container's), read
/// through the env channel. An empty value span (a name without a value) points at the name.
pub(super) fn env_setting(
    source: SourceId,
    name: &str,
    value: RawValue,
    key_span: Span,
    value_span: Span,
) -> Setting {
    Setting {
        matched: match_flag(flags::lookup_env(name)),
        key: name.to_string(),
        value,
        origin: Origin {
            source,
            channel: Channel::Env,
            spelling: Spelling::EnvVar {
                name: name.to_string(),
            },
            key_span,
            value_span: if value_span.is_empty() {
                key_span
            } else {
                value_span
            },
        },
        merged: false,
    }
}

/// The process environment's `ATLANTIS_*` variables, rendered as one source (sorted by name).
pub fn read_process(source_id: SourceId, vars: &[(String, String)]) -> (SourceText, Vec<Setting>) {
    let mut vars: Vec<&(String, String)> = vars
        .iter()
        .filter(|(k, _)| k.starts_with("ATLANTIS_"))
        .collect();
    vars.sort();
    let mut text = String::new();
    let mut spans = Vec::new();
    for (k, v) in &vars {
        // One line per variable; a multi-line value (a PEM key) is shown on its one line.
        let start = text.len();
        text.push_str(k);
        text.push('=');
        let vstart = text.len();
        text.push_str(&v.replace(['\n', '\r'], " "));
        spans.push((
            Span::new(start, start + k.len()),
            Span::new(vstart, text.len()),
        ));
        text.push('\n');
    }
    let mut source = SourceText::new(crate::source::SourceKind::Env, "<environment>", text);
    let mut settings = Vec::new();
    for ((name, value), (key_span, value_span)) in vars.into_iter().zip(spans) {
        let secret = env_is_secret(name);
        if secret {
            source.add_secret(value_span);
        }
        let value = RawValue::Text(Text::new(value.clone(), secret));
        settings.push(env_setting(source_id, name, value, key_span, value_span));
    }
    (source, settings)
}

/// Reads an env file. Lines that are not `ATLANTIS_*` variables are skipped silently (a
/// compose `.env` holds other services' settings too), but misformed lines are reported.
pub fn read_file(
    source_id: SourceId,
    source: &mut SourceText,
) -> (Vec<Setting>, Vec<EnvFileIssue>) {
    let mut settings = Vec::new();
    let mut issues = Vec::new();
    let mut secret_spans = Vec::new();
    let text = source.text.as_str();
    let mut offset = 0;
    for (i, raw_line) in text.split('\n').enumerate() {
        let line_start = offset;
        offset += raw_line.len() + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('#') {
            // A commented-out credential (`# ATLANTIS_GH_TOKEN=...`) is never shown either.
            if let Some(s) = crate::input::mask::segment_spans(trimmed) {
                let at = line_start + lead;
                secret_spans.push(Span::new(at + s.start, at + s.end));
            }
            continue;
        }
        let key_start = line_start + lead;
        let (mut name, value, value_start) = match trimmed.find('=') {
            Some(eq) => (&trimmed[..eq], &trimmed[eq + 1..], key_start + eq + 1),
            None => {
                if trimmed.starts_with("ATLANTIS_") || trimmed.starts_with("export ATLANTIS_") {
                    // Name only: whatever follows it may be the value (`ATLANTIS_GH_TOKEN ghp_...`).
                    let words = trimmed
                        .strip_prefix("export ")
                        .unwrap_or(trimmed)
                        .trim_start();
                    let name = words.split([' ', '\t']).next().unwrap_or_default();
                    let name_start = line_start + line.len() - words.len();
                    let name_end = name_start + name.len();
                    // `ATLANTIS_GH_TOKEN:ghp_...`: the part glued to the name is masked too.
                    let (shown, glued) = crate::input::mask::hide_glued(
                        &source.text,
                        Span::new(name_start, name_end),
                        name,
                    );
                    let name_end = glued.map_or(name_end, |g| g.start);
                    let name = shown;
                    if (env_is_secret(&name) || glued.is_some())
                        && name_end < line_start + line.len()
                    {
                        secret_spans.push(Span::new(name_end, line_start + line.len()));
                    }
                    issues.push(EnvFileIssue {
                        source: source_id,
                        span: Span::new(key_start, name_end),
                        line: i + 1,
                        name: name.to_string(),
                        refused: false,
                        message: format!("line {} has no `=`: docker passes `{name}` through from the host environment instead of setting it", i + 1),
                        help: "write it as NAME=value".into(),
                    });
                } else if !is_pass_through_name(trimmed) {
                    secret_spans.push(Span::new(key_start, line_start + line.len()));
                }
                continue;
            }
        };
        let mut name_start = key_start;
        if let Some(rest) = name.strip_prefix("export ") {
            if rest.trim_start().starts_with("ATLANTIS_") {
                issues.push(EnvFileIssue {
                    source: source_id,
                    span: Span::new(key_start, key_start + 6),
                    line: i + 1,
                    name: rest.trim().to_string(),
                    refused: true,
                    message: format!("`export` prefix on line {}: `docker --env-file` rejects a variable name with whitespace", i + 1),
                    help: "remove `export `; env files are not shell scripts".into(),
                });
            }
            let skipped = name.len() - rest.trim_start().len();
            name_start += skipped;
            name = rest.trim_start();
        }
        if !name.starts_with("ATLANTIS_") {
            // Another tool's variable (`GH_TOKEN=...`): not read, but it may be shown as context.
            if let Some(s) = crate::input::mask::segment_spans(trimmed) {
                secret_spans.push(Span::new(key_start + s.start, key_start + s.end));
            }
            continue;
        }
        if name.ends_with(' ') || name.ends_with('\t') {
            issues.push(EnvFileIssue {
                source: source_id,
                span: Span::new(name_start, name_start + name.len()),
                line: i + 1,
                name: name.trim_end().to_string(),
                refused: true,
                message: format!("whitespace before `=` on line {}: docker rejects a variable name with whitespace", i + 1),
                help: "write NAME=value with no spaces around `=`".into(),
            });
            name = name.trim_end();
        }
        let secret = env_is_secret(name);
        let value_span = Span::new(value_start, value_start + value.len());
        if secret {
            secret_spans.push(value_span);
        }
        let key_span = Span::new(name_start, name_start + name.len());
        let value = RawValue::Text(Text::new(value.to_string(), secret));
        settings.push(env_setting(source_id, name, value, key_span, value_span));
    }
    for span in secret_spans {
        source.add_secret(span);
    }
    (settings, issues)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_links() {
        assert!(is_service_link("ATLANTIS_SERVICE_HOST", "10.0.0.1"));
        assert!(is_service_link("ATLANTIS_PORT_4141_TCP_ADDR", "10.0.0.1"));
        assert!(is_service_link("ATLANTIS_REDIS_SERVICE_PORT", "6379"));
        assert!(is_service_link("ATLANTIS_FOO_PORT", "tcp://10.0.0.1:80"));
        assert!(!is_service_link("ATLANTIS_GH_TOKN", "x"));
        assert!(!is_service_link("ATLANTIS_FOO_PORT", "80"));
    }

    #[test]
    fn env_file_lines() {
        let text = "# c\n\nATLANTIS_GH_USER=bob\r\nATLANTIS_GH_TOKEN=a=b\nOTHER=1\nexport ATLANTIS_PORT=1\n";
        let mut src = SourceText::new(crate::source::SourceKind::EnvFile, "x.env", text.into());
        let (settings, issues) = read_file(0, &mut src);
        assert_eq!(settings.len(), 3);
        assert!(matches!(&settings[1].value, RawValue::Text(t) if t.as_str() == "a=b"));
        assert!(matches!(&settings[0].value, RawValue::Text(t) if t.as_str() == "bob"));
        assert_eq!(issues.len(), 1);
        assert!(!src.masked().contains("a=b"));
    }

    #[test]
    fn hostile_env_lines() {
        let text =
            "ATLANTIS_GH_TOKEN tok-one\n# ATLANTIS_GH_TOKEN=tok-two\nATLANTIS_GH_TOKN=tok-three\n";
        let mut src = SourceText::new(crate::source::SourceKind::EnvFile, "x.env", text.into());
        let (settings, issues) = read_file(0, &mut src);
        assert_eq!(settings.len(), 1);
        assert_eq!(issues.len(), 1);
        assert!(
            !issues[0].message.contains("tok-one"),
            "{}",
            issues[0].message
        );
        assert_eq!(
            &text[issues[0].span.start..issues[0].span.end],
            "ATLANTIS_GH_TOKEN"
        );
        assert!(!src.masked().contains("tok-"), "{}", src.masked());
    }

    #[test]
    fn a_line_without_a_name_is_masked_unless_it_is_a_variable_name() {
        let text = "ATLANTIS_GH_USER=bot\nWh00kS3cretValue9Zq\nHOME\nexport AWS_REGION\nAKIAIOSFODNN7EXAMPLE\nhunter2 hunter3\n";
        let mut src = SourceText::new(crate::source::SourceKind::EnvFile, "x.env", text.into());
        read_file(0, &mut src);
        assert_eq!(
            src.masked(),
            "ATLANTIS_GH_USER=bot\n*******************\nHOME\nexport AWS_REGION\n********************\n***************\n"
        );
    }
}
