//! Helm values, Terraform and ECS task definitions through the real binary: the bad inputs of
//! issue 11 (a values file with `{{ }}`, HCL that does not parse, values for another chart, a
//! missing `file(...)`), several values files layered with `--values`, directory discovery of
//! `*.tf` (not `.terraform/`), standard input with `--kind`, and `emit` from a values file.

mod common;

use common::forms::{no_panic, run, run_stdin, text};
use std::path::Path;
use std::process::{Command, Output};

fn emit(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_atlantis-lint"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .arg("emit")
        .args(args)
        .output()
        .unwrap();
    no_panic(&out);
    out
}

#[test]
fn bad_inputs_get_one_clear_error() {
    let d = common::scratch("forms-bad");
    let put = |n: &str, t: &str| std::fs::write(d.join(n), t).unwrap();
    put(
        "helmfile-values.yaml",
        "orgAllowlist: {{ .Values.org }}/*\nvcsSecretName: atlantis-vcs\ngithub:\n  user: bot\n",
    );
    put(
        "broken.tf",
        "module \"atlantis\" {\n  source = \"terraform-aws-modules/atlantis/aws\"\n  atlantis = {\n    environment = [\n}\n",
    );
    let mut other = String::from("# values for another chart\nreplicaCount: 2\n");
    for k in [
        "image",
        "ingress",
        "postgresql",
        "redisCluster",
        "auth",
        "persistence",
        "metrics",
        "serviceMonitor",
    ] {
        other.push_str(&format!("{k}:\n  enabled: true\n"));
    }
    put("other-values.yaml", &other);
    put(
        "main.tf.json",
        "{\"module\": {\"atlantis\": {\"source\": \"terraform-aws-modules/atlantis/aws\", \"atlantis\": {\"environment\": [{\"name\": \"ATLANTIS_GH_USER\", \"value\": \"bot\"}]}}}}\n",
    );
    put(
        "heredoc.tf",
        "resource \"helm_release\" \"atlantis\" {\n  chart  = \"atlantis\"\n  values = [<<-EOT\n    orgAllowlist: [github.com/acme/*\n    EOT\n  ]\n}\n",
    );
    for (file, kind, wanted) in [
        (
            "helmfile-values.yaml",
            "helm-values",
            "Go template syntax (`{{ ... }}` at line 1)",
        ),
        (
            "broken.tf",
            "terraform",
            "it is not valid HCL: line 5, column 1",
        ),
        (
            "main.tf.json",
            "terraform-json",
            "does not read Terraform's JSON syntax (`*.tf.json`) yet",
        ),
        (
            "heredoc.tf",
            "terraform",
            "the `values` heredoc of helm_release.atlantis is not valid YAML (line 5",
        ),
        (
            "other-values.yaml",
            "helm-values",
            "are not values of the Atlantis chart (runatlantis/atlantis 6.9.3): it looks like values for a different chart",
        ),
    ] {
        let out = run(&d, &["--kind", kind, file]);
        assert_eq!(out.status.code(), Some(2), "{file}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains(wanted), "{file}: {err}");
        assert_eq!(
            err.lines().count(),
            1,
            "{file}: one line, not a flood: {err}"
        );
        assert!(text(&out.stdout).is_empty() || !text(&out.stdout).contains("unknown-key"));
    }
    // Detected without --kind: the broken .tf by its name, the JSON syntax by its name (never
    // linted as a server config, which would be a flood of unknown keys).
    let out = run(&d, &["broken.tf"]);
    assert_eq!(out.status.code(), Some(2));
    put(
        "terraform.tfvars",
        "github_user = \"bot\"\nrepos = [\"github.com/acme/*\"]\n",
    );
    let out = run(&d, &["terraform.tfvars"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("holds values for Terraform variables"));
    assert!(!text(&out.stdout).contains("unsupported-config-file"));
    let out = run(&d, &["main.tf.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Terraform file in JSON syntax"));
    assert!(!text(&out.stdout).contains("unknown-key"));
    let _ = std::fs::remove_dir_all(&d);
}

/// `--values` layers files as `helm -f a -f b`: later wins, maps merge deeply, `null` deletes.
#[test]
fn values_files_merge_like_helm() {
    let d = common::scratch("forms-layers");
    std::fs::write(
        d.join("values.yaml"),
        "orgAllowlist: github.com/acme/*\natlantisUrl: https://atlantis.acme.example\nvcsSecretName: atlantis-vcs\ngithub:\n  user: atlantis-bot\n  hostname: github.acme.example\nlogLevel: debug\n",
    )
    .unwrap();
    std::fs::write(
        d.join("prod.yaml"),
        "orgAllowlist: github.com/acme/infra\ngithub:\n  hostname: null\nlogLevel: DEBUG\n",
    )
    .unwrap();
    let out = emit(
        &d,
        &["--to", "dotenv", "values.yaml", "--values", "prod.yaml"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let env = text(&out.stdout);
    // prod.yaml wins for the allowlist and the log level; github.user survives the deep
    // merge; github.hostname is deleted by `null`.
    assert!(
        env.contains("ATLANTIS_REPO_ALLOWLIST=github.com/acme/infra\n"),
        "{env}"
    );
    assert!(env.contains("ATLANTIS_GH_USER=atlantis-bot\n"), "{env}");
    assert!(!env.contains("GH_HOSTNAME"), "{env}");
    // A finding points into the file that wrote the value.
    let out = run(
        &d,
        &["-f", "concise", "values.yaml", "--values", "prod.yaml"],
    );
    let report = text(&out.stdout);
    assert!(
        report.contains("prod.yaml:4:11: warning[log-level-case]"),
        "{report}"
    );
    // --values with a file of another kind is a usage error, not a silent no-op.
    std::fs::write(d.join("server.yaml"), "gh-user: bot\n").unwrap();
    let out = run(&d, &["server.yaml", "--values", "prod.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--values prod.yaml layers Helm values files"));
    let _ = std::fs::remove_dir_all(&d);
}

/// A directory search reads `*.tf` files that hold Atlantis, skips the others and everything
/// under `.terraform/` (downloaded modules, including terraform-aws-atlantis's own source).
#[test]
fn directory_search_reads_terraform_but_not_dot_terraform() {
    let d = common::scratch("forms-walk");
    std::fs::create_dir_all(d.join(".terraform/modules/atlantis")).unwrap();
    std::fs::write(
        d.join(".terraform/modules/atlantis/main.tf"),
        "module \"atlantis\" {\n  source = \"terraform-aws-modules/atlantis/aws\"\n  atlantis = { environment = [{ name = \"ATLANTIS_GH_TOKN\", value = \"x\" }] }\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("network.tf"),
        "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("atlantis.tf"),
        "module \"atlantis\" {\n  source = \"terraform-aws-modules/atlantis/aws\"\n  atlantis = {\n    environment = [\n      { name = \"ATLANTIS_GH_USER\", value = \"atlantis-bot\" },\n      { name = \"ATLANTIS_REPO_ALLOWLIST\", value = \"github.com/acme/*\" },\n    ]\n    secrets = [\n      { name = \"ATLANTIS_GH_TOKEN\", valueFrom = var.token_arn },\n      { name = \"ATLANTIS_GH_WEBHOOK_SECRET\", valueFrom = var.secret_arn },\n      { name = \"ATLANTIS_GH_USER\", valueFrom = var.user_arn },\n    ]\n  }\n}\n",
    )
    .unwrap();
    let out = run(&d, &["-f", "concise", "."]);
    let report = text(&out.stdout);
    assert_eq!(
        report,
        "./atlantis.tf:3:3: info[atlantis-version] terraform-aws-atlantis runs its default image when `atlantis.image` is not set (`ghcr.io/runatlantis/atlantis:latest`), which does not name a release: checking against Atlantis v0.47.1, the latest known\n./atlantis.tf:11:17: error[ecs-env-and-secret] `ATLANTIS_GH_USER` is in both `environment` and `secrets`: ECS refuses the task definition (\"The secret name must be unique and not shared with any new or existing environment variables\")\n",
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// Standard input in a named kind: a task definition from `aws ecs describe-task-definition`.
#[test]
fn ecs_json_from_standard_input() {
    let d = common::scratch("forms-stdin");
    let args = [
        "-f",
        "concise",
        "--kind",
        "ecs",
        "--stdin-filename",
        "task.json",
        "-",
    ];
    let out = run_stdin(&d, &args, b"{\"taskDefinition\": {\"containerDefinitions\": [{\"name\": \"atlantis\", \"image\": \"ghcr.io/runatlantis/atlantis:v0.35.0\", \"environment\": [{\"name\": \"ATLANTIS_GH_USER\", \"value\": \"bot\"}, {\"name\": \"ATLANTIS_REPO_ALLOWLIST\", \"value\": \"github.com/acme/*\"}], \"secrets\": [{\"name\": \"ATLANTIS_GH_TOKEN\", \"valueFrom\": \"arn:aws:ssm:eu-west-1:1:parameter/t\"}]}]}}\n");
    assert_eq!(
        text(&out.stdout),
        "task.json:1:142: warning[missing-webhook-secret] gh-user is set but gh-webhook-secret is not: GitHub webhooks are not authenticated\n",
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// `emit` reads a values file: the chart's env (defaults included), secrets by reference.
#[test]
fn a_values_file_emits_k8s_env_and_dotenv() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ok");
    let out = emit(&dir, &["--to", "k8s-env", "helm-values.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let env = text(&out.stdout);
    assert!(
        env.contains("- name: ATLANTIS_GH_WEBHOOK_SECRET\n  valueFrom:\n    secretKeyRef:\n      name: atlantis-vcs\n      key: github_secret\n"),
        "{env}"
    );
    assert!(
        env.contains("- name: ATLANTIS_GH_APP_INSTALLATION_ID\n  value: \"45678901\"\n"),
        "{env}"
    );
    assert!(
        env.contains("- name: ATLANTIS_DATA_DIR\n  value: \"/atlantis-data\"\n"),
        "{env}"
    );
    let out = emit(&dir, &["--to", "dotenv", "helm-values.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let env = text(&out.stdout);
    assert!(
        env.contains("ATLANTIS_DISABLE_AUTOPLAN_LABEL=no-autoplan\n"),
        "{env}"
    );
    assert!(env.contains("ATLANTIS_PARALLEL_POOL_SIZE=8\n"), "{env}");
    assert!(!env.contains("ATLANTIS_GH_WEBHOOK_SECRET="), "{env}");
}

/// The repo-config kinds (issue 13) and the deployment forms (Helm values, Terraform, ECS) are
/// told apart by their top-level keys (and `.tf` by its name): a values file that embeds a
/// `repoConfig` is Helm values, a `repos.yaml` a server-side repo config, a file with
/// `version`/`projects` a repository's atlantis.yaml, whatever the file is called.
#[test]
fn repo_kinds_and_deployment_forms_are_told_apart() {
    use atlantis_lint::input::{NamedBytes, detect};
    let kind = |name: &str, text: &str| {
        detect(&NamedBytes {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        })
        .name
    };
    let cases = [
        (
            "values.yaml",
            "orgAllowlist: github.com/acme/*\nrepoConfig: |\n  repos:\n  - id: /.*/\n",
            "helm-values",
        ),
        ("values.yaml", "repoConfig: |\n  repos: []\n", "helm-values"),
        (
            "atlantis-values.yaml",
            "github:\n  user: bot\nvcsSecretName: vcs\n",
            "helm-values",
        ),
        ("values.yaml", "repos:\n- id: /.*/\n", "repo-config"),
        (
            "repos.yaml",
            "repos:\n- id: /.*/\nworkflows: {}\n",
            "repo-config",
        ),
        (
            "atlantis.yaml",
            "version: 3\nprojects:\n- dir: .\n",
            "repo-yaml",
        ),
        (
            "helm/atlantis.yaml",
            "version: 3\nprojects:\n- dir: .\n",
            "repo-yaml",
        ),
        (
            "main.tf",
            "module \"atlantis\" {\n  source = \"terraform-aws-modules/atlantis/aws\"\n}\n",
            "terraform",
        ),
        (
            "atlantis.yaml",
            "repo-allowlist: github.com/acme/*\nrepos: []\n",
            "server-config",
        ),
    ];
    for (name, text, want) in cases {
        assert_eq!(kind(name, text), want, "{name}: {text}");
    }
}
