//! The languages Ponte speaks to people (its pages, the widget, report
//! PDFs, insights' labels, a document portal's sign-in): Brazilian
//! Portuguese, the default, and English. Each is spelled once, by `tag`,
//! and the ways a tag is read (exactly, as people write it, or by its
//! language whatever the region) are all here.

/// A language Ponte speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    PtBr,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::PtBr, Locale::En];

    /// The BCP 47 tag Ponte writes: `pt-BR` or `en`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::PtBr => "pt-BR",
            Locale::En => "en",
        }
    }

    /// Exactly a tag [`Locale::tag`] writes (an API field that takes only those).
    pub fn from_tag(raw: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.tag() == raw)
    }

    /// A tag as people write it, in any case, with `_` for `-` and spaces
    /// around: `pt-BR` or `pt`, and `en`, `en-US` or `en-GB`.
    pub fn parse(raw: &str) -> Option<Locale> {
        match normal(raw).as_str() {
            "pt-br" | "pt" => Some(Locale::PtBr),
            "en" | "en-us" | "en-gb" => Some(Locale::En),
            _ => None,
        }
    }

    /// The language, whatever the region: `pt`, `pt-PT`… are Portuguese;
    /// `en`, `en-AU`… English (a browser's `Accept-Language`, a link's locale).
    pub fn language(raw: &str) -> Option<Locale> {
        match normal(raw).split('-').next() {
            Some("pt") => Some(Locale::PtBr),
            Some("en") => Some(Locale::En),
            _ => None,
        }
    }
}

fn normal(raw: &str) -> String {
    raw.trim().to_ascii_lowercase().replace('_', "-")
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::Locale;

    #[test]
    fn each_tag_reads_back_exactly_and_as_people_write_it() {
        for l in Locale::ALL {
            assert_eq!(Locale::from_tag(l.tag()), Some(l));
            assert_eq!(Locale::parse(l.tag()), Some(l));
            assert_eq!(Locale::language(l.tag()), Some(l));
        }
        assert_eq!(Locale::default(), Locale::PtBr);
    }

    #[test]
    fn only_the_api_s_exact_tags_read_exactly() {
        for bad in ["pt", "pt-br", "EN", " en", "en-US", "fr", ""] {
            assert_eq!(Locale::from_tag(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_written_tag_takes_any_case_and_the_known_regions() {
        assert_eq!(Locale::parse(" PT_br "), Some(Locale::PtBr));
        assert_eq!(Locale::parse("pt"), Some(Locale::PtBr));
        assert_eq!(Locale::parse("EN-gb"), Some(Locale::En));
        for bad in ["pt-PT", "en-AU", "fr", "", "english"] {
            assert_eq!(Locale::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_language_is_read_whatever_the_region() {
        assert_eq!(Locale::language("pt_PT"), Some(Locale::PtBr));
        assert_eq!(Locale::language(" EN "), Some(Locale::En));
        assert_eq!(Locale::language("en-AU"), Some(Locale::En));
        for bad in ["fr", "", "eng", "portuguese"] {
            assert_eq!(Locale::language(bad), None, "{bad:?}");
        }
    }
}
