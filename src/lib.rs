//! atlantis-lint: a linter for the server configuration of Atlantis.
//!
//! Data flows one way:
//! inputs ([`input`]) -> one [`config::EffectiveConfig`] that remembers where every value came
//! from -> rules ([`rules`]) -> findings ([`finding`]), less those that suppression comments
//! silence ([`suppress`]) -> one report ([`report`]).

pub mod cli;
pub mod config;
pub mod date;
pub mod discover;
pub mod emit;
pub mod finding;
pub mod flags;
pub mod hosts;
pub mod input;
pub mod lint;
pub mod online;
pub mod repo_config;
pub mod repo_keys;
pub mod report;
pub mod rules;
pub mod schema;
pub mod secret;
pub mod settings;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod value;
pub mod version;
