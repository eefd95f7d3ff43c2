//! "Did you mean": the nearest known name to a mistyped one.

/// The candidate closest to `word` within a small, length-aware edit distance (the bound the
/// unknown-key rule uses, so that absurd suggestions are never made).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = match word.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        6..=12 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = crate::flags::edit_distance(word, c, limit);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}
