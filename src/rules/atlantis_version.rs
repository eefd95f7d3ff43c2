use super::Context;
use crate::config::DeployedImage;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::version::{ImageVersion, VersionSource, version_from_image};

pub static RULE: RuleInfo = RuleInfo {
    id: "atlantis-version",
    severity: Severity::Info,
    summary: "the deployment's Atlantis image does not say which release it runs (a digest, `latest`, or a tag that is no release)",
    suppressible: true,
    docs: r#"## What it checks
Which Atlantis release the configuration is checked against. `--atlantis-version` decides;
without it, the image tag of the Atlantis container in the deployment (a Kubernetes manifest,
compose file, Helm values or Terraform module call) does, and without a usable tag the latest
release atlantis-lint knows is assumed. This note says so once when the image was there but did
not name a release: a digest (`@sha256:…`), `latest`, no tag, or a tag that is not a release
(`dev`, `main-4f3c2a1`). It also notes when `--atlantis-version` overrides a different tag.

## Why it matters
Flags, defaults, accepted values and credential rules differ between releases
(`flag-not-in-version`, `removed-key`). Checking against the wrong release reports flags the
server does not have as fine, or the other way round.

## Example
```yaml
image: ghcr.io/runatlantis/atlantis:latest
```

## Fix
Pin the image to a release tag (`ghcr.io/runatlantis/atlantis:v0.47.1`), or pass
`--atlantis-version`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    let Some(DeployedImage {
        reference,
        location,
    }) = &cfg.image
    else {
        return;
    };
    let atlantis = cfg.atlantis_version();
    let mut help = "pin the image to a release tag, or pass --atlantis-version";
    let message = match (&atlantis.source, version_from_image(reference)) {
        (VersionSource::Option, ImageVersion::Release(tag)) if tag != atlantis.version => {
            help = "without --atlantis-version the image's release is checked";
            format!(
                "--atlantis-version {} wins over the image tag {tag}",
                atlantis.version
            )
        }
        (VersionSource::Option, _) | (VersionSource::Image { .. }, _) => return,
        (VersionSource::Latest, ImageVersion::NotARelease(tag)) => format!(
            "the image tag `{tag}` is not an Atlantis release atlantis-lint knows: checking against {}, the latest known",
            atlantis.version
        ),
        (VersionSource::Latest, _) => format!(
            "the image `{reference}` does not name a release (a digest or `latest`): checking against Atlantis {}, the latest known",
            atlantis.version
        ),
    };
    out.push(
        Finding::new(&RULE, location.clone(), message)
            .label("image")
            .help(help),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{EffectiveConfig, Location};
    use crate::rules::Options;
    use crate::version::{AtlantisVersion, Version, resolve};

    fn notes(reference: &str, option: Option<Version>) -> Vec<String> {
        let mut cfg = EffectiveConfig::default();
        cfg.image = Some(DeployedImage {
            reference: reference.into(),
            location: Location::None,
        });
        cfg.set_atlantis_version(resolve(option, Some(reference)));
        let options = Options::default();
        let mut out = Vec::new();
        check(
            &Context {
                cfg: &cfg,
                options: &options,
            },
            &mut out,
        );
        out.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn says_once_when_the_image_does_not_tell() {
        assert_eq!(
            notes("ghcr.io/runatlantis/atlantis:latest", None),
            [
                "the image `ghcr.io/runatlantis/atlantis:latest` does not name a release (a digest or `latest`): checking against Atlantis v0.47.1, the latest known"
            ]
        );
        assert_eq!(
            notes("ghcr.io/runatlantis/atlantis:dev", None),
            [
                "the image tag `dev` is not an Atlantis release atlantis-lint knows: checking against v0.47.1, the latest known"
            ]
        );
        assert!(notes("ghcr.io/runatlantis/atlantis:v0.28.1", None).is_empty());
        assert_eq!(
            notes(
                "ghcr.io/runatlantis/atlantis:v0.28.1",
                Some(Version::new(0, 27, 0))
            ),
            ["--atlantis-version v0.27.0 wins over the image tag v0.28.1"]
        );
    }

    #[test]
    fn the_tag_decides_the_release() {
        let mut cfg = EffectiveConfig::default();
        cfg.set_atlantis_version(resolve(None, Some("runatlantis/atlantis:v0.27.0")));
        assert_eq!(cfg.version(), Version::new(0, 27, 0));
        assert_ne!(cfg.atlantis_version(), &AtlantisVersion::default());
    }
}
