//! Contact details and URLs an integrator hands us.

use crate::FieldError;
use std::borrow::Cow;
use std::sync::LazyLock;

static EMAIL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
        .expect("static regex")
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: impl Into<Cow<'static, str>>, raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.len() > 254 || !EMAIL.is_match(raw) {
            return Err(FieldError::new(
                field,
                "must be an e-mail address such as ana@example.com",
            ));
        }
        Ok(Self(raw.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number kept as `+` and digits (E.164). Brazilian numbers may come
/// without the country code (`11 91234-5678`), which is then assumed to be 55.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: impl Into<Cow<'static, str>>, raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        let international = raw.starts_with('+');
        let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.');
        let body = raw.strip_prefix('+').unwrap_or(raw);
        if body.is_empty() || !body.chars().all(allowed) {
            return Err(FieldError::new(
                field,
                "must be a phone number such as +5511912345678",
            ));
        }
        let digits: String = body.chars().filter(char::is_ascii_digit).collect();
        let e164 = if international {
            digits
        } else if digits.len() == 10 || digits.len() == 11 {
            format!("55{digits}")
        } else {
            digits
        };
        if !(8..=15).contains(&e164.len()) {
            return Err(FieldError::new(
                field,
                "must be a phone number such as +5511912345678",
            ));
        }
        Ok(Self(format!("+{e164}")))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An absolute `http` or `https` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(url::Url);

impl HttpUrl {
    pub fn parse(field: impl Into<Cow<'static, str>>, raw: &str) -> Result<Self, FieldError> {
        let field = field.into();
        let url = url::Url::parse(raw.trim())
            .map_err(|_| FieldError::new(field.clone(), "must be an absolute http(s) URL"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
            return Err(FieldError::new(field, "must be an absolute http(s) URL"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(FieldError::new(field, "must not carry credentials"));
        }
        Ok(Self(url))
    }
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
    pub fn url(&self) -> &url::Url {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(Email::parse("email", "ana.souza+ponte@example.com.br").is_ok());
        for bad in ["ana", "ana@", "@x.com", "ana@x", "a b@x.com", "ana@-x.com"] {
            assert_eq!(
                Email::parse("email", bad).unwrap_err().field,
                "email",
                "{bad}"
            );
        }
    }

    #[test]
    fn phones_normalise_to_e164() {
        assert_eq!(
            Phone::parse("phone", "(11) 91234-5678").unwrap().as_str(),
            "+5511912345678"
        );
        assert_eq!(
            Phone::parse("phone", "+1 415 555 0100").unwrap().as_str(),
            "+14155550100"
        );
        for bad in ["", "abc", "+", "12", "+55 11 9abc"] {
            assert!(Phone::parse("phone", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls_must_be_http() {
        assert!(HttpUrl::parse("redirectUrl", "https://app.example.com/done?x=1").is_ok());
        for bad in [
            "javascript:alert(1)",
            "ftp://x.com",
            "/relative",
            "https://user:pw@x.com",
            "http://",
        ] {
            assert_eq!(
                HttpUrl::parse("redirectUrl", bad).unwrap_err().field,
                "redirectUrl",
                "{bad}"
            );
        }
    }
}
