//! In-process benchmarks of the whole pipeline (read, merge, rules, report in both formats).
//!
//! `cargo bench --bench pipeline` runs them; `cargo test` does not build them. Cases: every
//! `fixtures/ok` config (a typical config), a config with 5,000 keys, 1,000 configs in a row, a
//! 300-line multi-document Kubernetes manifest and 1,000 such manifests, a 400-line values file
//! for the Atlantis Helm chart, the chart's whole default values.yaml with an operator's edits,
//! a Terraform module call and a whole root module, a 500-line repos.yaml, and a periodic secret
//! value of 16 KB to 1 MB (the redactor used to build its automaton in quadratic time for such
//! values, and up to 64 KB, where a secret is also searched piece by piece, to widen every
//! overlapping piece to its whole word again): the throughput must stay flat with the size.

use atlantis_lint::input::{NamedBytes, Request};
use atlantis_lint::lint::{self, Policy};
use atlantis_lint::repo_config::Kind;
use atlantis_lint::repo_config::run::DocInput;
use atlantis_lint::report::{self, Report};
use atlantis_lint::rules::Options;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn request(name: &str, text: &str) -> Request {
    Request::for_file(NamedBytes {
        name: name.to_string(),
        bytes: text.as_bytes().to_vec(),
    })
}

/// Everything the binary does for one run, except process start-up and writing to stdout.
fn lint_all(requests: &[Request], options: &Options) -> usize {
    let policy = Policy::default();
    let mut rep = Report::default();
    for r in requests {
        let (cfg, findings) = lint::lint(r, options, &policy);
        rep.add(&cfg, findings);
    }
    rep.finish();
    report::json::render(&rep).len() + report::human::render(&rep, false, 100).len()
}

fn ok_fixtures() -> Vec<Request> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ok");
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if (name.ends_with(".yaml") || name.ends_with(".yml")) && !name.contains(".expected.") {
            let text = std::fs::read_to_string(&p).unwrap();
            // Repo configs and atlantis.yaml files have their own case below.
            if atlantis_lint::repo_config::run::detect(text.as_bytes()).is_none() {
                out.push(request(&name, &text));
            }
        }
    }
    assert!(!out.is_empty());
    out
}

/// A config of `n` keys: the typical settings, then custom keys (each an unknown-key finding
/// with a "did you mean" search) and every tenth one a misspelled flag.
pub fn many_keys(n: usize) -> String {
    let mut s = String::from(
        "atlantis-url: https://atlantis.example.com\nrepo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-token-file: /run/gh-token\n",
    );
    for i in 0..n {
        if i % 10 == 0 {
            s.push_str(&format!("gh-usr{i}: value-{i}\n"));
        } else {
            s.push_str(&format!("custom-setting-{i}: \"value {i}\"\n"));
        }
    }
    s
}

/// A server-side repo config of about `lines` lines: repos with requirements, overrides and
/// hooks, regex and exact ids, and custom workflows with every step shape.
pub fn repos_yaml(lines: usize) -> String {
    let mut s = String::from(
        "repos:\n- id: /.*/\n  apply_requirements: [approved, mergeable]\n  allowed_overrides: [workflow]\n",
    );
    let mut i = 0;
    while s.lines().count() < lines / 2 {
        s.push_str(&format!(
            "- id: {}\n  branch: /^(main|release/.*)$/\n  workflow: w{}\n  allowed_workflows: [w{}, default]\n  pre_workflow_hooks:\n  - run: ./hooks/setup.sh {i}\n    commands: plan\n",
            if i % 2 == 0 { format!("github.com/acme/repo-{i}") } else { format!("/^github\\.com/acme/team-{i}-.*$/") },
            i % 10,
            i % 10
        ));
        i += 1;
    }
    s.push_str("workflows:\n");
    let mut w = 0;
    while s.lines().count() < lines {
        s.push_str(&format!(
            "  w{w}:\n    plan:\n      steps:\n      - env: {{name: TF_IN_AUTOMATION, value: \"true\"}}\n      - init: {{extra_args: [-upgrade]}}\n      - run: {{command: terraform plan -out $PLANFILE, output: strip_refreshing, shell: bash, shellArgs: [-e, -c]}}\n    apply:\n      steps: [apply]\n"
        ));
        w += 1;
    }
    s
}

/// Lints repo configs as the binary does (with a server config for the allowlist) and renders.
fn lint_repo_configs(inputs: &[DocInput], server: &Request, options: &Options) -> usize {
    let policy = Policy::default();
    let (cfg, findings) = lint::lint(server, options, &policy);
    let docs = atlantis_lint::repo_config::run::lint(inputs, &[], &[&cfg], None);
    let mut rep = Report::default();
    rep.add(&cfg, findings);
    for d in docs {
        let (d, findings) = lint::finish_document(d, &policy);
        rep.add_document(&d.sources, d.doc.name.clone(), &d.release, findings);
    }
    rep.finish();
    report::json::render(&rep).len() + report::human::render(&rep, false, 100).len()
}

/// A 300-line multi-document manifest: `fixtures/ok/k8s-statefulset.yaml` (Secret, ConfigMap
/// holding the server config, StatefulSet with a sidecar) and the usual companions (Service,
/// ServiceAccount, Ingress, NetworkPolicy, PodDisruptionBudget), padded with ConfigMaps.
pub fn manifest_300() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ok");
    let mut s = std::fs::read_to_string(dir.join("k8s-statefulset.yaml")).unwrap();
    s.push_str(
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: atlantis\n  labels:\n    app.kubernetes.io/name: atlantis\nspec:\n  type: ClusterIP\n  ports:\n    - name: atlantis\n      port: 80\n      targetPort: 4141\n  selector:\n    app.kubernetes.io/name: atlantis\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: atlantis\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: atlantis\n  annotations:\n    cert-manager.io/cluster-issuer: letsencrypt\nspec:\n  ingressClassName: nginx\n  tls:\n    - hosts: [atlantis.acme.example]\n      secretName: atlantis-tls\n  rules:\n    - host: atlantis.acme.example\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: atlantis\n                port:\n                  number: 80\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: atlantis\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: atlantis\n",
    );
    let mut i = 0;
    while s.lines().count() < 300 {
        s.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra-{i}\n  labels:\n    app.kubernetes.io/part-of: atlantis\ndata:\n  key: value-{i}\n"
        ));
        i += 1;
    }
    s
}

/// A 400-line values file for the Atlantis Helm chart: `fixtures/ok/helm-values.yaml` with the
/// chart's usual companions (resources, probes, ingress, service, volumes, a `config` block),
/// padded with `environment` entries and annotations, as `helm show values` files grow.
pub fn values_400() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ok");
    let base = std::fs::read_to_string(dir.join("helm-values.yaml")).unwrap();
    let (head, tail) = base.split_once("environment:\n").unwrap();
    let mut s = head.to_string();
    s.push_str("podTemplate:\n  annotations:\n");
    for i in 0..120 {
        s.push_str(&format!("    example.com/annotation-{i}: value-{i}\n"));
    }
    s.push_str("statefulSet:\n  labels:\n");
    for i in 0..120 {
        s.push_str(&format!("    example.com/label-{i}: value-{i}\n"));
    }
    s.push_str("environment:\n");
    let mut i = 0;
    while s.lines().count() + tail.lines().count() < 400 {
        s.push_str(&format!("  EXTRA_SETTING_{i}: \"value-{i}\"\n"));
        i += 1;
    }
    s.push_str(tail);
    s
}

/// Every configuration of every request, as the binary lints a directory of manifests.
fn lint_every_config(requests: &[Request], options: &Options) -> usize {
    let policy = Policy::default();
    let mut rep = Report::default();
    for r in requests {
        for (cfg, findings) in lint::check_all(r, options).unwrap() {
            let findings = lint::finish(&cfg, findings, &policy);
            rep.add(&cfg, findings);
        }
    }
    rep.finish();
    report::json::render(&rep).len() + report::human::render(&rep, false, 100).len()
}

fn benches(c: &mut Criterion) {
    let options = Options {
        check_files: false,
        today: (2026, 11, 29),
        ..Options::default()
    };
    let fixtures = ok_fixtures();
    for r in &fixtures {
        let name = r.file().unwrap().name.clone();
        let one = vec![r.clone()];
        c.bench_function(&format!("typical/{name}"), |b| {
            b.iter(|| lint_all(black_box(&one), &options))
        });
    }
    // A 500-line repos.yaml with its server config (the bound: under 2x a typical config).
    let repos = vec![DocInput {
        kind: Kind::RepoConfig,
        file: NamedBytes {
            name: "repos.yaml".into(),
            bytes: repos_yaml(500).into_bytes(),
        },
        path: None,
    }];
    let server = fixtures[0].clone();
    c.bench_function("repos-yaml-500-lines", |b| {
        b.iter(|| lint_repo_configs(black_box(&repos), &server, &options))
    });
    let big = vec![request("many.yaml", &many_keys(5_000))];
    c.bench_function("5000-keys", |b| {
        b.iter(|| lint_all(black_box(&big), &options))
    });
    let thousand: Vec<Request> = (0..1_000)
        .map(|i| {
            let base = &fixtures[i % fixtures.len()];
            let text = String::from_utf8_lossy(&base.file().unwrap().bytes)
                .replace("atlantis-bot", &format!("bot-{i}"));
            request(&format!("c{i}.yaml"), &text)
        })
        .collect();
    let manifest = vec![request("manifest-300.yaml", &manifest_300())];
    c.bench_function("manifest-300-lines", |b| {
        b.iter(|| lint_every_config(black_box(&manifest), &options))
    });
    let values = vec![request("values.yaml", &values_400())];
    c.bench_function("helm-values-400-lines", |b| {
        b.iter(|| lint_every_config(black_box(&values), &options))
    });
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ok");
    // The chart's complete default values.yaml (834 lines, comments included) with an
    // operator's edits, as `helm show values` files are kept.
    let chart = std::fs::read_to_string(dir.join("helm-chart-6-9-3-operator.yaml")).unwrap();
    let chart = vec![request("values.yaml", &chart)];
    c.bench_function("helm-values-chart-operator", |b| {
        b.iter(|| lint_every_config(black_box(&chart), &options))
    });
    let module = std::fs::read_to_string(dir.join("terraform-module-v5.tf")).unwrap();
    let module = vec![request("main.tf", &module)];
    c.bench_function("terraform-module", |b| {
        b.iter(|| lint_every_config(black_box(&module), &options))
    });
    // A whole root module as operators write it (variables, locals, data sources, the VPC).
    let root = std::fs::read_to_string(dir.join("terraform-module-v5-operator.tf")).unwrap();
    let root = vec![request("main.tf", &root)];
    c.bench_function("terraform-module-operator", |b| {
        b.iter(|| lint_every_config(black_box(&root), &options))
    });
    let manifests: Vec<Request> = (0..1_000)
        .map(|i| {
            let text = manifest_300().replace("atlantis-bot", &format!("bot-{i}"));
            request(&format!("m{i}.yaml"), &text)
        })
        .collect();
    let mut group = c.benchmark_group("1000-manifests");
    group.sample_size(10);
    group.bench_function("lint", |b| {
        b.iter(|| lint_every_config(black_box(&manifests), &options))
    });
    group.finish();
    let mut group = c.benchmark_group("1000-configs");
    group.sample_size(10);
    group.bench_function("lint", |b| {
        b.iter(|| lint_all(black_box(&thousand), &options))
    });
    group.finish();

    // `gh-token: abab…` quoted back in a non-secret value: the redactor searches the report
    // for a value of `size` bytes whose every prefix is also a suffix.
    let mut group = c.benchmark_group("periodic-secret");
    group.sample_size(10);
    for size in [
        16 * 1024,
        32 * 1024,
        60 * 1024,
        256 * 1024,
        512 * 1024,
        1024 * 1024,
    ] {
        let secret = "ab".repeat(size / 2);
        let text = format!(
            "repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-token: {secret}\nvcs-status-name: x{secret}\n"
        );
        let one = vec![request("periodic.yaml", &text)];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(format!("{}KB", size / 1024), |b| {
            b.iter(|| lint_all(black_box(&one), &options))
        });
    }
    group.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
