//! The `emit` command.

use super::*;

/// `emit`: lint (findings to stderr), then write the normalised configuration to stdout.
pub(super) fn run_emit(args: EmitArgs) -> Result<ExitCode, UsageError> {
    if args.one_per_line && args.to != emit::Form::Flags {
        return Err(UsageError("--one-per-line goes with --to flags".into()));
    }
    if !emit::k8s::valid_secret_name(&args.k8s_secret) {
        return Err(UsageError(format!(
            "--k8s-secret `{}` is not a Kubernetes Secret name (lower-case letters, digits, `-` and `.`)",
            args.k8s_secret
        )));
    }
    if args.secrets == emit::SecretsMode::Include && std::io::stdout().is_terminal() && !args.force
    {
        return Err(UsageError(
            "--secrets include writes secret values: redirect the output to a file (or pass --force to print them here)".into(),
        ));
    }
    let options = Options {
        today: parse_today(args.today.as_deref())?,
        atlantis_version: parse_atlantis_version(args.atlantis_version.as_deref())?,
        ..Options::default()
    };
    let mut read_errors = Vec::new();
    let jobs = requests(&args.sources, &mut read_errors)?;
    if let Some(e) = read_errors.first() {
        return Err(UsageError(e.clone()));
    }
    let [job] = jobs.as_slice() else {
        return Err(UsageError(
            "emit writes one configuration: give at most one config file".into(),
        ));
    };
    let mut configs = lint::check_all(&job.request, &options).map_err(|e| UsageError(e.message))?;
    if configs.len() > 1 {
        let parts: Vec<String> = configs
            .iter()
            .filter_map(|(cfg, _)| cfg.part.clone())
            .collect();
        return Err(UsageError(format!(
            "emit writes one configuration, and {} holds {}: {}",
            job.request.file().map_or("the input", |f| f.name.as_str()),
            configs.len(),
            parts.join(", ")
        )));
    }
    let (cfg, findings) = configs.swap_remove(0);
    let findings = lint::finish(&cfg, findings, &Policy::default());
    let mut report = Report::default();
    report.add_with(&cfg, findings, &options.secrets);
    report.finish();
    if !report.diags.is_empty() {
        let color = std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let style = report::human::Style {
            color,
            unicode: super::unicode_enabled(|k| std::env::var_os(k)),
            width: 100,
        };
        eprint!("{}", report::human::render_with(&report, style));
    }
    let errors = report.summary().errors;
    if errors > 0 && !args.allow_errors {
        eprintln!(
            "atlantis-lint: nothing emitted: the configuration has {errors} error{} (--allow-errors emits it anyway)",
            if errors == 1 { "" } else { "s" }
        );
        return Ok(ExitCode::from(1));
    }

    let model = emit::build(&cfg, args.with_defaults);
    let emit_options = emit::Options {
        form: args.to,
        secrets: args.secrets,
        one_per_line: args.one_per_line,
        k8s_secret: args.k8s_secret.clone(),
    };
    let out = match emit::render(&model, &emit_options) {
        Ok(out) => out,
        Err(e) => {
            eprintln!(
                "atlantis-lint: error: {}\n  help: {}",
                report::printable(e.message, false),
                report::printable(e.help, false)
            );
            return Ok(ExitCode::from(1));
        }
    };
    for note in &model.notes {
        eprintln!(
            "atlantis-lint: note: {}",
            report::printable(note.clone(), false)
        );
    }
    if args.to == emit::Form::Dotenv {
        let fragile = emit::dotenv::fragile(&model, args.secrets);
        if !fragile.is_empty() {
            eprintln!(
                "atlantis-lint: note: docker --env-file keeps these values as written, but docker compose and some editors would change them (quotes, `$`, ` #`, leading or trailing blanks): {}",
                fragile.join(", ")
            );
        }
    }
    if args.to == emit::Form::K8sEnv {
        let keys = emit::k8s::secret_keys(&model, args.secrets);
        if !keys.is_empty() {
            eprintln!(
                "atlantis-lint: note: the Secret `{}` must hold the keys {}",
                report::printable(args.k8s_secret.clone(), false),
                keys.join(", ")
            );
        }
    }
    write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
