//! The release history (`data/versions.json`, generated into `src/flags/history.rs`) agrees with
//! itself and with the flag inventory (`data/flags.json`): what `--atlantis-version` relies on.

use atlantis_lint::flags::{self, FLAGS, FlagKind, LATEST, RELEASES};
use serde_json::Value;

fn versions() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/versions.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn no_flag_is_removed_before_it_is_added() {
    for f in FLAGS {
        let h = flags::history(f).unwrap();
        if let Some(removed) = h.removed {
            assert!(
                h.added < removed,
                "{}: added {} removed {}",
                f.name,
                h.added,
                removed
            );
        }
        if let Some(since) = h.deprecated.and_then(|d| d.since) {
            assert!(
                h.added <= since,
                "{}: deprecated before it was added",
                f.name
            );
        }
        for w in h.defaults.windows(2) {
            assert!(w[0].0 < w[1].0, "{}: defaults out of order", f.name);
        }
    }
}

#[test]
fn every_flag_of_the_latest_release_is_in_the_table_and_current() {
    for f in FLAGS {
        let h = flags::history(f).unwrap();
        assert_eq!(
            h.present_in(LATEST),
            f.kind != FlagKind::Removed,
            "{}",
            f.name
        );
        assert_eq!(f.since, Some(h.added.to_string()).as_deref(), "{}", f.name);
    }
    assert_eq!(LATEST, *RELEASES.last().unwrap());
    assert!(
        RELEASES.windows(2).all(|w| w[0] < w[1]),
        "releases are sorted"
    );
}

/// Each release's flag count and added/removed lists, as measured at its tag, follow from the
/// per-flag history: the two halves of the data cannot drift apart.
#[test]
fn every_release_has_the_flags_the_history_gives_it() {
    let data = versions();
    for r in data["releases"].as_array().unwrap() {
        if r["prerelease"] == true {
            continue;
        }
        let v = atlantis_lint::version::Version::parse(r["tag"].as_str().unwrap()).unwrap();
        let present: Vec<&str> = FLAGS
            .iter()
            .filter(|f| f.kind != FlagKind::FileOnly)
            .filter(|f| flags::present_in(f.name, v))
            .map(|f| f.name)
            .collect();
        assert_eq!(
            present.len() as u64,
            r["flag_count"].as_u64().unwrap(),
            "{v}"
        );
        for added in r["flags_added"].as_array().unwrap() {
            let h = flags::history(added.as_str().unwrap()).unwrap();
            assert_eq!(h.added, v, "{added} in {v}");
        }
        for removed in r["flags_removed"].as_array().unwrap() {
            let h = flags::history(removed.as_str().unwrap()).unwrap();
            assert_eq!(h.removed, Some(v), "{removed} in {v}");
        }
    }
}

#[test]
fn renamed_flags_point_at_the_name_each_release_uses() {
    let v = |s| atlantis_lint::version::Version::parse(s).unwrap();
    let name = |f, r| flags::name_in(f, v(r)).map(|f| f.name);
    assert_eq!(
        name("gh-app-installation-id", "v0.28.1"),
        Some("gh-installation-id")
    );
    assert_eq!(
        name("gh-installation-id", "v0.28.2"),
        Some("gh-app-installation-id")
    );
    assert_eq!(
        name("default-tf-distribution", "v0.31.0"),
        Some("tf-distribution")
    );
    assert_eq!(name("repo-whitelist", "v0.27.0"), Some("repo-allowlist"));
    assert_eq!(name("gh-token-file", "v0.27.0"), None);
}

#[test]
fn credential_flags_follow_their_releases() {
    let v = |s| atlantis_lint::version::Version::parse(s).unwrap();
    assert!(!flags::present_in(flags::GH_TOKEN_FILE, v("v0.30.0")));
    assert!(flags::present_in(flags::GH_TOKEN_FILE, v("v0.31.0")));
    assert!(!flags::present_in(flags::GITEA_USER, v("v0.27.3")));
    assert!(flags::present_in(flags::GITEA_USER, v("v0.28.0")));
    assert!(!flags::present_in(flags::BITBUCKET_API_USER, v("v0.37.0")));
    assert!(flags::present_in(flags::BITBUCKET_API_USER, v("v0.37.1")));
}

/// `explain` and `rules --format json` say which releases a rule applies to, from either end.
#[test]
fn rules_say_which_releases_they_apply_to() {
    let bin = env!("CARGO_BIN_EXE_atlantis-lint");
    let out = |args: &[&str]| {
        let o = std::process::Command::new(bin).args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}");
        String::from_utf8(o.stdout).unwrap()
    };
    assert!(
        out(&["explain", "conflicting-credentials"])
            .contains("Applies to Atlantis v0.31.0 and later")
    );
    assert!(
        out(&["explain", "whitelist-and-allowlist"])
            .contains("Applies to Atlantis releases before v0.27.0")
    );
    let list: Value = serde_json::from_str(&out(&["rules", "--format", "json"])).unwrap();
    let entry = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(entry("conflicting-credentials")["since"], "v0.31.0");
    assert_eq!(entry("bitbucket-cloud-webhook-secret")["until"], "v0.33.0");
    assert!(
        entry("unknown-key").get("since").is_none() && entry("unknown-key").get("until").is_none()
    );
}
