//! `--to shell`: `export ATLANTIS_*=...` lines, POSIX-quoted, safe to `source` for any value.

use super::{EmitError, Model, REDACTED, SecretsMode, Shown, shell_quote, value_text};

pub fn render(model: &Model, secrets: SecretsMode) -> Result<String, EmitError> {
    model.refuse_webhooks("as environment variables")?;
    model.refuse_nul(secrets, "as environment variables")?;
    let mut lines: Vec<(String, String)> = Vec::new();
    for (entry, shown) in model.shown(secrets) {
        let name = entry.flag.env_name();
        let line = match shown {
            Shown::Value(v) => format!("export {name}={}\n", shell_quote(&value_text(v))),
            Shown::Redacted => format!(
                "export {name}={}  # secret redacted; --secrets include writes the value\n",
                shell_quote(REDACTED)
            ),
        };
        lines.push((name, line));
    }
    lines.sort();
    Ok(lines.into_iter().map(|(_, l)| l).collect())
}
