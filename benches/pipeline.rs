//! In-process benchmarks of the whole pipeline (read, merge, rules, report in both formats).
//!
//! `cargo bench --bench pipeline` runs them; `cargo test` does not build them. Cases: every
//! `fixtures/ok` config (a typical config), a config with 5,000 keys, 1,000 configs in a row,
//! and a periodic secret value of 256 KB, 512 KB and 1 MB (the redactor used to build its
//! automaton in quadratic time for such values): the throughput must stay flat with the size.

use atlantis_lint::input::{NamedBytes, Request};
use atlantis_lint::lint::{self, Policy};
use atlantis_lint::report::{self, Report};
use atlantis_lint::rules::Options;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn request(name: &str, text: &str) -> Request {
    Request {
        file: Some(NamedBytes {
            name: name.to_string(),
            bytes: text.as_bytes().to_vec(),
        }),
        ..Request::default()
    }
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
            out.push(request(&name, &std::fs::read_to_string(&p).unwrap()));
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

fn benches(c: &mut Criterion) {
    let options = Options {
        check_files: false,
        today: (2026, 11, 29),
        ..Default::default()
    };
    let fixtures = ok_fixtures();
    for r in &fixtures {
        let name = r.file.as_ref().unwrap().name.clone();
        let one = vec![r.clone()];
        c.bench_function(&format!("typical/{name}"), |b| {
            b.iter(|| lint_all(black_box(&one), &options))
        });
    }
    let big = vec![request("many.yaml", &many_keys(5_000))];
    c.bench_function("5000-keys", |b| {
        b.iter(|| lint_all(black_box(&big), &options))
    });
    let thousand: Vec<Request> = (0..1_000)
        .map(|i| {
            let base = &fixtures[i % fixtures.len()];
            let text = String::from_utf8_lossy(&base.file.as_ref().unwrap().bytes)
                .replace("atlantis-bot", &format!("bot-{i}"));
            request(&format!("c{i}.yaml"), &text)
        })
        .collect();
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
    for size in [256 * 1024, 512 * 1024, 1024 * 1024] {
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
