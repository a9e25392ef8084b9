//! What the connector tests that drive a sandbox bank's pages share.

/// (action, txn) of the page's `<form data-step="{step}">`.
pub fn form(html: &str, step: &str) -> (String, String) {
    let at = html
        .find(&format!("data-step=\"{step}\""))
        .unwrap_or_else(|| panic!("no {step} form in {html}"));
    let start = html[..at].rfind("<form").unwrap();
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    let attr = |s: &str, name: &str| {
        let i = s.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        s[i..i + s[i..].find('"').unwrap()].replace("&amp;", "&")
    };
    let txn_at = start + html[start..].find("name=\"txn\"").unwrap();
    (attr(tag, "action"), attr(&html[txn_at..], "value"))
}
