//! The linter command: requests -> lint (and probes) -> report in every asked format.

use super::*;

/// Whether human output to standard output is coloured.
pub(super) fn use_color(choice: Color) -> bool {
    color_enabled(
        choice,
        |k| std::env::var_os(k),
        std::io::stdout().is_terminal(),
    )
}

/// The colour decision: `--color always|never` wins; in `auto`, a non-empty `NO_COLOR` turns
/// colour off, then `FORCE_COLOR` or `CLICOLOR_FORCE` (non-empty, not `0`) turn it on, and
/// otherwise colour needs a terminal whose `TERM` is not `dumb`.
pub fn color_enabled(
    choice: Color,
    env: impl Fn(&str) -> Option<OsString>,
    is_terminal: bool,
) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            let set = |k: &str| env(k).is_some_and(|v| !v.is_empty() && v != "0");
            if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                false
            } else if set("FORCE_COLOR") || set("CLICOLOR_FORCE") {
                true
            } else {
                is_terminal && env("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

/// Whether the terminal can show Unicode, from the locale: the first non-empty of `LC_ALL`,
/// `LC_CTYPE` and `LANG` (POSIX's order) must name UTF-8; `LC_ALL=C` or a Latin-1 locale gets
/// ASCII. No locale at all (a bare container, Windows) is taken as Unicode-capable.
pub fn unicode_enabled(env: impl Fn(&str) -> Option<OsString>) -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .into_iter()
        .find_map(|k| env(k).filter(|v| !v.is_empty()));
    match locale {
        Some(l) => {
            let l = l.to_string_lossy().to_ascii_lowercase();
            l.contains("utf-8") || l.contains("utf8")
        }
        None => true,
    }
}

/// The width human output is wrapped to: `COLUMNS` when set, else the terminal's, else 100.
pub fn output_width(
    env: impl Fn(&str) -> Option<OsString>,
    terminal_width: Option<usize>,
) -> usize {
    env("COLUMNS")
        .and_then(|c| c.to_str().and_then(|c| c.trim().parse::<usize>().ok()))
        .filter(|&c| c > 0)
        .or(terminal_width)
        .unwrap_or(100)
}

/// How human output to standard output (`to_stdout`) or to a file is drawn.
pub(super) fn human_style(choice: Color, to_stdout: bool) -> report::human::Style {
    let env = |k: &str| std::env::var_os(k);
    let terminal = to_stdout && std::io::stdout().is_terminal();
    let terminal_width = terminal
        .then(|| terminal_size::terminal_size_of(std::io::stdout()))
        .flatten()
        .map(|(w, _)| usize::from(w.0));
    report::human::Style {
        color: to_stdout && use_color(choice),
        unicode: unicode_enabled(env),
        width: if to_stdout {
            output_width(env, terminal_width)
        } else {
            100
        },
    }
}

pub(super) fn run_lint(args: LintArgs) -> Result<ExitCode, UsageError> {
    for id in args.ignore.iter().chain(&args.warn).chain(&args.deny) {
        if rules::find(id).is_none() {
            return Err(UsageError(format!(
                "no rule named `{id}`; `atlantis-lint rules` lists them"
            )));
        }
    }
    let today = match &args.today {
        Some(s) => crate::date::parse(s)
            .ok_or_else(|| UsageError(format!("--today takes YYYY-MM-DD, not `{s}`")))?,
        None => crate::date::today(),
    };
    // One list of the secrets read from files or built, shared by the rules, the probe and
    // the report's redactor.
    let known = crate::secret::KnownSecrets::default();
    let options = Options {
        check_files: args.check_files,
        today,
        secrets: known.clone(),
    };
    let policy = Policy {
        ignore: args.ignore.clone(),
        warn: args.warn.clone(),
        deny: args.deny.clone(),
    };
    let online = args.online.options()?.map(|mut o| {
        o.secrets = known.clone();
        o
    });
    let mut read_errors = Vec::new();
    let jobs = requests(&args.sources, &mut read_errors)?;
    for target in &args.targets {
        if let Some(path) = &target.path {
            check_output_path(path, &jobs)?;
        }
    }

    // Offline findings first; the probe only adds findings, whatever happens online.
    let mut linted = Vec::new();
    for job in &jobs {
        match lint::check_all(&job.request, &options) {
            Ok(configs) => linted.extend(configs),
            // Found by a search: a file of another kind is not an error.
            Err(_) if job.quiet => {}
            Err(e) => read_errors.push(e.message),
        }
    }
    if let Some(online) = &online {
        // Network access is opt-in and visible: say where the credentials go before sending.
        let mut hosts: Vec<String> = Vec::new();
        for (cfg, _) in &linted {
            for t in crate::online::targets(cfg)
                .into_iter()
                .filter(|t| t.unknown.is_none())
            {
                let name = t.name();
                if !hosts.contains(&name) {
                    hosts.push(name);
                }
            }
        }
        if !hosts.is_empty() {
            eprintln!(
                "atlantis-lint: --online: read-only requests to {}",
                report::printable(hosts.join(", "), false)
            );
        }
        // Every configuration's hosts at once (each probe runs its hosts concurrently too).
        let probed: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = linted
                .iter()
                .map(|(cfg, _)| s.spawn(|| crate::online::probe(cfg, online)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        for ((_, findings), extra) in linted.iter_mut().zip(probed) {
            findings.extend(extra);
        }
    }
    let mut report = Report::default();
    for (cfg, findings) in linted {
        let findings = lint::finish(&cfg, findings, &policy);
        report.add_with(&cfg, findings, &known);
    }
    report.finish();

    let cwd = std::env::current_dir().unwrap_or_default();
    for target in &args.targets {
        let style = human_style(args.color, target.path.is_none());
        let out = render(&report, target.format, style, &cwd);
        match &target.path {
            None => {
                if let Err(UsageError(e)) = write_stdout(out.as_bytes()) {
                    read_errors.push(e);
                }
            }
            Some(path) => {
                if let Err(e) = write_output(path, out.as_bytes()) {
                    read_errors.push(format!(
                        "cannot write {}: {}",
                        path.display(),
                        io_reason(&e)
                    ));
                }
            }
        }
    }
    for e in &read_errors {
        eprintln!("atlantis-lint: {}", report::printable(e.clone(), false));
    }

    let summary = report.summary();
    let failed = summary.errors > 0 || (args.deny_warnings && summary.warnings > 0);
    Ok(if !read_errors.is_empty() {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Refuses an `--output` path that is a symlink (the report would land wherever it points) or
/// one of the files being linted (the report would replace the config).
fn check_output_path(path: &Path, jobs: &[sources::Job]) -> Result<(), UsageError> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(()); // a new file
    };
    let shown = crate::report::printable(path.display().to_string(), false);
    if meta.file_type().is_symlink() {
        return Err(UsageError(format!(
            "--output {shown} is a symbolic link; refusing to write through it (give the path of a regular file)"
        )));
    }
    let inputs = jobs
        .iter()
        .flat_map(|j| &j.request.inputs)
        .filter_map(|input| match input {
            crate::input::Input::File { file, .. } | crate::input::Input::EnvFile(file) => {
                Some(file.name.as_str())
            }
            _ => None,
        });
    for input in inputs {
        if std::fs::metadata(input).is_ok_and(|m| same_file(&m, &meta)) {
            return Err(UsageError(format!(
                "--output {shown} is one of the files being linted; refusing to overwrite it"
            )));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    a.len() == b.len()
        && a.modified().ok() == b.modified().ok()
        && a.created().ok() == b.created().ok()
}

/// Writes a report file, never through a symlink planted since the check.
fn write_output(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)?.write_all(bytes)
}

/// Renders the report in one format.
pub fn render(report: &Report, format: Format, style: report::human::Style, cwd: &Path) -> String {
    match format {
        Format::Human => report::human::render_with(report, style),
        Format::Json => report::json::render(report),
        Format::Sarif => report::sarif::render(report, cwd),
        Format::Github => report::github::render(report),
        Format::Concise => report::concise::render(report),
    }
}
