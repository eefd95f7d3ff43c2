//! The Helm chart mapping table (`data/helm-chart-atlantis.json`) is data: this test renders
//! nothing but checks that every values key it uses is a key of the chart version it claims,
//! every variable it renders is one Atlantis reads, and every version note is in range.

use atlantis_lint::input::helm_values::chart;

fn version(s: &str) -> (u32, u32, u32) {
    let p: Vec<u32> = s
        .split('.')
        .map(|x| x.parse().expect("a version"))
        .collect();
    (p[0], p[1], *p.get(2).unwrap_or(&0))
}

#[test]
fn the_table_claims_chart_6_9_3() {
    assert_eq!(chart().checked_against, "6.9.3");
}

#[test]
fn every_values_key_the_table_uses_is_a_key_of_the_chart() {
    let c = chart();
    let known = |k: &str| c.values_keys.iter().any(|x| x == k);
    let mut used: Vec<(String, &str)> = Vec::new();
    for rule in &c.env {
        used.push((rule.value.clone(), "value"));
        for w in &rule.when {
            for p in w.split(['+', '&']) {
                used.push((p.to_string(), "when"));
            }
        }
        for (k, what) in [
            (&rule.fallback, "fallback"),
            (&rule.secret_name, "secret_name"),
            (&rule.secret_key_value, "secret_key_value"),
        ] {
            if let Some(k) = k {
                used.push((k.clone(), what));
            }
        }
    }
    used.extend(c.defaults.keys().map(|k| (k.clone(), "defaults")));
    used.extend(c.since.keys().map(|k| (k.clone(), "since")));
    let unknown: Vec<_> = used.iter().filter(|(k, _)| !known(k)).collect();
    assert!(
        unknown.is_empty(),
        "keys the table uses that chart {} does not have: {unknown:?}",
        c.checked_against
    );
    // A nested key's section is a key too.
    for k in &c.values_keys {
        if let Some((section, _)) = k.split_once('.') {
            assert!(known(section), "{k}: its section `{section}` is not listed");
        }
    }
    // The sections whose schema forbids unknown keys (deployment-forms.md 2.5) are all there.
    for section in [
        "github",
        "githubApp",
        "gitea",
        "gitlab",
        "bitbucket",
        "azuredevops",
        "api",
        "basicAuth",
        "redis",
        "image",
        "service",
        "statefulSet",
        "podTemplate",
    ] {
        assert!(known(section), "section {section} missing");
    }
}

#[test]
fn every_rendered_variable_is_one_atlantis_reads() {
    for rule in &chart().env {
        assert!(
            atlantis_lint::flags::lookup_env(&rule.env).is_some(),
            "{} is not an Atlantis variable (current, deprecated or removed)",
            rule.env
        );
        assert!(
            matches!(
                rule.form.as_str(),
                "quote" | "plain" | "secret" | "literal" | "atlantis-url"
            ),
            "{}: unknown form {}",
            rule.env,
            rule.form
        );
        if rule.form == "secret" {
            assert!(
                rule.secret_key.is_some() && rule.secret_name.is_some(),
                "{}",
                rule.env
            );
        }
    }
}

#[test]
fn version_notes_are_within_the_versions_the_table_describes() {
    let c = chart();
    let (oldest, newest) = (version(&c.oldest), version(&c.checked_against));
    let notes = c
        .env
        .iter()
        .flat_map(|r| [r.since.as_deref(), r.until.as_deref()])
        .flatten()
        .chain(c.since.values().map(String::as_str));
    for v in notes {
        let v = version(v);
        assert!(
            v >= oldest && v <= newest,
            "{v:?} outside {oldest:?}..{newest:?}"
        );
    }
}

/// The top-level properties of chart 6.9.3's `values.schema.json` (which forbids any other), and
/// the keys of its closed sections (`additionalProperties: false`): the table knows exactly these.
/// Taken from runatlantis/helm-charts da94519b58bc, charts/atlantis/values.schema.json.
const SCHEMA_6_9_3_TOP: &[&str] = &[
    "affinity",
    "allowDraftPRs",
    "allowForkPRs",
    "api",
    "apiSecretName",
    "atlantisDataDirectory",
    "atlantisUrl",
    "aws",
    "awsSecretName",
    "azuredevops",
    "basicAuth",
    "basicAuthSecretName",
    "bitbucket",
    "command",
    "commonLabels",
    "config",
    "containerPort",
    "containerSecurityContext",
    "customPem",
    "dataStorage",
    "defaultTFDistribution",
    "defaultTFVersion",
    "disableApply",
    "disableApplyAll",
    "disableRepoLocking",
    "dnsConfig",
    "dnsPolicy",
    "enableDiffMarkdownFormat",
    "enableKubernetesBackend",
    "environment",
    "environmentRaw",
    "environmentSecrets",
    "extraAnnotations",
    "extraArgs",
    "extraContainers",
    "extraManifests",
    "extraPath",
    "extraSecretManifests",
    "extraVolumeMounts",
    "extraVolumes",
    "fullnameOverride",
    "gitconfig",
    "gitconfigReadOnly",
    "gitconfigSecretName",
    "gitea",
    "github",
    "githubApp",
    "gitlab",
    "global",
    "googleServiceAccountSecrets",
    "hidePrevPlanComments",
    "hideUnchangedPlanComments",
    "hostAliases",
    "hostNetwork",
    "image",
    "imagePullSecrets",
    "ingress",
    "initConfig",
    "initContainers",
    "lifecycle",
    "livenessProbe",
    "loadEnvFromConfigMaps",
    "loadEnvFromSecrets",
    "lockingDbType",
    "logLevel",
    "nameOverride",
    "netrc",
    "netrcSecretName",
    "nodeSelector",
    "orgAllowlist",
    "orgWhitelist",
    "podMonitor",
    "podTemplate",
    "readinessProbe",
    "redis",
    "redisSecretName",
    "redisSecretPasswordKey",
    "replicaCount",
    "repoConfig",
    "resources",
    "route",
    "secret",
    "service",
    "serviceAccount",
    "serviceAccountSecrets",
    "servicemonitor",
    "sops",
    "statefulSet",
    "storageClassName",
    "terminationGracePeriodSeconds",
    "test",
    "tlsSecretName",
    "tolerations",
    "topologySpreadConstraints",
    "vcsSecretName",
    "volumeClaim",
    "webhook_ingress",
];

const SCHEMA_6_9_3_CREDENTIAL_SECTIONS: &[(&str, &[&str])] = &[
    ("github", &["hostname", "org", "secret", "token", "user"]),
    (
        "githubApp",
        &["id", "installationId", "key", "secret", "slug"],
    ),
    ("gitea", &["baseUrl", "secret", "token", "user"]),
    ("gitlab", &["hostname", "secret", "token", "user"]),
    (
        "bitbucket",
        &["apiUser", "baseURL", "secret", "token", "user"],
    ),
    (
        "azuredevops",
        &["token", "user", "webhookPassword", "webhookUser"],
    ),
    ("aws", &["config", "credentials", "directory"]),
    ("basicAuth", &["password", "username"]),
    ("api", &["secret"]),
    (
        "redis",
        &[
            "db",
            "host",
            "insecureSkipVerify",
            "password",
            "port",
            "tlsEnabled",
        ],
    ),
];

#[test]
fn the_table_knows_exactly_the_keys_of_the_chart_schema() {
    let c = chart();
    let mut top: Vec<&str> = c
        .values_keys
        .iter()
        .map(String::as_str)
        .filter(|k| !k.contains('.'))
        .collect();
    top.sort_unstable();
    let mut want = SCHEMA_6_9_3_TOP.to_vec();
    want.sort_unstable();
    assert_eq!(
        top, want,
        "top-level values keys against chart 6.9.3's schema"
    );
    for (section, keys) in SCHEMA_6_9_3_CREDENTIAL_SECTIONS {
        let prefix = format!("{section}.");
        let mut have: Vec<&str> = c
            .values_keys
            .iter()
            .filter_map(|k| k.strip_prefix(&prefix))
            .collect();
        have.sort_unstable();
        assert_eq!(
            &have, keys,
            "keys of `{section}` against chart 6.9.3's schema"
        );
        assert!(
            !c.open_sections.iter().any(|s| s == section),
            "{section} is closed in the schema"
        );
    }
}
