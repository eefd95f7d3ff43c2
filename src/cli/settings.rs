//! The settings file on the command line: which one applies to each linted file (`--settings
//! FILE`, `--no-settings`, else the nearest `.atlantis-lint.yaml`), the policy it and the command
//! line make together (the command line wins), and `--show-settings`.

use super::*;
use crate::settings::{Applied, Level, Settings};
use std::collections::HashMap;

/// Finds and reads settings files once each.
pub(super) struct Resolver {
    /// `--settings FILE`, or nothing with `--no-settings`; `None` means discovery.
    fixed: Option<Option<Settings>>,
    cache: HashMap<PathBuf, Option<Settings>>,
    cwd: PathBuf,
}

impl Resolver {
    pub(super) fn new(args: &LintArgs, cwd: &Path) -> Result<Resolver, UsageError> {
        let fixed = if args.no_settings {
            Some(None)
        } else if let Some(path) = &args.settings {
            Some(Some(Settings::load(path).map_err(|e| UsageError(e.0))?))
        } else {
            None
        };
        Ok(Resolver {
            fixed,
            cache: HashMap::new(),
            cwd: cwd.to_path_buf(),
        })
    }

    /// What applies to the input named `name` (a path as given; `None` for env and command-line
    /// only runs, which take the settings of the working directory).
    pub(super) fn applied(&mut self, name: Option<&str>) -> Result<Applied, UsageError> {
        let file = PathBuf::from(name.unwrap_or(""));
        let settings = match &self.fixed {
            Some(fixed) => fixed.as_ref(),
            None => {
                let dir = self
                    .cwd
                    .join(&file)
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| self.cwd.clone());
                let dir = if name.is_none() {
                    self.cwd.clone()
                } else {
                    dir
                };
                let found = crate::settings::discover(&dir);
                match found {
                    None => None,
                    Some(path) => {
                        if !self.cache.contains_key(&path) {
                            let s = Settings::load(&path).map_err(|e| UsageError(e.0))?;
                            self.cache.insert(path.clone(), Some(s));
                        }
                        self.cache[&path].as_ref()
                    }
                }
            }
        };
        Ok(settings.map_or_else(Applied::default, |s| s.applied(&file, &self.cwd)))
    }
}

/// The rule policy for one file: the settings' levels, then the command line's on top.
pub(super) fn policy(applied: &Applied, args: &LintArgs) -> Policy {
    let mut levels = applied.rules.clone();
    // Later wins: deny beats warn and ignore beats both, as before settings files existed.
    for (ids, level) in [
        (&args.warn, Level::Warn),
        (&args.deny, Level::Deny),
        (&args.ignore, Level::Ignore),
    ] {
        for id in ids {
            levels.insert(id.clone(), level);
        }
    }
    let pick = |want: Level| {
        levels
            .iter()
            .filter(|(_, l)| **l == want)
            .map(|(id, _)| id.clone())
            .collect()
    };
    Policy {
        ignore: pick(Level::Ignore),
        warn: pick(Level::Warn),
        deny: pick(Level::Deny),
    }
}

/// Where a setting's value comes from, for `--show-settings`.
fn origin(from_cli: bool, applied: &Applied) -> String {
    if from_cli {
        "command line".into()
    } else {
        applied
            .file
            .as_ref()
            .map_or_else(|| "default".into(), |f| f.display().to_string())
    }
}

/// `--show-settings`: what applies to each PATH (the working directory without one).
pub(super) fn show(args: &LintArgs) -> Result<ExitCode, UsageError> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut resolver = Resolver::new(args, &cwd)?;
    let names: Vec<Option<String>> = if args.sources.paths.is_empty() {
        vec![None]
    } else {
        args.sources
            .paths
            .iter()
            .map(|p| Some(p.display().to_string()))
            .collect()
    };
    let mut out = String::new();
    for name in names {
        let applied = resolver.applied(name.as_deref())?;
        out.push_str(&format!(
            "{}:\n",
            name.as_deref().unwrap_or("(environment and command line)")
        ));
        out.push_str(&format!(
            "  settings file: {}\n",
            applied.file.as_ref().map_or_else(
                || {
                    if args.no_settings {
                        "none (--no-settings)".into()
                    } else {
                        "none found".into()
                    }
                },
                |f| f.display().to_string()
            )
        ));
        if let Some(glob) = &applied.excluded_by {
            out.push_str(&format!(
                "  excluded: yes, by {} (not linted)\n",
                crate::settings::shown_glob(glob)
            ));
        }
        let policy = policy(&applied, args);
        let mut rules: Vec<(&String, &str, bool)> = Vec::new();
        for (list, word, cli) in [
            (&policy.ignore, "ignore", &args.ignore),
            (&policy.warn, "warn", &args.warn),
            (&policy.deny, "deny", &args.deny),
        ] {
            for id in list {
                rules.push((id, word, cli.contains(id)));
            }
        }
        rules.sort();
        if rules.is_empty() {
            out.push_str("  rules: every rule at its default severity\n");
        } else {
            out.push_str("  rules:\n");
            for (id, word, cli) in rules {
                out.push_str(&format!("    {id}: {word} ({})\n", origin(cli, &applied)));
            }
        }
        if !args.sources.assume_set.is_empty() {
            out.push_str(&format!(
                "  assume-set: {} (command line)\n",
                args.sources.assume_set.join(", ")
            ));
        } else if !applied.assume_set.is_empty() {
            out.push_str(&format!(
                "  assume-set: {} ({})\n",
                applied.assume_set.join(", "),
                origin(false, &applied)
            ));
        }
        if let Some(v) = &applied.atlantis_version {
            out.push_str(&format!(
                "  atlantis-version: {v} ({})\n",
                origin(false, &applied)
            ));
        }
        if let Some(k) = &args.sources.kind {
            out.push_str(&format!("  kind: {k} (command line)\n"));
        } else if let Some(k) = &applied.kind {
            out.push_str(&format!("  kind: {k} ({})\n", origin(false, &applied)));
        }
    }
    super::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The hook from the settings file to the options the command line also has: `kind` (as
/// `--kind`) and `assume-set` (as `--assume-set`) go into the request, unless the command line
/// gives them, which wins. (`atlantis-version` is applied as `--atlantis-version` in cmd_lint.)
pub(super) fn apply_to_request(applied: &Applied, args: &LintArgs, request: &mut Request) {
    use crate::input::Input;
    if args.sources.kind.is_none() {
        if let Some(kind) = applied.kind.as_deref().and_then(crate::input::kind::find) {
            for input in &mut request.inputs {
                if let Input::File { kind: k, .. } = input {
                    *k = Some(kind);
                }
            }
        }
    }
    if args.sources.assume_set.is_empty() && !applied.assume_set.is_empty() {
        request
            .inputs
            .push(Input::AssumeSet(applied.assume_set.clone()));
    }
}
