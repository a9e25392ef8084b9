//! The browser pages' catalogue (`web/i18n/<lang>.js`) checked from Rust, so
//! `cargo test` catches a string added in one language only: both files
//! have the same keys, and each key has the same `{placeholders}` in both.

use rust_embed::RustEmbed;
use std::collections::{BTreeMap, BTreeSet};

#[derive(RustEmbed)]
#[folder = "../../web/i18n/"]
struct Files;

/// `'key': 'text',` lines → key → the placeholders its text uses.
fn entries(name: &str) -> BTreeMap<String, BTreeSet<String>> {
    let file = Files::get(name).unwrap_or_else(|| panic!("web/i18n/{name} is missing"));
    let text = String::from_utf8(file.data.into_owned()).expect("UTF-8");
    let line = regex::Regex::new(r"^\s*'([^']+)':\s*'(.*)',\s*$").unwrap();
    let placeholder = regex::Regex::new(r"\{(\w+)\}").unwrap();
    let mut out = BTreeMap::new();
    for raw in text.lines() {
        let trimmed = raw.trim();
        if trimmed.is_empty()
            || trimmed.starts_with("//")
            || trimmed == "export default {"
            || trimmed == "};"
        {
            continue;
        }
        let caps = line
            .captures(raw)
            .unwrap_or_else(|| panic!("web/i18n/{name}: not a `'key': 'text',` line: {raw}"));
        let names = placeholder
            .captures_iter(&caps[2])
            .map(|c| c[1].to_string())
            .collect();
        let before = out.insert(caps[1].to_string(), names);
        assert!(before.is_none(), "web/i18n/{name}: {} twice", &caps[1]);
    }
    out
}

#[test]
fn both_languages_have_every_key_with_the_same_placeholders() {
    let pt = entries("pt-BR.js");
    let en = entries("en.js");
    assert!(
        pt.len() > 300,
        "the catalogue lost its strings: {}",
        pt.len()
    );
    let only_pt: Vec<_> = pt.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !pt.contains_key(*k)).collect();
    assert!(only_pt.is_empty(), "only in pt-BR.js: {only_pt:?}");
    assert!(only_en.is_empty(), "only in en.js: {only_en:?}");
    for (key, names) in &pt {
        assert_eq!(Some(names), en.get(key), "placeholders of {key} differ");
    }
}

#[test]
fn every_app_has_its_section() {
    let pt = entries("pt-BR.js");
    for key in [
        "picker.title",
        "docs.picker.title",
        "console.nav.overview",
        "demo.connect",
    ] {
        assert!(pt.contains_key(key), "{key} is missing");
    }
}
