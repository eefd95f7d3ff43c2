//! The env-file reader: no panic, every span inside the text, masking keeps the length.
#![no_main]
use atlantis_lint::input::env;
use atlantis_lint::source::{SourceKind, SourceText};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut src = SourceText::new(SourceKind::EnvFile, "a.env", text.clone());
    let (settings, issues) = env::read_file(0, &mut src);
    for s in &settings {
        assert!(s.origin.key_span.end <= text.len() && s.origin.value_span.end <= text.len());
    }
    for i in &issues {
        assert!(i.span.end <= text.len());
    }
    assert_eq!(src.masked().len(), text.len());
});
