//! The command line: parse arguments, read the inputs, lint, report, map to an exit status.
//!
//! `mod.rs` holds the argument types and the dispatch; `sources.rs` turns the source arguments
//! into requests; `cmd_lint.rs` and `cmd_emit.rs` run the two main commands.

mod cmd_emit;
mod cmd_lint;
mod hints;
mod settings;
mod sources;

use cmd_emit::run_emit;
use cmd_lint::run_lint;
pub use cmd_lint::{color_enabled, output_width, render, unicode_enabled};
use sources::io_reason;
pub use sources::{Job, requests};

use crate::emit;
use crate::input::kind::Kind;
use crate::input::{Input, NamedBytes, Request};
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
  0  no error-level finding (warnings allowed), or any finding with --exit-zero
  1  at least one error-level finding, or any warning with --deny-warnings
  2  the run itself failed: bad usage, a file that cannot be read
  3  internal error (a bug in atlantis-lint; please report it)

Output:
  One --format goes to standard output. Each --output FILE writes the --format just before it
  to FILE instead, so one run can print one format and save others:
    atlantis-lint --format human --format sarif --output atlantis.sarif deploy/
  Without --format: human, or github when GITHUB_ACTIONS=true (--output FILE alone: human to FILE).

Settings file:
  Each input takes the nearest .atlantis-lint.yaml (or .yml) in its directory or a parent:
  rule levels (ignore/warn/deny), per-path overrides, excluded paths, assume-set,
  atlantis-version, kind. The command line wins over it. --settings FILE names one,
  --no-settings reads none, --show-settings prints what applies to each PATH.

Paths:
  Each file is read in its kind, detected from its content (--kind overrides): an Atlantis server
  config, a Kubernetes manifest, a docker-compose file, a server-side repo config (repos.yaml: top-level `repos:`,
  `workflows:`, `policies:`) or a repository's atlantis.yaml (`version:`, `projects:`). A directory is searched recursively for *.yaml and *.yml files
  that hold an Atlantis configuration; hidden directories, target/ and node_modules/ are skipped.
  A Helm values file or a compose file without Atlantis is never linted as a server config: named explicitly, it
  is an error (exit 2) saying what it is; found by a directory search or with
  --only-server-configs, it is skipped. `-` reads standard input. The atlantis.yaml files of a
  run are checked against the run's repos.yaml (--repo-config FILE, a named one, or the file a
  server config's repo-config names beside it), for the repository --repo-id names.";

/// Lint the server configuration of Atlantis: config file, environment, command line, and the
/// Kubernetes manifests that carry them.
#[derive(Debug, Parser)]
#[command(name = "atlantis-lint", version, after_help = EXIT_STATUS, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Subcommand)]
// Parsed once per run: the size of the largest variant (`emit`'s options) does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// List every rule: id, default severity, summary.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print a rule's full documentation.
    Explain { rule: String },
    /// Print the JSON Schema (draft 2020-12) of the Atlantis server config file, or with
    /// --kind of the server-side repo config or a repo-level atlantis.yaml.
    Schema {
        #[arg(long, value_enum, default_value_t = SchemaKind::ServerConfig)]
        kind: SchemaKind,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of atlantis-lint.
    Man,
    /// Print the effective configuration in another form (YAML, JSON, env file, shell, flags, Kubernetes env).
    Emit(Box<EmitArgs>),
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
    /// The Atlantis release to write for: its flags and its defaults (default: the latest known).
    #[arg(long, value_name = "VERSION")]
    pub atlantis_version: Option<String>,
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

/// Which document's JSON Schema `atlantis-lint schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The server config file (`atlantis server --config`).
    ServerConfig,
    /// The server-side repo config (`--repo-config` repos.yaml, `--repo-config-json`).
    RepoConfig,
    /// A repository's atlantis.yaml.
    RepoYaml,
}

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
    /// Files holding Atlantis configuration (server config YAML/JSON, Kubernetes manifests,
    /// docker-compose files), or
    /// directories to search for them; `-` reads standard input.
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
    /// Skip named files that hold no Atlantis configuration, as directory search does (for the
    /// pre-commit hook: a repo-level atlantis.yaml, a Helm values file or a compose file without
    /// Atlantis is skipped; a manifest is linted as a manifest).
    #[arg(long)]
    pub only_server_configs: bool,
    /// What the files are, instead of detecting it: server-config, kubernetes, compose,
    /// helm-values, terraform, ecs, repo-config (repos.yaml), repo-yaml (a repository's
    /// atlantis.yaml).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Treat these flags as set at runtime to values atlantis-lint cannot see (a Secret
    /// injected by Vault, say): they satisfy "missing" checks and their values are not checked.
    /// Flag names, comma-separated; repeatable.
    #[arg(long, value_name = "FLAG[,FLAG...]", value_delimiter = ',')]
    pub assume_set: Vec<String>,
    /// Helm values files layered over each values file linted, in order, as `helm -f PATH -f
    /// FILE` merges them (later wins, maps merge deeply); repeatable.
    #[arg(long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// The server-side repo config (repos.yaml) that repo-level atlantis.yaml files are held
    /// against; it is linted too.
    #[arg(long, value_name = "FILE")]
    pub repo_config: Option<PathBuf>,
    /// The repository (host/owner/name) the atlantis.yaml files belong to, for the server's
    /// allowed_overrides; default: the origin remote of their Git checkout.
    #[arg(long, value_name = "ID")]
    pub repo_id: Option<String>,
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
    /// GitLab Code Quality report (the `codequality` artifact of a merge request).
    Gitlab,
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
    /// Exit with status 0 even when there are findings (a failed run still exits with 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print the number of findings of each rule instead of the findings (human format; on
    /// standard error when standard output carries another format).
    #[arg(long)]
    pub statistics: bool,
    /// Print findings and errors only: no summary line, no notes on standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Do not report these rules (repeatable; `--ignore a,b` names several).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Report these rules as warnings (repeatable; comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub warn: Vec<String>,
    /// Report these rules as errors (repeatable; comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub deny: Vec<String>,
    /// Use this settings file for every input instead of the nearest `.atlantis-lint.yaml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_settings")]
    pub settings: Option<PathBuf>,
    /// Read no settings file (`.atlantis-lint.yaml`): defaults and the command line only.
    #[arg(long)]
    pub no_settings: bool,
    /// Print the settings that apply to each PATH (settings file, rule levels and where each
    /// comes from, exclusion) and exit without linting.
    #[arg(long)]
    pub show_settings: bool,
    /// The linter runs where the server runs: check the files the config names.
    #[arg(long)]
    pub check_files: bool,
    /// The Atlantis release the configuration is for (v0.17.0 ... the newest known), e.g.
    /// v0.28.1. Default: the image tag of the Atlantis container when a deployment file shows
    /// one, else the latest known release.
    #[arg(long, value_name = "VERSION")]
    pub atlantis_version: Option<String>,
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
    /// With --online: this host may receive a credential whatever names it (HOST, or HOST:PORT
    /// for one port). Without it, a credential goes only to public Git hosts and to hosts the
    /// source holding the credential names itself. Repeatable.
    #[arg(long, value_name = "HOST", requires = "online")]
    pub online_host: Vec<String>,
    /// With --online: print the requests that would be sent (credentials masked), send nothing.
    #[arg(long, requires = "online")]
    pub dry_run: bool,
    /// With --online: for a GitHub App, also mint an installation token limited to
    /// `metadata: read`, list the repositories it covers, and revoke it.
    #[arg(long, requires = "online")]
    pub online_app_deep: bool,
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
            allowed_hosts: self.online_host.clone(),
            dry_run: self.dry_run,
            progress: std::io::stderr().is_terminal()
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb"),
            app_deep: self.online_app_deep,
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
            let bytes = crate::input::read_regular_file(path, 1 << 20).map_err(|e| {
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
    use crate::secret::mask_token_shapes;
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
        let args: Vec<OsString> = std::env::args_os().collect();
        let cli =
            parse_from(args.clone()).unwrap_or_else(|e| match hints::unknown_option(&e, &args) {
                Some(msg) => {
                    eprintln!("atlantis-lint: {}", mask_token_shapes(msg));
                    std::process::exit(2)
                }
                // clap quotes the value it refused: a token pasted as an option value is masked.
                None if e.use_stderr() => {
                    let text = e.render().to_string();
                    let masked = mask_token_shapes(text.clone());
                    if masked == text {
                        e.exit()
                    }
                    eprint!("{masked}");
                    std::process::exit(e.exit_code())
                }
                // `--help`, `--version`: a full disk is an error too (clap would exit 0).
                None => {
                    use std::io::IsTerminal as _;
                    let text = if std::io::stdout().is_terminal() {
                        e.render().ansi().to_string()
                    } else {
                        e.render().to_string()
                    };
                    match write_stdout(text.as_bytes()) {
                        Ok(()) => std::process::exit(e.exit_code()),
                        Err(UsageError(msg)) => {
                            eprintln!("atlantis-lint: {msg}");
                            std::process::exit(2)
                        }
                    }
                }
            });
        run(cli)
    }) {
        Ok(Ok(code)) => code,
        Ok(Err(UsageError(msg))) => {
            // A message may name a path or a value from the input: never print it raw.
            // ... nor a token pasted as a file name or an option value.
            eprintln!(
                "atlantis-lint: {}",
                report::printable(mask_token_shapes(msg), false)
            );
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
            write_stdout(list_rules(format).as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Explain { rule }) => match rules::find(&rule) {
            Some(info) => {
                let since = rules::applicability(info.id)
                    .map(|s| format!("{s}\n\n"))
                    .unwrap_or_default();
                let text = format!(
                    "# {} ({})\n\n{}\n\n{since}{}\n",
                    info.id,
                    info.severity.as_str(),
                    info.summary,
                    info.docs.trim_end()
                );
                write_stdout(text.as_bytes())?;
                Ok(ExitCode::SUCCESS)
            }
            None => Err(hints::unknown_rule(&rule)),
        },
        Some(Command::Schema { kind }) => {
            use crate::repo_config::schema as rs;
            let text = match kind {
                SchemaKind::ServerConfig => crate::schema::schema_text(),
                SchemaKind::RepoConfig => rs::text(&rs::repo_config_schema()),
                SchemaKind::RepoYaml => rs::text(&rs::repo_yaml_schema()),
            };
            write_stdout(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "atlantis-lint", &mut out);
            write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| UsageError(format!("cannot render the man page: {e}")))?;
            write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Emit(args)) => run_emit(*args),
        None => run_lint(cli.lint),
    }
}

/// Writes `bytes` to standard output. A reader that went away (`| head`) ends the output
/// quietly; any other failure (a full disk) fails the run: an empty file must not pass as a
/// clean report.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), UsageError> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(UsageError(format!("cannot write to standard output: {e}"))),
    }
}

fn list_rules(format: ListFormat) -> String {
    match format {
        ListFormat::Text => {
            let mut s = String::new();
            for r in rules::infos() {
                let since = match (rules::applies_since(r.id), rules::applies_until(r.id)) {
                    (Some(s), _) => format!(" (Atlantis {}+)", s.version),
                    (None, Some(u)) => format!(" (Atlantis before {})", u.version),
                    (None, None) => String::new(),
                };
                s.push_str(&format!(
                    "{:<32} {:<8} {}{since}\n",
                    r.id,
                    r.severity.as_str(),
                    r.summary
                ));
            }
            s
        }
        ListFormat::Json => {
            let list: Vec<_> = rules::infos()
                .map(|r| {
                    let mut entry = serde_json::json!({"id": r.id, "severity": r.severity.as_str(), "summary": r.summary});
                    if let Some(s) = rules::applies_since(r.id) {
                        entry["since"] = s.version.to_string().into();
                    }
                    if let Some(u) = rules::applies_until(r.id) {
                        entry["until"] = u.version.to_string().into();
                    }
                    entry
                })
                .collect();
            serde_json::to_string_pretty(&list).expect("serialises") + "\n"
        }
        ListFormat::Markdown => report::docs::rules_markdown(),
    }
}

/// `--atlantis-version`: a release atlantis-lint knows, else exit status 2 with the accepted forms.
fn parse_atlantis_version(
    arg: Option<&str>,
) -> Result<Option<crate::version::Version>, UsageError> {
    arg.map(|text| {
        crate::version::parse_release(text)
            .map_err(|e| UsageError(format!("--atlantis-version: {e}")))
    })
    .transpose()
}

fn parse_today(arg: Option<&str>) -> Result<(i32, u32, u32), UsageError> {
    match arg {
        Some(s) => crate::date::parse(s)
            .ok_or_else(|| UsageError(format!("--today takes YYYY-MM-DD, not `{s}`"))),
        None => Ok(crate::date::today()),
    }
}
