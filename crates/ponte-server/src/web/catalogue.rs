//! The one catalogue of Ponte's server-rendered pages (`locales/*.ftl`,
//! Project Fluent): every word `/me` and the documents app's pages print,
//! in Brazilian Portuguese and English. Templates ask for a message by id
//! (see `pages`); a message missing in English falls back to Portuguese.

use super::lang::Locale;
use ponte_pages::{Catalogue, FluentValue};
use std::sync::LazyLock;

const PT_BR: &str = include_str!("../../locales/pt-BR.ftl");
const EN: &str = include_str!("../../locales/en.ftl");

/// Portuguese first: the fallback.
pub(super) static CATALOGUE: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue::new("pages", &[("pt-BR", PT_BR), ("en", EN)]));

/// Message `id` in `locale` with `args` filled in; Portuguese when English
/// lacks it, the id itself when neither has it (a test keeps that from
/// happening).
pub fn text(locale: Locale, id: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, FluentValue<'_>)> = args
        .iter()
        .map(|(name, value)| (*name, FluentValue::from(value.as_str())))
        .collect();
    CATALOGUE.text(locale.tag(), id, &args)
}

/// Whether the catalogue has message `id` (for ids built from data, such
/// as a status, which fall back to an `-other` message).
pub fn has(locale: Locale, id: &str) -> bool {
    CATALOGUE.has(locale.tag(), id)
}

#[cfg(test)]
mod tests {
    use super::*;

    use ponte_pages::placeholders;

    #[test]
    fn both_languages_name_the_same_messages_with_the_same_placeholders() {
        assert_eq!(placeholders(PT_BR), placeholders(EN));
        assert!(placeholders(PT_BR).len() > 40);
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
