use super::Context;
use crate::config::ImageRef;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::version::{ImageVersion, VersionSource, version_from_image};

pub static RULE: RuleInfo = RuleInfo {
    id: "atlantis-version",
    severity: Severity::Info,
    summary: "the deployment's Atlantis image does not say which release it runs (a digest, `latest`, a tag that is no release, or a computed value)",
    suppressible: true,
    docs: r#"## What it checks
Which Atlantis release the configuration is checked against. `--atlantis-version` (or
`atlantis-version:` in `.atlantis-lint.yaml`) decides; without it, the image of the Atlantis
container in the deployment does:
- a Kubernetes manifest's or compose file's `image`;
- Helm values' `image.tag`, else the `appVersion` of the chart version a `# helm.sh/chart:
  atlantis-X.Y.Z` comment or a `helm_release`'s exact `version` names (a constraint such as
  `~> 5.1` names none);
- terraform-aws-atlantis v4/v5's `atlantis.image` (default `ghcr.io/runatlantis/atlantis:latest`),
  v2/v3's `atlantis_image`, else `atlantis_version` (default `latest`);
- an ECS task definition's (or `aws_ecs_task_definition`'s) container `image`.

Without a usable tag the latest release atlantis-lint knows is assumed. This note says so once
when the image does not name a release: a digest (`@sha256:…`), `latest`, no tag (Helm values
without `image.tag` and without an exact, known chart version), a tag that is not a release
(`dev`, `main-4f3c2a1`), or a value Terraform or compose computes (never guessed).
It also notes when `--atlantis-version` overrides a different tag.

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
    let Some(image) = &cfg.image else {
        return;
    };
    let atlantis = cfg.atlantis_version();
    let mut help = "pin the image to a release tag, or pass --atlantis-version";
    let latest = atlantis.version;
    let message = match (&atlantis.source, &image.image) {
        (VersionSource::Option, _) => {
            let tag = image.reference().map(version_from_image);
            match tag {
                Some(ImageVersion::Release(tag)) if tag != atlantis.version => {
                    help = "without --atlantis-version the image's release is checked";
                    format!(
                        "--atlantis-version {} wins over the image tag {tag}",
                        atlantis.version
                    )
                }
                _ => return,
            }
        }
        (VersionSource::Image { .. }, _) => return,
        (VersionSource::Latest, ImageRef::Computed { what }) => format!(
            "the image is {what}, so it does not say which release it runs: checking against Atlantis {latest}, the latest known"
        ),
        (VersionSource::Latest, ImageRef::Default { reference, by }) => {
            match version_from_image(reference) {
                ImageVersion::NotARelease(tag) => format!(
                    "{by}: the image tag `{tag}` is not an Atlantis release atlantis-lint knows: checking against {latest}, the latest known"
                ),
                // No tag at all (Helm values without `image.tag` or a known chart version).
                _ if names_no_image(reference) => {
                    format!("{by}: checking against Atlantis {latest}, the latest known")
                }
                _ => format!(
                    "{by} (`{reference}`), which does not name a release: checking against Atlantis {latest}, the latest known"
                ),
            }
        }
        (VersionSource::Latest, ImageRef::Written(reference)) => {
            match version_from_image(reference) {
                ImageVersion::NotARelease(tag) => format!(
                    "the image tag `{tag}` is not an Atlantis release atlantis-lint knows: checking against {latest}, the latest known"
                ),
                _ => format!(
                    "the image `{reference}` does not name a release (a digest or `latest`): checking against Atlantis {latest}, the latest known"
                ),
            }
        }
    };
    let label = match &image.image {
        ImageRef::Written(_) => "image",
        ImageRef::Default { reference, .. } if names_no_image(reference) => {
            "no `image.tag` in these values"
        }
        ImageRef::Default { .. } => "no image set here",
        ImageRef::Computed { .. } => "computed image",
    };
    out.push(
        Finding::new(&RULE, image.location.clone(), message)
            .label(label)
            .help(help),
    );
}

/// A repository without a tag or digest (Helm values that leave `image.tag` to the chart).
fn names_no_image(reference: &str) -> bool {
    !reference
        .rsplit('/')
        .next()
        .unwrap_or("")
        .contains([':', '@'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DeployedImage, EffectiveConfig, Location};
    use crate::rules::Options;
    use crate::version::{AtlantisVersion, Version, resolve};

    fn notes(reference: &str, option: Option<Version>) -> Vec<String> {
        let mut cfg = EffectiveConfig::default();
        let image = DeployedImage::written(reference, Location::None);
        cfg.set_atlantis_version(resolve(option, Some(&image)));
        cfg.image = Some(image);
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
        let image = DeployedImage::written("runatlantis/atlantis:v0.27.0", Location::None);
        cfg.set_atlantis_version(resolve(None, Some(&image)));
        assert_eq!(cfg.version(), Version::new(0, 27, 0));
        assert_ne!(cfg.atlantis_version(), &AtlantisVersion::default());
    }
}
