//! Each product is described once per layer; this walks `Product::ALL` and
//! checks every layer has it: the consent permissions (as the sandbox bank,
//! which speaks the specification and depends on no ponte crate, files
//! them), the connector's reads (under the API the sandbox serves for that
//! product), the report PDF's title in both languages, the widget's
//! sentence in both languages, the Data API's wire name, and a sandbox bank
//! offering it. A product added to `ponte_core::Product` and forgotten in
//! one of these fails here (or does not compile, where a layer matches on it).

use crate::support;

use ponte_core::Product;
use ponte_server::dialects::data_api::wire;
use ponte_server::web::products::{shared_label, shared_products};
use ponte_services::pdf::report::{Locale, Words};
use serde_json::{json, Value};
use support::Db;

const LOCALES: [Locale; 2] = [Locale::PtBr, Locale::En];

#[test]
fn every_product_is_described_in_every_layer() {
    for p in Product::ALL {
        // What a consent names for it: a derived product needs its source's.
        let source = p.derived_from().unwrap_or(p);
        for business in [false, true] {
            let permissions = p.permissions(business);
            assert!(!permissions.is_empty(), "{p}: no permissions");
            for permission in permissions {
                assert_eq!(
                    ponte_sandbox::permission_product(permission),
                    Some(source.as_str()),
                    "{p}: {permission} is not the specification's {source} permission"
                );
            }
            let endpoints = ponte_connect::products::endpoints(p, business);
            assert!(!endpoints.is_empty(), "{p}: the connector reads nothing");
            for endpoint in endpoints {
                let below = endpoint.strip_prefix("/open-banking/").unwrap_or_default();
                assert_eq!(
                    ponte_sandbox::api_product(below),
                    Some(source.as_str()),
                    "{p}: {endpoint} is not an API of {source}"
                );
            }
        }

        let titles: Vec<&str> = LOCALES.iter().map(|l| l.text().title(p)).collect();
        for (locale, title) in LOCALES.iter().zip(&titles) {
            assert!(
                !title.is_empty() && *title != locale.text().unknown_product,
                "{p}: no report title in {}",
                locale.tag()
            );
        }
        assert_ne!(
            titles[0], titles[1],
            "{p}: the report title is not translated"
        );

        let wire_name = serde_json::to_value(wire::Product::from(p)).unwrap();
        assert_eq!(
            wire_name,
            json!(p.as_str()),
            "{p}: the Data API names it otherwise"
        );

        match p.derived_from() {
            None => {
                for locale in LOCALES {
                    assert!(
                        shared_label(p, locale).is_some_and(|s| !s.is_empty()),
                        "{p}: the widget does not say what it shares in {}",
                        locale.tag()
                    );
                }
                assert!(
                    ponte_sandbox::PRODUCTS.contains(&p.as_str()),
                    "{p}: no sandbox bank can offer it"
                );
                assert!(
                    ponte_sandbox::banks()
                        .iter()
                        .any(|b| !b.is_outage && b.available_resources.contains(&p.as_str())),
                    "{p}: no sandbox bank that is up offers it"
                );
            }
            // Derived: no consent names it, so the widget lists its source.
            Some(source) => {
                assert_eq!(shared_label(p, Locale::PtBr), None, "{p}");
                assert!(shared_label(source, Locale::PtBr).is_some(), "{p}");
            }
        }
    }
    // And the sandbox offers nothing Ponte cannot name.
    for name in ponte_sandbox::PRODUCTS {
        let p = Product::parse(name);
        assert!(
            p.is_some_and(|p| p.derived_from().is_none()),
            "the sandbox offers {name}, which Ponte does not read from a bank"
        );
    }
}

both!(
    the_link_session_lists_what_a_consent_can_share_in_both_languages,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let (status, session) = ts.get("/link/session", Some(&link_token)).await;
        assert_eq!(status, 200, "{session}");
        let listed = session["products"].as_array().cloned().unwrap_or_default();
        let names: Vec<&str> = listed
            .iter()
            .filter_map(|p| p["product"].as_str())
            .collect();
        let shared: Vec<&str> = Product::shared().map(|p| p.as_str()).collect();
        assert_eq!(names, shared, "{session}");
        let accounts = &listed[1];
        assert_eq!(accounts["product"], "accounts");
        assert_eq!(
            accounts["label"],
            json!({
                "en": "Your accounts: balances, limits and statements",
                "pt-BR": "Suas contas: saldos, limites e extratos",
            })
        );
        assert_eq!(
            Value::Array(listed),
            serde_json::to_value(shared_products()).unwrap()
        );
    }
);
