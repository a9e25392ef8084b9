//! Walks the sandbox institution's pages as a browser would, stopping at the
//! institution's redirect back to Ponte (not followed), so a test can send
//! that callback itself: twice, tampered, or without a parameter.

use super::TestServer;
use std::collections::BTreeMap;

/// Fills each step's form (login with `user`/`pass_good`, then approve) and
/// returns the institution's redirect back to Ponte's callback.
pub async fn redirect_back(ts: &TestServer, start: &str, user: &str) -> String {
    let form_re = regex::Regex::new(r#"(?s)<form[^>]*action="([^"]+)"[^>]*data-step="([a-z]+)"|<form[^>]*data-step="([a-z]+)"[^>]*action="([^"]+)""#).unwrap();
    let txn_re =
        regex::Regex::new(r#"name="txn" value="([^"]+)"|value="([^"]+)" name="txn""#).unwrap();
    let mut resp = ts.http.get(start).send().await.unwrap();
    let origin = url::Url::parse(start).unwrap();
    for _ in 0..5 {
        if resp.status().is_redirection() {
            return resp.headers()["location"].to_str().unwrap().to_string();
        }
        assert_eq!(resp.status(), 200);
        let html = resp.text().await.unwrap();
        let c = form_re
            .captures(&html)
            .unwrap_or_else(|| panic!("no form in {html}"));
        let (action, step) = match (c.get(1), c.get(2)) {
            (Some(a), Some(s)) => (a.as_str().to_string(), s.as_str().to_string()),
            _ => (c[4].to_string(), c[3].to_string()),
        };
        let t = txn_re.captures(&html).unwrap();
        let txn = t.get(1).or(t.get(2)).unwrap().as_str().to_string();
        let mut form = BTreeMap::from([("txn".to_string(), txn)]);
        match step.as_str() {
            "login" => {
                form.insert("username".into(), user.into());
                form.insert("password".into(), "pass_good".into());
            }
            "approve" => {
                form.insert("decision".into(), "approve".into());
            }
            other => panic!("unexpected step {other}"),
        }
        let action = html_escape::decode_html_entities(&action).into_owned();
        resp = ts
            .http
            .post(origin.join(&action).unwrap())
            .form(&form)
            .send()
            .await
            .unwrap();
    }
    panic!("the institution never redirected back");
}

/// The answer in the institution's redirect back: the fragment's parameters
/// (a FAPI-BR institution's hybrid flow), else the query's.
pub fn params(callback: &str) -> BTreeMap<String, String> {
    let url = url::Url::parse(callback).unwrap();
    match url.fragment().filter(|f| !f.is_empty()) {
        Some(f) => url::form_urlencoded::parse(f.as_bytes())
            .into_owned()
            .collect(),
        None => url.query_pairs().into_owned().collect(),
    }
}

/// What the callback page's script does with the fragment: posts the answer
/// back to Ponte (not following the redirect that answers it).
pub fn deliver(
    http: &reqwest::Client,
    base: &str,
    answer: &BTreeMap<String, String>,
) -> reqwest::RequestBuilder {
    http.post(format!("{base}/callback/open-finance"))
        .form(answer)
}
