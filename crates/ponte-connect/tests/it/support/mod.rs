//! What the connector's integration tests share: the customer's steps at a
//! sandbox bank's pages, and the independent FAPI server (`fapi_op`).

pub mod fapi_op;

/// The customer at the bank: opens `authorization_url`, logs in as `user`
/// (password `pass_good`) and approves; the `Location` the bank sends the
/// browser back to. `browser` follows no redirects.
pub async fn approve_at_bank(
    browser: &reqwest::Client,
    origin: &str,
    authorization_url: &str,
    user: &str,
) -> String {
    let mut page = browser
        .get(authorization_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (step, fields) in [
        ("login", vec![("username", user), ("password", "pass_good")]),
        ("approve", vec![("decision", "approve")]),
    ] {
        let (action, txn) = form(&page, step);
        let mut all = vec![("txn", txn.as_str())];
        all.extend(fields);
        let r = browser
            .post(format!("{origin}{action}"))
            .form(&all)
            .send()
            .await
            .unwrap();
        if r.status().is_redirection() {
            return r.headers()["location"].to_str().unwrap().to_string();
        }
        page = r.text().await.unwrap();
    }
    panic!("the bank never sent the browser back")
}

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
