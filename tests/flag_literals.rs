//! Rules name flags by their typed handles (`flags::GH_USER`), never by string literals: a
//! misspelled handle does not compile, a misspelled string silently matches nothing.
//!
//! Scans `src/rules/` for string literals that are exactly a flag name, outside documentation
//! (raw strings), comments, unit tests and rule ids (`id: "webhooks"` names a rule, not a flag).

use atlantis_lint::flags::FLAGS;
use std::path::Path;

/// Removes raw strings (`r#"..."#`: the rule docs), line comments and the `#[cfg(test)]` tail.
fn code_only(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("r#\"") {
        out.push_str(&rest[..start]);
        match rest[start + 3..].find("\"#") {
            Some(end) => {
                // Keep the line count, so that reported lines stay right.
                let skipped = &rest[start..start + 3 + end + 2];
                out.extend(std::iter::repeat_n('\n', skipped.matches('\n').count()));
                rest = &rest[start + 3 + end + 2..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string (`https://`) is not a comment.
            Some(i) if l[..i].matches('"').count() % 2 == 0 => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn rules_name_flags_by_handle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut hits = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    for path in files {
        let code = code_only(&std::fs::read_to_string(&path).unwrap());
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("id: \"") {
                continue;
            }
            let mut parts = line.split('"');
            // Every second piece is inside a string literal (good enough for these files: no
            // escaped quotes around flag names).
            parts.next();
            for (i, piece) in parts.enumerate() {
                if i % 2 == 0 && FLAGS.iter().any(|f| f.name == piece) {
                    hits.push(format!(
                        "{}:{}: \"{piece}\": use flags::{}",
                        path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                            .unwrap()
                            .display(),
                        n + 1,
                        piece.replace('-', "_").to_ascii_uppercase()
                    ));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "flag names as string literals in src/rules ({}):\n{}",
        hits.len(),
        hits.join("\n")
    );
}
