//! Inputs: a config file, the process environment, env files and an Atlantis command line,
//! read into one [`EffectiveConfig`].

pub mod argv;
pub mod env;
pub mod file;
pub mod mask;
mod regular;
pub mod yaml;

pub use regular::read_regular_file;

use crate::config::{EffectiveConfig, FileInput};
use crate::input::yaml::YamlError;
use crate::source::{SourceKind, SourceText, Sources, Span};

/// The largest config or env file read, in bytes (10 MiB). A real Atlantis config is a few KB;
/// anything this large is a mistake (a wrong path, a log file) and would only cost time and memory.
/// The command line refuses larger inputs with exit status 2, reading no more than this limit.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// A file's name and raw bytes. `Debug` shows the name and size only.
#[derive(Clone)]
pub struct NamedBytes {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Everything one configuration is read from. `Debug` shows names and sizes, never values.
#[derive(Clone, Default)]
pub struct Request {
    pub file: Option<NamedBytes>,
    /// The process environment (all of it; only `ATLANTIS_*` is read), when `--env` is given.
    pub env: Option<Vec<(String, String)>>,
    pub env_files: Vec<NamedBytes>,
    /// The Atlantis command line (the words after `--`), when given.
    pub argv: Option<Vec<String>>,
}

impl std::fmt::Debug for NamedBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NamedBytes({:?}, {} bytes)", self.name, self.bytes.len())
    }
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let env_names: Option<Vec<&str>> = self
            .env
            .as_ref()
            .map(|vars| vars.iter().map(|(k, _)| k.as_str()).collect());
        f.debug_struct("Request")
            .field("file", &self.file)
            .field("env", &env_names)
            .field("env_files", &self.env_files)
            .field("argv", &self.argv.as_ref().map(Vec::len))
            .finish()
    }
}

/// Text of a file; invalid UTF-8 is replaced, and reported as a syntax error at its first byte.
fn decode(bytes: &[u8]) -> (String, Option<YamlError>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            let err = YamlError {
                message: format!("the file is not valid UTF-8 (invalid byte at offset {at})"),
                // The replacement character stands for the invalid byte(s): span all of it.
                span: Span::new(
                    at,
                    text[at..].chars().next().map_or(at, |c| at + c.len_utf8()),
                ),
            };
            (text, Some(err))
        }
    }
}

/// Reads every input and merges them with Atlantis's precedence.
pub fn load(request: &Request) -> EffectiveConfig {
    let mut sources = Sources::default();
    let mut settings = Vec::new();
    let mut file_input: Option<FileInput> = None;
    let mut env_file_issues = Vec::new();
    let mut argv_issues = Vec::new();

    if let Some(f) = &request.file {
        // yaml.v3 skips a UTF-8 byte order mark; so do we, so that columns are what editors show.
        let bytes = f.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&f.bytes);
        let (text, utf8_error) = decode(bytes);
        let id = sources.add(SourceText::new(SourceKind::File, f.name.clone(), text));
        let (mut input, file_settings) = match utf8_error {
            Some(err) => {
                let source = sources.get_mut(id);
                for span in mask::line_spans(&source.text, true) {
                    source.add_secret(span);
                }
                (
                    FileInput {
                        source: id,
                        path: f.name.clone(),
                        doc: None,
                        syntax_error: Some(err),
                        root_not_mapping: None,
                        duplicates: Vec::new(),
                    },
                    Vec::new(),
                )
            }
            None => file::read(id, sources.get_mut(id)),
        };
        input.path = f.name.clone();
        settings.extend(file_settings);
        file_input = Some(input);
    }
    if let Some(vars) = &request.env {
        let id = sources.iter().count();
        let (source, env_settings) = env::read_process(id, vars);
        sources.add(source);
        settings.extend(env_settings);
    }
    for f in &request.env_files {
        let (text, _) = decode(&f.bytes);
        let id = sources.add(SourceText::new(SourceKind::EnvFile, f.name.clone(), text));
        let (file_settings, issues) = env::read_file(id, sources.get_mut(id));
        settings.extend(file_settings);
        env_file_issues.extend(issues);
    }
    if let Some(args) = &request.argv {
        let id = sources.iter().count();
        let (source, argv_settings, issues) = argv::read(id, args);
        sources.add(source);
        settings.extend(argv_settings);
        argv_issues = issues;
    }
    EffectiveConfig::new(sources, file_input, settings, env_file_issues, argv_issues)
}

#[cfg(test)]
mod debug_tests {
    use super::*;

    /// `Debug` of everything a run holds (request, effective config, findings) never shows a
    /// secret, wherever it was written: so a stray `{:?}` in a log or a panic cannot leak one.
    #[test]
    fn debug_output_holds_no_secret() {
        let secret = "s3cr3t-Qm9vdHN0cmFwLXdlYmhvb2s";
        let request = Request {
            file: Some(NamedBytes {
                name: "a.yaml".into(),
                bytes: format!("gh-user: bot\ngh-token: {secret}1\ngh_tokn: {secret}2\n")
                    .into_bytes(),
            }),
            env: Some(vec![("ATLANTIS_GITLAB_TOKEN".into(), format!("{secret}3"))]),
            env_files: vec![NamedBytes {
                name: "x.env".into(),
                bytes: format!("ATLANTIS_GITEA_TOKEN={secret}4\n").into_bytes(),
            }],
            argv: Some(vec![
                "--bitbucket-token".into(),
                format!("{secret}5"),
                "--automerge".into(),
                format!("{secret}6"),
            ]),
        };
        let cfg = load(&request);
        let findings = crate::rules::run(&cfg, &crate::rules::Options::default());
        for shown in [
            format!("{request:?}"),
            format!("{cfg:?}"),
            format!("{findings:?}"),
        ] {
            assert!(
                !shown.contains(secret),
                "a secret in Debug output:\n{shown}"
            );
        }
    }
}
