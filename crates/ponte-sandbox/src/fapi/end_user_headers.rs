//! The headers a receiver sends when its end user is present (OFB APIs' shared
//! parameters): `x-fapi-auth-date`, `x-fapi-customer-ip-address` and
//! `x-customer-user-agent`. All three are optional, but a bank refuses one that does not
//! follow the spec: the date is an RFC 7231 IMF-fixdate of exactly 29 characters
//! (`Sun, 10 Sep 2017 19:43:31 UTC`, `GMT` also allowed), the others 1 to 100 characters.

use axum::http::HeaderMap;

use crate::errors::OfbError;

const AUTH_DATE: &str = "x-fapi-auth-date";
const CUSTOMER_IP: &str = "x-fapi-customer-ip-address";
const CUSTOMER_UA: &str = "x-customer-user-agent";

/// Refuses (400 `PARAMETRO_INVALIDO`, naming the header) an end-user header that breaks
/// the spec's pattern or length.
pub fn check(headers: &HeaderMap) -> Result<(), OfbError> {
    if let Some(v) = headers.get(AUTH_DATE) {
        let ok = v.to_str().ok().is_some_and(is_auth_date);
        if !ok {
            return Err(invalid(&format!(
                "{AUTH_DATE} must be an RFC 7231 date such as `Sun, 10 Sep 2017 19:43:31 UTC` \
                 (29 characters, the weekday matching the date, GMT or UTC)."
            )));
        }
    }
    for name in [CUSTOMER_IP, CUSTOMER_UA] {
        if let Some(v) = headers.get(name) {
            if v.is_empty() || v.len() > 100 {
                return Err(invalid(&format!("{name} must be 1 to 100 characters.")));
            }
        }
    }
    if let Some(ip) = headers.get(CUSTOMER_IP) {
        // The spec's pattern admits anything; an address that parses as neither IPv4
        // nor IPv6 is still not the end user's address.
        let ok = ip
            .to_str()
            .ok()
            .is_some_and(|s| s.trim().parse::<std::net::IpAddr>().is_ok());
        if !ok {
            return Err(invalid(&format!(
                "{CUSTOMER_IP} must be the end user's IPv4 or IPv6 address."
            )));
        }
    }
    Ok(())
}

fn invalid(detail: &str) -> OfbError {
    OfbError::bad_request("PARAMETRO_INVALIDO", detail)
}

/// `Sun, 10 Sep 2017 19:43:31 UTC`: the spec's pattern, a real calendar date and time,
/// and the weekday that date falls on.
fn is_auth_date(s: &str) -> bool {
    if s.len() != 29 || !(s.ends_with(" GMT") || s.ends_with(" UTC")) {
        return false;
    }
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second]"
    );
    match time::PrimitiveDateTime::parse(&s[..25], format) {
        Ok(at) => at.weekday().to_string().get(..3) == s.get(..3),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_specs_example_and_absent_headers_pass() {
        assert!(check(&HeaderMap::new()).is_ok());
        let h = headers(&[
            (AUTH_DATE, "Sun, 10 Sep 2017 19:43:31 UTC"),
            (CUSTOMER_IP, "2001:db8::1"),
            (CUSTOMER_UA, "Mozilla/5.0"),
        ]);
        assert!(check(&h).is_ok());
        assert!(check(&headers(&[(AUTH_DATE, "Mon, 07 Dec 2026 01:02:03 GMT")])).is_ok());
    }

    #[test]
    fn a_malformed_auth_date_is_refused_naming_the_header() {
        for bad in [
            "2026-12-07T01:02:03Z",
            "Mon, 7 Dec 2026 01:02:03 GMT",
            "Tue, 07 Dec 2026 01:02:03 GMT", // 7 Dec 2026 is a Monday
            "Mon, 07 Dec 2026 01:02:03 BRT",
            "Mon, 31 Feb 2026 01:02:03 GMT",
        ] {
            let e = check(&headers(&[(AUTH_DATE, bad)])).unwrap_err();
            assert_eq!(e.code, "PARAMETRO_INVALIDO", "{bad}");
            assert!(e.detail.contains("x-fapi-auth-date"), "{bad}: {}", e.detail);
        }
    }

    #[test]
    fn an_address_that_is_not_one_is_refused() {
        let e = check(&headers(&[(CUSTOMER_IP, "localhost")])).unwrap_err();
        assert!(e.detail.contains(CUSTOMER_IP));
        let long = "a".repeat(101);
        let e = check(&headers(&[(CUSTOMER_UA, &long)])).unwrap_err();
        assert!(e.detail.contains(CUSTOMER_UA));
    }
}
