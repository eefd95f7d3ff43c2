//! The rules of the online probe (`--online`), in the one registry with the offline rules (for
//! `rules`, `explain`, `--ignore`, the docs). Their findings come from the Git hosts' answers,
//! made by `crate::online`, so their check here finds nothing.

use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};

/// Reported by the online probe (`crate::online`); listed for `rules` and `explain`.
pub fn check(_ctx: &Context, _out: &mut Vec<Finding>) {}

pub static REJECTED: RuleInfo = RuleInfo {
    id: "credential-rejected",
    severity: Severity::Error,
    summary: "(--online) the Git host refused the credential Atlantis would send",
    suppressible: true,
    docs: r#"## What it checks
With `--online`, atlantis-lint sends each configured credential to its Git host exactly as Atlantis
would (same API URL, same authentication scheme) in one read-only request that requires
authentication. This rule reports a host that positively refused it: `401 Bad credentials`
(GitHub), `401 Unauthorized` or a revoked token (GitLab), an unknown token (Gitea, Bitbucket,
Azure DevOps), a GitHub App key that does not belong to the app id, a suspended installation.

## Why it matters
Atlantis starts "healthy" with most hosts and fails at the first pull request: the webhook arrives,
and every API call is refused.

## Example
```yaml
gh-user: atlantis-bot
gh-token: ghp_revoked000000000000000000000000000  # revoked last week
```

## Fix
Create a new token for the account and replace the configured one. For a GitHub App, download a
new private key from the App's settings page, or correct `gh-app-id`.
"#,
};

pub static INSUFFICIENT: RuleInfo = RuleInfo {
    id: "credential-insufficient",
    severity: Severity::Error,
    summary: "(--online) the credential authenticates but lacks scopes or permissions Atlantis needs",
    suppressible: true,
    docs: r#"## What it checks
With `--online`: the host accepted the credential, but its scopes or permissions do not cover what
Atlantis does. Examples: a classic GitHub token without `repo`; a GitLab token without `api`; a
GitHub App installation missing `checks: write`, or an app installed on two accounts while
`gh-app-installation-id` is not set; a token not authorized for an organisation's SAML SSO; a Gitea
token without `read:user`. The message lists what is missing and where to grant it.

Repositories the `repo-allowlist` names exactly (no wildcard) are looked up too: the account needs
write access (GitHub, Gitea, Bitbucket Data Center) or at least the Developer role (GitLab), and
the token must read them as Atlantis does (a fine-grained GitHub token's Contents, Pull requests
and Commit statuses read access; Gitea's `read:issue`; Bitbucket Cloud's pull-request scope; Azure
DevOps's Code (Read)). With `--online-app-deep`, a GitHub App installation must cover them. A
repository the credential cannot see at all is a warning (a typo in the allowlist looks the same).

A permission needed only by an optional feature you enabled is reported as a warning:
`gh-team-allowlist` needs the token to read the organisation's teams (`read:org`, or Members: read
for a fine-grained token), and every team it names should exist there.

## Why it matters
Atlantis authenticates, then fails on the first comment, commit status or merge.

## Example
```yaml
gitlab-user: atlantis-bot
gitlab-token: glpat-readonly00000000000   # created with read_api only
```

## Fix
Add the missing scopes or permissions at the place the message names (token settings, App
permissions page, then accept the change on the installation), or create a new token.
"#,
};

pub static EXPIRING: RuleInfo = RuleInfo {
    id: "credential-expiring",
    severity: Severity::Warning,
    summary: "(--online) the credential expires within 14 days (error once it has expired)",
    suppressible: true,
    docs: r#"## What it checks
With `--online`, the expiry the host reports for the token: GitHub's
`github-authentication-token-expiration` header, GitLab's `expires_at`, or a host saying the token
has expired (GitLab, Azure DevOps). Within 14 days: warning. Expired: error.

## Why it matters
An expired token stops Atlantis at the next pull request, usually on a weekend.

## Example
```yaml
gitlab-user: atlantis-bot
gitlab-token: glpat-expiresnextweek000000
```

## Fix
Rotate the token now and update the secret Atlantis reads it from.
"#,
};

pub static INDETERMINATE: RuleInfo = RuleInfo {
    id: "probe-indeterminate",
    severity: Severity::Warning,
    summary: "(--online) no usable answer from a Git host: network, TLS, DNS, 5xx, rate limit, HTML, redirect",
    suppressible: true,
    docs: r#"## What it checks
With `--online`: the probe could not decide whether the credential works. The message says why:
the host name does not resolve or refuses connections from this machine, the TLS certificate is not
trusted, no answer arrived in time, the host answered 5xx, the host rate-limited the probe (with
the time to retry), the answer was an HTML page instead of the API's JSON (a wrong base URL, a
proxy login page), or a redirect (only the target's origin is named; redirects are never followed).
A 5xx or a dropped connection is retried once. A host whose rate-limit quota falls under 5
requests is not asked again (Atlantis uses the same quota). A credential that would be sent over
plain `http://` is not sent unless `--online-allow-http` is given.

This is a warning, because a network blip says nothing about the configuration;
`--require-online` makes it an error for CI gates that must not pass without an answer.

## Why it matters
The machine running the linter may not see the host the way Atlantis does. An answer that is not
the API (an SSO proxy, a captive portal) often means a wrong host name in the config.

## Example
```yaml
gh-user: atlantis-bot
gh-token: ghp_...
gh-hostname: github.internal.example   # resolves only inside the cluster
```

## Fix
Run the linter where Atlantis runs, or give it the network path: `--ca-cert FILE` for an internal
CA, `HTTPS_PROXY`/`NO_PROXY`, `--connect-to HOST:PORT:ADDR:PORT`. Check the host name and base URL.
"#,
};

pub static UNVERIFIABLE: RuleInfo = RuleInfo {
    id: "probe-unverifiable",
    severity: Severity::Info,
    summary: "(--online) what a read-only probe cannot verify about a credential",
    suppressible: true,
    docs: r#"## What it checks
With `--online`: the parts of a credential a read-only probe cannot see. Write permissions of
GitHub fine-grained tokens, Gitea scoped tokens, Bitbucket Data Center tokens and Azure DevOps PATs
can only be proven by writing, which the probe never does; Azure DevOps tokens cannot report their
own scopes or expiry; a GitHub App installation limited to selected repositories does not list them
without minting a token (`--online-app-deep` mints one to list them).

Probes that could not run at all are reported here too: a placeholder token, a token or key file
that is not readable from here, an unknown Azure DevOps organisation, and a host that may not
receive the credential. A credential is only sent to the public Git hosts, to a host named by the
same source that holds the credential (the same file or the environment), or to a host allowed with
`--online-host`: a pull request that changes `gh-hostname` must not collect the CI's token. With
`--require-online`, a host that was not probed is an error.

## Why it matters
A green probe is not a promise for these permissions. The note says what to check by hand.

## Example
```yaml
gh-user: atlantis-bot
gh-token: github_pat_...   # fine-grained: Pull requests write cannot be checked read-only
```

## Fix
Check the named permissions in the host's token settings. For a host that was not probed, follow
the help: mount the file, set the real credential, or allow your own host with
`--online-host HOST`.
"#,
};

pub static VERIFIED: RuleInfo = RuleInfo {
    id: "credential-verified",
    severity: Severity::Info,
    summary: "(--online) the host accepted the credential: identity, token type, scopes",
    suppressible: true,
    docs: r#"## What it checks
With `--online`: the host accepted the credential. The finding names the account it authenticates
as, the kind of token and its scopes or permissions, as the host reported them. The token itself is
never printed.

## Why it matters
It confirms which account Atlantis will act as, which is not always the one `*-user` names.

## Example
```yaml
gitlab-user: atlantis-bot
gitlab-token: glpat-...
```

## Fix
Nothing to fix.
"#,
};

/// Every online rule, in documentation order (also at the end of [`super::ALL`]).
pub static ALL: &[&RuleInfo] = &[
    &REJECTED,
    &INSUFFICIENT,
    &EXPIRING,
    &INDETERMINATE,
    &UNVERIFIABLE,
    &VERIFIED,
];
