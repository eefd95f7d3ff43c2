//! The rules. One rule (or one small family for one host) per file, its id, severity, summary
//! and documentation beside its check. Adding a rule means adding a file and a line in [`ALL`].

use crate::config::EffectiveConfig;
use crate::finding::{Finding, RuleInfo};

mod ambiguous_scalar;
mod bool_flag_value;
/// Shared facts about credential values (not a rule).
mod credential_values;
mod deprecated_key;
mod duplicate_key;
mod file_not_found;
mod file_permissions;
mod github_app_key_invalid;
mod incomplete_credentials;
mod invalid_type;
mod k8s_service_link;
mod no_vcs_credentials;
mod placeholder_value;
mod plaintext_secret;
mod removed_key;
mod secret_on_command_line;
mod secret_whitespace;
mod token_format;
mod unexpanded_variable;
mod unknown_key;
mod yaml_syntax;

/// Settings that change what some rules can check.
#[derive(Debug, Clone)]
pub struct Options {
    /// The linter runs where the server runs: files the config names are checked.
    pub check_files: bool,
    /// Today's date (year, month, day), for dated facts such as retired credential types.
    pub today: (i32, u32, u32),
}

impl Default for Options {
    fn default() -> Self {
        Options {
            check_files: false,
            today: crate::date::today(),
        }
    }
}

/// What a rule sees.
pub struct Context<'a> {
    pub cfg: &'a EffectiveConfig,
    pub options: &'a Options,
}

pub type Check = fn(&Context, &mut Vec<Finding>);

/// Every offline rule, in documentation order.
pub static ALL: &[(&RuleInfo, Check)] = &[
    (&yaml_syntax::RULE, yaml_syntax::check),
    (&duplicate_key::RULE, duplicate_key::check),
    (&unknown_key::RULE, unknown_key::check),
    (&removed_key::RULE, removed_key::check),
    (&deprecated_key::RULE, deprecated_key::check),
    (&invalid_type::RULE, invalid_type::check),
    (&no_vcs_credentials::RULE, no_vcs_credentials::check),
    (&incomplete_credentials::RULE, incomplete_credentials::check),
    (&placeholder_value::RULE, placeholder_value::check),
    (&unexpanded_variable::RULE, unexpanded_variable::check),
    (&token_format::RULE, token_format::check),
    (&secret_whitespace::RULE, secret_whitespace::check),
    (&ambiguous_scalar::RULE, ambiguous_scalar::check),
    (&github_app_key_invalid::RULE, github_app_key_invalid::check),
    (&plaintext_secret::RULE, plaintext_secret::check),
    (&secret_on_command_line::RULE, secret_on_command_line::check),
    (&bool_flag_value::RULE, bool_flag_value::check),
    (&k8s_service_link::RULE, k8s_service_link::check),
    (&file_not_found::RULE, file_not_found::check),
    (&file_permissions::RULE, file_permissions::check),
];

/// Every rule id the linter knows, offline and online.
pub fn infos() -> impl Iterator<Item = &'static RuleInfo> {
    ALL.iter().map(|(info, _)| *info)
}

pub fn find(id: &str) -> Option<&'static RuleInfo> {
    infos().find(|r| r.id == id)
}

/// Runs every rule over one configuration.
pub fn run(cfg: &EffectiveConfig, options: &Options) -> Vec<Finding> {
    let ctx = Context { cfg, options };
    let mut out = Vec::new();
    for (_, check) in ALL {
        check(&ctx, &mut out);
    }
    out
}
