//! What the command line says when the user's words are nearly right: a mistyped option, rule or
//! subcommand gets a "did you mean", and `ATLANTIS_*` variables left unread get one hint line.

use super::*;
use crate::suggest::closest;

/// `no rule named ...`, with the closest rule id when there is one.
pub fn unknown_rule(id: &str) -> UsageError {
    let hint = closest(id, rules::infos().map(|r| r.id))
        .map(|r| format!("; did you mean `{r}`?"))
        .unwrap_or_default();
    UsageError(format!(
        "no rule named `{id}`{hint} (`atlantis-lint rules` lists them)"
    ))
}

/// Checks every rule id given on the command line (`--ignore`, `--warn`, `--deny`).
pub fn check_rule_ids<'a>(ids: impl IntoIterator<Item = &'a String>) -> Result<(), UsageError> {
    for id in ids {
        if rules::find(id).is_none() {
            return Err(unknown_rule(id));
        }
    }
    Ok(())
}

/// For a PATH that does not exist and reads like a command (`atlantis-lint version`, `atlantis-lint
/// rule`): the subcommand or option the user meant.
pub fn subcommand_hint(path: &Path) -> Option<String> {
    let word = path.to_str()?;
    if word.is_empty() || word.contains(['/', '\\', '.']) || path.exists() {
        return None;
    }
    let options = [("version", "--version"), ("help", "--help")];
    if let Some((_, option)) = options.iter().find(|(w, _)| *w == word) {
        return Some(format!("did you mean `atlantis-lint {option}`?"));
    }
    let cli = Cli::command();
    let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    if let Some(sub) = closest(word, names.iter().copied()) {
        return Some(format!("did you mean the command `atlantis-lint {sub}`?"));
    }
    closest(word, options.iter().map(|(w, _)| *w))
        .and_then(|w| options.iter().find(|(o, _)| *o == w))
        .map(|(_, option)| format!("did you mean `atlantis-lint {option}`?"))
}

/// clap's message for an unknown option advises passing it after `--`, which would make it an
/// Atlantis flag. Say instead what the option is closest to: one of this command's options, or an
/// Atlantis flag (which belongs after `--`).
pub fn unknown_option(err: &clap::Error, args: &[OsString]) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if err.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(given)) = err.get(ContextKind::InvalidArg) else {
        return None;
    };
    if !given.starts_with('-') {
        return None;
    }
    let name = given
        .split_once('=')
        .map_or(given.as_str(), |(n, _)| n)
        .to_string();
    // The subcommand whose options apply: the first argument naming one.
    let root = Cli::command();
    let sub = args
        .iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .find_map(|a| root.find_subcommand(a).cloned());
    let command = sub.as_ref().unwrap_or(&root);
    let longs: Vec<String> = command
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .chain(["--help".to_string(), "--version".to_string()])
        .collect();
    let mut msg = format!(
        "unknown option `{}`",
        crate::report::printable(name.clone(), false)
    );
    if let Some(option) = closest(&name, longs.iter().map(String::as_str)) {
        msg.push_str(&format!("; did you mean `{option}`?"));
    } else if let Some(flag) = crate::flags::lookup(name.trim_start_matches('-'))
        .filter(|f| f.kind == crate::flags::FlagKind::Flag)
    {
        msg.push_str(&format!(
            "; `--{}` is an Atlantis flag: an Atlantis command line goes after `--` \
             (`atlantis-lint -- server --{} ...`)",
            flag.name, flag.name
        ));
    } else {
        let path = match &sub {
            Some(s) => format!("atlantis-lint {} --help", s.get_name()),
            None => "atlantis-lint --help".into(),
        };
        msg.push_str(&format!("; `{path}` lists the options"));
    }
    Some(msg)
}

/// One line when `ATLANTIS_*` variables are in the environment but `--env` is not given: they
/// were not read, and `--env` reads them. `None` when there is nothing to say.
pub fn unread_env(args: &SourceArgs) -> Option<String> {
    if args.env {
        return None;
    }
    let mut names: Vec<String> = std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .filter(|k| k.starts_with("ATLANTIS_"))
        .collect();
    if names.is_empty() {
        return None;
    }
    names.sort();
    // A name may hold any character (an escape sequence): never print it raw.
    let shown = names
        .iter()
        .take(3)
        .map(|n| crate::report::printable(n.clone(), false))
        .collect::<Vec<_>>()
        .join(", ");
    let more = if names.len() > 3 {
        format!(" and {} more", names.len() - 3)
    } else {
        String::new()
    };
    let config = if names.iter().any(|n| n == "ATLANTIS_CONFIG") && args.paths.is_empty() {
        " (with --env, the file ATLANTIS_CONFIG names is linted too)"
    } else {
        ""
    };
    Some(format!(
        "the environment has {} ({shown}{more}), not read without --env; add --env to lint them{config}",
        if names.len() == 1 {
            "1 ATLANTIS_* variable".to_string()
        } else {
            format!("{} ATLANTIS_* variables", names.len())
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::closest;

    #[test]
    fn suggestions_stay_close() {
        let ids = ["unknown-key", "plaintext-secret", "webhooks"];
        assert_eq!(closest("unknwn-key", ids), Some("unknown-key"));
        assert_eq!(closest("webhook", ids), Some("webhooks"));
        assert_eq!(closest("secret", ids), None);
        assert_eq!(
            subcommand_hint(Path::new("version")).as_deref(),
            Some("did you mean `atlantis-lint --version`?")
        );
        assert_eq!(
            subcommand_hint(Path::new("rule")).as_deref(),
            Some("did you mean the command `atlantis-lint rules`?")
        );
        assert_eq!(
            subcommand_hint(Path::new("explian")).as_deref(),
            Some("did you mean the command `atlantis-lint explain`?")
        );
        assert_eq!(subcommand_hint(Path::new("atlantis.yaml")), None);
        assert_eq!(subcommand_hint(Path::new("zzzzzzzz")), None);
    }
}
