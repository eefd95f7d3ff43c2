//! Helpers shared by the process-level tests: run the real binary with a clean environment, a
//! time limit and a memory limit, and check the invariants every run must keep.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_atlantis-lint");

/// Address-space limit for every run (KiB): an input that makes the linter allocate more fails.
pub const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The diagnostics of a JSON run as (rule, severity, source).
    pub fn diags(&self) -> Vec<serde_json::Value> {
        self.json()["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn rules(&self) -> Vec<String> {
        self.diags()
            .iter()
            .map(|d| d["rule"].as_str().unwrap_or_default().to_string())
            .collect()
    }
}

/// A command for the real binary with no inherited `ATLANTIS_*`/colour/CI variables.
pub fn command() -> Command {
    let mut cmd = Command::new("sh");
    // `ulimit -v` bounds memory; `exec` keeps the exit status the binary's own.
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} 2>/dev/null; exec \"$0\" \"$@\""
        ))
        .arg(BIN);
    cmd.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs `cmd` (from [`command`]) with `stdin`, killing it after `limit`.
pub fn run_with(mut cmd: Command, stdin: Option<&[u8]>, limit: Duration) -> Run {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("the binary starts");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        // A writer thread, so that a linter refusing to read everything cannot block us.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    let out_handle = child.stdout.take().unwrap();
    let err_handle = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || read_all(out_handle));
    let err_thread = std::thread::spawn(move || read_all(err_handle));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the linter ran longer than {limit:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out_thread.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_thread.join().unwrap()).into_owned(),
        elapsed,
    };
    assert_sane(&run, &format!("{cmd:?}"));
    run
}

fn read_all(mut r: impl std::io::Read) -> Vec<u8> {
    let mut v = Vec::new();
    let _ = r.read_to_end(&mut v);
    v
}

/// Runs the binary with `args` (no stdin) within 20 s.
pub fn run(args: &[&str]) -> Run {
    let mut cmd = command();
    cmd.args(args);
    run_with(cmd, None, Duration::from_secs(20))
}

/// Every run: a documented exit status, never a panic or a crash.
pub fn assert_sane(run: &Run, what: &str) {
    assert!(
        matches!(run.code, 0..=2),
        "exit status {} (3 = internal error, -1 = killed by a signal) for {what}\nstderr: {}",
        run.code,
        run.stderr
    );
    for bad in [
        "panicked",
        "internal error",
        "RUST_BACKTRACE",
        "stack backtrace",
    ] {
        assert!(
            !run.stderr.contains(bad) && !run.stdout.contains(bad),
            "`{bad}` in the output of {what}:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
}

/// A fresh scratch directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

/// Finds the `--OPTION` enum values the binary accepts, from clap's error for a bad value
/// (`[possible values: human, json]`). `prefix` is the subcommand path (empty for the linter).
pub fn possible_values(prefix: &[&str], option: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<&str> = prefix.to_vec();
    args.push(option);
    args.push("__atlint_probe__");
    args.extend_from_slice(extra);
    let mut cmd = command();
    cmd.args(&args);
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).replace('\n', " ");
    let Some(at) = err.find("possible values:") else {
        return Vec::new();
    };
    let rest = &err[at + "possible values:".len()..];
    let list = &rest[..rest.find(']').unwrap_or(rest.len())];
    list.split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The subcommands listed in `--help` (`help` excluded).
pub fn subcommands() -> Vec<String> {
    let out = command().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut names = Vec::new();
    let mut in_commands = false;
    for line in help.lines() {
        if line.starts_with("Commands:") {
            in_commands = true;
            continue;
        }
        if in_commands {
            if line.trim().is_empty() || !line.starts_with("  ") {
                break;
            }
            // A wrapped description line is indented further than the names.
            if line.as_bytes()[2].is_ascii_whitespace() {
                continue;
            }
            if let Some(name) = line.split_whitespace().next() {
                if name != "help" {
                    names.push(name.to_string());
                }
            }
        }
    }
    names
}

/// The long options a (sub)command's `--help` lists, with whether each takes a value.
pub fn options(prefix: &[&str]) -> Vec<(String, bool)> {
    let mut cmd = command();
    cmd.args(prefix).arg("--help");
    let out = cmd.output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut opts = Vec::new();
    for line in help.lines() {
        let t = line.trim_start();
        let t = t
            .strip_prefix('-')
            .filter(|r| r.len() > 2 && r.as_bytes()[1] == b',')
            .map_or(t, |r| r[2..].trim_start());
        if let Some(rest) = t.strip_prefix("--") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            let after = &rest[name.len()..];
            let takes_value = after.starts_with(" <") || after.starts_with("=<");
            if !name.is_empty() && !opts.iter().any(|(n, _)| *n == name) {
                opts.push((name, takes_value));
            }
        }
    }
    opts
}
pub mod cases;
pub mod forms;
