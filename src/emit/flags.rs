//! `--to flags`: the `atlantis server` command line, shell-quoted, one flag per line joined with
//! `\`; with `--one-per-line`, a YAML list of arguments for a container's `args:` (or a compose
//! `command:`), where `$` is written `$$` since both expand variables there.

use super::{EmitError, Model, REDACTED, SecretsMode, Shown, shell_quote, value_text};
use crate::value::Value;

pub fn render(
    model: &Model,
    secrets: SecretsMode,
    one_per_line: bool,
) -> Result<String, EmitError> {
    model.refuse_webhooks("as command-line flags")?;
    model.refuse_nul(secrets, "as command-line flags")?;
    let mut args: Vec<(String, bool)> = Vec::new();
    for (entry, shown) in model.shown(secrets) {
        let name = entry.flag.name;
        let arg = match shown {
            // pflag: a bool flag takes a value only with `=`.
            Shown::Value(Value::Bool(true)) => format!("--{name}"),
            Shown::Value(v) => format!("--{name}={}", value_text(v)),
            Shown::Redacted => format!("--{name}={REDACTED}"),
        };
        args.push((arg, matches!(shown, Shown::Redacted)));
    }
    let mut out = String::new();
    if one_per_line {
        out.push_str("- server\n");
        for (arg, redacted) in &args {
            out.push_str("- ");
            out.push_str(&super::yaml::string(&super::k8s::escape_dollars(arg), 2));
            if *redacted {
                out.push_str("  # secret redacted; --secrets include writes the value");
            }
            out.push('\n');
        }
        return Ok(out);
    }
    let redacted: Vec<&str> = args
        .iter()
        .filter(|(_, r)| *r)
        .map(|(a, _)| a.split('=').next().unwrap_or(a))
        .collect();
    if !redacted.is_empty() {
        out.push_str(&format!(
            "# secrets redacted: {}; --secrets include writes the values\n",
            redacted.join(", ")
        ));
    }
    out.push_str("atlantis server");
    for (arg, _) in &args {
        out.push_str(" \\\n  ");
        out.push_str(&quote_flag(arg));
    }
    out.push('\n');
    Ok(out)
}

/// `--name=value` with only the value quoted, as a person would write it.
fn quote_flag(arg: &str) -> String {
    match arg.split_once('=') {
        Some((name, value)) => format!("{name}={}", shell_quote(value)),
        None => arg.to_string(),
    }
}
