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
    let atlantis_version = parse_atlantis_version(args.atlantis_version.as_deref())?;
    let options = Options {
        check_files: args.check_files,
        today,
        atlantis_version,
    };
    let policy = Policy {
        ignore: args.ignore.clone(),
        warn: args.warn.clone(),
        deny: args.deny.clone(),
    };
    let online = args.online.options()?;
    let mut read_errors = Vec::new();
    let jobs = requests(&args.sources, &mut read_errors)?;
    let (jobs, mut doc_inputs) = sources::documents(&args.sources, jobs)?;

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
                hosts.join(", ")
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
    let docs =
        crate::repo_config::run::lint(&doc_inputs, &servers, args.sources.repo_id.as_deref());

    let mut report = Report::default();
    for (cfg, findings) in linted {
        let findings = lint::finish(&cfg, findings, &policy);
        report.add(&cfg, findings);
    }
    for linted_doc in docs {
        let (linted_doc, findings) = lint::finish_document(linted_doc, &policy);
        report.add_document(&linted_doc.sources, linted_doc.doc.name.clone(), findings);
    }
    report.finish();

    let cwd = std::env::current_dir().unwrap_or_default();
    for target in &args.targets {
        let style = human_style(args.color, target.path.is_none());
        let out = render(&report, target.format, style, &cwd);
        match &target.path {
            None => {
                let mut stdout = std::io::stdout().lock();
                let _ = stdout.write_all(out.as_bytes());
                let _ = stdout.flush();
            }
            Some(path) => {
                if let Err(e) = std::fs::write(path, out.as_bytes()) {
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
        eprintln!("atlantis-lint: {e}");
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
