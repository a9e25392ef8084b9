//! The FAPI headers every call carries: a fresh `x-fapi-interaction-id`
//! (logged with the answer's status, and its echo checked), and, while the
//! end user is present, the date they authenticated, their IP address and
//! their user agent.

use crate::ConnectError;

/// The end user behind a call, when they are present (the widget, the API call).
#[derive(Debug, Clone, Default)]
pub struct EndUser {
    /// When they authenticated at Ponte (sent as an RFC 7231 date).
    pub auth_date: Option<time::OffsetDateTime>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
}

/// RFC 7231 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    t.format(format).unwrap_or_default()
}

/// Reads an RFC 7231 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`; OFB also writes
/// `UTC`), as a caller passes `x-fapi-auth-date`. `None` for anything else, including a
/// weekday the date does not fall on.
pub fn parse_http_date(s: &str) -> Option<time::OffsetDateTime> {
    let s = s.trim();
    let head = s.strip_suffix(" GMT").or_else(|| s.strip_suffix(" UTC"))?;
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second]"
    );
    let at = time::PrimitiveDateTime::parse(head, format).ok()?;
    (at.weekday().to_string().get(..3) == head.get(..3)).then(|| at.assume_utc())
}

/// Sends `request` to a resource server (consents, data, resources) with
/// the FAPI headers; refuses an answer whose `x-fapi-interaction-id` echo
/// differs from the one sent (an answer to someone else's request, or a
/// broken intermediary). FAPI 1.0 Part 1 §6.2.1-11 obliges resource
/// servers to echo it.
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    user: Option<&EndUser>,
) -> Result<reqwest::Response, ConnectError> {
    let (resp, id) = send_raw(request, user).await?;
    check_echo(&resp, &id)?;
    Ok(resp)
}

/// Sends `request` to an OAuth or registration endpoint (token, PAR,
/// revocation, introspection, DCR/DCM, the directory): the header is sent,
/// but these are not obliged to echo it, and refusing a token answer after
/// the code was spent would lose the grant; a mismatch is only logged.
pub(crate) async fn send_oauth(
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, ConnectError> {
    let (resp, id) = send_raw(request, None).await?;
    if let Err(ConnectError::Protocol(why)) = check_echo(&resp, &id) {
        tracing::warn!(interaction_id = %id, why, "mismatched echo from an OAuth endpoint; answer kept");
    }
    Ok(resp)
}

/// Sends with the FAPI headers; the transport error is left to the caller
/// (the data session retries it), with the interaction id sent.
pub(crate) async fn send_raw(
    request: reqwest::RequestBuilder,
    user: Option<&EndUser>,
) -> Result<(reqwest::Response, String), reqwest::Error> {
    let id = uuid::Uuid::new_v4().to_string();
    let mut request = request.header("x-fapi-interaction-id", &id);
    if let Some(user) = user {
        if let Some(at) = user.auth_date {
            request = request.header("x-fapi-auth-date", http_date(at));
        }
        if let Some(ip) = &user.ip_address {
            request = request.header("x-fapi-customer-ip-address", spec_length(ip));
        }
        if let Some(ua) = &user.user_agent {
            request = request.header("x-customer-user-agent", spec_length(ua));
        }
    }
    Ok((request.send().await?, id))
}

/// The OFB APIs take the end user's address and browser in at most 100
/// characters (a browser's user agent is often longer): the first 100 go.
fn spec_length(value: &str) -> String {
    value.chars().take(100).collect()
}

/// Logs the answer with its interaction id and checks the echo, if any.
pub(crate) fn check_echo(resp: &reqwest::Response, sent: &str) -> Result<(), ConnectError> {
    let echo = resp.headers().get("x-fapi-interaction-id");
    tracing::debug!(
        interaction_id = sent,
        status = resp.status().as_u16(),
        path = resp.url().path(),
        "institution answered"
    );
    match echo {
        Some(echo) if echo.as_bytes() != sent.as_bytes() => Err(ConnectError::Protocol(format!(
            "x-fapi-interaction-id: the answer from {} echoes {:?}, not the {sent} sent",
            resp.url().path(),
            String::from_utf8_lossy(echo.as_bytes())
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_date_is_an_rfc_7231_date() {
        let t = time::macros::datetime!(1994-11-06 08:49:37 UTC);
        assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(t));
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), Some(t));
    }

    #[test]
    fn a_long_user_agent_is_cut_to_the_specs_100_characters() {
        let ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";
        assert!(ua.len() > 100);
        assert_eq!(spec_length(ua).chars().count(), 100);
        assert_eq!(spec_length("short"), "short");
    }

    #[test]
    fn a_date_that_is_not_an_imf_fixdate_is_not_read() {
        for bad in [
            "1994-11-06T08:49:37Z",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 BRT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }
}
