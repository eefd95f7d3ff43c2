//! One lint run over one configuration: read the inputs, run the rules, apply the suppression
//! comments of the config file, then the user's policy.

use crate::config::EffectiveConfig;
use crate::finding::{Finding, Severity};
use crate::input::{self, Request};
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

/// Reads one configuration and lints it.
pub fn lint(
    request: &Request,
    options: &Options,
    policy: &Policy,
) -> (EffectiveConfig, Vec<Finding>) {
    let cfg = input::load(request);
    let findings = rules::run(&cfg, options);
    let findings = suppress::apply(&cfg, findings);
    let findings = policy.apply(findings);
    (cfg, findings)
}
