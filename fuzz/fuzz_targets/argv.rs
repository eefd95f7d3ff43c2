//! The argv reader: the input is split on NUL bytes into words.
#![no_main]
use atlantis_lint::input::argv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let words: Vec<String> = String::from_utf8_lossy(data)
        .split('\0')
        .map(str::to_string)
        .collect();
    let (src, settings, _) = argv::read(0, &words);
    for s in &settings {
        assert!(s.origin.key_span.end <= src.text.len());
        assert!(s.origin.value_span.end <= src.text.len());
    }
    assert_eq!(src.masked().len(), src.text.len());
});
