//! YAML text → nodes → kustomize's output format → nodes: never a panic;
//! what was written reads back, and writing it again gives the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rustomize::yaml::emit::write_document;
use rustomize::yaml::parse::parse_stream;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(docs) = parse_stream(text) else {
        return;
    };
    for doc in docs.iter().filter(|doc| !doc.is_null()) {
        let mut first = String::new();
        if write_document(doc, &mut first).is_err() {
            continue;
        }
        let again = parse_stream(&first)
            .unwrap_or_else(|e| panic!("emitted YAML does not parse: {e}\n{first}"));
        let again: Vec<_> = again.into_iter().filter(|d| !d.is_null()).collect();
        assert_eq!(again.len(), 1, "{first}");
        let mut second = String::new();
        write_document(&again[0], &mut second).expect("emitting again");
        assert_eq!(first, second, "emitting is not stable");
    }
});
