//! Atlantis release numbers (`v0.28.1`), as the flag history and `--atlantis-version` use them.

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
    Image { reference: String },
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

    /// How the summary names it: `Atlantis v0.28.1` or `Atlantis v0.47.1 (latest known; set --atlantis-version)`.
    pub fn describe(&self) -> String {
        match &self.source {
            VersionSource::Option => format!("Atlantis {}", self.version),
            VersionSource::Image { .. } => format!("Atlantis {} (image tag)", self.version),
            VersionSource::Latest => format!(
                "Atlantis {} (the latest known; set --atlantis-version)",
                self.version
            ),
        }
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
        None => Err(format!(
            "`{}` is not a release number; expected {forms}",
            text.trim()
        )),
    }
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
    }

    #[test]
    fn orders_numerically() {
        assert!(Version::new(0, 9, 0) < Version::new(0, 10, 0));
        assert!(Version::new(0, 28, 1) < Version::new(0, 28, 2));
        assert_eq!(Version::new(0, 31, 0).to_string(), "v0.31.0");
    }
}
