//! The command line: parse arguments, read the inputs, lint, report, map to an exit status.

use crate::emit;
use crate::finding::Severity;
use crate::input::{NamedBytes, Request};
use crate::lint::{self, Policy};
use crate::report::{self, Report};
use crate::rules::{self, Options};
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXIT_STATUS: &str = "\
Exit status:
  0  no error-level finding (warnings allowed)
  1  at least one error-level finding, or any warning with --deny-warnings
  2  the run itself failed: bad usage, a file that cannot be read
  3  internal error (a bug in atlantis-lint; please report it)

Output:
  One --format goes to standard output. Each --output FILE writes the --format just before it
  to FILE instead, so one run can print one format and save others:
    atlantis-lint --format human --format sarif --output atlantis.sarif deploy/
  Without --format: human, or github when GITHUB_ACTIONS=true (--output FILE alone: human to FILE).

Paths:
  A directory is searched recursively for *.yaml and *.yml files that look like Atlantis server
  configs (a top-level key that is an Atlantis flag); hidden directories, target/ and
  node_modules/ are skipped. Files named explicitly are always linted (unless
  --only-server-configs). `-` reads standard input.";

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
    /// Print the JSON Schema (draft 2020-12) of the Atlantis server config file.
    Schema,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of atlantis-lint.
    Man,
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
    /// The rule reference with every rule's documentation (docs/rules.md).
    Markdown,
}

/// Where the configuration comes from (shared by the linter and `emit`).
#[derive(Debug, Args, Default)]
pub struct SourceArgs {
    /// Atlantis server config files (YAML or JSON), or directories to search for them; `-` reads
    /// standard input.
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
    /// Skip named files that do not look like Atlantis server configs, as directory search does
    /// (for the pre-commit hook: a repo-level atlantis.yaml is not a server config).
    #[arg(long)]
    pub only_server_configs: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Graphical report with source snippets (default).
    Human,
    /// Machine-readable JSON (version 1).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
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
    /// Output format; repeatable, each one may be followed by its own --output.
    /// Default: human, or github when GITHUB_ACTIONS=true.
    #[arg(long, short = 'f', value_enum, action = clap::ArgAction::Append)]
    pub format: Vec<Format>,
    /// Write the output of the --format given just before this option to FILE.
    #[arg(long, short = 'o', value_name = "FILE", action = clap::ArgAction::Append)]
    pub output: Vec<PathBuf>,
    /// Where each format goes, paired from --format and --output by their order.
    #[arg(skip)]
    pub targets: Vec<Target>,
    /// When to colour human output. `auto`: not when NO_COLOR is set; always when FORCE_COLOR or
    /// CLICOLOR_FORCE is set; else only on a terminal whose TERM is not `dumb`.
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
    #[command(flatten)]
    pub online: OnlineArgs,
}

/// The online probe: off unless `--online` is given.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Online checks")]
pub struct OnlineArgs {
    /// Ask each configured Git host whether the credentials work and carry what Atlantis needs
    /// (read-only requests; off by default).
    #[arg(long)]
    pub online: bool,
    /// With --online: a host that gives no usable answer (network, TLS, rate limit...) is an error.
    #[arg(long, requires = "online")]
    pub require_online: bool,
    /// With --online: per-request timeout in seconds (default 10); the whole run is bounded by six.
    #[arg(long, value_name = "SECS", requires = "online")]
    pub online_timeout: Option<f64>,
    /// With --online: also send credentials over plain http:// (refused by default).
    #[arg(long, requires = "online")]
    pub online_allow_http: bool,
    /// With --online: trust this CA certificate (PEM) besides the system store; repeatable.
    #[arg(long, value_name = "FILE", requires = "online")]
    pub ca_cert: Vec<PathBuf>,
    /// With --online: connect to ADDR:PORT whenever a probe connects to HOST:PORT (curl's
    /// --connect-to; PORT may be empty for any port). TLS still verifies HOST. Repeatable.
    #[arg(long, value_name = "HOST:PORT:ADDR:PORT", requires = "online")]
    pub connect_to: Vec<String>,
}

impl OnlineArgs {
    /// The probe's options, or `None` without `--online`.
    pub fn options(&self) -> Result<Option<crate::online::Options>, UsageError> {
        if !self.online {
            return Ok(None);
        }
        if !crate::online::AVAILABLE {
            return Err(UsageError(
                "--online: this atlantis-lint was built without the `online` feature".into(),
            ));
        }
        let mut o = crate::online::Options {
            require_online: self.require_online,
            allow_http: self.online_allow_http,
            ..Default::default()
        };
        if let Some(secs) = self.online_timeout {
            if !(secs > 0.0 && secs <= 600.0) {
                return Err(UsageError(format!(
                    "--online-timeout takes seconds between 0 and 600, not {secs}"
                )));
            }
            o.timeout = std::time::Duration::from_secs_f64(secs);
        }
        for path in &self.ca_cert {
            let bytes = std::fs::read(path).map_err(|e| {
                UsageError(format!("cannot read {}: {}", path.display(), io_reason(&e)))
            })?;
            if !String::from_utf8_lossy(&bytes).contains("-----BEGIN CERTIFICATE-----") {
                return Err(UsageError(format!(
                    "--ca-cert {}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the file",
                    path.display()
                )));
            }
            o.ca_pem.push(bytes);
        }
        for c in &self.connect_to {
            o.connect_to
                .push(crate::online::ConnectTo::parse(c).map_err(UsageError)?);
        }
        Ok(Some(o))
    }
}

/// One output: a format, and the file it goes to (standard output when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub format: Format,
    pub path: Option<PathBuf>,
}

/// A failure of the run itself (exit status 2).
#[derive(Debug)]
pub struct UsageError(pub String);

/// Parses a command line (program name first) and pairs each `--output` with its `--format`.
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = Cli::command().try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    let github = std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true");
    match pair_outputs(&matches, &cli.lint, github) {
        Ok(targets) => cli.lint.targets = targets,
        Err(msg) => {
            return Err(Cli::command().error(clap::error::ErrorKind::ArgumentConflict, msg));
        }
    }
    Ok(cli)
}

/// Binds each `--output` to the nearest `--format` before it; formats without one go to
/// standard output, and at most one may.
fn pair_outputs(
    matches: &ArgMatches,
    args: &LintArgs,
    github: bool,
) -> Result<Vec<Target>, String> {
    let format_at: Vec<usize> = matches
        .indices_of("format")
        .map(Iterator::collect)
        .unwrap_or_default();
    let output_at: Vec<usize> = matches
        .indices_of("output")
        .map(Iterator::collect)
        .unwrap_or_default();
    let mut targets: Vec<Target> = args
        .format
        .iter()
        .map(|&format| Target { format, path: None })
        .collect();
    if targets.is_empty() && args.output.len() == 1 {
        // `--output FILE` alone: the human report goes to the file.
        return Ok(vec![Target {
            format: Format::Human,
            path: Some(args.output[0].clone()),
        }]);
    }
    for (path, at) in args.output.iter().zip(&output_at) {
        let Some(i) = format_at.iter().rposition(|f| f < at) else {
            return Err(format!(
                "--output {} must follow the --format it writes, e.g. `--format sarif --output {}`",
                path.display(),
                path.display()
            ));
        };
        if targets[i].path.is_some() {
            return Err(format!(
                "two --output options follow one --format; give each --output its own --format (at {})",
                path.display()
            ));
        }
        targets[i].path = Some(path.clone());
    }
    if targets.is_empty() {
        let format = if github {
            Format::Github
        } else {
            Format::Human
        };
        targets.push(Target { format, path: None });
    }
    if targets.iter().filter(|t| t.path.is_none()).count() > 1 {
        return Err(
            "only one --format can go to standard output; give the others an --output FILE".into(),
        );
    }
    Ok(targets)
}

/// Set when `print!` failed because standard output was closed (`atlantis-lint rules | head`).
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// True for the panic `print!` raises when the reader of standard output went away: not a bug.
fn is_broken_stdout(info: &std::panic::PanicHookInfo<'_>) -> bool {
    let payload = info
        .payload()
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| info.payload().downcast_ref::<&str>().copied())
        .unwrap_or("");
    payload.starts_with("failed printing to stdout") && payload.contains("Broken pipe")
}

pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        if is_broken_stdout(info) {
            // Like the lint output, whose write errors are ignored: stop quietly.
            STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::SeqCst);
            return;
        }
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
        test_panic_hook();
        let cli = parse_from(std::env::args_os()).unwrap_or_else(|e| e.exit());
        run(cli)
    }) {
        Ok(Ok(code)) => code,
        Ok(Err(UsageError(msg))) => {
            eprintln!("atlantis-lint: {msg}");
            ExitCode::from(2)
        }
        Err(_) if STDOUT_CLOSED.load(std::sync::atomic::Ordering::SeqCst) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(3),
    }
}

/// A hidden hook for the tests: `__ATLINT_TEST_PANIC=<text>` panics with `<text>` in the payload,
/// to prove that a panic prints one clean message (never the payload) and exits with status 3.
fn test_panic_hook() {
    if let Some(payload) = std::env::var_os("__ATLINT_TEST_PANIC") {
        panic!("test panic: {}", payload.to_string_lossy());
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
        Some(Command::Schema) => {
            print!("{}", crate::schema::schema_text());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "atlantis-lint", &mut out);
            let _ = std::io::stdout().write_all(&out);
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| UsageError(format!("cannot render the man page: {e}")))?;
            let _ = std::io::stdout().write_all(&out);
            Ok(ExitCode::SUCCESS)
        }
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
        ListFormat::Markdown => report::docs::rules_markdown(),
    }
}

fn read_path(path: &PathBuf, stdin_name: Option<&str>) -> Result<NamedBytes, UsageError> {
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
fn unreadable_format(path: &std::path::Path) -> Option<String> {
    let ext = path.extension()?.to_str()?;
    matches!(ext, "toml" | "env" | "dotenv").then(|| {
        format!(
            "cannot lint {}: atlantis-lint reads YAML and JSON config files, not .{ext} (for a KEY=VALUE file of ATLANTIS_* variables use --env-file)",
            path.display()
        )
    })
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
                    p.display()
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

/// Whether human output to standard output is coloured.
fn use_color(choice: Color) -> bool {
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
    let online = args.online.options()?;
    let mut read_errors = Vec::new();
    let requests = requests(&args.sources, &mut read_errors)?;

    // Offline findings first; the probe only adds findings, whatever happens online.
    let mut linted: Vec<_> = requests
        .iter()
        .map(|request| lint::check(request, &options))
        .collect();
    if let Some(online) = &online {
        // Network access is opt-in and visible: say where the credentials go before sending.
        let mut hosts: Vec<String> = Vec::new();
        for (cfg, _) in &linted {
            for t in crate::online::targets(cfg) {
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
    let mut report = Report::default();
    for (cfg, findings) in linted {
        let findings = lint::finish(&cfg, findings, &policy);
        report.add(&cfg, findings);
    }
    report.finish();

    let cwd = std::env::current_dir().unwrap_or_default();
    for target in &args.targets {
        let color = target.path.is_none() && use_color(args.color);
        let out = render(&report, target.format, color, &cwd);
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
pub fn render(report: &Report, format: Format, color: bool, cwd: &Path) -> String {
    match format {
        Format::Human => report::human::render(report, color, 100),
        Format::Json => report::json::render(report),
        Format::Sarif => report::sarif::render(report, cwd),
        Format::Github => report::github::render(report),
        Format::Concise => report::concise::render(report),
    }
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
