//! A catalogue of messages (Project Fluent, one `.ftl` source per
//! language). The first language is the fallback: a message missing in
//! another one is said in it, and an unknown language tag reads it.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::BTreeMap;
use unic_langid::LanguageIdentifier;

type Bundle = FluentBundle<FluentResource>;

pub struct Catalogue {
    /// Whose words these are, for the logs.
    name: &'static str,
    /// `(tag, bundle)`, the fallback first.
    bundles: Vec<(&'static str, Bundle)>,
}

impl Catalogue {
    /// One bundle per `(tag, source)`, the first the fallback. A source that
    /// does not parse keeps what does and logs the rest (a unit test of each
    /// catalogue keeps that from shipping).
    pub fn new(name: &'static str, sources: &[(&'static str, &'static str)]) -> Catalogue {
        let bundles = sources
            .iter()
            .map(|&(tag, source)| (tag, bundle(name, tag, source)))
            .collect();
        Catalogue { name, bundles }
    }

    fn of(&self, tag: &str) -> Option<&Bundle> {
        self.bundles.iter().find(|(t, _)| *t == tag).map(|(_, b)| b)
    }

    /// Message `id` in the language `tag` with `args` filled in; in the
    /// first language when `tag`'s lacks it, and the id itself when none has
    /// it (each catalogue's tests keep that from happening).
    pub fn text(&self, tag: &str, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let fallback = self.bundles.first().map(|(_, b)| b);
        for bundle in [self.of(tag), fallback].into_iter().flatten() {
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let out = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(
                        catalogue = self.name,
                        id,
                        ?errors,
                        "a message is missing an argument"
                    );
                }
                return out.into_owned();
            }
        }
        tracing::warn!(catalogue = self.name, id, "no such message");
        id.to_string()
    }

    /// Whether language `tag` has message `id` (for ids built from data,
    /// such as a status, that fall back to a generic message).
    pub fn has(&self, tag: &str, id: &str) -> bool {
        self.of(tag).is_some_and(|b| b.has_message(id))
    }
}

fn bundle(name: &str, tag: &str, source: &'static str) -> Bundle {
    let id: LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // The text goes into HTML, where Unicode isolation marks would only
    // show up as stray characters when copied.
    bundle.set_use_isolating(false);
    match FluentResource::try_new(source.to_string()) {
        Ok(resource) => {
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(catalogue = name, ?errors, tag, "duplicate messages");
            }
        }
        Err((resource, errors)) => {
            tracing::error!(
                catalogue = name,
                ?errors,
                tag,
                "the catalogue does not parse"
            );
            let _ = bundle.add_resource(resource);
        }
    }
    bundle
}

/// Each message's id in a `.ftl` source and the placeholders (`$name`) it
/// uses, sorted: what two languages' sources must agree on. Panics on a
/// line that is not a message, a continuation (indented, or a select's
/// closing brace) or a comment, on an id given twice, or on a source
/// Fluent does not parse, since it is meant for the catalogues' tests.
pub fn placeholders(source: &str) -> BTreeMap<String, Vec<String>> {
    if let Err((_, errors)) = FluentResource::try_new(source.to_string()) {
        panic!("the source does not parse: {errors:?}");
    }
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = None;
    for line in source.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let rest = if line.starts_with(' ') || line.starts_with('}') {
            line
        } else {
            let Some((id, value)) = line
                .split_once(" = ")
                .or_else(|| line.strip_suffix(" =").map(|id| (id, "")))
            else {
                panic!("not a message: {line}");
            };
            let id = id.trim().to_string();
            assert!(out.insert(id.clone(), Vec::new()).is_none(), "{id} twice");
            current = Some(id);
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

#[cfg(test)]
mod tests {
    use super::*;

    const PT: &str = "# a comment\nhello = Olá, { $name }\nleft = { $n ->\n    [one] resta { $n } tentativa\n   *[other] restam { $n } tentativas\n}\nonly-pt = Só em português\n";
    const EN: &str = "hello = Hello, { $name }\nleft = { $n ->\n    [one] { $n } attempt left\n   *[other] { $n } attempts left\n}\n";

    fn catalogue() -> Catalogue {
        Catalogue::new("test", &[("pt-BR", PT), ("en", EN)])
    }

    #[test]
    fn a_message_is_said_in_the_language_asked_with_its_arguments() {
        let c = catalogue();
        let name = [("name", FluentValue::from("Ana"))];
        assert_eq!(c.text("en", "hello", &name), "Hello, Ana");
        assert_eq!(c.text("pt-BR", "hello", &name), "Olá, Ana");
        assert_eq!(
            c.text("en", "left", &[("n", FluentValue::from(1))]),
            "1 attempt left"
        );
        assert_eq!(
            c.text("pt-BR", "left", &[("n", FluentValue::from(2))]),
            "restam 2 tentativas"
        );
    }

    #[test]
    fn the_first_language_stands_in_for_a_missing_message_or_language() {
        let c = catalogue();
        assert_eq!(c.text("en", "only-pt", &[]), "Só em português");
        assert_eq!(
            c.text("fr", "hello", &[("name", FluentValue::from("Ana"))]),
            "Olá, Ana"
        );
        assert_eq!(c.text("en", "no-such-id", &[]), "no-such-id");
        assert!(c.has("pt-BR", "only-pt") && !c.has("en", "only-pt") && !c.has("fr", "hello"));
    }

    #[test]
    fn placeholders_list_each_message_and_what_it_fills_in() {
        let pt = placeholders(PT);
        assert_eq!(pt["hello"], ["name"]);
        assert_eq!(pt["left"], ["n"]);
        assert_eq!(pt.len(), 3);
        assert_ne!(pt, placeholders(EN));
    }

    #[test]
    #[should_panic(expected = "does not parse")]
    fn a_source_fluent_cannot_read_is_caught() {
        placeholders("hello = { $who\n");
    }

    #[test]
    #[should_panic(expected = "hello twice")]
    fn an_id_given_twice_is_caught() {
        placeholders("hello = a\nhello = b\n");
    }
}
