//! Atlantis release numbers (`v0.28.1`), as the flag history and `--atlantis-version` use them.

use crate::config::{DeployedImage, ImageRef};
use std::fmt;

/// A stable Atlantis release: `vMAJOR.MINOR.PATCH`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    pub major: u16,
    pub minor: u16,
    pub patch: u16,
}

impl Version {
    pub const fn new(major: u16, minor: u16, patch: u16) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// Reads `v0.28.1` or `0.28.1` (the release-tag forms); `None` for anything else, including
    /// pre-release suffixes (`v0.17.0-beta`), two-part forms and build metadata.
    pub fn parse(text: &str) -> Option<Version> {
        let core = text.strip_prefix('v').unwrap_or(text);
        let mut parts = core.split('.');
        let mut next = || -> Option<u16> {
            let p = parts.next()?;
            // No sign, no leading zeros beyond a lone 0, digits only.
            if p.is_empty()
                || !p.bytes().all(|b| b.is_ascii_digit())
                || (p.len() > 1 && p.starts_with('0'))
            {
                return None;
            }
            p.parse().ok()
        };
        let v = Version::new(next()?, next()?, next()?);
        if parts.next().is_some() {
            return None;
        }
        Some(v)
    }
}

/// The latest release the data knows: what the linter assumes when nothing says otherwise.
impl Default for Version {
    fn default() -> Version {
        crate::flags::LATEST
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl fmt::Debug for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// What decided the release a configuration is checked against.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum VersionSource {
    /// `--atlantis-version` (or `atlantis-version:` in the linter's settings file).
    Option,
    /// The image tag of the Atlantis container in the deployment (`ghcr.io/runatlantis/atlantis:v0.28.1`).
    /// `by`: the deployment tool that chose the image when the user wrote none (a Helm chart's
    /// `appVersion`).
    Image {
        reference: String,
        by: Option<String>,
    },
    /// Nothing said which: the latest release atlantis-lint knows.
    #[default]
    Latest,
}

/// The Atlantis release a configuration is checked against, and why that one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AtlantisVersion {
    pub version: Version,
    pub source: VersionSource,
}

impl AtlantisVersion {
    /// The release `--atlantis-version` named.
    pub fn given(version: Version) -> AtlantisVersion {
        AtlantisVersion {
            version,
            source: VersionSource::Option,
        }
    }

    /// How the summary names it: `v0.28.1`, `v0.28.1 (from the image tag)` or
    /// `v0.47.1 (the latest known)`.
    pub fn describe(&self) -> String {
        match &self.source {
            VersionSource::Option => self.version.to_string(),
            VersionSource::Image { by: None, .. } => {
                format!("{} (from the image tag)", self.version)
            }
            VersionSource::Image { by: Some(by), .. } => format!("{} ({by})", self.version),
            VersionSource::Latest => format!("{} (the latest known)", self.version),
        }
    }

    /// The JSON report's name for the source: `option`, `image` or `latest`.
    pub fn source_name(&self) -> &'static str {
        match self.source {
            VersionSource::Option => "option",
            VersionSource::Image { .. } => "image",
            VersionSource::Latest => "latest",
        }
    }
}

/// What an image reference says about the Atlantis release it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageVersion {
    /// A release tag: `v0.28.1`, `0.28.1`, `v0.28.1-alpine`, `v0.28.1-debian` (also with a digest).
    Release(Version),
    /// A digest without a tag, `latest`, or no tag at all: the reference does not say which release.
    Unknown,
    /// A tag that is not a release atlantis-lint knows (`dev`, `main-4f3c2a1`, `v0.99.0`).
    NotARelease(String),
}

/// Reads the release from the image reference of an Atlantis container
/// (`ghcr.io/runatlantis/atlantis:v0.28.1`, `runatlantis/atlantis:0.28.1@sha256:…`).
///
/// For the deployment readers (Kubernetes manifests, compose files, Helm values, Terraform module
/// calls): they find the Atlantis container and put its image in [`crate::config::DeployedImage`];
/// [`resolve`] then picks the release, and the `atlantis-version` rule says when the image did
/// not tell.
pub fn version_from_image(reference: &str) -> ImageVersion {
    let reference = reference.trim();
    // A digest pins the image but names no release; a tag before it still does.
    let without_digest = reference.split_once('@').map_or(reference, |(r, _)| r);
    // The tag follows the last `:` after the last `/` (a registry port has a `/` after it).
    let last_part = without_digest.rsplit('/').next().unwrap_or(without_digest);
    let Some((_, tag)) = last_part.rsplit_once(':') else {
        return ImageVersion::Unknown;
    };
    if tag.is_empty() || tag == "latest" {
        return ImageVersion::Unknown;
    }
    // The images are published as vX.Y.Z and as vX.Y.Z-alpine / -debian variants.
    let core = tag
        .strip_suffix("-alpine")
        .or_else(|| tag.strip_suffix("-debian"))
        .unwrap_or(tag);
    match Version::parse(core).filter(|v| crate::flags::RELEASES.contains(v)) {
        Some(v) => ImageVersion::Release(v),
        None => ImageVersion::NotARelease(tag.to_string()),
    }
}

/// The release to check against: `--atlantis-version` wins, then a release image tag (written,
/// or the deployment tool's default), then the latest known release. A computed image tells
/// nothing.
pub fn resolve(option: Option<Version>, image: Option<&DeployedImage>) -> AtlantisVersion {
    if let Some(version) = option {
        return AtlantisVersion::given(version);
    }
    let Some(image) = image else {
        return AtlantisVersion::default();
    };
    let Some(reference) = image.reference() else {
        return AtlantisVersion::default();
    };
    match version_from_image(reference) {
        ImageVersion::Release(version) => AtlantisVersion {
            version,
            source: VersionSource::Image {
                reference: reference.to_string(),
                by: match &image.image {
                    ImageRef::Default { by, .. } => Some(by.clone()),
                    _ => None,
                },
            },
        },
        _ => AtlantisVersion::default(),
    }
}

/// Reads an `--atlantis-version` value (or the settings file's `atlantis-version:`): a release
/// atlantis-lint knows, as `v0.28.1` or `0.28.1`. The error explains the accepted forms and names
/// the newest known release; the caller prefixes where the value came from.
pub fn parse_release(text: &str) -> Result<Version, String> {
    let releases = crate::flags::RELEASES;
    let (oldest, newest) = (releases[0], releases[releases.len() - 1]);
    let forms = format!(
        "an Atlantis release from {oldest} to {newest} (the newest known), written v0.28.1 or 0.28.1"
    );
    match Version::parse(text.trim()) {
        Some(v) if releases.contains(&v) => Ok(v),
        Some(v) if v > newest => Err(format!(
            "`{v}` is newer than the newest release atlantis-lint knows ({newest}); expected {forms}"
        )),
        Some(v) => Err(format!(
            "`{v}` is not an Atlantis release atlantis-lint knows; expected {forms}"
        )),
        None => {
            // `v0.27` names a line of releases: offer its patch releases.
            let line: Vec<String> = minor_line(text.trim())
                .map(|(major, minor)| {
                    releases
                        .iter()
                        .filter(|r| r.major == major && r.minor == minor)
                        .map(Version::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let hint = match line.as_slice() {
                [] => String::new(),
                [one] => format!("; did you mean {one}?"),
                more => format!("; did you mean one of {}?", more.join(", ")),
            };
            Err(format!(
                "`{}` is not a release number; expected {forms}{hint}",
                text.trim()
            ))
        }
    }
}

/// `v0.27` or `0.27`: the major and minor numbers.
fn minor_line(text: &str) -> Option<(u16, u16)> {
    let (major, minor) = text.strip_prefix('v').unwrap_or(text).split_once('.')?;
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u16>().ok())
            .flatten()
    };
    Some((number(major)?, number(minor)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_release_tags_only() {
        assert_eq!(Version::parse("v0.28.1"), Some(Version::new(0, 28, 1)));
        assert_eq!(Version::parse("0.37.1"), Some(Version::new(0, 37, 1)));
        for bad in [
            "latest",
            "0.x",
            "v0.28",
            "v0.28.1.2",
            "v0.17.0-beta",
            "v0.28.01",
            "",
            "v",
            "+1.2.3",
            "4f3c2a1",
        ] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn release_option_accepts_known_releases_only() {
        assert_eq!(parse_release("v0.28.1"), Ok(Version::new(0, 28, 1)));
        assert_eq!(parse_release("0.37.1"), Ok(Version::new(0, 37, 1)));
        for bad in ["latest", "0.x", "v9.9.9", "4f3c2a1", "v0.28.9", "v0.16.1"] {
            let e = parse_release(bad).unwrap_err();
            assert!(e.contains("v0.47.1 (the newest known)"), "{e}");
        }
        let e = parse_release("v0.27").unwrap_err();
        assert!(
            e.ends_with("; did you mean one of v0.27.0, v0.27.1, v0.27.2, v0.27.3?"),
            "{e}"
        );
        assert!(
            parse_release("0.47")
                .unwrap_err()
                .ends_with("did you mean one of v0.47.0, v0.47.1?")
        );
        assert!(!parse_release("v0.99").unwrap_err().contains("did you mean"));
    }

    #[test]
    fn image_tags() {
        use ImageVersion::*;
        let v = |s| Release(Version::parse(s).unwrap());
        assert_eq!(
            version_from_image("ghcr.io/runatlantis/atlantis:v0.28.1"),
            v("v0.28.1")
        );
        assert_eq!(
            version_from_image("runatlantis/atlantis:0.22.0"),
            v("v0.22.0")
        );
        assert_eq!(
            version_from_image("ghcr.io/runatlantis/atlantis:v0.31.0-alpine"),
            v("v0.31.0")
        );
        assert_eq!(
            version_from_image("registry.acme.dev:5000/mirror/atlantis:v0.37.1@sha256:0123abcd"),
            v("v0.37.1")
        );
        assert_eq!(
            version_from_image("ghcr.io/runatlantis/atlantis:latest"),
            Unknown
        );
        assert_eq!(version_from_image("ghcr.io/runatlantis/atlantis"), Unknown);
        assert_eq!(
            version_from_image("registry.acme.dev:5000/atlantis"),
            Unknown
        );
        assert_eq!(
            version_from_image("ghcr.io/runatlantis/atlantis@sha256:0123abcd"),
            Unknown
        );
        assert_eq!(
            version_from_image("atlantis:dev"),
            NotARelease("dev".into())
        );
        assert_eq!(
            version_from_image("atlantis:v9.9.9"),
            NotARelease("v9.9.9".into())
        );
    }

    fn written(reference: &str) -> DeployedImage {
        DeployedImage::written(reference, crate::config::Location::None)
    }

    #[test]
    fn the_option_wins_over_the_tag() {
        let tag = written("ghcr.io/runatlantis/atlantis:v0.28.1");
        assert_eq!(
            resolve(Some(Version::new(0, 27, 0)), Some(&tag)).version,
            Version::new(0, 27, 0)
        );
        assert_eq!(resolve(None, Some(&tag)).version, Version::new(0, 28, 1));
        assert_eq!(
            resolve(None, Some(&written("atlantis:latest"))).source,
            VersionSource::Latest
        );
        assert_eq!(resolve(None, None), AtlantisVersion::default());
    }

    #[test]
    fn a_default_image_names_its_chooser_and_a_computed_one_nothing() {
        let chart = DeployedImage {
            image: ImageRef::Default {
                reference: "ghcr.io/runatlantis/atlantis:v0.28.1".into(),
                by: "the appVersion of chart 5.1.1".into(),
            },
            location: crate::config::Location::None,
        };
        let v = resolve(None, Some(&chart));
        assert_eq!(v.version, Version::new(0, 28, 1));
        assert_eq!(v.describe(), "v0.28.1 (the appVersion of chart 5.1.1)");
        let computed = DeployedImage {
            image: ImageRef::Computed {
                what: "var.atlantis_image".into(),
            },
            location: crate::config::Location::None,
        };
        assert_eq!(resolve(None, Some(&computed)), AtlantisVersion::default());
    }

    #[test]
    fn orders_numerically() {
        assert!(Version::new(0, 9, 0) < Version::new(0, 10, 0));
        assert!(Version::new(0, 28, 1) < Version::new(0, 28, 2));
        assert_eq!(Version::new(0, 31, 0).to_string(), "v0.31.0");
    }
}
