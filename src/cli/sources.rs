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

/// The requests (one per config file) the source arguments describe.
pub fn requests(args: &SourceArgs, errors: &mut Vec<String>) -> Result<Vec<Request>, UsageError> {
    let argv =
        (!args.atlantis_args.is_empty() || dashdash_given()).then(|| args.atlantis_args.clone());
    if args.paths.is_empty() && !args.env && args.env_files.is_empty() && argv.is_none() {
        return Err(UsageError(
            "nothing to lint: give a config file, --env, --env-file FILE or -- ATLANTIS_ARGS (see --help)".into(),
        ));
    }
    let env = args.env.then(|| std::env::vars().collect::<Vec<_>>());
    let mut env_files = Vec::new();
    for p in &args.env_files {
        env_files.push(read_path(p, None)?);
    }
    let base = Request {
        file: None,
        env,
        env_files,
        argv,
    };
    if args.paths.is_empty() {
        // Atlantis reads the file named by --config / ATLANTIS_CONFIG: so do we.
        let cfg = crate::input::load(&base);
        if let Some(path) = cfg.str(flags::CONFIG) {
            if let Some(msg) = unreadable_format(&PathBuf::from(path)) {
                return Err(UsageError(msg));
            }
            let file = read_path(&PathBuf::from(path), None)?;
            return Ok(vec![Request {
                file: Some(file),
                ..base
            }]);
        }
        return Ok(vec![base]);
    }
    let mut out = Vec::new();
    let mut push = |file: NamedBytes| {
        out.push(Request {
            file: Some(file),
            ..base.clone()
        })
    };
    for p in &args.paths {
        if p.as_os_str() != "-" && p.is_dir() {
            let mut found = 0;
            for entry in crate::discover::yaml_files(p) {
                match entry {
                    crate::discover::Found::File(path) => match read_path(&path, None) {
                        Ok(file) if crate::discover::looks_like_server_config(&file.bytes) => {
                            found += 1;
                            push(file);
                        }
                        Ok(_) => {}
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
                    "atlantis-lint: no Atlantis server config found in {}",
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
            Ok(file)
                if args.only_server_configs
                    && p.as_os_str() != "-"
                    && !crate::discover::looks_like_server_config(&file.bytes) => {}
            Ok(file) => push(file),
            Err(UsageError(msg)) => errors.push(msg),
        }
    }
    // Every path was skipped: the environment and command line are still linted.
    if out.is_empty() && (base.env.is_some() || !base.env_files.is_empty() || base.argv.is_some()) {
        out.push(base);
    }
    Ok(out)
}
