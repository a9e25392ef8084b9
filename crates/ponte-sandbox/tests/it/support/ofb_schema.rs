//! Validates JSON bodies against the official OFB OpenAPI 3.0 specs in spec/ofb.
//!
//! OpenAPI 3.0 schemas are close to JSON Schema draft 4 (boolean exclusiveMinimum, `$ref`
//! siblings ignored) except for `nullable`, which is rewritten here. References of the form
//! `#/components/schemas/X` resolve because the whole document is the root schema, with
//! `$ref` pointing at the component under test.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::{json, Map, Value};

pub const SPEC_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/ofb");

pub struct OfbSpec {
    doc: Value,
    validators: Mutex<HashMap<String, std::sync::Arc<jsonschema::Validator>>>,
}

impl OfbSpec {
    /// Loads `spec/ofb/<file>` (e.g. "consents-3.3.1.yml").
    pub fn load(file: &str) -> OfbSpec {
        let path = format!("{SPEC_DIR}/{file}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
        // Some official files start with a UTF-8 BOM, which YAML parsers choke on.
        let text = text.trim_start_matches('\u{feff}');
        let mut doc: Value =
            serde_yaml_ng::from_str(text).unwrap_or_else(|e| panic!("parse {path}: {e}"));
        openapi_to_json_schema(&mut doc);
        OfbSpec {
            doc,
            validators: Mutex::new(HashMap::new()),
        }
    }

    fn validator(&self, schema: &str) -> std::sync::Arc<jsonschema::Validator> {
        let mut cache = self.validators.lock().unwrap();
        cache
            .entry(schema.to_string())
            .or_insert_with(|| {
                assert!(
                    self.doc["components"]["schemas"].get(schema).is_some(),
                    "no schema {schema} in spec"
                );
                let mut root = self.doc.clone();
                root["$ref"] = json!(format!("#/components/schemas/{schema}"));
                let v = jsonschema::draft4::options()
                    .should_validate_formats(true)
                    .build(&root)
                    .unwrap_or_else(|e| panic!("compile {schema}: {e}"));
                std::sync::Arc::new(v)
            })
            .clone()
    }

    /// Validates against any schema of the document named by a JSON pointer, e.g. an
    /// inline response schema under `#/components/responses/...`.
    #[track_caller]
    pub fn assert_valid_at(&self, pointer: &str, instance: &Value) {
        let ptr = pointer.trim_start_matches('#');
        assert!(self.doc.pointer(ptr).is_some(), "no {pointer} in spec");
        let mut root = self.doc.clone();
        root["$ref"] = json!(pointer);
        let v = jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("compile {pointer}: {e}"));
        let errs: Vec<String> = v
            .iter_errors(instance)
            .map(|e| format!("{}: {}", e.instance_path(), e))
            .collect();
        assert!(
            errs.is_empty(),
            "body does not match {pointer}:\n{}\nbody: {instance:#}",
            errs.join("\n")
        );
    }

    /// Every violation of `#/components/schemas/<schema>`, as "path: message".
    pub fn errors(&self, schema: &str, instance: &Value) -> Vec<String> {
        self.validator(schema)
            .iter_errors(instance)
            .map(|e| format!("{}: {}", e.instance_path(), e))
            .collect()
    }

    #[track_caller]
    pub fn assert_valid(&self, schema: &str, instance: &Value) {
        let errs = self.errors(schema, instance);
        assert!(
            errs.is_empty(),
            "body does not match {schema}:\n{}\nbody: {instance:#}",
            errs.join("\n")
        );
    }
}

/// Any spec of spec/ofb by file name, parsed once per test binary.
pub fn spec(file: &str) -> &'static OfbSpec {
    static SPECS: OnceLock<Mutex<HashMap<String, &'static OfbSpec>>> = OnceLock::new();
    let mut map = SPECS.get_or_init(Default::default).lock().unwrap();
    map.entry(file.to_string())
        .or_insert_with(|| Box::leak(Box::new(OfbSpec::load(file))))
}

/// The consents spec, parsed once per test binary.
pub fn consents() -> &'static OfbSpec {
    static SPEC: OnceLock<OfbSpec> = OnceLock::new();
    SPEC.get_or_init(|| OfbSpec::load("consents-3.3.1.yml"))
}

/// Rewrites OpenAPI 3.0 `nullable: true` into JSON Schema, recursively.
pub fn openapi_to_json_schema(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for child in map.values_mut() {
                openapi_to_json_schema(child);
            }
            if map.remove("nullable") == Some(Value::Bool(true)) {
                make_nullable(map);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(openapi_to_json_schema),
        _ => {}
    }
}

fn make_nullable(map: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    match map.get("type").cloned() {
        Some(Value::String(t)) => {
            map.insert("type".into(), json!([t, "null"]));
        }
        Some(_) => {}
        None => {
            // e.g. `{$ref, nullable}` or `{allOf, nullable}`: wrap the whole schema.
            let inner = Value::Object(std::mem::take(map));
            map.insert("anyOf".into(), json!([inner, {"type": "null"}]));
        }
    }
}
