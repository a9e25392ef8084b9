//! The one catalogue of Ponte's server-rendered pages (`locales/*.ftl`,
//! Project Fluent): every word `/me` and the documents app's pages print,
//! in Brazilian Portuguese and English. Templates ask for a message by id
//! (see `pages`); a message missing in English falls back to Portuguese.

use super::lang::Locale;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

const PT_BR: &str = include_str!("../../locales/pt-BR.ftl");
const EN: &str = include_str!("../../locales/en.ftl");

type Bundle = FluentBundle<FluentResource>;

fn bundle(tag: &str, source: &'static str) -> Bundle {
    let id: LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // The text goes into HTML, where Unicode isolation marks would only
    // show up as stray characters when copied.
    bundle.set_use_isolating(false);
    match FluentResource::try_new(source.to_string()) {
        Ok(resource) => {
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(?errors, tag, "duplicate messages in the page catalogue");
            }
        }
        Err((resource, errors)) => {
            tracing::error!(?errors, tag, "the page catalogue does not parse");
            let _ = bundle.add_resource(resource);
        }
    }
    bundle
}

static BUNDLES: LazyLock<[Bundle; 2]> =
    LazyLock::new(|| [bundle("pt-BR", PT_BR), bundle("en", EN)]);

fn of(locale: Locale) -> &'static Bundle {
    match locale {
        Locale::PtBr => &BUNDLES[0],
        Locale::En => &BUNDLES[1],
    }
}

/// Message `id` in `locale` with `args` filled in; Portuguese when English
/// lacks it, the id itself when neither has it (a test keeps that from
/// happening).
pub fn text(locale: Locale, id: &str, args: &[(&str, String)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, FluentValue::from(value.clone()));
    }
    for bundle in [of(locale), of(Locale::PtBr)] {
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let out = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(id, ?errors, "a page message is missing an argument");
            }
            return out.into_owned();
        }
    }
    tracing::warn!(id, "no such page message");
    id.to_string()
}

/// Whether the catalogue has message `id` (for ids built from data, such
/// as a status, which fall back to an `-other` message).
pub fn has(locale: Locale, id: &str) -> bool {
    of(locale).has_message(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(source: &str) -> Vec<String> {
        let mut ids: Vec<String> = source
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
            .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim().to_string()))
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn both_languages_name_the_same_messages_and_parse() {
        assert_eq!(ids(PT_BR), ids(EN));
        assert!(ids(PT_BR).len() > 40);
        for source in [PT_BR, EN] {
            assert!(FluentResource::try_new(source.to_string()).is_ok());
        }
    }

    #[test]
    fn messages_fill_their_arguments_in_each_language() {
        let args = [("client", "Acme Crédito".to_string())];
        assert_eq!(text(Locale::En, "docs-back", &args), "Back to Acme Crédito");
        assert_eq!(
            text(Locale::PtBr, "docs-back", &args),
            "Voltar para Acme Crédito"
        );
        assert_eq!(text(Locale::En, "no-such-id", &[]), "no-such-id");
        assert!(has(Locale::En, "me-status-AUTHORISED") && !has(Locale::En, "me-status-X"));
    }
}
