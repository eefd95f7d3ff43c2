//! The server-side repo config (`repos.yaml`) a manifest mounts from one of its ConfigMaps where
//! `--repo-config` / `ATLANTIS_REPO_CONFIG` points, as the server config file is read where
//! `--config` points: the container's winning `repo-config` path, its `volumeMounts` and
//! `volumes`, and the ConfigMap key (`items` and `subPath` followed). The key's content becomes
//! a [`crate::config::MountedFile`] of the unit, linted by `crate::repo_config`.
//!
//! A ConfigMap key that is not provably mounted there is not linted, even when it is named
//! `repos.yaml`: Atlantis does not read it, and "Atlantis refuses to start" would be untrue.

use super::{ContainerReader, scalar, span};
use crate::config::{KeyMatch, RawValue};
use crate::input::yaml::Style;

impl ContainerReader<'_> {
    /// The repos.yaml Atlantis is told to load, when a ConfigMap of the input holds it.
    pub(super) fn repo_config_file(
        &mut self,
        spec: Option<crate::input::yaml::NodeId>,
        container: Option<crate::input::yaml::NodeId>,
    ) {
        // The winning `repo-config` value: the highest channel, and within it the last.
        let Some(setting) = self
            .unit
            .settings
            .iter()
            .filter(
                |s| matches!(s.matched, KeyMatch::Flag(f) if f.id() == crate::flags::REPO_CONFIG),
            )
            .max_by_key(|s| s.origin.channel)
        else {
            return;
        };
        let path = match &setting.value {
            RawValue::Text(t) if !t.as_str().is_empty() => t.as_str().to_string(),
            RawValue::Scalar { text, .. } if !text.as_str().is_empty() => text.as_str().to_string(),
            _ => return,
        };
        let Some((d, node)) = spec
            .zip(container)
            .and_then(|(spec, c)| self.mounted(spec, c, &path))
        else {
            return;
        };
        let doc = &self.docs[d];
        let Some(s) = scalar(doc, node) else { return };
        let node_span = span(doc, node);
        let block = matches!(s.style, Style::Literal)
            .then(|| crate::input::helm_values::block_region(&self.source.text, node_span));
        let value_span = super::content_span(&self.source.text, node_span);
        let value = s.value.clone();
        let mounted = crate::input::mounted::mounted(
            &path,
            self.source_id,
            self.source,
            &value,
            value_span,
            block,
        );
        self.unit.mounted.push(mounted);
    }
}
