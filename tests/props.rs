//! Property tests over the library: the YAML, env-file and argv readers and the whole pipeline
//! never panic on arbitrary input, and every position they report falls inside the input.
//!
//! Inputs are built from fragments of real configs (keys, indicators, quotes, anchors, tabs,
//! CRLF, a BOM, multi-byte characters) mixed with arbitrary characters, so that the generated
//! texts reach deep into the parsers. Case counts stay modest for CI; the `cargo fuzz` targets in
//! `fuzz/` run the same entry points for as long as one wants.

use atlantis_lint::config::{ArgvIssue, EffectiveConfig};
use atlantis_lint::input::{self, Input, NamedBytes, Request, argv, env, yaml};
use atlantis_lint::lint::{self, Policy};
use atlantis_lint::report::{self, Report, SourceRef};
use atlantis_lint::rules::Options;
use atlantis_lint::source::{SourceKind, SourceText, Span};
use proptest::prelude::*;
use proptest::test_runner::Config;

const FRAGMENTS: &[&str] = &[
    "gh-user",
    "gh-token",
    "gh-webhook-secret",
    "repo-allowlist",
    "port",
    "webhooks",
    "GH-USER",
    "gh_token",
    "ATLANTIS_GH_TOKEN",
    "ATLANTIS_PORT",
    "export ",
    "=",
    ": ",
    ":",
    ":\t",
    "\t",
    "\n",
    "\r\n",
    "\r",
    " ",
    "  ",
    "- ",
    "-",
    "--",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: ",
    "'",
    "\"",
    "''",
    "\\",
    "#",
    "# c\n",
    "|",
    "|-\n  ",
    ">",
    "---\n",
    "...\n",
    "!!str ",
    "!!int ",
    "? ",
    "~",
    "null",
    "true",
    "1e3",
    "0x1F",
    "4141",
    "é",
    "ünï",
    "\u{feff}",
    "\u{202e}",
    "日本",
    "\0",
    "\u{7f}",
    "%YAML 1.2\n",
    "ghp_Wq3xR8tY2uI5oP7aS1dF4gH6jK9lZ0xC3vBn",
    "-----BEGIN RSA PRIVATE KEY-----\n",
    "-----END RSA PRIVATE KEY-----",
    "https://a.example.com",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => proptest::collection::vec(any::<char>(), 1..6).prop_map(|v| v.into_iter().collect()),
    ]
}

/// A text made of fragments.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..max).prop_map(|v| v.concat())
}

/// Raw bytes: mostly text, sometimes cut inside a character or with stray bytes.
fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => text(max).prop_map(String::into_bytes),
        1 => (text(max), any::<Vec<u8>>()).prop_map(|(t, extra)| {
            let mut b = t.into_bytes();
            let at = extra.first().map_or(0, |&x| x as usize % (b.len() + 1));
            b.splice(at..at, extra);
            b
        }),
    ]
}

fn argv_words() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(
        prop_oneof![
            3 => proptest::sample::select(&[
                "--gh-user", "--gh-token", "--gh-token=", "--gh-token=x", "--port", "--port=abc",
                "--write-git-creds", "--write-git-creds=false", "false", "--", "-", "-gh-user",
                "server", "atlantis", "--gh-tokn", "--repo-allowlist", "a/*, b/*", "", " ",
                "it's", "--webhooks", "--config", "x\ny", "--=", "---",
            ][..]).prop_map(str::to_string),
            1 => text(4),
        ],
        0..12,
    )
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn in_bounds(span: Span, text: &str) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

/// 256 cases per property (`PROPTEST_CASES=N` for a longer run).
fn config() -> Config {
    Config {
        cases: cases(256),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn yaml_reader(t in text(40)) {
        match yaml::parse(&t) {
            Ok(doc) => {
                for node in &doc.nodes {
                    prop_assert!(in_bounds(node.span, &t), "{:?} in {:?}", node.span, t);
                }
                if let Some(root) = doc.root {
                    prop_assert!(root < doc.nodes.len());
                }
            }
            Err(e) => prop_assert!(e.span.start <= t.len() && e.span.end <= t.len(), "{e:?}"),
        }
    }

    #[test]
    fn env_file_reader(t in text(30)) {
        let mut src = SourceText::new(SourceKind::EnvFile, "a.env", t.clone());
        let (settings, issues) = env::read_file(0, &mut src);
        for s in &settings {
            prop_assert!(in_bounds(s.origin.key_span, &t), "{:?}", s.origin);
            prop_assert!(in_bounds(s.origin.value_span, &t), "{:?}", s.origin);
        }
        for i in &issues {
            prop_assert!(in_bounds(i.span, &t), "{:?}", i.span);
            prop_assert!(i.line >= 1 && i.line <= t.split('\n').count());
        }
        let masked = src.masked();
        prop_assert_eq!(masked.len(), t.len());
    }

    #[test]
    fn argv_reader(words in argv_words()) {
        let (src, settings, issues) = argv::read(0, &words);
        for s in &settings {
            prop_assert!(in_bounds(s.origin.key_span, &src.text), "{:?} in {:?}", s.origin, src.text);
            prop_assert!(in_bounds(s.origin.value_span, &src.text), "{:?} in {:?}", s.origin, src.text);
        }
        for i in &issues {
            let index = match i {
                ArgvIssue::Positional { index, .. } | ArgvIssue::Malformed { index, .. } => *index,
            };
            prop_assert!(index < words.len());
        }
        prop_assert_eq!(src.masked().len(), src.text.len());
    }

    #[test]
    fn process_env_reader(vars in proptest::collection::vec((text(3), text(4)), 0..6)) {
        let vars: Vec<(String, String)> = vars
            .into_iter()
            .map(|(k, v)| (format!("ATLANTIS_{k}"), v))
            .collect();
        let (src, settings) = env::read_process(0, &vars);
        for s in &settings {
            prop_assert!(in_bounds(s.origin.key_span, &src.text));
            prop_assert!(in_bounds(s.origin.value_span, &src.text));
        }
    }
}

/// Every diagnostic's position is inside the source it names.
fn check_report(cfg: &EffectiveConfig, rep: &Report) -> Result<(), TestCaseError> {
    for d in &rep.diags {
        let mut refs = vec![&d.source];
        refs.extend(d.related.iter().map(|r| &r.source));
        for r in refs {
            match r {
                SourceRef::File {
                    path,
                    line,
                    column,
                    end_line,
                    end_column,
                } => {
                    let (_, src) = cfg
                        .sources
                        .iter()
                        .find(|(_, s)| &s.name == path && s.kind == SourceKind::File)
                        .expect("the file is a source");
                    inside(&src.text, *line, *column)?;
                    inside(&src.text, *end_line, *end_column)?;
                    prop_assert!((line, column) <= (end_line, end_column));
                }
                SourceRef::EnvFile {
                    path, line, column, ..
                } => {
                    let (_, src) = cfg
                        .sources
                        .iter()
                        .find(|(_, s)| &s.name == path && s.kind == SourceKind::EnvFile)
                        .expect("the env file is a source");
                    inside(&src.text, *line, *column)?;
                }
                SourceRef::Argv { index, .. } => {
                    let n = cfg
                        .sources
                        .iter()
                        .find(|(_, s)| s.kind == SourceKind::Argv)
                        .map(|(_, s)| s.text.len())
                        .unwrap_or(0);
                    prop_assert!(*index <= n, "argv index {index}");
                }
                SourceRef::Env { .. } | SourceRef::None => {}
            }
        }
        if let Some(s) = &d.snippet {
            prop_assert!(in_bounds(s.span, &s.text), "snippet span {:?}", s.span);
        }
    }
    Ok(())
}

fn inside(text: &str, line: usize, column: usize) -> Result<(), TestCaseError> {
    let lines: Vec<&str> = text.split('\n').collect();
    prop_assert!(
        line >= 1 && line <= lines.len(),
        "line {line} of {}",
        lines.len()
    );
    let width = lines[line - 1].chars().count();
    prop_assert!(
        column >= 1 && column <= width + 1,
        "column {column} of {width} on line {line}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: cases(128), ..config() })]

    #[test]
    fn whole_pipeline(
        file in proptest::option::of(bytes(40)),
        env_file in proptest::option::of(bytes(20)),
        argv in proptest::option::of(argv_words()),
        vars in proptest::collection::vec((text(3), text(3)), 0..3),
    ) {
        let mut request = Request::default();
        if let Some(bytes) = file {
            request = Request::for_file(NamedBytes { name: "atlantis.yaml".into(), bytes });
        }
        if !vars.is_empty() {
            request = request.with(Input::Env(
                vars.into_iter().map(|(k, v)| (format!("ATLANTIS_{k}"), v)).collect(),
            ));
        }
        if let Some(bytes) = env_file {
            request = request.with(Input::EnvFile(NamedBytes { name: "a.env".into(), bytes }));
        }
        if let Some(argv) = argv {
            request = request.with(Input::Argv(argv));
        }
        let options = Options { check_files: false, today: (2026, 11, 29), ..Options::default() };
        let (cfg, findings) = lint::lint(&request, &options, &Policy::default());
        let mut rep = Report::default();
        rep.add(&cfg, findings);
        rep.finish();
        check_report(&cfg, &rep)?;
        let json = report::json::render(&rep);
        prop_assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        let _ = report::human::render(&rep, false, 80);
        let _ = report::human::render(&rep, true, 40);
        // Loading twice gives the same result.
        let again = input::load(&request);
        prop_assert_eq!(again.settings.len(), cfg.settings.len());
    }
}
