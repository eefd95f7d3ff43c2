//! From source arguments (paths, directories, stdin, env, env files, argv) to requests.

use super::*;
use crate::flags;

pub(super) fn read_path(
    path: &PathBuf,
    stdin_name: Option<&str>,
) -> Result<NamedBytes, UsageError> {
    let limit = crate::input::MAX_FILE_BYTES;
    let too_large = |name: &str| {
        UsageError(format!(
            "{name} is larger than {} MiB; atlantis-lint does not read inputs this large (a real Atlantis config is a few KB)",
            limit >> 20
        ))
    };
    if path.as_os_str() == "-" {
        let name = stdin_name.unwrap_or("<stdin>").to_string();
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| UsageError(format!("cannot read standard input: {e}")))?;
        if bytes.len() as u64 > limit {
            return Err(too_large(&name));
        }
        return Ok(NamedBytes { name, bytes });
    }
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| UsageError(format!("cannot read {name}: {}", io_reason(&e))))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&name));
    }
    Ok(NamedBytes { name, bytes })
}

/// Atlantis also loads TOML and dotenv config files (by extension); atlantis-lint reads YAML
/// and JSON only, and says so rather than reporting the file as broken YAML.
pub(super) fn unreadable_format(path: &std::path::Path) -> Option<String> {
    let ext = path.extension()?.to_str()?;
    matches!(ext, "toml" | "env" | "dotenv").then(|| {
        format!(
            "cannot lint {}: atlantis-lint reads YAML and JSON config files, not .{ext} (for a KEY=VALUE file of ATLANTIS_* variables use --env-file)",
            path.display()
        )
    })
}

pub(super) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// One file (or none) to lint, with the inputs every configuration shares.
#[derive(Debug)]
pub struct Job {
    pub request: Request,
    /// Found by a directory search or kept by `--only-server-configs`: a file that turns out
    /// to hold no Atlantis configuration is skipped quietly instead of failing the run.
    pub quiet: bool,
}

/// The `--kind` the user gave, if any.
fn kind_arg(args: &SourceArgs) -> Result<Option<&'static Kind>, UsageError> {
    match &args.kind {
        None => Ok(None),
        Some(name) => crate::input::kind::find(name).map(Some).ok_or_else(|| {
            UsageError(format!(
                "--kind {name}: not a kind atlantis-lint knows; one of {}",
                crate::input::kind::names().join(", ")
            ))
        }),
    }
}

/// `--assume-set` names: flag names (comma-separated, repeatable).
fn assume_set(args: &SourceArgs) -> Result<Vec<String>, UsageError> {
    let mut out = Vec::new();
    for name in args
        .assume_set
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
    {
        match crate::flags::lookup(name) {
            Some(flag) if flag.is_current() => out.push(flag.name.to_string()),
            Some(_) => {
                return Err(UsageError(format!(
                    "--assume-set {name}: Atlantis removed this flag"
                )));
            }
            None => {
                let hint = crate::flags::lookup_env(name)
                    .map(|f| format!(" (the flag of {name} is `{}`)", f.name))
                    .unwrap_or_default();
                return Err(UsageError(format!(
                    "--assume-set {name}: not an Atlantis flag name{hint}"
                )));
            }
        }
    }
    Ok(out)
}

/// The jobs (one per file) the source arguments describe.
pub fn requests(args: &SourceArgs, errors: &mut Vec<String>) -> Result<Vec<Job>, UsageError> {
    let argv =
        (!args.atlantis_args.is_empty() || dashdash_given()).then(|| args.atlantis_args.clone());
    if args.paths.is_empty()
        && !args.env
        && args.env_files.is_empty()
        && argv.is_none()
        && args.repo_config.is_some()
    {
        // Only a repo config to lint (`documents` reads it).
        return Ok(Vec::new());
    }
    if args.paths.is_empty() && !args.env && args.env_files.is_empty() && argv.is_none() {
        if let Some(hint) = super::hints::unread_env(args) {
            return Err(UsageError(format!("nothing to lint: {hint}")));
        }
        return Err(UsageError(
            "nothing to lint: give a config file, --env, --env-file FILE or -- ATLANTIS_ARGS (see --help)".into(),
        ));
    }
    let kind = kind_arg(args)?;
    let mut base = Request::default();
    if args.env {
        base = base.with(Input::Env(std::env::vars().collect()));
    }
    for p in &args.env_files {
        base = base.with(Input::EnvFile(read_path(p, None)?));
    }
    if let Some(argv) = argv {
        base = base.with(Input::Argv(argv));
    }
    for p in &args.values {
        base = base.with(Input::Overlay(read_path(p, None)?));
    }
    let assumed = assume_set(args)?;
    if !assumed.is_empty() {
        base = base.with(Input::AssumeSet(assumed));
    }
    let with_file = |file: NamedBytes, kind: Option<&'static Kind>| {
        let mut request = Request::default().with(Input::File { file, kind });
        request.inputs.extend(base.inputs.iter().cloned());
        request
    };
    if args.paths.is_empty() {
        // Atlantis reads the file named by --config / ATLANTIS_CONFIG: so do we.
        let cfg = crate::input::load(&base);
        if let Some(path) = cfg.str(flags::CONFIG) {
            if let Some(msg) = unreadable_format(&PathBuf::from(path)) {
                return Err(UsageError(msg));
            }
            let file = read_path(&PathBuf::from(path), None)?;
            return Ok(vec![Job {
                request: with_file(file, Some(&crate::input::server_config::KIND)),
                quiet: false,
            }]);
        }
        return Ok(vec![Job {
            request: base,
            quiet: false,
        }]);
    }
    let mut out = Vec::new();
    for p in &args.paths {
        if p.as_os_str() != "-" && p.is_dir() {
            let mut found = 0;
            for entry in crate::discover::yaml_files(p) {
                match entry {
                    crate::discover::Found::File(path) => match read_path(&path, None) {
                        Ok(file) => {
                            // Each file in its own kind; files of other kinds, and files that
                            // hold no Atlantis configuration, are skipped.
                            let (keep, detected) = match kind {
                                Some(k) => (
                                    k.read.is_some()
                                        || crate::repo_config::run::from_kind(k).is_some(),
                                    k,
                                ),
                                None => match crate::discover::repo_document(&file) {
                                    Some(k) => (true, k),
                                    None => crate::input::holds_atlantis(&file),
                                },
                            };
                            if keep {
                                found += 1;
                                out.push(Job {
                                    request: with_file(file, Some(detected)),
                                    quiet: true,
                                });
                            }
                        }
                        Err(UsageError(msg)) => errors.push(msg),
                    },
                    crate::discover::Found::Unreadable(dir, e) => errors.push(format!(
                        "cannot read directory {}: {}",
                        dir.display(),
                        io_reason(&e)
                    )),
                }
            }
            if found == 0 {
                eprintln!(
                    "atlantis-lint: no Atlantis configuration found in {}",
                    crate::report::printable(p.display().to_string(), false)
                );
            }
            continue;
        }
        if let Some(msg) = unreadable_format(p) {
            errors.push(msg);
            continue;
        }
        match read_path(p, args.stdin_filename.as_deref()) {
            Ok(file) if args.only_server_configs && p.as_os_str() != "-" && kind.is_none() => {
                // The pre-commit hook: lint each file in its own kind, skip the others.
                if let Some(k) = crate::discover::repo_document(&file) {
                    out.push(Job {
                        request: with_file(file, Some(k)),
                        quiet: true,
                    });
                } else if let (true, detected) = crate::input::holds_atlantis(&file) {
                    out.push(Job {
                        request: with_file(file, Some(detected)),
                        quiet: true,
                    });
                }
            }
            Ok(file) => out.push(Job {
                request: with_file(file, kind),
                quiet: false,
            }),
            Err(UsageError(msg)) => match super::hints::subcommand_hint(p) {
                Some(hint) => errors.push(format!("{msg}; {hint}")),
                None => errors.push(msg),
            },
        }
    }
    // Every path was skipped: the environment and command line are still linted.
    if out.is_empty() && base.has_settings_besides_file() {
        out.push(Job {
            request: base,
            quiet: false,
        });
    }
    Ok(out)
}

/// Takes the server-side repo configs and repo-level `atlantis.yaml` files out of the jobs
/// (detected, or named by `--kind repo-config|repo-yaml`), and adds `--repo-config FILE`: they
/// are documents of their own (`crate::repo_config`), not configurations of settings.
pub fn documents(
    args: &SourceArgs,
    jobs: Vec<Job>,
) -> Result<(Vec<Job>, Vec<crate::repo_config::run::DocInput>), UsageError> {
    use crate::repo_config::run::{DocInput, detect, from_kind};
    let mut docs = Vec::new();
    if let Some(p) = &args.repo_config {
        docs.push(DocInput {
            kind: crate::repo_config::Kind::RepoConfig,
            file: read_path(p, None)?,
            path: Some(p.clone()),
        });
    }
    let mut rest = Vec::new();
    for job in jobs {
        let doc = job.request.inputs.iter().find_map(|input| match input {
            crate::input::Input::File { file, kind } => {
                let kind = match kind {
                    Some(k) => from_kind(k),
                    None => detect(&file.bytes),
                };
                kind.map(|kind| (kind, file.clone()))
            }
            _ => None,
        });
        match doc {
            Some((kind, file)) => {
                let path = (file.name != "<stdin>").then(|| PathBuf::from(&file.name));
                docs.push(DocInput { kind, file, path });
            }
            None => rest.push(job),
        }
    }
    Ok((rest, docs))
}
