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
    fn orders_numerically() {
        assert!(Version::new(0, 9, 0) < Version::new(0, 10, 0));
        assert!(Version::new(0, 28, 1) < Version::new(0, 28, 2));
        assert_eq!(Version::new(0, 31, 0).to_string(), "v0.31.0");
    }
}
