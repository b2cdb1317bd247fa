//! Kustomization files: parsed and checked field by field, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rustomize::kustomization::Kustomization;
use rustomize::yaml::parse::parse_kustomization;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(node) = parse_kustomization(text) {
        let _ = Kustomization::from_node(&node);
    }
});
