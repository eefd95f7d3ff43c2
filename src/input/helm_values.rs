//! Values for the official Atlantis Helm chart (`runatlantis/atlantis`): recognised so that it
//! is never linted as a server config (its `config:` key is also an Atlantis flag name); not
//! read yet. A reader maps the chart's values to the settings its templates render.

use super::kind::{Kind, Probe, always};

pub static KIND: Kind = Kind {
    name: "helm-values",
    what: "a values file for the Atlantis Helm chart",
    detect,
    holds_atlantis: always,
    read: None,
    unread: "atlantis-lint cannot read Helm values yet; lint the rendered chart instead: `helm template atlantis runatlantis/atlantis -f values.yaml | atlantis-lint --kind kubernetes -`",
};

/// Top-level keys only the chart's values have (deployment-forms.md section 7).
const STRONG_MARKERS: &[&str] = &[
    "orgAllowlist",
    "orgWhitelist",
    "atlantisUrl",
    "vcsSecretName",
    "githubApp",
    "atlantisDataDirectory",
    "repoConfig",
    "environmentSecrets",
    "loadEnvFromSecrets",
    "loadEnvFromConfigMaps",
    "basicAuthSecretName",
];

fn detect(probe: &Probe) -> bool {
    probe
        .first_keys()
        .iter()
        .any(|k| STRONG_MARKERS.contains(&k.as_str()))
}
