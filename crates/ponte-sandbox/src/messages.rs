//! The one catalogue of the sandbox institutions' pages (`locales/*.ftl`,
//! Project Fluent): every word the banks' and the portals' pages print, in
//! Brazilian Portuguese and English. The sandbox is the institutions' side
//! of Open Finance, so it keeps its own catalogue apart from Ponte's.
//! Templates ask for a message by id (`t('id', name=value)`); Rust code
//! through [`text`]. A message missing in English falls back to Portuguese.

use crate::lang::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

const PT_BR: &str = include_str!("../locales/pt-BR.ftl");
const EN: &str = include_str!("../locales/en.ftl");

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
                tracing::error!(?errors, tag, "duplicate messages in the sandbox catalogue");
            }
        }
        Err((resource, errors)) => {
            tracing::error!(?errors, tag, "the sandbox catalogue does not parse");
            let _ = bundle.add_resource(resource);
        }
    }
    bundle
}

static BUNDLES: LazyLock<[Bundle; 2]> =
    LazyLock::new(|| [bundle("pt-BR", PT_BR), bundle("en", EN)]);

fn of(lang: Lang) -> &'static Bundle {
    match lang {
        Lang::PtBr => &BUNDLES[0],
        Lang::En => &BUNDLES[1],
    }
}

/// Message `id` in `lang` with `args` filled in; Portuguese when English
/// lacks it, the id itself when neither has it (a test keeps the pages'
/// ids in the catalogue).
pub fn text(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    for bundle in [of(lang), of(Lang::PtBr)] {
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let out = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(id, ?errors, "a sandbox page message is missing an argument");
            }
            return out.into_owned();
        }
    }
    tracing::warn!(id, "no such sandbox page message");
    id.to_string()
}

/// Message `id` in both languages, for a page that cannot tell which one
/// its reader speaks (an error before any form said so).
pub fn both(id: &str) -> String {
    format!(
        "{} / {}",
        text(Lang::PtBr, id, &[]),
        text(Lang::En, id, &[])
    )
}

/// Whether the catalogue has message `id` (for ids built from data, such
/// as a permission, which fall back to a generic message).
pub fn has(lang: Lang, id: &str) -> bool {
    of(lang).has_message(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Each message's id and the placeholders (`$name`) it uses, sorted.
    fn messages(source: &str) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut current = None;
        for line in source.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let rest = if line.starts_with(' ') {
                line
            } else {
                let Some((id, value)) = line.split_once(" = ") else {
                    panic!("not a message: {line}");
                };
                assert!(
                    out.insert(id.to_string(), Vec::new()).is_none(),
                    "{id} twice"
                );
                current = Some(id.to_string());
                value
            };
            let Some(id) = current.as_ref() else {
                panic!("a continuation line before any message: {line}");
            };
            let placeholders = out.entry(id.clone()).or_default();
            for piece in rest.split('$').skip(1) {
                let name: String = piece
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if !placeholders.contains(&name) {
                    placeholders.push(name);
                }
            }
            placeholders.sort();
        }
        out
    }

    #[test]
    fn both_languages_name_the_same_messages_with_the_same_placeholders() {
        let (pt, en) = (messages(PT_BR), messages(EN));
        assert_eq!(pt.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>());
        assert_eq!(pt, en, "placeholders differ");
        assert!(pt.len() > 60, "{}", pt.len());
        assert_eq!(pt["bank-approve-recipient"], ["recipient"]);
        for source in [PT_BR, EN] {
            assert!(FluentResource::try_new(source.to_string()).is_ok());
        }
    }

    #[test]
    fn messages_fill_their_arguments_and_agree_in_number() {
        let one = [("left", FluentValue::from(1))];
        let two = [("left", FluentValue::from(2))];
        assert_eq!(
            text(Lang::PtBr, "bank-error-otp", &one),
            "Código incorreto, resta 1 tentativa."
        );
        assert_eq!(
            text(Lang::PtBr, "bank-error-otp", &two),
            "Código incorreto, restam 2 tentativas."
        );
        assert_eq!(
            text(Lang::En, "bank-error-otp", &one),
            "Wrong code, 1 attempt left."
        );
        assert_eq!(text(Lang::En, "no-such-id", &[]), "no-such-id");
        assert_eq!(both("bank-error-internal"), "Erro interno / Internal error");
        assert!(has(Lang::En, "permission-LOANS_READ") && !has(Lang::En, "permission-X"));
    }

    #[test]
    fn every_permission_has_its_words() {
        for lang in [Lang::PtBr, Lang::En] {
            for p in crate::permissions::all() {
                assert!(has(lang, &format!("permission-{p}")), "{p} in {lang:?}");
            }
        }
    }
}
