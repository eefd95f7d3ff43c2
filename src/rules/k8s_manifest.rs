//! Facts only a Kubernetes manifest has, found by its reader (`crate::input::kubernetes`).

use super::{Context, report_form_issues};
use crate::finding::{Finding, RuleInfo, Severity};

pub static DUPLICATE_ENV: RuleInfo = RuleInfo {
    id: "k8s-duplicate-env",
    severity: Severity::Warning,
    summary: "(manifest) a container's env defines a name twice: the last one wins, the other value is lost",
    suppressible: true,
    docs: r#"## What it checks
In a Kubernetes manifest, two `env` entries of the container that runs Atlantis with the same
`name`. The kubelet builds the environment in order, so the last entry wins; the finding says
which value is lost.

## Why it matters
The lost value was usually the one meant (a chart's own entry overriding a user's, a patch that
added a second entry). `kubectl apply` only warns, but Helm 4 with server-side apply and
`kubectl kustomize` refuse duplicate names, so the next deploy may fail.

## Example
```yaml
env:
  - name: ATLANTIS_REPO_ALLOWLIST
    value: github.com/acme/*
  - name: ATLANTIS_REPO_ALLOWLIST      # wins: github.com/acme/* is lost
    value: github.com/acme/infra
```

## Fix
Keep one entry per name.
"#,
};

pub static MISSING_KEY: RuleInfo = RuleInfo {
    id: "k8s-missing-key",
    severity: Severity::Error,
    summary: "(manifest) a secretKeyRef or configMapKeyRef to a Secret or ConfigMap of the input that lacks the key",
    suppressible: true,
    docs: r#"## What it checks
In a Kubernetes manifest, `valueFrom.secretKeyRef` (or `configMapKeyRef`) naming a Secret (or
ConfigMap) that is in the same input but has no such key in `data` or `stringData`, and is not
marked `optional: true`.

## Why it matters
The pod never starts: the kubelet reports `CreateContainerConfigError` ("couldn't find key
github_token in Secret ns/atlantis-vcs"). The Atlantis docs' Secret has the keys `token` and
`webhook-secret`; the Helm chart's has `github_token` and `github_secret`: copying a manifest
from one and a Secret from the other gives this.

## Example
```yaml
kind: Secret
metadata: {name: atlantis-vcs}
stringData: {token: ..., webhook-secret: ...}
---
        env:
          - name: ATLANTIS_GH_TOKEN
            valueFrom:
              secretKeyRef: {name: atlantis-vcs, key: github_token}   # no such key
```

## Fix
Use a key the object has (the finding lists them), or add the key.
"#,
};

pub static ENV_NAME: RuleInfo = RuleInfo {
    id: "k8s-env-name",
    severity: Severity::Warning,
    summary: "(manifest) an env name that names an Atlantis flag without being its variable (`GH_TOKEN`, `atlantis_gh_user`), or an env entry without a name",
    suppressible: true,
    docs: r#"## What it checks
In a Kubernetes manifest, an `env` entry of the Atlantis container whose name spells an Atlantis
flag but is not the variable Atlantis reads: no `ATLANTIS_` prefix (`GH_TOKEN`,
`REPO_ALLOWLIST`) or the wrong case (`atlantis_gh_user`). An entry without `name` is an error: the
API server rejects the manifest. (A name with the `ATLANTIS_` prefix that is no flag, such as
`ATLANTIS_GH_TOKN`, is `unknown-key`.)

## Why it matters
Atlantis reads only `ATLANTIS_` + the flag name in upper case; the setting is silently missing.

## Example
```yaml
env:
  - name: GH_TOKEN              # Atlantis reads ATLANTIS_GH_TOKEN
    valueFrom: {secretKeyRef: {name: atlantis-vcs, key: token}}
```

## Fix
Rename the variable as the finding says, unless another program in the container reads it.
"#,
};

pub static UNRESOLVED_REFERENCE: RuleInfo = RuleInfo {
    id: "k8s-unresolved-reference",
    severity: Severity::Warning,
    summary: "(manifest) a `$(VAR)` in an env value or argument that refers to no variable defined before it",
    suppressible: true,
    docs: r#"## What it checks
In a Kubernetes manifest, `$(VAR)` in an `env` value, `command` or `args` of the Atlantis
container where `VAR` is not defined earlier in the container's `env` or `envFrom` (nor a
Kubernetes service link).

## Why it matters
The kubelet expands `$(VAR)` only from variables defined before the reference; otherwise it
leaves the text as written, and Atlantis gets the literal `$(VAR)`: a URL such as
`https://$(ATLANTIS_HOST)/` is then wrong. `${VAR}` and `$VAR` are never expanded in an exec-form
command.

## Example
```yaml
env:
  - name: ATLANTIS_ATLANTIS_URL
    value: https://$(ATLANTIS_HOST)/   # ATLANTIS_HOST is defined nowhere before
```

## Fix
Define the variable before the entry that uses it (order matters), or write the value; `$$(VAR)`
keeps the text literally on purpose.
"#,
};

pub static SECRET_DATA: RuleInfo = RuleInfo {
    id: "k8s-secret-data",
    severity: Severity::Error,
    summary: "(manifest) a Secret `data` value that is not base64: the API server rejects the Secret",
    suppressible: true,
    docs: r#"## What it checks
A Secret in the manifest whose `data` value is not valid base64.

## Why it matters
`data` holds base64; the API server refuses the Secret ("illegal base64 data"), so the deploy
fails. The value is never shown, encoded or decoded.

## Example
```yaml
kind: Secret
data:
  token: my-plain-token      # plain text in `data`
```

## Fix
Encode the value (`printf %s "$TOKEN" | base64 -w0`), or put plain text under `stringData`.
"#,
};

pub fn check_duplicate_env(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &DUPLICATE_ENV, out);
}

pub fn check_missing_key(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &MISSING_KEY, out);
}

pub fn check_env_name(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &ENV_NAME, out);
}

pub fn check_unresolved_reference(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &UNRESOLVED_REFERENCE, out);
}

pub fn check_secret_data(ctx: &Context, out: &mut Vec<Finding>) {
    report_form_issues(ctx, &SECRET_DATA, out);
}
