//! The rules about suppression comments. Their findings come from the suppression stage
//! (`crate::suppress`), which runs after every rule; the checks here do nothing.

use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};

pub static WITHOUT_REASON: RuleInfo = RuleInfo {
    id: "suppression-without-reason",
    severity: Severity::Warning,
    summary: "an `# atlantis-lint: ignore[...]` comment without a reason",
    suppressible: true,
    docs: r#"## What it checks
A suppression comment must say why the finding is acceptable, after the closing `]`:
`# atlantis-lint: ignore[plaintext-secret] local test server, throw-away token`.

The suppression still applies: the finding it names stays silenced, and this warning takes its
place until a reason is written.

## Why it matters
A silenced finding without a reason cannot be reviewed: the next reader cannot tell a deliberate
exception from a way to make the linter pass.

## Example
```yaml
gh-token: ghp_...  # atlantis-lint: ignore[plaintext-secret]
```

## Fix
Write the reason after the closing bracket.
"#,
};

pub static UNUSED: RuleInfo = RuleInfo {
    id: "unused-suppression",
    severity: Severity::Warning,
    summary: "a suppression comment that silences nothing (stale, misplaced, unknown or unsuppressible rule)",
    suppressible: true,
    docs: r#"## What it checks
Every rule id in an `# atlantis-lint: ignore[...]` or `ignore-file[...]` comment must silence at
least one finding. The rule reports:
- a suppression whose rule reports nothing on its line (or, for `ignore-file`, in the file): the
  problem was fixed, or the comment is on the wrong line;
- a rule id atlantis-lint does not know (with a suggestion when a rule id is close);
- a rule that cannot be suppressed (`placeholder-value`, `unexpanded-variable` and the
  credential rules whose findings are never intended);
- a comment that starts with `atlantis-lint:` but is not a suppression this linter understands.

## Why it matters
A stale suppression will silently hide the next, real finding on that line. A misspelled rule id
silences nothing while looking as if it did.

## Example
```yaml
log-level: debug  # atlantis-lint: ignore[log-level-case] kept from when it was DEBUG
```

## Fix
Remove the suppression, or correct the rule id.
"#,
};

pub fn check(_ctx: &Context, _out: &mut Vec<Finding>) {}
