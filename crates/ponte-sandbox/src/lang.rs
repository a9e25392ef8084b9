//! The language of the institutions' pages (the banks' and the portals'):
//! the authorization request's `ui_locales`, else the browser's
//! `Accept-Language`, else Brazilian Portuguese; every form then carries
//! the page's language on as `lang`, and the switch posts the other one.

/// A page's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    PtBr,
    En,
}

impl Lang {
    /// A form's `lang`: English when it says so, Portuguese otherwise.
    pub fn from_form(raw: Option<&str>) -> Lang {
        Self::tag(raw.unwrap_or_default()).unwrap_or(Lang::PtBr)
    }

    /// The authorization request's `ui_locales` (space-separated, in order
    /// of preference) wins; then `Accept-Language` by weight; else pt-BR.
    pub fn negotiate(ui_locales: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = ui_locales
            .unwrap_or_default()
            .split_whitespace()
            .find_map(Self::tag)
        {
            return lang;
        }
        let mut offered: Vec<(f32, usize, &str)> = accept_language
            .unwrap_or_default()
            .split(',')
            .enumerate()
            .filter_map(|(i, item)| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let q = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                Some((q, i, tag))
            })
            .filter(|(q, ..)| *q > 0.0)
            .collect();
        offered.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        offered
            .into_iter()
            .find_map(|(_, _, tag)| Self::tag(tag))
            .unwrap_or(Lang::PtBr)
    }

    /// `pt`, `pt-BR`, `pt_PT`… → Portuguese; `en`, `en-US`… → English.
    pub fn tag(raw: &str) -> Option<Lang> {
        let l = raw.trim().to_ascii_lowercase();
        if l.starts_with("pt") {
            Some(Lang::PtBr)
        } else if l.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::PtBr => "pt-BR",
            Lang::En => "en",
        }
    }

    /// Where the page's switch leads.
    pub fn other(self) -> Lang {
        match self {
            Lang::PtBr => Lang::En,
            Lang::En => Lang::PtBr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn the_language_comes_from_ui_locales_then_the_browser() {
        assert_eq!(Lang::negotiate(None, None), Lang::PtBr);
        assert_eq!(
            Lang::negotiate(Some("en-US pt-BR"), Some("pt-BR")),
            Lang::En
        );
        assert_eq!(
            Lang::negotiate(Some("de"), Some("en-GB,en;q=0.9")),
            Lang::En
        );
        assert_eq!(
            Lang::negotiate(None, Some("de-DE,en;q=0.5,pt;q=0.8")),
            Lang::PtBr
        );
        assert_eq!(Lang::negotiate(None, Some("fr, de;q=0.5")), Lang::PtBr);
        assert_eq!(Lang::negotiate(None, Some("pt;q=0, en;q=0.1")), Lang::En);
        assert_eq!(Lang::from_form(Some("en")), Lang::En);
        assert_eq!(Lang::from_form(Some("xx")), Lang::PtBr);
    }
}
