//! The values Atlantis accepts for its enumerated string flags.
//!
//! The one list of accepted values: the JSON Schema (`enum`) and the `invalid-value` rule read it. Each list is what Atlantis's
//! `validate()` / `NewServer` accept (reference §2.3, §2.7), in Atlantis's spelling.

/// The accepted values of an enumerated flag, or `None` for a free-form flag.
pub fn choices(flag: &str) -> Option<&'static [&'static str]> {
    Some(match flag {
        // V1: validated lower-cased, but only the lower-case names take effect.
        "log-level" => &["debug", "info", "warn", "error"],
        // V4
        "checkout-strategy" => &["branch", "merge"],
        // V5 (empty means the host's default)
        "automerge-method" => &["merge", "rebase", "squash"],
        // V3 (case-sensitive); the deprecated tf-distribution is copied into it.
        "default-tf-distribution" | "tf-distribution" => &["terraform", "opentofu"],
        // Only these are handled; anything else is not rejected by validate().
        "autodiscover-mode" => &["auto", "enabled", "disabled"],
        "locking-db-type" => &["boltdb", "redis"],
        _ => return None,
    })
}
