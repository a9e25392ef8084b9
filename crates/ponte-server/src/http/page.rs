//! The page a failure is answered with on the HTML surfaces (the link page,
//! the demo, the docs) before anything tells whose page it is: Ponte's look
//! from the shared templates (`web::pages`). It is in English, the language
//! of the API failure message it shows.

use crate::web::lang::Locale;
use crate::web::pages::{self, Brand, Page};

pub(crate) fn refusal(title: &str, message: &str) -> Page {
    pages::render(
        "refusal.html",
        Locale::En,
        &Brand::unknown(),
        title,
        "",
        minijinja::context! { message => message },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_message_is_escaped_and_the_page_points_at_the_reference() {
        let page = super::refusal("Page not found", "no <route> here");
        assert!(page.html.contains("no &lt;route&gt; here"), "{}", page.html);
        assert!(page.html.contains(r#"<a href="/docs">API reference</a>"#));
        assert!(page.csp.contains("style-src 'sha256-"));
    }
}
