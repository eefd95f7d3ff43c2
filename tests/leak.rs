//! Secret-leak proof: configurations whose every secret holds a unique marker are run through
//! every command and output format the binary offers, and no marker, nor any 8-character window
//! of one, may appear in stdout, stderr or a written output file.
//!
//! Commands, formats and emit forms are enumerated from the binary itself (its `--help` and
//! clap's list of possible values), and secret flags from the flag table, so new ones are
//! covered without touching this file. Options that deliberately reveal secrets
//! (`--secrets include`, `--show-secrets`) and network access (`--online`) are excluded.

mod common;
mod support;

use atlantis_lint::flags::{self, FLAGS};
use common::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const WINDOW: usize = 8;

/// Deterministic, random-looking markers: 24 characters from a mixed alphabet, starting with a
/// fixed lower-case pair so they never look like a known token prefix.
struct Markers {
    state: u64,
    all: Vec<String>,
}

impl Markers {
    fn new() -> Markers {
        Markers {
            state: 0x9E37_79B9_7F4A_7C15,
            all: Vec::new(),
        }
    }

    fn next(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        let mut s = String::from("qz");
        while s.len() < 24 {
            // xorshift64*
            self.state ^= self.state >> 12;
            self.state ^= self.state << 25;
            self.state ^= self.state >> 27;
            let r = self.state.wrapping_mul(0x2545_F491_4F6C_DD1D);
            s.push(ALPHABET[(r >> 33) as usize % ALPHABET.len()] as char);
        }
        self.all.push(s.clone());
        s
    }

    /// A marker that does not look random: lower-case letters and digits only, as a password
    /// often is, so that no "looks like a credential" guess hides it (only where it stands
    /// does).
    fn plain(&mut self) -> String {
        let m = self.next();
        let plain: String = m
            .chars()
            .map(|c| match c {
                'A'..='Z' => ((c as u8 - b'A') % 10 + b'0') as char,
                _ => c,
            })
            .collect();
        *self.all.last_mut().unwrap() = plain.clone();
        plain
    }

    /// Every 8-character window of every marker, and of its base64 forms (a marker inside a
    /// Basic-auth header, at each of the three byte alignments).
    fn windows(&self) -> BTreeSet<String> {
        use base64::Engine as _;
        let mut set = BTreeSet::new();
        let mut add = |s: &str| {
            for i in 0..=s.len().saturating_sub(WINDOW) {
                if let Some(w) = s.get(i..i + WINDOW) {
                    set.insert(w.to_string());
                }
            }
        };
        for m in &self.all {
            add(m);
            for k in 0..3 {
                let mut bytes = vec![b':'; k];
                bytes.extend_from_slice(m.as_bytes());
                let enc = base64::engine::general_purpose::STANDARD.encode(&bytes);
                add(&enc[4..enc.len() - 4]);
            }
        }
        set
    }
}

/// The flags whose values are secrets (tokens, passwords, keys, webhook secrets, headers).
fn secret_flags() -> Vec<&'static flags::Flag> {
    let list: Vec<_> = FLAGS
        .iter()
        .filter(|f| f.is_secret_value() && f.kind != flags::FlagKind::FileOnly)
        .collect();
    assert!(list.len() >= 10, "the flag table marks secrets");
    list
}

/// A value for `flag` that carries `marker` in the shape the flag expects.
fn secret_value(flag: &flags::Flag, marker: &str) -> String {
    match flag.name {
        "webhook-http-headers" => format!(r#"{{"Authorization":["Bearer {marker}"]}}"#),
        "repo-config-json" => format!(r#"{{"repos":[{{"id":"/.*/","token":"{marker}"}}]}}"#),
        _ => marker.to_string(),
    }
}

fn yaml_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// One configuration to lint: files plus command-line sources.
struct Case {
    name: String,
    /// Arguments naming the sources (paths, `--env-file`, `--env`, `-- ...`).
    args: Vec<String>,
    /// Process environment for `--env`.
    env: Vec<(String, String)>,
}

/// A case of one file: `text` written to `dir/file`, linted alone.
fn file_case(dir: &Path, name: &str, file: &str, text: impl AsRef<[u8]>) -> Case {
    Case {
        name: name.into(),
        args: vec![write(dir, file, text)],
        env: vec![],
    }
}

const BASE: &str =
    "atlantis-url: https://atlantis.example.com\nrepo-allowlist: github.com/acme/*\n";

fn build_cases(dir: &Path, m: &mut Markers) -> Vec<Case> {
    let secrets = secret_flags();
    let mut cases = Vec::new();
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();

    // 1. A minimal valid GitHub config whose secrets are markers (no error expected).
    let gh = format!(
        "{BASE}gh-user: atlantis-bot\ngh-token: {}\ngh-webhook-secret: {}\n",
        m.next(),
        m.next()
    );
    cases.push(file_case(dir, "valid", "valid.yaml", &gh));

    // 2. Every secret flag inline, plus misspelled keys, comments, webhooks and a PEM key.
    let mut y = String::from(BASE);
    y.push_str("gh-user: atlantis-bot\n");
    for f in &secrets {
        let v = secret_value(f, &m.next());
        y.push_str(&format!("# {}: {}\n", f.name, m.next()));
        y.push_str(&format!("{}: {}\n", f.name, yaml_quote(&v)));
    }
    y.push_str(&format!("gh_token: {}\n", m.next()));
    y.push_str(&format!(
        "gh-tokn: {}  # old token: {}\n",
        m.next(),
        m.next()
    ));
    y.push_str(&format!("GH-TOKEN: {}\n", m.next()));
    y.push_str(&format!("github:\n  token: {}\n", m.next()));
    y.push_str(&format!(
        "gh-app-key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  {}\n  {}\n  -----END RSA PRIVATE KEY-----\n",
        m.next(),
        m.next()
    ));
    y.push_str(&format!(
        "webhooks:\n- event: apply\n  kind: slack\n  channel: ops\n- event: apply\n  kind: http\n  url: https://hooks.example.com/services/{}\n",
        m.next()
    ));
    y.push_str(&format!(
        "webhook-http-headers: '{{\"X-Token\": [\"{}\"]}}'\n",
        m.next()
    ));
    y.push_str("port: not-a-number\n");
    cases.push(file_case(dir, "all-inline", "all.yaml", &y));
    // The same as JSON.
    let mut j = serde_json::Map::new();
    for f in &secrets {
        j.insert(f.name.to_string(), secret_value(f, &m.next()).into());
    }
    j.insert("gh_token".into(), m.next().into());
    j.insert("gh-user".into(), "atlantis-bot".into());
    cases.push(file_case(
        dir,
        "all-json",
        "all.json",
        serde_json::to_string_pretty(&j).unwrap(),
    ));

    // 2b. repo-config-json (a secret flag: it may embed credentials) with markers wherever the
    // repo config rules quote a value: hook commands, step names and commands, requirements,
    // overrides, workflow names, ids and regexes, env values.
    let rcj = format!(
        r#"{{"repos":[{{"id":"/{}(/","branch":"{}","pre_workflow_hooks":[{{"run":"curl -u bot:{} x","command":"plan"}},{{"run":"./x","commands":"{}"}}],"apply_requirements":["{}"],"allowed_overrides":["{}"],"workflow":"{}","silence_pr_comments":["{}"],"repo_config_file":"/{}"}},{{"id":"github.com/acme/{}*"}}],"workflows":{{"w":{{"plan":{{"steps":["{}",{{"run":"{}"}},{{"env":{{"name":"T","value":"{}","command":"x"}}}},{{"{}":{{"extra_args":["{}"]}}}},"run:curl {}",{{"run":{{"command":"x","shell":"bash","shellArgs":["{}",42]}}}}]}}}}}},"team_authz":{{"command":"{}"}},"{}":1}}"#,
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next()
    );
    write(
        dir,
        "repo-config-json.yaml",
        format!(
            "{BASE}gh-user: atlantis-bot\nrepo-config-json: {}\n",
            yaml_quote(&rcj)
        ),
    );
    cases.push(Case {
        name: "repo-config-json".into(),
        args: vec![path("repo-config-json.yaml")],
        env: vec![("ATLANTIS_REPO_CONFIG_JSON".into(), rcj.clone())],
    });

    // 3. Broken files: syntax errors right at and near the secrets, invalid UTF-8.
    let broken = [
        format!("gh-user: atlantis-bot\ngh-token: \"{}\n", m.next()),
        format!(
            "gh-user: atlantis-bot\ngh-token: {}\n\tgh-webhook-secret: {}\n",
            m.next(),
            m.next()
        ),
        format!("gh-token: '{}'\n]\ngitlab-token: {}\n", m.next(), m.next()),
        format!(
            "{{\"gh-token\": \"{}\", \"gh-webhook-secret\": \"{}\",,}}\n",
            m.next(),
            m.next()
        ),
        format!("- gh-token: {}\n- gh-user: x\n", m.next()),
        format!(
            "gh-token: {}\n# gh-webhook-secret: {}\n---\ngh-token: {}\n",
            m.next(),
            m.next(),
            m.next()
        ),
        format!(
            "gh-token: &t {}\ngh-webhook-secret: *t\nx: *nope\n",
            m.next()
        ),
    ];
    for (i, text) in broken.iter().enumerate() {
        let name = format!("broken{i}.yaml");
        write(dir, &name, text);
        cases.push(Case {
            name: format!("broken-{i}"),
            args: vec![path(&name)],
            env: vec![],
        });
    }
    let mut bad = format!("gh-user: atlantis-bot\ngh-token: {}", m.next()).into_bytes();
    bad.extend_from_slice(b"\xff\xfe\n");
    bad.extend_from_slice(format!("gh-webhook-secret: {}\n", m.next()).as_bytes());
    cases.push(file_case(dir, "invalid-utf8", "badutf8.yaml", &bad));

    // 4. Env files: every secret variable, plus the shapes docker reads differently.
    let mut e =
        String::from("ATLANTIS_GH_USER=atlantis-bot\nATLANTIS_REPO_ALLOWLIST=github.com/acme/*\n");
    for f in &secrets {
        e.push_str(&format!("# {}={}\n", f.env_name(), m.next()));
        e.push_str(&format!(
            "{}={}\n",
            f.env_name(),
            secret_value(f, &m.next())
        ));
    }
    e.push_str(&format!("export ATLANTIS_GH_TOKEN={}\n", m.next()));
    e.push_str(&format!("ATLANTIS_GH_TOKEN=\"{}\"\n", m.next()));
    e.push_str(&format!("ATLANTIS_GH_TOKEN {}\n", m.next()));
    e.push_str(&format!("ATLANTIS_GH_WEBHOOK_SECRET ={}\n", m.next()));
    e.push_str(&format!("ATLANTIS_GH_TOKN={}\n", m.next()));
    e.push_str(&format!("ATLANTIS_gh_token={}\n", m.next()));
    e.push_str(&format!("GH_TOKEN={}\n", m.next()));
    e.push_str(&format!("ATLANTIS_PORT={}\n", "x".repeat(100)));
    write(dir, "all.env", &e);
    cases.push(Case {
        name: "env-file".into(),
        args: vec!["--env-file".into(), path("all.env")],
        env: vec![],
    });
    // An env file next to a broken config file.
    cases.push(Case {
        name: "env-file+broken".into(),
        args: vec!["--env-file".into(), path("all.env"), path("broken0.yaml")],
        env: vec![],
    });

    // 5. The process environment.
    let mut env = vec![
        ("ATLANTIS_GH_USER".to_string(), "atlantis-bot".to_string()),
        ("ATLANTIS_PORT".to_string(), "abc".to_string()),
    ];
    for f in &secrets {
        env.push((f.env_name(), secret_value(f, &m.next())));
    }
    env.push(("ATLANTIS_GH_TOKN".into(), m.next()));
    env.push(("ATLANTIS_Gh_Token".into(), m.next()));
    env.push((
        "ATLANTIS_GH_APP_KEY".into(),
        format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
            m.next()
        ),
    ));
    env.push(("GH_TOKEN".into(), m.next()));
    cases.push(Case {
        name: "env".into(),
        args: vec!["--env".into()],
        env: env.clone(),
    });

    // 6. The command line.
    let mut argv: Vec<String> = vec!["server".into(), "--gh-user".into(), "atlantis-bot".into()];
    for (i, f) in secrets.iter().enumerate() {
        let v = secret_value(f, &m.next());
        if i % 2 == 0 {
            argv.push(format!("--{}={v}", f.name));
        } else {
            argv.push(format!("--{}", f.name));
            argv.push(v);
        }
    }
    for extra in [
        vec![
            "--gh-token".to_string(),
            m.next(),
            "--gh-token".to_string(),
            m.next(),
        ],
        vec!["--gh-tokn".to_string(), m.next()],
        vec![format!("--gh-tokn={}", m.next())],
        vec![format!("-gh-token={}", m.next())],
        vec![format!("ATLANTIS_GH_TOKEN={}", m.next())],
        vec!["--gh-token=".to_string(), m.next()],
        vec!["--port".to_string(), "abc".to_string()],
        vec!["--gitlab-token".to_string(), format!("{} --", m.next())],
        vec!["--gh-webhook-secret".to_string()],
    ] {
        argv.extend(extra);
    }
    let mut args = vec!["--".to_string()];
    args.extend(argv);
    cases.push(Case {
        name: "argv".into(),
        args,
        env: vec![],
    });

    // 7. Files a config names and the linter reads beside it (a language catalog, a repo config
    // with an external plan store), secrets in a repo-config-json plan store, repeated secrets.
    let catalog = format!(
        "command_titles:\n  plan: {}\n  apply: \"{}\n{}: x\n",
        m.next(),
        m.next(),
        m.next()
    );
    write(dir, "messages.yaml", &catalog);
    write(
        dir,
        "repos.yaml",
        // A plan store's type and bucket are names, not secrets: the repo-config rules quote
        // them and show them in snippets, as Atlantis's own messages do.
        "repos:\n- id: /.*/\nexternal_stores:\n  plan_store:\n    type: s3\n    s3:\n      bucket: atlantis-plans\n",
    );
    let beside = format!(
        "{BASE}gh-user: atlantis-bot\ngh-token-file: /run/gh-token\nlanguage-config-file: messages.yaml\n\
         repo-config: repos.yaml\nenable-external-stores: true\n"
    );
    cases.push(file_case(dir, "files-beside", "beside.yaml", &beside));
    let stores = format!(
        "{BASE}gh-user: atlantis-bot\ngh-token-file: /run/gh-token\nenable-external-stores: true\n\
         repo-config-json: '{{\"external_stores\":{{\"plan_store\":{{\"type\":\"{}\",\"s3\":{{\"bucket\":\"{}\"}}}}}}}}'\n",
        m.next(),
        m.next()
    );
    write(dir, "stores.yaml", &stores);
    let twice = format!(
        "ATLANTIS_GH_WEBHOOK_SECRET={}\nATLANTIS_GH_WEBHOOK_SECRET={}\nATLANTIS_GH_TOKEN=\"{}\"\nATLANTIS_GH_TOKEN={}\n",
        m.next(),
        m.next(),
        m.next(),
        m.next()
    );
    write(dir, "twice.env", &twice);
    cases.push(Case {
        name: "plan-store-and-repeats".into(),
        args: vec![
            path("stores.yaml"),
            "--env-file".into(),
            path("twice.env"),
            "--".into(),
            format!("--api-secret={}", m.next()),
            format!("--api-secret={}", m.next()),
        ],
        env: vec![],
    });

    // 6b. Command lines that hide a secret where no secret flag is: a value-taking flag that
    // swallows the next word as pflag does, and values glued to a flag without `=`.
    let swallowing = [
        vec![
            "--log-level".to_string(),
            format!("--gh-webhook-secret={}", m.next()),
        ],
        vec![
            "--vcs-status-name".to_string(),
            format!("--gitlab-token={}", m.next()),
        ],
        vec![
            "--atlantis-url".to_string(),
            format!("--gh-token={}", m.next()),
        ],
        vec![format!("--gh-token{}", m.next())],
        vec![format!("--gh-webhook-secret{}", m.next())],
        vec![format!("--gh-tokenghp_{}", m.next())],
        vec![format!("--{}", m.next())],
        vec!["--port".to_string(), format!("--gh-token{}", m.next())],
        // The single-dash forms (pflag reads `-gh-token…` as shorthand letters and stops).
        vec![format!("-gh-token{}", m.next())],
        vec![format!("-gh-webhook-secret{}", m.plain())],
        vec![format!("-{}", m.next())],
        // Names that are almost secret flags: `pw`, `tok` as words of the name.
        vec![
            format!("--gh-tok={}", m.plain()),
            format!("--gh-pw={}", m.plain()),
            "--bitbucket-pw".to_string(),
            m.plain(),
        ],
        // A URL with a password in it.
        vec![
            format!(
                "--atlantis-url=https://bot:{}@atlantis.example.com",
                m.plain()
            ),
            "--redis-host".to_string(),
            format!("redis://:{}@redis", m.plain()),
        ],
    ];
    for (i, words) in swallowing.into_iter().enumerate() {
        let mut args = vec![
            "--".to_string(),
            "server".into(),
            "--gh-user".into(),
            "atlantis-bot".into(),
        ];
        args.extend(words);
        cases.push(Case {
            name: format!("argv-shape-{i}"),
            args,
            env: vec![],
        });
    }

    // 6c. YAML that carries a secret where no secret key is: aliases of secrets, values that
    // swallowed a secret line, continuation lines of files that do not parse, names that are
    // almost secret keys, secrets nested under unknown keys, credential-shaped values.
    let shapes = [
        format!(
            "{BASE}gh-user: atlantis-bot\ngh-token: &t {}\nvcs-status-name: *t\natlantis-url: *t\n",
            m.next()
        ),
        format!(
            "{BASE}gh-user: atlantis-bot\ngh-webhook-secret: &w {}\nlog-level: *w\nrepo-config-json: *w\n",
            m.next()
        ),
        format!(
            "{BASE}gh-user: atlantis-bot\nvcs-status-name: \"atlantis\n  gh-token: {}\n  \"\nport: abc\n",
            m.next()
        ),
        format!(
            "gh-user: atlantis-bot\ngh-token: |\n  {}\n  {}\nport: [\n",
            m.next(),
            m.next()
        ),
        format!(
            "gh-user: atlantis-bot\ngh-token: {}\n  {}\nport: ]\n",
            m.next(),
            m.next()
        ),
        format!(
            "gh-user: atlantis-bot\ngh-token: \"{}\n{}\n",
            m.next(),
            m.next()
        ),
        format!(
            "gh-user: atlantis-bot\ngh-token: '{}\n  {}'\nport: {{\n",
            m.next(),
            m.next()
        ),
        format!(
            "{BASE}gh-user: atlantis-bot\nredis-pass: {}\nweb-pass: {}\ngh-tkn: {}\nwebhook-headers: {}\nredis-pwd: {}\n",
            m.next(),
            m.next(),
            m.next(),
            m.next(),
            m.next()
        ),
        format!(
            "{BASE}gh-user: atlantis-bot\ngithub:\n  bot:\n    login: {}\n    value: {}\nextra: [{}, {{a: {}}}]\n",
            m.next(),
            m.next(),
            m.next(),
            m.next()
        ),
        format!(
            "{BASE}gh-user: atlantis-bot\nnotes: ghp_{}\nmisc: {}{}\nold-key: \"-----BEGIN PRIVATE KEY-----\\n{}\\n-----END PRIVATE KEY-----\"\n",
            m.next(),
            m.next(),
            m.next(),
            m.next()
        ),
        format!(
            "{{\"gh-user\": \"atlantis-bot\", \"gh-token\": \"{}\", \"web-pass\": \"{}\", \"port\": {}}}",
            m.next(),
            m.next(),
            "\"x"
        ),
        // The redactor must not be an oracle: the secret inside a non-secret value is hidden in
        // the snippet as in the message.
        {
            let t = m.next();
            format!(
                "{BASE}gh-user: atlantis-bot\ngh-token: {t}\nvcs-status-name: \"pre-{t}-post\"\natlantis-url: \"x{t}\"\n"
            )
        },
    ];
    let mut shapes = shapes.to_vec();
    shapes.extend([
        // Names whose words say secret (`pw`, `tok`, `hmac`, `salt`, `sig`), with values
        // that do not look random.
        format!(
            "{BASE}gh-user: atlantis-bot\npw: {}\ngh-pw: {}\nbitbucket-pw: {}\ngh-tok: {}\ngh_tok: {}\nhmac: {}\nsalt: {}\nwebhook-sig: {}\nghPw: {}\n",
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain()
        ),
        // A value glued into a key, at the top and nested.
        format!(
            "{BASE}gh-user: atlantis-bot\ngh-token={}: 1\ngh-token:{}: 1\n\"gh-token: {}\": 1\nATLANTIS_GH_TOKEN={}: 1\nnested:\n  gh-webhook-secret={}: 1\ngh-token={}: 2\n",
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain()
        ),
        // Passwords in URLs, in values of flags that are not secret.
        format!(
            "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\natlantis-url: https://bot:{}@atlantis.example.com\nredis-host: redis://:{}@redis\nlocking-db-type: redis\nvcs-status-name: \"https://{}:{}@host/x\"\nport: abc\n",
            m.plain(),
            m.plain(),
            m.next(),
            m.plain()
        ),
    ]);
    for (i, text) in shapes.iter().enumerate() {
        let name = format!("shape{i}.yaml");
        write(dir, &name, text);
        cases.push(Case {
            name: format!("yaml-shape-{i}"),
            args: vec![path(&name)],
            env: vec![],
        });
    }

    // 6d. Env files: names whose words say secret, a secret alone on a line.
    write(
        dir,
        "shapes.env",
        format!(
            "ATLANTIS_GH_USER=atlantis-bot\n{}\nATLANTIS_GH_PW={}\nATLANTIS_GH_TOK={}\nATLANTIS_WEB_PW={}\nATLANTIS_REDIS_PW={}\nATLANTIS_GH_HMAC={}\nATLANTIS_ATLANTIS_URL=https://bot:{}@atlantis.example.com\nATLANTIS_GH_TOKEN:{}\nATLANTIS_PORT=abc\n",
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain()
        ),
    );
    cases.push(Case {
        name: "env-file-shapes".into(),
        args: vec!["--env-file".into(), path("shapes.env")],
        env: vec![],
    });
    // 6e. The same shapes in deployments' command lines and environments: a Kubernetes
    //     container, a compose service, the Terraform module.
    cases.push(file_case(
        dir,
        "kubernetes-shapes",
        "shapes-manifest.yaml",
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: atlantis\nspec:\n  template:\n    spec:\n      containers:\n        - name: atlantis\n          image: ghcr.io/runatlantis/atlantis:v0.47.1\n          args: [server, --gh-user=atlantis-bot, -gh-token{}, --gh-tok={}, --gh-pw={}]\n          env:\n            - name: ATLANTIS_GH_PW\n              value: {}\n            - name: \"ATLANTIS_GH_TOKEN={}\"\n            - name: ATLANTIS_REDIS_HOST\n              value: redis://:{}@redis\n            - name: ATLANTIS_GH_TOKEN:{}\n            - name: ATLANTIS_GH_TOKEN:{}\n              value: x\n",
            m.next(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain()
        ),
    ));
    cases.push(file_case(
        dir,
        "compose-shapes",
        "shapes-compose.yml",
        format!(
            "services:\n  atlantis:\n    image: ghcr.io/runatlantis/atlantis:v0.30.0\n    environment:\n      ATLANTIS_GH_PW: {}\n      ATLANTIS_GH_TOK: {}\n    command: [server, --gh-user=atlantis-bot, -gh-token{}, --gh-tok={}, --gh-pw={}]\n  atlantis2:\n    image: ghcr.io/runatlantis/atlantis:v0.30.0\n    environment:\n      - ATLANTIS_GH_USER=atlantis-bot\n      - ATLANTIS_GH_TOKEN:{}\n      - ATLANTIS_GH_TOKEN:{}\n",
            m.plain(),
            m.plain(),
            m.next(),
            m.plain(),
            m.plain(),
            m.plain(),
            m.plain()
        ),
    ));
    cases.push(file_case(
        dir,
        "terraform-shapes",
        "shapes.tf",
        format!(
            "module \"atlantis\" {{\n  source = \"terraform-aws-modules/atlantis/aws\"\n  atlantis = {{\n    environment = [\n      {{ name = \"ATLANTIS_GH_USER\", value = \"atlantis-bot\" }},\n      {{ name = \"ATLANTIS_GH_PW\", value = \"{}\" }},\n      {{ name = \"ATLANTIS_GH_TOKEN={}\", value = \"x\" }},\n    ]\n    secrets = [{{ name = \"ATLANTIS_GH_TOKEN={}\", valueFrom = \"arn:aws:ssm:x\" }}]\n    command = [\"server\", \"-gh-token{}\", \"--gh-tok={}\"]\n  }}\n}}\n",
            m.plain(),
            m.plain(),
            m.plain(),
            m.next(),
            m.plain()
        ),
    ));

    // 7b. Everything at once: file, env file, environment and command line.
    let mut args = vec![
        path("all.yaml"),
        "--env-file".into(),
        path("all.env"),
        "--env".into(),
        "--".into(),
    ];
    args.extend([format!("--gh-token={}", m.next()), "--no-such-flag".into()]);
    cases.push(Case {
        name: "everything".into(),
        args,
        env,
    });

    // 8. Kubernetes manifests: Secrets (data and stringData, one not base64), a ConfigMap holding
    //    the server config, env values, duplicates, `$(VAR)`, args, an `sh -c` string, a sidecar.
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut k = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: vcs\ndata:\n  token: {}\n  bad: '{} not base64'\nstringData:\n  webhook: {}\n",
        b64(&m.next()),
        m.next(),
        m.next()
    );
    k.push_str(&format!(
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  config.yaml: |\n    repo-allowlist: github.com/acme/*\n    gitlab-token: {}\n    # gitea-token: {}\n    gh-tokn: {}\n",
        m.next(),
        m.next(),
        m.next()
    ));
    k.push_str("---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: atlantis\nspec:\n  template:\n    spec:\n      containers:\n");
    k.push_str(&format!(
        "        - name: sidecar\n          image: busybox\n          env:\n            - name: AWS_SECRET_ACCESS_KEY\n              value: {}\n",
        m.next()
    ));
    k.push_str("        - name: atlantis\n          image: ghcr.io/runatlantis/atlantis:v0.47.1\n          env:\n            - name: ATLANTIS_GH_USER\n              value: atlantis-bot\n            - name: ATLANTIS_GH_TOKEN\n              valueFrom: {secretKeyRef: {name: vcs, key: token}}\n            - name: ATLANTIS_GH_WEBHOOK_SECRET\n              valueFrom: {secretKeyRef: {name: vcs, key: webhook}}\n            - name: ATLANTIS_GITEA_TOKEN\n              valueFrom: {secretKeyRef: {name: vcs, key: bad}}\n            - name: ATLANTIS_BITBUCKET_TOKEN\n              valueFrom: {secretKeyRef: {name: vcs, key: missing}}\n");
    for f in &secrets {
        k.push_str(&format!(
            "            - name: {}\n              value: {}\n",
            f.env_name(),
            yaml_quote(&secret_value(f, &m.next()))
        ));
    }
    k.push_str(&format!(
        "            - name: ATLANTIS_GH_TOKEN\n              value: {}\n            - name: ATLANTIS_GH_TOKN\n              value: {}\n            - name: GH_TOKEN\n              value: {}\n            - name: ATLANTIS_ATLANTIS_URL\n              value: https://x:$(ATLANTIS_GH_TOKEN)@$(NOWHERE)/\n",
        m.next(),
        m.next(),
        m.next()
    ));
    k.push_str(&format!(
        "          args: [server, --config=/etc/atlantis/config.yaml, --gitlab-token={}, --azuredevops-token, {}, --gh-tokn={}, stray-{}]\n          volumeMounts: [{{name: c, mountPath: /etc/atlantis}}]\n      volumes: [{{name: c, configMap: {{name: cfg}}}}]\n",
        m.next(),
        m.next(),
        m.next(),
        m.next()
    ));
    k.push_str(&format!(
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: shell\nspec:\n  containers:\n    - name: atlantis\n      image: acme/tools\n      command: [sh, -c, \"atlantis server --gh-user=bot --gh-token={} --repo-allowlist=x\"]\n",
        m.next()
    ));
    cases.push(file_case(dir, "kubernetes", "manifest.yaml", &k));
    // The same as an env list (what `emit --to k8s-env` prints), and a manifest that is broken.
    let mut list = String::new();
    for f in &secrets {
        list.push_str(&format!(
            "- name: {}\n  value: {}\n",
            f.env_name(),
            yaml_quote(&secret_value(f, &m.next()))
        ));
    }
    cases.push(file_case(
        dir,
        "kubernetes-env-list",
        "env-list.yaml",
        &list,
    ));
    write(
        dir,
        "manifest-broken.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nstringData:\n  token: \"{}\n---\nkind: Pod\n",
            m.next()
        ),
    );
    cases.push(Case {
        name: "kubernetes-broken".into(),
        args: vec![
            "--kind".into(),
            "kubernetes".into(),
            path("manifest-broken.yaml"),
        ],
        env: vec![],
    });
    // 9. Helm values for the official chart: credentials the chart puts in its Secret, the app
    //    key, `environment` / `environmentRaw` secrets, basic auth, redis, gitconfig/netrc, a
    //    secret flag in `extraArgs` and in `config`, a commented-out token, an unknown key.
    let mut h = String::from(
        "orgAllowlist: github.com/acme/*\natlantisUrl: https://atlantis.acme.example\n",
    );
    h.push_str(&format!(
        "github:\n  user: atlantis-bot\n  token: {}\n  secret: {}\n  webhookSecret: {}\ngithubApp:\n  id: 1234567\n  key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    {}\n    -----END RSA PRIVATE KEY-----\n  secret: {}\ngitlab:\n  user: bot\n  token: {}\n  secret: {}\n",
        m.next(), m.next(), m.next(), m.next(), m.next(), m.next(), m.next()
    ));
    h.push_str(&format!(
        "basicAuth:\n  username: admin\n  password: {}\nredis:\n  host: redis\n  password: {}\napi:\n  secret: {}\nnetrc: |\n  machine github.com login bot password {}\ngitconfig: |\n  [url \"https://bot:{}@github.com\"]\n",
        m.next(), m.next(), m.next(), m.next(), m.next()
    ));
    h.push_str("environment:\n");
    for f in &secrets {
        h.push_str(&format!(
            "  {}: {}\n",
            f.env_name(),
            yaml_quote(&secret_value(f, &m.next()))
        ));
    }
    h.push_str(&format!(
        "  ATLANTIS_GH_TOKN: {}\nenvironmentRaw:\n  - name: ATLANTIS_GITEA_TOKEN\n    value: {}\nextraArgs:\n  - --bitbucket-token={}\n  - --azuredevops-token\n  - {}\n# gh-token: {}\nconfig: |\n  gitea-token: {}\n  gh-tokn: {}\n",
        m.next(), m.next(), m.next(), m.next(), m.next(), m.next(), m.next()
    ));
    cases.push(file_case(dir, "helm-values", "values.yaml", &h));
    // 10. Terraform: a helm_release with set_sensitive and yamlencode values, a v4 module call
    //     with secrets in its environment (and in both lists), a v3 module with token variables,
    //     an ECS task definition in jsonencode.
    let mut t = format!(
        "resource \"helm_release\" \"atlantis\" {{\n  chart = \"atlantis\"\n  values = [yamlencode({{\n    orgAllowlist = \"github.com/acme/*\"\n    github = {{ user = \"bot\", token = \"{}\", secret = \"{}\" }}\n  }})]\n  set_sensitive {{\n    name  = \"gitlab.token\"\n    value = \"{}\"\n  }}\n  set {{\n    name  = \"environment.ATLANTIS_GITEA_TOKEN\"\n    value = \"{}\"\n  }}\n}}\n",
        m.next(),
        m.next(),
        m.next(),
        m.next()
    );
    t.push_str(&format!(
        "module \"atlantis\" {{\n  source = \"terraform-aws-modules/atlantis/aws\"\n  atlantis = {{\n    environment = [\n      {{ name = \"ATLANTIS_GH_USER\", value = \"bot\" }},\n      {{ name = \"ATLANTIS_GH_TOKEN\", value = \"{}\" }},\n      {{ name = \"ATLANTIS_GH_WEBHOOK_SECRET\", value = \"{}\" }},\n    ]\n    secrets = [{{ name = \"ATLANTIS_GH_TOKEN\", valueFrom = \"arn:aws:ssm:x\" }}]\n    command = [\"server\", \"--gitlab-token={}\"]\n  }}\n}}\n",
        m.next(), m.next(), m.next()
    ));
    t.push_str(&format!(
        "module \"legacy\" {{\n  source = \"terraform-aws-modules/atlantis/aws\"\n  atlantis_github_user = \"bot\"\n  atlantis_github_user_token = \"{}\"\n  atlantis_github_webhook_secret = \"{}\"\n  custom_environment_variables = [{{ name = \"ATLANTIS_GITLAB_TOKEN\", value = \"{}\" }}]\n}}\n",
        m.next(), m.next(), m.next()
    ));
    t.push_str(&format!(
        "resource \"aws_ecs_task_definition\" \"atlantis\" {{\n  family = \"atlantis\"\n  container_definitions = jsonencode([{{\n    name = \"atlantis\"\n    image = \"ghcr.io/runatlantis/atlantis\"\n    environment = [{{ name = \"ATLANTIS_BITBUCKET_TOKEN\", value = \"{}\" }}, {{ name = \"ATLANTIS_BITBUCKET_USER\", value = \"bot\" }}]\n  }}])\n}}\n# atlantis_github_user_token = \"{}\"\n",
        m.next(), m.next()
    ));
    cases.push(file_case(dir, "terraform", "main.tf", &t));
    // 11. An ECS task definition as JSON (describe-task-definition output).
    write(
        dir,
        "task.json",
        format!(
            "{{\"taskDefinition\": {{\"containerDefinitions\": [{{\"name\": \"atlantis\", \"image\": \"ghcr.io/runatlantis/atlantis\", \"environment\": [{{\"name\": \"ATLANTIS_GH_USER\", \"value\": \"bot\"}}, {{\"name\": \"ATLANTIS_GH_TOKEN\", \"value\": \"{}\"}}, {{\"name\": \"ATLANTIS_GH_WEBHOOK_SECRET\", \"value\": \"{}\"}}], \"secrets\": [{{\"name\": \"ATLANTIS_GH_TOKEN\", \"valueFrom\": \"arn:aws:ssm:x\"}}], \"command\": [\"server\", \"--gitea-token\", \"{}\"]}}]}}}}\n",
            m.next(),
            m.next(),
            m.next()
        ),
    );
    cases.push(Case {
        name: "ecs".into(),
        args: vec![path("task.json")],
        env: vec![],
    });

    // 11b. Terraform shapes read in place or refused: a `values` heredoc (indented), a token
    //     heredoc in a module's environment, a heredoc with interpolation (not read), then a
    //     `.tfvars` and a `.tf.json` holding tokens (one exit-2 message each).
    write(
        dir,
        "heredoc.tf",
        format!(
            "resource \"helm_release\" \"atlantis\" {{\n  chart = \"atlantis\"\n  values = [\n    <<-EOT\n    orgAllowlist: github.com/acme/*\n    github:\n      user: bot\n      token: {}\n      secret: {}\n    environment:\n      ATLANTIS_GITLAB_TOKEN: {}\n    environmentRaw:\n      - name: ATLANTIS_GITEA_TOKEN\n        value: {}\n    # gh-token: {}\n    EOT\n    ,\n    <<EOT\ngitlab:\n  token: ${{var.x}}{}\nEOT\n  ]\n}}\nmodule \"atlantis\" {{\n  source = \"terraform-aws-modules/atlantis/aws\"\n  atlantis = {{\n    environment = [\n      {{ name = \"ATLANTIS_GH_USER\", value = \"bot\" }},\n      {{ name = \"ATLANTIS_GH_TOKEN\", value = <<EOT\n{}\nEOT\n      }},\n      {{ name = \"ATLANTIS_GITLAB_TOKEN\", value = \"${{var.p}}{}\" }},\n      {{ name = \"ATLANTIS_GITEA_TOKEN\", value = trimspace(\"{}\") }},\n    ]\n  }}\n}}\n",
            m.next(),
            m.next(),
            m.next(),
            m.next(),
            m.next(),
            m.next(),
            m.next(),
            m.next(),
            m.next()
        ),
    );
    cases.push(Case {
        name: "terraform-heredoc".into(),
        args: vec![path("heredoc.tf")],
        env: vec![],
    });
    write(
        dir,
        "prod.tfvars",
        format!(
            "github_token = \"{}\"\natlantis_github_user_token = \"{}\"\n",
            m.next(),
            m.next()
        ),
    );
    write(
        dir,
        "main.tf.json",
        format!(
            "{{\"module\": {{\"atlantis\": {{\"source\": \"terraform-aws-modules/atlantis/aws\", \"atlantis_github_user_token\": \"{}\", \"atlantis\": {{\"environment\": [{{\"name\": \"ATLANTIS_GH_TOKEN\", \"value\": \"{}\"}}]}}}}}}}}\n",
            m.next(),
            m.next()
        ),
    );
    for (name, file) in [("tfvars", "prod.tfvars"), ("tf-json", "main.tf.json")] {
        cases.push(Case {
            name: name.into(),
            args: vec![path(file)],
            env: vec![],
        });
    }

    // 12. docker-compose: secrets in an environment list and map, in env_files (compose's
    //    dotenv rules: quoted, multi-line, interpolated, broken lines), in list and string
    //    commands, in a sidecar, in an anchored `x-` block merged into two services.
    let mut envf = String::new();
    for f in &secrets {
        envf.push_str(&format!(
            "{}='{}'\n",
            f.env_name(),
            secret_value(f, &m.next())
        ));
    }
    envf.push_str(&format!(
        "export ATLANTIS_GH_TOKEN=\"{}\"\nATLANTIS_GITLAB_TOKEN={} # c\nATLANTIS_GITEA_TOKEN='{}\n{}'\nATLANTIS_BITBUCKET_TOKEN=${{X}}{}\nbroken {}\nATLANTIS_GH_WEBHOOK_SECRET=\"{}\n",
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next()
    ));
    write(dir, "compose-atlantis.env", &envf);
    let mut c = format!(
        "x-secrets: &secrets\n  ATLANTIS_GH_TOKEN: {}\n  ATLANTIS_GH_WEBHOOK_SECRET: \"{}\"\nservices:\n  sidecar:\n    image: busybox\n    environment:\n      AWS_SECRET_ACCESS_KEY: {}\n",
        m.next(),
        m.next(),
        m.next()
    );
    c.push_str("  atlantis:\n    image: ghcr.io/runatlantis/atlantis:v0.30.0\n    env_file: [compose-atlantis.env, {path: missing.env}]\n    environment:\n");
    for f in &secrets {
        c.push_str(&format!(
            "      - {}={}\n",
            f.env_name(),
            secret_value(f, &m.next())
        ));
    }
    c.push_str(&format!(
        "      - ATLANTIS_GH_TOKEN=\"{}\"\n      - ATLANTIS_GH_TOKN={}\n      - GH_TOKEN={}\n      - ATLANTIS_GITLAB_TOKEN=${{{}\n    command: [server, --gitlab-token={}, --azuredevops-token, {}, --gh-tokn={}, stray-{}, '--gh-token=\"{}\"']\n",
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next(),
        m.next()
    ));
    c.push_str(&format!(
        "  atlantis2:\n    image: ghcr.io/runatlantis/atlantis:v0.30.0\n    environment:\n      <<: *secrets\n    command: server --gh-user=bot --gh-token='{}' --gitlab-token {} --bitbucket-token=\"{}\n",
        m.next(),
        m.next(),
        m.next()
    ));
    cases.push(file_case(dir, "compose", "docker-compose.yml", &c));

    // 13. A repos.yaml held in the deployment (Helm `repoConfig`, a ConfigMap key mounted where
    //     ATLANTIS_REPO_CONFIG points, a Terraform heredoc), broken so that its findings are
    //     printed beside the values file's credentials: an env step's value under a secret name
    //     (in a step the rules report), `NAME=value` in hook and step commands, a secret-named
    //     key, a commented-out token.
    let repos = |m: &mut Markers, indent: &str| -> String {
        let body = format!(
            "# gh-token: {}\nrepos:\n- id: /.*/\n  apply_requirements: [bogus]\n  pre_workflow_hooks:\n  - run: GITHUB_TOKEN={} ./hook.sh\n    command: plan\nworkflows:\n  w:\n    plan:\n      steps:\n      - env:\n          name: TF_TOKEN\n          value: {}\n          command: x\n      - run: TF_VAR_token={} terraform plan\n      - token: {}\n",
            m.next(),
            m.next(),
            m.next(),
            m.next(),
            m.next()
        );
        body.lines().map(|l| format!("{indent}{l}\n")).collect()
    };
    let hv = format!(
        "orgAllowlist: github.com/acme/*\natlantisUrl: https://atlantis.acme.example\ngithub:\n  user: atlantis-bot\n  token: {}\n  secret: {}\nrepoConfig: |\n{}",
        m.next(),
        m.next(),
        repos(m, "  ")
    );
    cases.push(file_case(
        dir,
        "helm-repo-config",
        "repo-config-values.yaml",
        &hv,
    ));
    // The same as a quoted string (linted as decoded, findings at the whole value).
    let body = repos(m, "");
    let hq = format!(
        "orgAllowlist: github.com/acme/*\ngithub:\n  user: atlantis-bot\n  token: {}\nrepoConfig: {}\n",
        m.next(),
        serde_json::to_string(&body).unwrap()
    );
    cases.push(file_case(
        dir,
        "helm-repo-config-quoted",
        "repo-config-quoted.yaml",
        &hq,
    ));
    let km = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: repos\ndata:\n  repos.yaml: |\n{}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: atlantis\nspec:\n  template:\n    spec:\n      containers:\n        - name: atlantis\n          image: ghcr.io/runatlantis/atlantis:v0.47.1\n          env:\n            - name: ATLANTIS_GH_USER\n              value: atlantis-bot\n            - name: ATLANTIS_GH_TOKEN\n              value: {}\n            - name: ATLANTIS_REPO_CONFIG\n              value: /etc/atlantis/repos.yaml\n          volumeMounts: [{{name: r, mountPath: /etc/atlantis}}]\n      volumes: [{{name: r, configMap: {{name: repos}}}}]\n",
        repos(m, "    "),
        m.next()
    );
    cases.push(file_case(
        dir,
        "kubernetes-repo-config",
        "repo-config-manifest.yaml",
        &km,
    ));
    let tf = format!(
        "resource \"helm_release\" \"atlantis\" {{\n  chart = \"atlantis\"\n  values = [yamlencode({{\n    orgAllowlist = \"github.com/acme/*\"\n    github = {{ user = \"bot\", token = \"{}\", secret = \"{}\" }}\n    repoConfig = <<-EOT\n{}    EOT\n  }})]\n}}\n",
        m.next(),
        m.next(),
        repos(m, "      ")
    );
    cases.push(file_case(
        dir,
        "terraform-repo-config",
        "repo-config.tf",
        &tf,
    ));

    // 14. A repos.yaml and an atlantis.yaml linted on their own, whose findings show the lines
    //     around: an env step's value (flow and block mappings), credentials in hook commands,
    //     and the same in files that do not parse (an unclosed quote, a block scalar).
    let repo_docs = [
        (
            "repo-config",
            format!(
                "repos:\n- id: /.*/\n  apply_requirements: [bogus]\n  workflow: w\n  pre_workflow_hooks:\n  - run: curl -u bot:{} https://x\n  - run: GITHUB_TOKEN={} ./x\n    bogus: 1\n  - run: |\n      curl --password {} https://x\n    bogus: 2\nworkflows:\n  w:\n    plan:\n      steps:\n      - env: {{name: TF_TOKEN, value: \"{}\"}}\n      - env:\n          name: TF_TOKEN\n          value: {}\n      - bogus\n",
                m.plain(),
                m.plain(),
                m.plain(),
                m.plain(),
                m.plain()
            ),
        ),
        (
            "repo-config",
            format!(
                "repos:\n- id: /.*/\n  workflow: w\nworkflows:\n  w:\n    plan:\n      steps:\n      - env: {{name: TF_TOKEN, value: \"{}}}\n",
                m.plain()
            ),
        ),
        (
            "repo-config",
            format!(
                "repos:\n- id: /.*/\n  pre_workflow_hooks:\n  - run: |\n      curl -u bot:{} https://x\n     bad: [\n",
                m.plain()
            ),
        ),
        (
            "repo-yaml",
            format!(
                "version: 3\nprojects:\n- dir: .\n  workflow: w\nworkflows:\n  w:\n    plan:\n      steps:\n      - env:\n          value: \"{}\n          name: GITHUB_TOKEN\n",
                m.plain()
            ),
        ),
        (
            "repo-yaml",
            format!(
                "version: 3\nprojects:\n- dir: .\n  workflow: w\n  bogus: 1\nworkflows:\n  w:\n    plan:\n      steps:\n      - env: {{name: GITHUB_TOKEN, value: {}}}\n      - run: terraform plan -var token={}\n      - bogus\n",
                m.plain(),
                m.plain()
            ),
        ),
    ];
    for (i, (kind, text)) in repo_docs.iter().enumerate() {
        let name = format!("repo-doc{i}.yaml");
        write(dir, &name, text);
        cases.push(Case {
            name: format!("repo-doc-{i}"),
            args: vec!["--kind".into(), kind.to_string(), path(&name)],
            env: vec![],
        });
    }
    cases
}

/// What a command to lint with looks like: the subcommand words and the option variants.
struct Variant {
    label: String,
    args: Vec<String>,
}

/// Options never used here: they reveal secrets on purpose, or go to the network.
fn excluded_option(name: &str) -> bool {
    matches!(
        name,
        "online" | "show-secrets" | "force" | "help" | "version"
    ) || name.starts_with("online-")
}

fn excluded_value(option: &str, value: &str) -> bool {
    (option == "secrets" && matches!(value, "include" | "show" | "plain"))
        || value.contains("include")
}

/// For a (sub)command: one variant per value of each enum option (others at their defaults),
/// plus each boolean switch once.
fn variants(prefix: &[&str]) -> Vec<Variant> {
    let mut out = vec![Variant {
        label: "defaults".into(),
        args: vec![],
    }];
    // Values that need another option to be valid (`emit --to X`), so probe with a known one.
    let required: Vec<String> = required_option(prefix);
    let req: Vec<&str> = required.iter().map(String::as_str).collect();
    for (name, takes_value) in options(prefix) {
        if excluded_option(&name) {
            continue;
        }
        let flag = format!("--{name}");
        if takes_value {
            let extra: &[&str] = if req.first() == Some(&flag.as_str()) {
                &[]
            } else {
                &req
            };
            for v in possible_values(prefix, &flag, extra) {
                if excluded_value(&name, &v) {
                    continue;
                }
                out.push(Variant {
                    label: format!("{flag} {v}"),
                    args: vec![flag.clone(), v],
                });
            }
        } else if !matches!(name.as_str(), "env") {
            out.push(Variant {
                label: flag.clone(),
                args: vec![flag.clone()],
            });
        }
    }
    // A required enum option (`--to`) must be on every variant: cross it with the others.
    if let Some(req_name) = required.first() {
        let forms: Vec<Variant> = out
            .iter()
            .filter(|v| v.args.first() == Some(req_name))
            .map(|v| Variant {
                label: v.label.clone(),
                args: v.args.clone(),
            })
            .collect();
        let others: Vec<Variant> = out
            .drain(..)
            .filter(|v| v.args.first() != Some(req_name))
            .collect();
        for f in &forms {
            for o in &others {
                let mut args = f.args.clone();
                args.extend(o.args.clone());
                out.push(Variant {
                    label: format!("{} {}", f.label, o.label),
                    args,
                });
            }
        }
    }
    out
}

/// A required option with a value of a subcommand (clap says "the following required arguments
/// were not provided: --to <FORM>"), as `[--to, first-value]`.
fn required_option(prefix: &[&str]) -> Vec<String> {
    if prefix.is_empty() {
        return vec![];
    }
    let out = command()
        .args(prefix)
        .arg("/nonexistent.yaml")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let Some(at) = err.find("required arguments were not provided") else {
        return vec![];
    };
    let rest = &err[at..];
    let Some(dd) = rest.find("--") else {
        return vec![];
    };
    let name: String = rest[dd..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let values = possible_values(prefix, &name, &[]);
    match values.into_iter().next() {
        Some(v) => vec![name, v],
        None => vec![],
    }
}

/// Commands that read a configuration: the linter itself and every subcommand whose help
/// offers `--env-file`.
fn source_commands() -> Vec<Vec<String>> {
    let mut cmds = vec![vec![]];
    for sub in subcommands() {
        if options(&[sub.as_str()])
            .iter()
            .any(|(n, _)| n == "env-file")
        {
            cmds.push(vec![sub]);
        }
    }
    cmds
}

fn check_no_leak(text: &str, windows: &BTreeSet<String>, what: &str) -> Result<(), String> {
    if text.len() < WINDOW {
        return Ok(());
    }
    // Scan every 8-byte window of the output against the marker windows.
    let bytes = text.as_bytes();
    for i in 0..=bytes.len() - WINDOW {
        if let Ok(w) = std::str::from_utf8(&bytes[i..i + WINDOW]) {
            if windows.contains(w) {
                let context = String::from_utf8_lossy(
                    &bytes[i.saturating_sub(60)..(i + 60).min(bytes.len())],
                )
                .into_owned();
                return Err(format!("{what}: marker window `{w}` leaked in …{context}…"));
            }
        }
    }
    Ok(())
}

#[test]
fn no_secret_reaches_any_output() {
    let dir = scratch("leak");
    let mut markers = Markers::new();
    let cases = build_cases(&dir, &mut markers);
    let windows = markers.windows();
    let out_file = dir.join("output.out");

    let commands = source_commands();
    let mut runs = 0;
    let mut failures = Vec::new();
    let mut exit_codes = BTreeSet::new();
    for cmd_words in &commands {
        let prefix: Vec<&str> = cmd_words.iter().map(String::as_str).collect();
        let mut variants = variants(&prefix);
        // `--output FILE`: each format once more, written to a file.
        if options(&prefix).iter().any(|(n, _)| n == "output") {
            let extra: Vec<Variant> = variants
                .iter()
                .filter(|v| v.args.first().is_some_and(|a| a == "--format"))
                .map(|v| Variant {
                    label: format!("{} --output", v.label),
                    args: [
                        v.args.clone(),
                        vec!["--output".into(), out_file.to_string_lossy().into_owned()],
                    ]
                    .concat(),
                })
                .collect();
            variants.extend(extra);
        }
        if std::env::var_os("LEAK_DEBUG").is_some() {
            eprintln!(
                "{cmd_words:?}: {:?}",
                variants.iter().map(|v| &v.label).collect::<Vec<_>>()
            );
        }
        for variant in &variants {
            for case in &cases {
                let _ = std::fs::remove_file(&out_file);
                let mut cmd: Command = command();
                cmd.args(&prefix).args(&variant.args);
                // Sources last: the command line after `--` must stay last.
                cmd.args(&case.args);
                for (k, v) in &case.env {
                    cmd.env(k, v);
                }
                let what = format!(
                    "`{} {}` on {}",
                    cmd_words.join(" "),
                    variant.label,
                    case.name
                );
                let run = run_with(cmd, None, Duration::from_secs(30));
                runs += 1;
                exit_codes.insert(run.code);
                for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
                    if let Err(e) = check_no_leak(text, &windows, &format!("{what} ({stream})")) {
                        failures.push(e);
                    }
                }
                if let Ok(bytes) = std::fs::read(&out_file) {
                    let text = String::from_utf8_lossy(&bytes);
                    if let Err(e) = check_no_leak(&text, &windows, &format!("{what} (--output)")) {
                        failures.push(e);
                    }
                }
            }
        }
    }
    assert!(runs >= 50, "only {runs} runs: enumeration failed");
    // Runs with and without errors.
    assert!(
        exit_codes.contains(&0) && exit_codes.contains(&1),
        "exit codes {exit_codes:?}"
    );
    assert!(
        failures.is_empty(),
        "{} leaks in {runs} runs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn markers_are_detected_when_printed() {
    // The detector itself works: a window of a marker anywhere in a text is found.
    let mut m = Markers::new();
    let a = m.next();
    let w = m.windows();
    assert!(check_no_leak(&format!("xx {} yy", &a[5..13]), &w, "t").is_err());
    assert!(check_no_leak("nothing here at all", &w, "t").is_ok());
}

#[test]
fn enumeration_finds_formats_and_commands() {
    let lint = variants(&[]);
    let formats: Vec<_> = lint
        .iter()
        .filter(|v| v.args.first().is_some_and(|a| a == "--format"))
        .collect();
    assert!(
        formats.len() >= 2,
        "formats: {:?}",
        formats.iter().map(|v| &v.label).collect::<Vec<_>>()
    );
    assert!(formats.iter().any(|v| v.args[1] == "json"));
    assert!(!source_commands().is_empty());
}

/// What a hostile or broken Git host might answer: the request's own credentials echoed back in
/// an error message, a user name, a scope header or an HTML page.
fn echo_reply(kind: usize, req: &support::Req) -> support::Reply {
    let echo: String = req
        .headers
        .iter()
        .map(|(k, v)| format!("{k}={v} "))
        .chain([req.path.clone()])
        .collect::<String>()
        .replace(['"', '\\'], "");
    match kind {
        0 => support::Reply::json(401, format!(r#"{{"message":"Bad credentials: {echo}"}}"#)),
        1 => support::Reply::json(
            200,
            format!(
                r#"{{"login":"{echo}","username":"{echo}","name":"{echo}","id":1,"scopes":["{echo}"],"expires_at":"{echo}"}}"#
            ),
        )
        .header("x-oauth-scopes", &echo)
        .header("x-accepted-oauth-scopes", &echo),
        2 => support::Reply::json(403, format!(r#"{{"error":"{echo}","error_description":"{echo}"}}"#)),
        _ => support::Reply::html(500, format!("<html><body><pre>{echo}</pre></body></html>")),
    }
}

#[test]
fn online_probe_never_prints_what_a_host_echoes() {
    if !options(&[]).iter().any(|(n, _)| n == "online") {
        return; // built without the online feature
    }
    let dir = scratch("leak-online");
    let mut markers = Markers::new();
    let cases = build_cases(&dir, &mut markers);
    let windows = markers.windows();
    let formats = possible_values(&[], "--format", &[]);
    assert!(!formats.is_empty());
    let mut failures = Vec::new();
    let mut runs = 0;
    for kind in 0..4 {
        let server = support::start(move |req| echo_reply(kind, req));
        for case in cases
            .iter()
            .filter(|c| matches!(c.name.as_str(), "valid" | "all-inline" | "env" | "broken-0"))
        {
            for format in &formats {
                let mut cmd = command();
                cmd.args([
                    "--online",
                    "--format",
                    format,
                    "--online-timeout",
                    "5",
                    "--ca-cert",
                ])
                .arg(support::ca_path())
                .args(server.connect_to())
                .args(&case.args);
                for (k, v) in &case.env {
                    cmd.env(k, v);
                }
                let run = run_with(cmd, None, Duration::from_secs(60));
                runs += 1;
                let what = format!("--online --format {format} on {} (reply {kind})", case.name);
                if std::env::var_os("LEAK_DEBUG").is_some() && format == "concise" {
                    eprintln!("{what}:\n{}{}", run.stdout, run.stderr);
                }
                for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
                    if let Err(e) = check_no_leak(text, &windows, &format!("{what} ({stream})")) {
                        failures.push(e);
                    }
                }
            }
        }
        assert!(
            !server.requests().is_empty(),
            "the probes reached the fake host"
        );
    }
    assert!(
        failures.is_empty(),
        "{} leaks in {runs} online runs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Secrets only the online layer knows: a token read from `gh-token-file`, and the JWT it signs
/// with a key read from `gh-app-key-file`. A host echoes the request's headers back in every
/// shape (`echo_reply`); no 8-character piece of the token, of its Basic encoding, or of the
/// JWT's claims and signature may appear in any format or on stderr.
#[test]
fn online_probe_never_prints_an_echoed_file_secret_or_jwt() {
    if !options(&[]).iter().any(|(n, _)| n == "online") {
        return; // built without the online feature
    }
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let dir = scratch("leak-online-files");
    let mut markers = Markers::new();
    let token = markers.next();
    let token_file = write(&dir, "gh-token", format!("{token}\n"));
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
    let pem = key.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
    let key_file = write(&dir, "app.pem", pem.as_bytes());
    let configs = [
        write(
            &dir,
            "token-file.yaml",
            format!("{BASE}gh-user: atlantis-bot\ngh-token-file: {token_file}\n"),
        ),
        write(
            &dir,
            "app-key-file.yaml",
            format!("{BASE}gh-app-id: 12345\ngh-app-key-file: {key_file}\nwrite-git-creds: true\n"),
        ),
    ];
    let mut windows = markers.windows();
    let formats = possible_values(&[], "--format", &[]);
    let mut failures = Vec::new();
    for kind in 0..4 {
        let server = support::start(move |req| echo_reply(kind, req));
        for config in &configs {
            for format in &formats {
                let mut cmd = command();
                cmd.args([
                    "--online",
                    "--format",
                    format,
                    "--online-timeout",
                    "5",
                    "--ca-cert",
                ])
                .arg(support::ca_path())
                .args(server.connect_to())
                .arg(config);
                let run = run_with(cmd, None, Duration::from_secs(60));
                // The JWTs this run sent: their claims and signatures are secrets too (the
                // header part is the same public `{"alg":"RS256","typ":"JWT"}` for everyone).
                for r in server.requests() {
                    if let Some(jwt) = r
                        .header("authorization")
                        .and_then(|a| a.strip_prefix("Bearer "))
                    {
                        for part in jwt.split('.').skip(1) {
                            for i in 0..=part.len().saturating_sub(WINDOW) {
                                windows.insert(part[i..i + WINDOW].to_string());
                            }
                        }
                    }
                    // Every credential sent (the Basic header's base64 too), whole.
                    if let Some(auth) = r.header("authorization") {
                        let credential = auth.split_once(' ').map_or(auth, |(_, c)| c);
                        let credential = credential
                            .strip_prefix("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.")
                            .unwrap_or(credential);
                        if credential.len() >= WINDOW {
                            for i in 0..=credential.len() - WINDOW {
                                if let Some(w) = credential.get(i..i + WINDOW) {
                                    windows.insert(w.to_string());
                                }
                            }
                        }
                    }
                }
                let what = format!("--online --format {format} on {config} (reply {kind})");
                for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
                    if let Err(e) = check_no_leak(text, &windows, &format!("{what} ({stream})")) {
                        failures.push(e);
                    }
                }
            }
        }
        let auth: Vec<String> = server
            .requests()
            .iter()
            .filter_map(|r| {
                r.header("authorization")
                    .map(|a| a.split(' ').next().unwrap_or("").to_string())
            })
            .collect();
        assert!(
            auth.iter().any(|a| a == "Basic"),
            "the token file was sent: {auth:?}"
        );
        assert!(
            auth.iter().any(|a| a == "Bearer"),
            "a JWT was sent: {auth:?}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} leaks:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A token pasted where the linter wants something else (an option's value, a file name, an
/// unknown option) is refused without being quoted: clap's and the linter's own messages about
/// their command line mask token shapes, in every format and on stderr.
#[test]
fn a_token_pasted_into_the_linters_own_command_line_is_not_printed() {
    let token = "ghp_Qz7VxK3m9TrW2pLs8NbY4hDcJ6fGaE1uR5tX";
    let windows: BTreeSet<String> = (4..=token.len() - WINDOW)
        .map(|i| token[i..i + WINDOW].to_string())
        .collect();
    let dir = scratch("pasted-token");
    let config = dir.join("atlantis.yaml");
    std::fs::write(&config, "repo-allowlist: github.com/acme/*\n").unwrap();
    let config = config.to_str().unwrap().to_string();
    let mut runs: Vec<Vec<String>> = vec![
        vec![config.clone(), token.into()],
        vec![format!("--{token}"), config.clone()],
        vec![format!("--gh-token={token}"), config.clone()],
    ];
    for format in ["human", "concise", "json", "sarif", "github", "gitlab"] {
        runs.push(vec![
            "-f".into(),
            format.into(),
            config.clone(),
            token.into(),
        ]);
    }
    let mut prefixes: Vec<Vec<String>> = vec![vec![]];
    prefixes.extend(subcommands().into_iter().map(|s| vec![s]));
    for prefix in prefixes {
        let p: Vec<&str> = prefix.iter().map(String::as_str).collect();
        for (name, takes_value) in options(&p) {
            if takes_value && !matches!(name.as_str(), "output" | "settings" | "stdin-filename") {
                let mut args = prefix.clone();
                args.extend([format!("--{name}"), token.to_string(), config.clone()]);
                runs.push(args);
            }
        }
    }
    let mut failures = Vec::new();
    for args in &runs {
        let out = command().args(args).output().unwrap();
        for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(text);
            if let Err(e) = check_no_leak(&text, &windows, &format!("{args:?} {stream}")) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(runs.len() > 20, "only {} runs", runs.len());
}
