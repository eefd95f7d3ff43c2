//! One lint run over one configuration: read the inputs, run the rules, apply the suppression
//! comments of the config file, then the user's policy.

use crate::config::EffectiveConfig;
use crate::finding::{Finding, Severity};
use crate::input::{self, NotLintable, Request};
use crate::rules::{self, Options};
use crate::suppress;

/// The user's choices about rules: `--ignore`, `--warn`, `--deny`.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub ignore: Vec<String>,
    pub warn: Vec<String>,
    pub deny: Vec<String>,
}

impl Policy {
    /// Drops ignored findings and changes severities as asked.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter(|f| !(f.rule.suppressible && self.ignore.iter().any(|r| r == f.rule.id)))
            .map(|mut f| {
                if self.deny.iter().any(|r| r == f.rule.id) {
                    f.severity = Severity::Error;
                } else if f.rule.suppressible && self.warn.iter().any(|r| r == f.rule.id) {
                    f.severity = Severity::Warning;
                }
                f
            })
            .collect()
    }
}

/// Reads every configuration a request describes (one per Atlantis container of a manifest)
/// and runs the offline rules on each; suppressions and policy come later, in [`finish`].
pub fn check_all(
    request: &Request,
    options: &Options,
) -> Result<Vec<(EffectiveConfig, Vec<Finding>)>, NotLintable> {
    Ok(input::load_all(request)?
        .into_iter()
        .map(|mut cfg| {
            for_release(&mut cfg, options);
            let findings = offline(&cfg, options);
            (cfg, findings)
        })
        .collect())
}

/// Reads the configuration for the Atlantis release it is meant for: `--atlantis-version` wins
/// over the image tag of the deployment, which wins over the latest known release.
fn for_release(cfg: &mut EffectiveConfig, options: &Options) {
    let atlantis = crate::version::resolve(options.atlantis_version, cfg.image.as_ref());
    cfg.set_atlantis_version(atlantis);
}

/// Reads one configuration (the first the request describes) and lints it.
pub fn lint(
    request: &Request,
    options: &Options,
    policy: &Policy,
) -> (EffectiveConfig, Vec<Finding>) {
    let (cfg, findings) = check(request, options);
    let findings = finish(&cfg, findings, policy);
    (cfg, findings)
}

/// Reads one configuration and runs the offline rules; suppressions and policy come later, in
/// [`finish`], so that they see the online probe's findings too.
pub fn check(request: &Request, options: &Options) -> (EffectiveConfig, Vec<Finding>) {
    let mut cfg = input::load(request);
    for_release(&mut cfg, options);
    let findings = offline(&cfg, options);
    (cfg, findings)
}

/// The offline rules over one configuration, and the repo config written inline in it
/// (`repo-config-json`), checked where it is.
fn offline(cfg: &EffectiveConfig, options: &Options) -> Vec<Finding> {
    let mut findings = rules::run(cfg, options);
    findings.extend(crate::repo_config::run::embedded_findings(cfg));
    findings
}

/// Applies the config file's suppression comments and the user's policy to every finding of
/// one configuration, offline and online.
pub fn finish(cfg: &EffectiveConfig, findings: Vec<Finding>, policy: &Policy) -> Vec<Finding> {
    let findings = suppress::apply(cfg, findings);
    policy.apply(findings)
}

/// [`finish`] for a repo-config or repo-level document.
pub fn finish_document(
    linted: crate::repo_config::run::Linted,
    policy: &Policy,
) -> (crate::repo_config::run::Linted, Vec<Finding>) {
    let mut linted = linted;
    let findings = std::mem::take(&mut linted.findings);
    let findings = suppress::apply_document(&linted.sources, &linted.doc, findings);
    (linted, policy.apply(findings))
}
