//! The YAML reader: no panic, every node span inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match atlantis_lint::input::yaml::parse(text) {
        Ok(doc) => {
            for node in &doc.nodes {
                assert!(node.span.end <= text.len());
                assert!(
                    text.is_char_boundary(node.span.start) && text.is_char_boundary(node.span.end)
                );
            }
        }
        Err(e) => assert!(e.span.end <= text.len()),
    }
});
