use super::Context;
use super::credential_values::written_text;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags::{self, FlagId};

pub static RULE: RuleInfo = RuleInfo {
    id: "user-format",
    severity: Severity::Warning,
    summary: "an e-mail address where the Git host wants a login (gh-user, gitlab-user, gitea-user)",
    suppressible: true,
    docs: r#"## What it checks
`gh-user`, `gitlab-user` and `gitea-user` must be the account's login (user name), not its e-mail
address: a value with an `@` after its first character is reported. (Atlantis strips one
leading `@`, so `@atlantis-bot` is fine.)

`bitbucket-api-user` is the opposite case (an Atlassian API token needs the e-mail there):
`bitbucket-api-user` checks it. `azuredevops-user` is not checked: Azure DevOps identities are
often e-mail addresses.

## Why it matters
Atlantis uses the user to recognise its own comments (`hide-prev-plan-comments`, ignoring its own
`atlantis` comments) and in the `.git-credentials` lines `write-git-creds` writes. GitHub and
GitLab logins cannot contain `@`, so an e-mail address never matches the author of Atlantis's
comments: previous plans are not hidden, and clones with the written credentials may fail.

## Example
```yaml
gh-user: atlantis-bot@example.com
```

## Fix
Use the login shown on the account's profile page (`atlantis-bot`).
"#,
};

const CHECKED: &[FlagId] = &[flags::GH_USER, flags::GITLAB_USER, flags::GITEA_USER];

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    for &name in CHECKED {
        let Some(setting) = cfg.winner(name) else {
            continue;
        };
        let Some(text) = written_text(setting) else {
            continue;
        };
        let v = text.as_str().trim();
        let login = v.strip_prefix('@').unwrap_or(v);
        let Some((local, domain)) = login.split_once('@') else {
            continue;
        };
        if local.is_empty() || !domain.contains('.') || text.is_secret() {
            continue;
        }
        out.push(
            Finding::new(
                &RULE,
                setting.origin.value(),
                format!("{name} `{v}` is an e-mail address, not a login"),
            )
            .key(name)
            .label("e-mail address")
            .help(format!(
                "set {name} to the account's login (user name), as shown on its profile page"
            )),
        );
    }
}
