//! The deployment-form tests (compose, Kubernetes manifests, Helm values, Terraform, ECS) run
//! the real binary in a directory as a user would: without the `ATLANTIS_*` and
//! `GITHUB_ACTIONS` variables of the test's own environment, without colour, on a fixed day.

use std::path::Path;
use std::process::{Command, Output};

/// `atlantis-lint` run in `dir`; add the arguments.
pub fn lint(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atlantis-lint"));
    cmd.current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("ATLANTIS_") || k == "GITHUB_ACTIONS" {
            cmd.env_remove(k);
        }
    }
    cmd.env("NO_COLOR", "1")
        .args(["--color", "never", "--today", "2026-11-29"]);
    cmd
}

/// [`lint`] in `dir` with `args` and `stdin` on its standard input, checked by [`no_panic`].
pub fn run_stdin(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = lint(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    no_panic(&out);
    out
}

/// [`lint`] in `dir` with `args`, its output checked by [`no_panic`].
pub fn run(dir: &Path, args: &[&str]) -> Output {
    let out = lint(dir).args(args).output().unwrap();
    no_panic(&out);
    out
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Every run: no panic, no internal error (exit status 3).
pub fn no_panic(out: &Output) {
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        !all.contains("panicked") && !all.contains("internal error"),
        "{all}"
    );
    assert_ne!(out.status.code(), Some(3), "{all}");
}

/// A clean run: nothing reported, exit status 0 (stderr shown when not).
pub fn assert_clean(out: &Output) {
    assert_eq!(
        (text(&out.stdout).as_str(), out.status.code()),
        ("", Some(0)),
        "{}",
        text(&out.stderr)
    );
}
