//! Facts only a values file for the official Atlantis Helm chart has, found by its reader
//! (`crate::input::helm_values`), which emulates what the chart renders.

use super::{Context, report_form_issues};
use crate::finding::{Finding, RuleInfo, Severity};

pub static SHADOWED_SETTING: RuleInfo = RuleInfo {
    id: "helm-shadowed-setting",
    severity: Severity::Warning,
    summary: "(Helm values) a setting the chart overrides: its own env entry comes last, or extraArgs sets the flag",
    suppressible: true,
    docs: r#"## What it checks
In a values file of the `runatlantis/atlantis` chart, an `environment`, `environmentRaw` or
`environmentSecrets` entry (or a key of `config`) for a variable the chart renders itself
(`ATLANTIS_REPO_ALLOWLIST`, `ATLANTIS_PORT`, `ATLANTIS_DATA_DIR`, `ATLANTIS_ATLANTIS_URL` with the
ingress on, `ATLANTIS_DEFAULT_TF_DISTRIBUTION` by default, ...), or for a flag `extraArgs` sets.

## Why it matters
`templates/statefulset.yaml` puts the user's `environment*` entries first and its own
`ATLANTIS_*` entries after them; the kubelet keeps the last of two env entries with the same
name, and Atlantis prefers env over the config file and flags over env. The user's value is
silently lost (and Helm 4 refuses the duplicate env name).

## Example
```yaml
environment:
  ATLANTIS_REPO_ALLOWLIST: github.com/acme/*   # lost: the chart renders orgAllowlist after it
```

## Fix
Set the chart's own value (`orgAllowlist`, `containerPort`, `atlantisDataDirectory`,
`defaultTFDistribution`, `atlantisUrl`), or drop the entry.
"#,
};

pub static NUMBER_NOTATION: RuleInfo = RuleInfo {
    id: "helm-number-notation",
    severity: Severity::Error,
    summary: "(Helm values) an unquoted integer of 1,000,000 or more, which Helm renders as 1.2345678e+07",
    suppressible: true,
    docs: r#"## What it checks
An unquoted integer of seven digits or more in a values file where the chart renders it
(`githubApp.id`, `githubApp.installationId`, `environment.*`, ...).

## Why it matters
Helm reads a values file's numbers as float64 and `{{ x | quote }}` prints them with Go's `%v`:
`12345678` becomes `"1.2345678e+07"` (helm/helm#12195). Atlantis then fails at startup:
`cannot parse value as 'int64'`. `--set` is not affected.

## Example
```yaml
githubApp:
  installationId: 12345678      # rendered as 1.2345678e+07
```

## Fix
Quote it: `installationId: "12345678"`.
"#,
};

pub static ATLANTIS_URL: RuleInfo = RuleInfo {
    id: "helm-atlantis-url",
    severity: Severity::Error,
    summary: "(Helm values) the chart renders ATLANTIS_ATLANTIS_URL=http:// (ingress on, no host, no atlantisUrl)",
    suppressible: true,
    docs: r#"## What it checks
A values file that sets neither `atlantisUrl` nor `ingress.host` while the ingress is on
(`ingress.enabled` defaults to true).

## Why it matters
The chart then renders `ATLANTIS_ATLANTIS_URL=http://` (or `https://` with `ingress.tls`).
Atlantis accepts it (it checks the scheme only) and every link it posts in pull requests
(locks, plans, jobs) is `http:///lock?id=...`. `ingress.hosts[]` is not used for the URL.

## Example
```yaml
orgAllowlist: github.com/acme/*
# no atlantisUrl, no ingress.host
```

## Fix
Set `atlantisUrl: https://atlantis.example.com`, or `ingress.host`.
"#,
};

pub static GITHUB_AND_APP: RuleInfo = RuleInfo {
    id: "helm-github-and-app",
    severity: Severity::Warning,
    summary: "(Helm values) github.user and githubApp both set: a duplicate env entry and Secret key, and the app is ignored",
    suppressible: true,
    docs: r#"## What it checks
A values file with both `github.user` (the token block) and a non-empty `githubApp`.

## Why it matters
The chart renders `ATLANTIS_GH_WEBHOOK_SECRET` twice and its Secret gets `github_secret` twice
(Helm 4 and kustomize refuse both); Atlantis authenticates with the user's token and ignores the
app (`github-user-and-app`).

## Example
```yaml
github: {user: bot, token: ..., secret: ...}
githubApp: {id: "123456", key: ..., secret: ...}
```

## Fix
Keep one. `github: {hostname: ghe.example.com}` with `githubApp` is the intended pairing for
GitHub Enterprise.
"#,
};

pub static VCS_SECRET_KEYS: RuleInfo = RuleInfo {
    id: "helm-vcs-secret-keys",
    severity: Severity::Info,
    summary: "(Helm values) the keys the Secret named by vcsSecretName must hold, as the templates read them",
    suppressible: true,
    docs: r#"## What it checks
A values file with `vcsSecretName`: the note lists the keys the chart's templates read from that
Secret for the hosts the file configures (`github_token`, `github_secret`, `key.pem`,
`gitlab_token`, ...).

## Why it matters
The chart's `values.schema.json` describes the keys as `token` and `secret`; the templates read
`github_token` and `github_secret`. A Secret built from the description stops the pod with
`CreateContainerConfigError: couldn't find key github_token`.

## Example
```yaml
vcsSecretName: atlantis-vcs
github: {user: bot}
```

## Fix
Create the Secret with the keys listed.
"#,
};

pub static CHART_VERSION: RuleInfo = RuleInfo {
    id: "helm-chart-version",
    severity: Severity::Warning,
    summary: "(Helm values) a chart version the mapping does not know, or a value the named chart version does not read yet",
    suppressible: true,
    docs: r#"## What it checks
The chart version a values file names (a `# helm.sh/chart: atlantis-5.3.0` comment, or a
Terraform `helm_release`'s `version`): one outside the versions atlantis-lint's mapping table
describes (the findings then assume the newest it knows), or a value that chart version does not
read yet (`github.org` before 6.1.0, `githubApp.installationId` before 5.4.0).

## Why it matters
A value the chart does not read yet is silently ignored: the setting never reaches Atlantis.

## Example
```yaml
# helm.sh/chart: atlantis-5.3.0
githubApp:
  installationId: "12345678"    # read from chart 5.4.0 on
```

## Fix
Upgrade the chart, or set the variable through `environment`.
"#,
};

pub static UNKNOWN_VALUE: RuleInfo = RuleInfo {
    id: "helm-unknown-value",
    severity: Severity::Warning,
    summary: "(Helm values) a key the Atlantis chart does not read (a typo such as orgAllowList or github.webhookSecret)",
    suppressible: true,
    docs: r#"## What it checks
A top-level key, or a key of a section whose schema lists its keys (`github`, `githubApp`,
`gitlab`, `redis`, ...), that the chart does not read.

## Why it matters
The chart ignores it; its `values.schema.json` (`additionalProperties: false`) makes `helm
install` and `helm template` refuse the file.

## Example
```yaml
github:
  webhookSecret: ...     # the chart reads github.secret
```

## Fix
Use the chart's key (the finding suggests one when the case differs).
"#,
};

pub static REQUIRED_VALUE: RuleInfo = RuleInfo {
    id: "helm-required-value",
    severity: Severity::Error,
    summary: "(Helm values) a value the chart's `required` demands is missing: helm refuses to render",
    suppressible: true,
    docs: r#"## What it checks
A credential block without the value the chart requires: `github.user` without `github.token`
or `github.secret`, `gitlab` without `gitlab.token`, `githubApp` without `key` (unless
`vcsSecretName` names a Secret holding them).

## Why it matters
`helm template` and `helm install` fail: `github.token is required if github configuration is
specified`.

## Example
```yaml
github:
  user: atlantis-bot      # no token, no secret
```

## Fix
Set the value, or name your own Secret in `vcsSecretName`.
"#,
};

pub static UNQUOTED_VALUE: RuleInfo = RuleInfo {
    id: "helm-unquoted-value",
    severity: Severity::Error,
    summary: "(Helm values) a value the chart renders unquoted that Kubernetes then reads as a number or boolean (defaultTFVersion: \"1.10\")",
    suppressible: true,
    docs: r#"## What it checks
A value the chart writes into the manifest without `quote` (`defaultTFVersion`,
`github.user`, `gitlab.hostname`, ...) that reads as a number or a YAML 1.1 boolean once
rendered (`1.10`, `on`).

## Why it matters
Kubernetes reads the rendered manifest as YAML: `value: 1.10` is a number, and the API server
rejects an env value that is not a string. Quoting it in the values file does not help: the
template drops the quotes.

## Example
```yaml
defaultTFVersion: "1.10"
```

## Fix
Set the variable through `environment` (the chart quotes those): `environment:
{ATLANTIS_DEFAULT_TF_VERSION: "1.10"}`, or write a three-part version (`1.10.5`).
"#,
};

pub static VALUE_TYPE: RuleInfo = RuleInfo {
    id: "helm-value-type",
    severity: Severity::Error,
    summary: "(Helm values) `config` or `repoConfig` written as a YAML mapping, where the chart wants the file as a string",
    suppressible: true,
    docs: r#"## What it checks
The chart's `config` (the server config file) and `repoConfig` (the server-side `repos.yaml`)
are the files' text: its `values.schema.json` types both `string`, and the templates copy them
into a ConfigMap with `nindent`. A mapping written under either key is not a string.

## Why it matters
`helm install` and `helm template` refuse the values: the schema says `repoConfig: Invalid
type. Expected: string, given: object`, and a chart version without the schema fails while
rendering, since `nindent` takes only a string. atlantis-lint still lints the mapping as the
file it is meant to be, so the rest is right once the `|` is added.

## Example
```yaml
repoConfig:
  repos:
    - id: /.*/
```

## Fix
Write the file as a block string: `repoConfig: |` followed by the same lines.
"#,
};

pub fn check_shadowed_setting(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &SHADOWED_SETTING, out);
}
pub fn check_number_notation(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &NUMBER_NOTATION, out);
}
pub fn check_atlantis_url(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &ATLANTIS_URL, out);
}
pub fn check_github_and_app(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &GITHUB_AND_APP, out);
}
pub fn check_vcs_secret_keys(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &VCS_SECRET_KEYS, out);
}
pub fn check_chart_version(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &CHART_VERSION, out);
}
pub fn check_unknown_value(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &UNKNOWN_VALUE, out);
}
pub fn check_required_value(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &REQUIRED_VALUE, out);
}
pub fn check_unquoted_value(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &UNQUOTED_VALUE, out);
}
pub fn check_value_type(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &VALUE_TYPE, out);
}
