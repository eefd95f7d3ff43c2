//! From findings to what a user reads. The rules know nothing of formats; formats know nothing
//! of rules. Every format reads the same [`Report`], built once: positions resolved to lines and
//! columns, snippets taken from masked copies of the sources, findings sorted and de-duplicated.

pub mod concise;
pub mod docs;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::config::{EffectiveConfig, Location, OriginKind};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::source::{SourceId, Span};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// Where a diagnostic points, as the JSON format (version 1) names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind")]
pub enum SourceRef {
    #[serde(rename = "file")]
    File {
        path: String,
        line: usize,
        column: usize,
        end_line: usize,
        end_column: usize,
    },
    #[serde(rename = "env")]
    Env { name: String },
    #[serde(rename = "env-file")]
    EnvFile {
        path: String,
        line: usize,
        column: usize,
        name: String,
    },
    #[serde(rename = "argv")]
    Argv { index: usize, flag: String },
    #[serde(rename = "none")]
    None,
}

impl SourceRef {
    /// The file path, when the diagnostic points into a file.
    pub fn path(&self) -> Option<&str> {
        match self {
            SourceRef::File { path, .. } | SourceRef::EnvFile { path, .. } => Some(path),
            _ => None,
        }
    }

    /// (line, column, end line, end column), 1-based, when known.
    pub fn position(&self) -> Option<(usize, usize, usize, usize)> {
        match self {
            SourceRef::File {
                line,
                column,
                end_line,
                end_column,
                ..
            } => Some((*line, *column, *end_line, *end_column)),
            SourceRef::EnvFile { line, column, .. } => Some((*line, *column, *line, *column)),
            _ => None,
        }
    }

    /// A short human description: `atlantis.yaml:3:1`, `env ATLANTIS_GH_USER`, `argument 2 (--gh-user)`.
    pub fn describe(&self) -> String {
        match self {
            SourceRef::File {
                path, line, column, ..
            } => format!("{path}:{line}:{column}"),
            SourceRef::EnvFile {
                path,
                line,
                column,
                name,
            } => format!("{path}:{line}:{column} ({name})"),
            SourceRef::Env { name } => format!("environment variable {name}"),
            SourceRef::Argv { index, flag } => format!("command-line argument {index} ({flag})"),
            SourceRef::None => "the configuration as a whole".into(),
        }
    }

    fn sort_key(&self) -> (u8, &str, usize, usize) {
        match self {
            SourceRef::File {
                path, line, column, ..
            } => (0, path, *line, *column),
            SourceRef::EnvFile {
                path, line, column, ..
            } => (1, path, *line, *column),
            SourceRef::Env { name } => (2, name, 0, 0),
            SourceRef::Argv { index, .. } => (3, "", *index, 0),
            SourceRef::None => (4, "", 0, 0),
        }
    }
}

/// A labelled span in a masked source text.
#[derive(Debug, Clone)]
pub struct Snippet {
    pub name: String,
    /// The masked text of the whole source (secrets replaced by `*`).
    pub text: Arc<str>,
    pub span: Span,
    pub label: Option<String>,
}

/// A secondary position of a diagnostic.
#[derive(Debug, Clone)]
pub struct Related {
    pub source: SourceRef,
    pub snippet: Option<Snippet>,
}

/// One diagnostic, ready for any output format.
#[derive(Debug, Clone)]
pub struct Diag {
    pub rule: &'static RuleInfo,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub key: Option<String>,
    pub suggestion: Option<String>,
    pub source: SourceRef,
    pub snippet: Option<Snippet>,
    pub related: Vec<Related>,
    /// The config file of the configuration this finding is about (`None` without a file).
    pub config: Option<String>,
}

/// Where a rule's documentation lives (a stable URL: the anchor is the rule id).
pub fn help_uri(rule_id: &str) -> String {
    format!("{DOCS_URL}#{rule_id}")
}

/// The rule reference, rendered from the rules' own docs.
pub const DOCS_URL: &str = "https://github.com/atlantis-lint/atlantis-lint/blob/main/docs/rules.md";

/// The project's home page.
pub const HOME_URL: &str = "https://github.com/atlantis-lint/atlantis-lint";

/// Everything one run found.
#[derive(Debug, Default)]
pub struct Report {
    pub diags: Vec<Diag>,
    /// How many configurations were linted.
    pub configs: usize,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Report {
    /// Adds the findings about one configuration.
    pub fn add(&mut self, cfg: &EffectiveConfig, findings: Vec<Finding>) {
        self.configs += 1;
        let mut masked: HashMap<SourceId, Arc<str>> = HashMap::new();
        for f in findings {
            let (source, snippet) = resolve(cfg, &f.location, f.label.clone(), &mut masked);
            let related = f
                .related
                .iter()
                .map(|l| {
                    let (source, snippet) =
                        resolve(cfg, &l.location, Some(l.text.clone()), &mut masked);
                    Related { source, snippet }
                })
                .collect();
            let diag = Diag {
                rule: f.rule,
                severity: f.severity,
                message: f.message,
                help: f.help,
                key: f.key,
                suggestion: f.suggestion,
                source,
                snippet,
                related,
                config: cfg.file.as_ref().map(|f| f.path.clone()),
            };
            // With several config files, env and command-line findings repeat per file: keep one.
            // Whole-config findings are about their own file, and never merged.
            let duplicate = self.diags.iter().any(|d| {
                d.rule.id == diag.rule.id
                    && d.message == diag.message
                    && d.source == diag.source
                    && (d.source != SourceRef::None || d.config == diag.config)
            });
            if !duplicate {
                self.diags.push(diag);
            }
        }
    }

    /// Sorts by path, line and column (then env, command line, whole-config findings).
    pub fn finish(&mut self) {
        self.diags.sort_by(|a, b| {
            a.source
                .sort_key()
                .cmp(&b.source.sort_key())
                .then_with(|| a.config.cmp(&b.config))
                .then_with(|| b.severity.cmp(&a.severity))
                .then_with(|| a.rule.id.cmp(b.rule.id))
                .then_with(|| a.message.cmp(&b.message))
        });
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for d in &self.diags {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

fn resolve(
    cfg: &EffectiveConfig,
    location: &Location,
    label: Option<String>,
    masked: &mut HashMap<SourceId, Arc<str>>,
) -> (SourceRef, Option<Snippet>) {
    let Location::Source { source, kind, span } = location else {
        return (SourceRef::None, None);
    };
    let text = cfg.sources.get(*source);
    let (line, column) = text.line_col(span.start);
    let (end_line, end_column) = text.line_col(span.end);
    let source_ref = match kind {
        OriginKind::File => SourceRef::File {
            path: text.name.clone(),
            line,
            column,
            end_line,
            end_column,
        },
        OriginKind::EnvFile { name } => SourceRef::EnvFile {
            path: text.name.clone(),
            line,
            column,
            name: name.clone(),
        },
        OriginKind::Env { name } => SourceRef::Env { name: name.clone() },
        OriginKind::Argv { index, flag } => SourceRef::Argv {
            index: *index,
            flag: flag.clone(),
        },
    };
    let masked_text = masked
        .entry(*source)
        .or_insert_with(|| Arc::from(text.masked()))
        .clone();
    let snippet = Snippet {
        name: text.name.clone(),
        text: masked_text,
        span: *span,
        label,
    };
    (source_ref, Some(snippet))
}
