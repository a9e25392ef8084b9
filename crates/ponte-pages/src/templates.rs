//! A template environment (minijinja) for HTML pages: everything printed is
//! HTML-escaped unless marked `|safe`, and `t('id', name=value)` says a
//! catalogue message in the template's `locale`.

use crate::Catalogue;
use fluent_bundle::FluentValue;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, State};

/// An environment with `templates` (`(name, source)`) whose `t` function
/// reads `catalogue`. A template that does not parse is logged and left
/// out (each page set's tests render every template).
pub fn environment(
    name: &'static str,
    catalogue: &'static Catalogue,
    templates: &[(&'static str, &'static str)],
) -> Environment<'static> {
    let mut env = Environment::new();
    for &(template, source) in templates {
        if let Err(e) = env.add_template(template, source) {
            tracing::error!(error = %e, pages = name, template, "a page template does not parse");
        }
    }
    env.add_function(
        "t",
        move |state: &State, id: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
            let locale = state.lookup("locale");
            let tag = locale.as_ref().and_then(|v| v.as_str()).unwrap_or("");
            let mut args = Vec::new();
            for name in kwargs.args() {
                let value: Value = kwargs.get(name)?;
                // Numbers stay numbers, so a message can agree with them in number.
                let value = match i64::try_from(value.clone()) {
                    Ok(n) if value.is_number() => FluentValue::from(n),
                    _ => FluentValue::from(value.to_string()),
                };
                args.push((name, value));
            }
            Ok(catalogue.text(tag, id, &args))
        },
    );
    env.set_formatter(escape);
    env
}

/// HTML-escapes what a template prints (`& < > " '`, enough for text and
/// quoted attributes), leaving `/` alone so paths and dates read as
/// written; `none` prints as nothing.
fn escape(
    out: &mut minijinja::Output,
    _state: &State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let written = if value.is_undefined() || value.is_none() {
        Ok(())
    } else if value.is_safe() {
        write!(out, "{value}")
    } else {
        let raw = value.to_string();
        write!(out, "{}", html_escape::encode_quoted_attribute(&raw))
    };
    written.map_err(|_| minijinja::Error::from(minijinja::ErrorKind::WriteFailure))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static WORDS: LazyLock<Catalogue> = LazyLock::new(|| {
        Catalogue::new(
            "test",
            &[
                ("pt-BR", "hi = Olá, { $who }\nleft = { $n ->\n    [one] resta { $n }\n   *[other] restam { $n }\n}\n"),
                ("en", "hi = Hi, { $who }\nleft = { $n ->\n    [one] { $n } left\n   *[other] { $n } left (many)\n}\n"),
            ],
        )
    });

    #[test]
    fn templates_escape_what_they_print_and_speak_the_locale() {
        let env = environment(
            "test",
            &WORDS,
            &[("p.html", "<p title=\"{{ v }}\">{{ t('hi', who=v) }} {{ t('left', n=n) }} {{ s|safe }}{{ none }}</p>")],
        );
        let page = env.get_template("p.html").unwrap();
        let html = page
            .render(minijinja::context! { locale => "en", v => "<b>\"x\" & 'y'/z", n => 1, s => "<i>ok</i>", none => () })
            .unwrap();
        assert_eq!(
            html,
            "<p title=\"&lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;/z\">Hi, &lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;/z 1 left <i>ok</i></p>"
        );
        let pt = page
            .render(minijinja::context! { locale => "pt-BR", v => "Ana", n => 2, s => "" })
            .unwrap();
        assert_eq!(pt, "<p title=\"Ana\">Olá, Ana restam 2 </p>");
    }

    #[test]
    fn a_template_that_does_not_parse_is_left_out_not_fatal() {
        let env = environment(
            "test",
            &WORDS,
            &[("bad.html", "{% if %}"), ("ok.html", "ok")],
        );
        assert!(env.get_template("bad.html").is_err());
        assert_eq!(
            env.get_template("ok.html").unwrap().render(()).unwrap(),
            "ok"
        );
    }
}
