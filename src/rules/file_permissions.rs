use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "file-permissions",
    severity: Severity::Warning,
    summary: "with --check-files: a key or token file readable by group or others",
    suppressible: true,
    docs: r#"## What it checks
Only with `--check-files`, on Unix: the files named by `gh-token-file`, `gh-app-key-file` and
`ssl-key-file` must not be readable by the file's group or by other users (mode bits `0o044`).
Symbolic links are followed, as Kubernetes secret volumes use them.

## Why it matters
Anyone who can read the file can act as Atlantis on your Git host, or impersonate the server
(TLS key). Kubernetes mounts secrets with mode `0644` unless told otherwise.

## Example
```sh
$ ls -l /secrets/gh-token
-rw-r--r-- 1 atlantis atlantis 41 Jan  1 12:00 /secrets/gh-token
```

## Fix
`chmod 600` the file (owned by the user Atlantis runs as); in Kubernetes set
`defaultMode: 0400` on the secret volume (with `fsGroup` if Atlantis does not run as root).
"#,
};

pub const SECRET_FILE_FLAGS: &[flags::FlagId] = &[
    flags::GH_TOKEN_FILE,
    flags::GH_APP_KEY_FILE,
    flags::SSL_KEY_FILE,
];

#[cfg(unix)]
fn mode(path: &str) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let m = std::fs::metadata(path).ok()?;
    m.is_file().then(|| m.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode(_path: &str) -> Option<u32> {
    None
}

fn readers(mode: u32) -> Option<&'static str> {
    match (mode & 0o040 != 0, mode & 0o004 != 0) {
        (true, true) => Some("its group and all other users"),
        (true, false) => Some("its group"),
        (false, true) => Some("all other users"),
        (false, false) => None,
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    if !ctx.options.check_files {
        return;
    }
    let cfg = ctx.cfg;
    for &name in SECRET_FILE_FLAGS {
        let Some(path) = cfg.explicit_text(name) else {
            continue;
        };
        let Some(mode) = mode(path.as_str()) else {
            continue;
        };
        let Some(who) = readers(mode) else { continue };
        out.push(
            Finding::new(
                &RULE,
                cfg.value_location(name),
                format!(
                    "{name} names {}, which {who} can read (mode {mode:04o})",
                    path.display()
                ),
            )
            .key(name)
            .label("readable by others")
            .help(format!(
                "chmod 600 {} (owned by the user Atlantis runs as); in Kubernetes set `defaultMode: 0400` on the secret volume",
                path.display()
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::readers;

    #[test]
    fn mode_bits() {
        assert_eq!(readers(0o600), None);
        assert_eq!(readers(0o400), None);
        assert_eq!(readers(0o640), Some("its group"));
        assert_eq!(readers(0o644), Some("its group and all other users"));
        assert_eq!(readers(0o604), Some("all other users"));
    }

    #[cfg(unix)]
    #[test]
    fn private_file_is_quiet() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("atlantis-lint-perm-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("token");
        std::fs::write(&p, "x").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(super::mode(p.to_str().unwrap()), Some(0o600));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(super::mode(p.to_str().unwrap()), Some(0o644));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
