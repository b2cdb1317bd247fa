//! Strategic merge: a target and a patch (two documents), merged with the
//! built-in schema, never a panic; a merged object can be written out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rustomize::schema::Schema;
use rustomize::transform::patch_strategic::apply;
use rustomize::yaml::emit::write_document;
use rustomize::yaml::parse::parse_stream;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(docs) = parse_stream(text) else {
        return;
    };
    let mut docs = docs.into_iter().filter(|d| !d.is_null());
    let (Some(mut target), Some(patch)) = (docs.next(), docs.next()) else {
        return;
    };
    let schema = Schema::builtin();
    if apply(&mut target, &patch, &schema).is_ok() {
        let _ = write_document(&target, &mut String::new());
    }
});
