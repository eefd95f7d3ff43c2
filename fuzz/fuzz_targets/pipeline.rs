//! The whole pipeline: the input is a config file, an env file and a command line, separated by
//! the byte 0xFF (never valid UTF-8); read, lint, report in JSON and human form.
#![no_main]
use atlantis_lint::input::{Input, NamedBytes, Request};
use atlantis_lint::lint::{self, Policy};
use atlantis_lint::report::{self, Report};
use atlantis_lint::rules::Options;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0xFF);
    let file = parts.next().unwrap_or_default();
    let env_file = parts.next();
    let argv = parts.next().map(|a| {
        String::from_utf8_lossy(a)
            .split('\0')
            .map(str::to_string)
            .collect::<Vec<_>>()
    });
    let mut request = Request::for_file(NamedBytes {
        name: "atlantis.yaml".into(),
        bytes: file.to_vec(),
    });
    if let Some(b) = env_file {
        request = request.with(Input::EnvFile(NamedBytes {
            name: "a.env".into(),
            bytes: b.to_vec(),
        }));
    }
    if let Some(argv) = argv {
        request = request.with(Input::Argv(argv));
    }
    let options = Options {
        check_files: false,
        today: (2026, 11, 29),
        ..Options::default()
    };
    let (cfg, findings) = lint::lint(&request, &options, &Policy::default());
    let mut rep = Report::default();
    rep.add(&cfg, findings);
    rep.finish();
    let json = report::json::render(&rep);
    assert!(json.starts_with('{'));
    let _ = report::human::render(&rep, false, 80);
});
