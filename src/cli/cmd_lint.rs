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
    hints::check_rule_ids(args.ignore.iter().chain(&args.warn).chain(&args.deny))?;
    let today = match &args.today {
        Some(s) => crate::date::parse(s)
            .ok_or_else(|| UsageError(format!("--today takes YYYY-MM-DD, not `{s}`")))?,
        None => crate::date::today(),
    };
    let atlantis_version = parse_atlantis_version(args.atlantis_version.as_deref())?;
    // One list of the secrets read from files or built, shared by the rules, the probe and
    // the report's redactor.
    let known = crate::secret::KnownSecrets::default();
    let options = Options {
        check_files: args.check_files,
        today,
        atlantis_version,
        secrets: known.clone(),
    };
    if args.show_settings {
        return settings::show(&args);
    }
    let online = args.online.options()?.map(|mut o| {
        o.secrets = known.clone();
        o
    });
    let mut read_errors = Vec::new();
    let jobs = requests(&args.sources, &mut read_errors)?;
    let (jobs, doc_inputs) = sources::documents(&args.sources, jobs)?;
    for target in &args.targets {
        if let Some(path) = &target.path {
            check_output_path(path, &jobs, &doc_inputs)?;
        }
    }
    // The settings file of each input: excluded inputs are dropped, the others take its kind,
    // assume-set and policy where the command line does not say otherwise.
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut resolver = settings::Resolver::new(&args, &cwd)?;
    let mut kept = Vec::new();
    for mut job in jobs {
        let a = resolver.applied(job.request.file().map(|f| f.name.as_str()))?;
        if a.excluded_by.is_none() {
            settings::apply_to_request(&a, &args, &mut job.request);
            kept.push((job, a));
        }
    }
    let mut doc_inputs_kept = Vec::new();
    for d in doc_inputs {
        if resolver
            .applied(Some(d.file.name.as_str()))?
            .excluded_by
            .is_none()
        {
            doc_inputs_kept.push(d);
        }
    }
    let mut doc_inputs = doc_inputs_kept;
    if !args.quiet {
        if let Some(hint) = hints::unread_env(&args.sources) {
            eprintln!("atlantis-lint: note: {hint}");
        }
    }

    // Offline findings first; the probe only adds findings, whatever happens online.
    let mut linted = Vec::new();
    // The settings of each linted configuration (a manifest may hold several).
    let mut applied = Vec::new();
    for (job, a) in &kept {
        // The settings file's atlantis-version, unless --atlantis-version is given (it wins).
        let options = match (&args.atlantis_version, &a.atlantis_version) {
            (None, Some(v)) => Options {
                atlantis_version: parse_atlantis_version(Some(v))?,
                ..options.clone()
            },
            _ => options.clone(),
        };
        match lint::check_all(&job.request, &options) {
            Ok(configs) => {
                applied.extend(std::iter::repeat_n(a.clone(), configs.len()));
                linted.extend(configs);
            }
            // Found by a search: a file of another kind is not an error.
            Err(_) if job.quiet => {}
            Err(e) => read_errors.push(e.message),
        }
    }
    if let Some(online) = &online {
        // Network access is opt-in and visible: say where the credentials go before sending.
        let mut hosts: Vec<String> = Vec::new();
        for (cfg, _) in &linted {
            for name in crate::online::recipients(cfg, online) {
                if !hosts.contains(&name) {
                    hosts.push(name);
                }
            }
        }
        if !hosts.is_empty() {
            let what = if online.dry_run {
                "--dry-run: nothing is sent; the credentials would go to"
            } else {
                "read-only requests to"
            };
            eprintln!(
                "atlantis-lint: --online: {what} {}",
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
    // The repo config a server config names, when it sits beside it (or, with --check-files,
    // where it says): linted as part of the run, unless it was named already.
    for (cfg, _) in &linted {
        let Some(path) = crate::repo_config::run::named_repo_config(cfg, args.check_files) else {
            continue;
        };
        let canonical = std::fs::canonicalize(&path).ok();
        let same = |p: &Path| std::fs::canonicalize(p).ok() == canonical;
        if doc_inputs
            .iter()
            .any(|d| d.path.as_deref().is_some_and(same))
        {
            continue;
        }
        match sources::read_path(&path, None) {
            Ok(file) => doc_inputs.insert(
                0,
                crate::repo_config::run::DocInput {
                    kind: crate::repo_config::Kind::RepoConfig,
                    file,
                    path: Some(path),
                },
            ),
            Err(UsageError(msg)) => read_errors.push(msg),
        }
    }
    let servers: Vec<&crate::config::EffectiveConfig> = linted.iter().map(|(c, _)| c).collect();
    // The release each document is read for: --atlantis-version, else its settings file's.
    let mut given = Vec::new();
    for d in &doc_inputs {
        given.push(match options.atlantis_version {
            Some(v) => Some(v),
            None => parse_atlantis_version(
                resolver
                    .applied(Some(d.file.name.as_str()))?
                    .atlantis_version
                    .as_deref(),
            )?,
        });
    }
    let docs = crate::repo_config::run::lint(
        &doc_inputs,
        &given,
        &servers,
        args.sources.repo_id.as_deref(),
    );

    // Now that every file the run read is known (a repos.yaml the config names, a token file,
    // the settings file), no report may replace one of them.
    let outputs: Vec<&PathBuf> = args
        .targets
        .iter()
        .filter_map(|t| t.path.as_ref())
        .collect();
    if !outputs.is_empty() {
        let read = files_read(
            linted.iter().map(|(c, _)| c),
            &docs,
            applied.iter().filter_map(|a| a.file.clone()),
        );
        for path in outputs {
            refuse_to_overwrite(path, read.iter().map(PathBuf::as_path))?;
        }
    }

    let mut report = Report::default();
    for ((cfg, findings), a) in linted.into_iter().zip(&applied) {
        let findings = lint::finish(&cfg, findings, &settings::policy(a, &args));
        report.add_with(&cfg, findings, &known);
    }
    for linted_doc in docs {
        let applied_doc = resolver.applied(Some(linted_doc.doc.name.as_str()))?;
        let (linted_doc, findings) =
            lint::finish_document(linted_doc, &settings::policy(&applied_doc, &args));
        report.add_document(
            &linted_doc.sources,
            linted_doc.doc.name.clone(),
            &linted_doc.release,
            findings,
        );
    }
    report.finish();
    // A token pasted as a file name (`atlantis-lint config.yaml $GH_TOKEN`) is not printed.
    report.failures = read_errors
        .iter()
        .map(|e| crate::secret::mask_token_shapes(e.clone()))
        .collect();
    if !args.quiet {
        if let Some(note) = unsuppressible_kept(&report, &args, &applied) {
            eprintln!("atlantis-lint: note: {note}");
        }
    }

    for target in &args.targets {
        let style = human_style(args.color, target.path.is_none());
        let out = match target.format {
            Format::Human if args.statistics => statistics(&report),
            Format::Human
                if args.quiet && report.diags.is_empty() && report.failures.is_empty() =>
            {
                String::new()
            }
            Format::Human if args.quiet => {
                let full = render(&report, target.format, style, &cwd);
                // Drop the summary line (the last line).
                let body = full.trim_end_matches('\n');
                body.rsplit_once('\n')
                    .map_or(String::new(), |(b, _)| format!("{b}\n"))
            }
            format => render(&report, format, style, &cwd),
        };
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
    if args.statistics && !args.targets.iter().any(|t| t.format == Format::Human) {
        eprint!("{}", statistics(&report));
    }
    // A human report on a terminal already lists the failures: do not say them twice there.
    let shown_on_terminal = std::io::stdout().is_terminal()
        && args
            .targets
            .iter()
            .any(|t| t.path.is_none() && t.format == Format::Human);
    for (i, e) in read_errors.iter().enumerate() {
        if !(shown_on_terminal && i < report.failures.len()) {
            let e = crate::secret::mask_token_shapes(e.clone());
            eprintln!("atlantis-lint: {}", report::printable(e, false));
        }
    }

    let summary = report.summary();
    let failed =
        !args.exit_zero && (summary.errors > 0 || (args.deny_warnings && summary.warnings > 0));
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
fn check_output_path(
    path: &Path,
    jobs: &[sources::Job],
    docs: &[crate::repo_config::run::DocInput],
) -> Result<(), UsageError> {
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
        })
        .chain(docs.iter().map(|d| d.file.name.as_str()));
    refuse_to_overwrite(path, inputs.map(Path::new))
}

/// Refuses an `--output` path that is the same file as one of `inputs`.
fn refuse_to_overwrite<'a>(
    path: &Path,
    inputs: impl Iterator<Item = &'a Path>,
) -> Result<(), UsageError> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(()); // a new file
    };
    for input in inputs {
        if std::fs::metadata(input).is_ok_and(|m| same_file(&m, &meta)) {
            let shown = crate::report::printable(path.display().to_string(), false);
            return Err(UsageError(format!(
                "--output {shown} is one of the files being linted or read; refusing to overwrite it"
            )));
        }
    }
    Ok(())
}

/// Every file a run read or may read: the sources of its configurations and repo configs, the
/// files their settings name (`repo-config`, `gh-token-file`, `language-config-file`, ..., as
/// written and beside the file that names them), and the settings files that applied.
fn files_read<'a>(
    configs: impl Iterator<Item = &'a crate::config::EffectiveConfig>,
    docs: &[crate::repo_config::run::Linted],
    settings_files: impl Iterator<Item = PathBuf>,
) -> Vec<PathBuf> {
    use crate::source::SourceKind;
    let mut out: Vec<PathBuf> = settings_files.collect();
    let files = |sources: &crate::source::Sources| -> Vec<PathBuf> {
        sources
            .iter()
            .filter(|(_, s)| s.kind == SourceKind::File)
            .map(|(_, s)| PathBuf::from(&s.name))
            .collect()
    };
    for cfg in configs {
        let named = files(&cfg.sources);
        let dirs: Vec<PathBuf> = named
            .iter()
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        out.extend(named);
        let paths = crate::flags::FLAGS.iter().filter(|f| {
            f.name.ends_with("-file")
                || f.id() == crate::flags::REPO_CONFIG
                || f.id() == crate::flags::CONFIG
        });
        for flag in paths {
            if let Some(value) = cfg.explicit_text(flag) {
                let value = Path::new(value.as_str().trim());
                out.push(value.to_path_buf());
                out.extend(dirs.iter().map(|d| d.join(value)));
            }
        }
    }
    for doc in docs {
        out.extend(files(&doc.sources));
    }
    out
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

/// Rules the user asked to ignore or lower (command line or settings file) whose findings were
/// reported anyway, because they cannot be suppressed: say so once.
fn unsuppressible_kept(
    report: &Report,
    args: &LintArgs,
    applied: &[crate::settings::Applied],
) -> Option<String> {
    use crate::settings::Level;
    let asked = |id: &str| {
        args.ignore.iter().chain(&args.warn).any(|r| r == id)
            || applied
                .iter()
                .any(|a| matches!(a.rules.get(id), Some(Level::Ignore) | Some(Level::Warn)))
    };
    let mut ids: Vec<&str> = report
        .diags
        .iter()
        .filter(|d| !d.rule.suppressible && asked(d.rule.id))
        .map(|d| d.rule.id)
        .collect();
    ids.sort();
    ids.dedup();
    (!ids.is_empty()).then(|| {
        format!(
            "{} cannot be ignored or lowered (its findings are never intended): reported as usual",
            ids.iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// `--statistics`: findings per rule, most frequent first, as ruff prints them, then the summary.
fn statistics(report: &Report) -> String {
    let mut counts: Vec<(&str, &str, usize)> = Vec::new();
    for d in &report.diags {
        match counts
            .iter_mut()
            .find(|(id, sev, _)| *id == d.rule.id && *sev == d.severity.as_str())
        {
            Some(c) => c.2 += 1,
            None => counts.push((d.rule.id, d.severity.as_str(), 1)),
        }
    }
    counts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    let width = counts.iter().map(|c| c.0.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (id, severity, n) in &counts {
        out.push_str(&format!("{n:>5}  {id:<width$}  {severity}\n"));
    }
    for failure in &report.failures {
        out.push_str(&format!(
            "error: {}\n",
            report::printable(failure.clone(), false)
        ));
    }
    out.push_str(&report::human::summary_line(report));
    out.push('\n');
    out
}

/// Renders the report in one format.
pub fn render(report: &Report, format: Format, style: report::human::Style, cwd: &Path) -> String {
    match format {
        Format::Human => report::human::render_with(report, style),
        Format::Json => report::json::render(report),
        Format::Sarif => report::sarif::render(report, cwd),
        Format::Github => report::github::render(report),
        Format::Concise => report::concise::render(report),
        Format::Gitlab => report::gitlab::render(report, cwd),
    }
}
