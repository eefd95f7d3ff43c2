//! The command line: parse arguments, read the inputs, lint, report, map to an exit status.

use crate::emit;
use crate::finding::Severity;
use crate::input::{NamedBytes, Request};
use crate::lint::{self, Policy};
use crate::report::{self, Report};
use crate::rules::{self, Options};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

const EXIT_STATUS: &str = "\
Exit status:
  0  no error-level finding (warnings allowed)
  1  at least one error-level finding, or any warning with --deny-warnings
  2  the run itself failed: bad usage, a file that cannot be read
  3  internal error (a bug in atlantis-lint; please report it)";

/// Lint the server configuration of Atlantis: config file, environment and command line.
#[derive(Debug, Parser)]
#[command(name = "atlantis-lint", version, after_help = EXIT_STATUS, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every rule: id, default severity, summary.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print a rule's full documentation.
    Explain { rule: String },
    /// Print the effective configuration in another form (YAML, JSON, env file, shell, flags, Kubernetes env).
    Emit(EmitArgs),
}

/// `atlantis-lint emit --to FORM [sources]`.
#[derive(Debug, Args)]
#[command(after_help = EMIT_STATUS)]
pub struct EmitArgs {
    #[command(flatten)]
    pub sources: SourceArgs,
    /// The form to write.
    #[arg(long, value_enum, value_name = "FORM")]
    pub to: emit::Form,
    /// What to do with secret values.
    #[arg(long, value_enum, default_value_t = emit::SecretsMode::Redact)]
    pub secrets: emit::SecretsMode,
    /// With `--secrets include`: write to a terminal anyway.
    #[arg(long)]
    pub force: bool,
    /// Also write settings whose value is Atlantis's default.
    #[arg(long)]
    pub with_defaults: bool,
    /// Emit even when the configuration has error-level findings.
    #[arg(long)]
    pub allow_errors: bool,
    /// With `--to flags`: one argument per line, as a YAML list for a container's `args:`.
    #[arg(long)]
    pub one_per_line: bool,
    /// With `--to k8s-env`: the Secret that holds the secret values (one key per flag).
    #[arg(long, value_name = "NAME", default_value = "atlantis-secrets")]
    pub k8s_secret: String,
    /// Decide dated rules as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, hide = true, value_name = "DATE")]
    pub today: Option<String>,
}

const EMIT_STATUS: &str = "\
Standard output holds only the emitted form; findings and notes go to standard error.

Exit status:
  0  written
  1  not written: the configuration has error-level findings (see --allow-errors),
     or a value the form cannot carry
  2  the run itself failed: bad usage, a file that cannot be read";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// Where the configuration comes from (shared by the linter and `emit`).
#[derive(Debug, Args, Default)]
pub struct SourceArgs {
    /// Atlantis server config files (YAML or JSON); `-` reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The name standard input is given in diagnostics.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Also read the ATLANTIS_* variables of this process's environment.
    #[arg(long)]
    pub env: bool,
    /// Read ATLANTIS_* variables from a KEY=VALUE file (docker --env-file form); repeatable, later files win.
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,
    /// An Atlantis command line (`server --gh-user alice ...`), after `--`.
    #[arg(last = true, value_name = "ATLANTIS_ARGS", allow_hyphen_values = true)]
    pub atlantis_args: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to colour human output (NO_COLOR is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Exit with status 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Do not report this rule (repeatable).
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Report this rule as a warning (repeatable).
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<String>,
    /// Report this rule as an error (repeatable).
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,
    /// The linter runs where the server runs: check the files the config names.
    #[arg(long)]
    pub check_files: bool,
    /// Decide dated rules as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, hide = true, value_name = "DATE")]
    pub today: Option<String>,
}

/// A failure of the run itself (exit status 2).
#[derive(Debug)]
pub struct UsageError(pub String);

pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        // Never print the panic payload: it could hold a configuration value.
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "atlantis-lint: internal error{at}; this is a bug, please report it (exit status 3)"
        );
    }));
    match std::panic::catch_unwind(|| {
        let cli = Cli::parse();
        run(cli)
    }) {
        Ok(Ok(code)) => code,
        Ok(Err(UsageError(msg))) => {
            eprintln!("atlantis-lint: {msg}");
            ExitCode::from(2)
        }
        Err(_) => ExitCode::from(3),
    }
}

/// True when `--` appeared on the command line (an empty Atlantis command line is still one).
fn dashdash_given() -> bool {
    std::env::args_os().any(|a| a == "--")
}

pub fn run(cli: Cli) -> Result<ExitCode, UsageError> {
    match cli.command {
        Some(Command::Rules { format }) => {
            print!("{}", list_rules(format));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Explain { rule }) => match rules::find(&rule) {
            Some(info) => {
                println!(
                    "# {} ({})\n\n{}\n\n{}",
                    info.id,
                    info.severity.as_str(),
                    info.summary,
                    info.docs.trim_end()
                );
                Ok(ExitCode::SUCCESS)
            }
            None => Err(UsageError(format!(
                "no rule named `{rule}`; `atlantis-lint rules` lists them"
            ))),
        },
        Some(Command::Emit(args)) => run_emit(args),
        None => run_lint(cli.lint),
    }
}

fn list_rules(format: ListFormat) -> String {
    match format {
        ListFormat::Text => {
            let mut s = String::new();
            for r in rules::infos() {
                s.push_str(&format!(
                    "{:<32} {:<8} {}\n",
                    r.id,
                    r.severity.as_str(),
                    r.summary
                ));
            }
            s
        }
        ListFormat::Json => {
            let list: Vec<_> = rules::infos()
                .map(|r| serde_json::json!({"id": r.id, "severity": r.severity.as_str(), "summary": r.summary}))
                .collect();
            serde_json::to_string_pretty(&list).expect("serialises") + "\n"
        }
    }
}

fn read_path(path: &PathBuf, stdin_name: Option<&str>) -> Result<NamedBytes, UsageError> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| UsageError(format!("cannot read standard input: {e}")))?;
        return Ok(NamedBytes {
            name: stdin_name.unwrap_or("<stdin>").to_string(),
            bytes,
        });
    }
    let name = path.display().to_string();
    if path.is_dir() {
        return Err(UsageError(format!(
            "{name} is a directory; give the config file's path"
        )));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| UsageError(format!("cannot read {name}: {}", io_reason(&e))))?;
    Ok(NamedBytes { name, bytes })
}

fn io_reason(e: &std::io::Error) -> String {
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
        if let Some(path) = cfg.str("config") {
            let file = read_path(&PathBuf::from(path), None)?;
            return Ok(vec![Request {
                file: Some(file),
                ..base
            }]);
        }
        return Ok(vec![base]);
    }
    let mut out = Vec::new();
    for p in &args.paths {
        match read_path(p, args.stdin_filename.as_deref()) {
            Ok(file) => out.push(Request {
                file: Some(file),
                ..base.clone()
            }),
            Err(UsageError(msg)) => errors.push(msg),
        }
    }
    Ok(out)
}

fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            let var = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty() && v != "0");
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                false
            } else if var("FORCE_COLOR") || var("CLICOLOR_FORCE") {
                true
            } else {
                std::io::stdout().is_terminal()
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        }
    }
}

fn run_lint(args: LintArgs) -> Result<ExitCode, UsageError> {
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
    let options = Options {
        check_files: args.check_files,
        today,
    };
    let policy = Policy {
        ignore: args.ignore.clone(),
        warn: args.warn.clone(),
        deny: args.deny.clone(),
    };
    let mut read_errors = Vec::new();
    let requests = requests(&args.sources, &mut read_errors)?;

    let mut report = Report::default();
    for request in &requests {
        let (cfg, findings) = lint::lint(request, &options, &policy);
        report.add(&cfg, findings);
    }
    report.finish();

    let out = match args.format {
        Format::Human => report::human::render(&report, use_color(args.color), 100),
        Format::Json => report::json::render(&report),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
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

/// Severity counts for callers that embed the linter.
pub fn worst(report: &Report) -> Option<Severity> {
    report.diags.iter().map(|d| d.severity).max()
}

fn parse_today(arg: Option<&str>) -> Result<(i32, u32, u32), UsageError> {
    match arg {
        Some(s) => crate::date::parse(s)
            .ok_or_else(|| UsageError(format!("--today takes YYYY-MM-DD, not `{s}`"))),
        None => Ok(crate::date::today()),
    }
}

/// `emit`: lint (findings to stderr), then write the normalised configuration to stdout.
fn run_emit(args: EmitArgs) -> Result<ExitCode, UsageError> {
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
        ..Options::default()
    };
    let mut read_errors = Vec::new();
    let requests = requests(&args.sources, &mut read_errors)?;
    if let Some(e) = read_errors.first() {
        return Err(UsageError(e.clone()));
    }
    let [request] = requests.as_slice() else {
        return Err(UsageError(
            "emit writes one configuration: give at most one config file".into(),
        ));
    };
    let (cfg, findings) = lint::lint(request, &options, &Policy::default());
    let mut report = Report::default();
    report.add(&cfg, findings);
    report.finish();
    if !report.diags.is_empty() {
        let color = std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        eprint!("{}", report::human::render(&report, color, 100));
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
            eprintln!("atlantis-lint: error: {}\n  help: {}", e.message, e.help);
            return Ok(ExitCode::from(1));
        }
    };
    for note in &model.notes {
        eprintln!("atlantis-lint: note: {note}");
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
                args.k8s_secret,
                keys.join(", ")
            );
        }
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    Ok(ExitCode::SUCCESS)
}
