//! `--to dotenv`: `ATLANTIS_*=value` lines, read as `docker run --env-file` reads them.
//!
//! Docker's parser (`opts.ParseEnvFile`) takes one line per variable, trims only the leading
//! whitespace of the line, and passes the rest after the first `=` through untouched: no quote
//! processing, no escapes, `#` only starts a comment at the beginning of a line. So quotes, `$`,
//! `#`, spaces (leading and trailing) and non-ASCII text all carry as they are, while a line
//! break cannot be carried at all (and a trailing `\r` is dropped by the line scanner).

use super::{EmitError, Model, REDACTED, SecretsMode, Shown, file_alternative, value_text};

pub fn render(model: &Model, secrets: SecretsMode) -> Result<String, EmitError> {
    model.refuse_webhooks("to an env file")?;
    model.refuse_nul(secrets, "to an env file")?;
    let mut lines: Vec<(String, String)> = Vec::new();
    for (entry, shown) in model.shown(secrets) {
        let name = entry.flag.env_name();
        // A redacted value would have to be replaced by one the file cannot hold either.
        let text = value_text(&entry.value);
        if text.contains(['\n', '\r']) {
            let help = match file_alternative(entry.flag, model.version) {
                Some(f) => format!(
                    "put the value in a file and set `{}` ({}) to its path instead",
                    f.name,
                    f.env_name()
                ),
                None => "use `--to shell` (which can quote line breaks) or `--to k8s-env`".into(),
            };
            return Err(EmitError {
                message: format!(
                    "`{}` cannot be written to an env file: its value has a line break, and `docker run --env-file` reads one line per variable",
                    entry.flag.name
                ),
                help,
            });
        }
        let line = match shown {
            Shown::Value(_) => format!("{name}={text}\n"),
            Shown::Redacted => format!(
                "# {name}: secret redacted; --secrets include writes the value\n{name}={REDACTED}\n"
            ),
        };
        lines.push((name, line));
    }
    lines.sort();
    Ok(lines.into_iter().map(|(_, l)| l).collect())
}

/// Names of variables whose values docker keeps but other `.env` readers (docker compose,
/// editors that strip trailing blanks) would change: for a warning.
pub fn fragile(model: &Model, secrets: SecretsMode) -> Vec<String> {
    model
        .shown(secrets)
        .filter(|(_, shown)| matches!(shown, Shown::Value(_)))
        .filter(|(e, _)| {
            let t = value_text(&e.value);
            t.starts_with([' ', '\t', '"', '\''])
                || t.ends_with([' ', '\t'])
                || t.contains('$')
                || t.contains(" #")
        })
        .map(|(e, _)| e.flag.env_name())
        .collect()
}
