//! The one catalogue of the sandbox institutions' pages (`locales/*.ftl`,
//! Project Fluent): every word the banks' and the portals' pages print, in
//! Brazilian Portuguese and English. The sandbox is the institutions' side
//! of Open Finance, so it keeps its own catalogue apart from Ponte's.
//! Templates ask for a message by id (`t('id', name=value)`); Rust code
//! through [`text`]. A message missing in English falls back to Portuguese.

use crate::lang::Lang;
use ponte_pages::{Catalogue, FluentValue};
use std::sync::LazyLock;

const PT_BR: &str = include_str!("../locales/pt-BR.ftl");
const EN: &str = include_str!("../locales/en.ftl");

/// Portuguese first: the fallback.
pub(crate) static CATALOGUE: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue::new("sandbox", &[("pt-BR", PT_BR), ("en", EN)]));

/// Message `id` in `lang` with `args` filled in; Portuguese when English
/// lacks it, the id itself when neither has it (a test keeps the pages'
/// ids in the catalogue).
pub fn text(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    CATALOGUE.text(lang.code(), id, args)
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
    CATALOGUE.has(lang.code(), id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ponte_pages::placeholders as messages;

    #[test]
    fn both_languages_name_the_same_messages_with_the_same_placeholders() {
        let (pt, en) = (messages(PT_BR), messages(EN));
        assert_eq!(pt.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>());
        assert_eq!(pt, en, "placeholders differ");
        assert!(pt.len() > 60, "{}", pt.len());
        assert_eq!(pt["bank-approve-recipient"], ["recipient"]);
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
