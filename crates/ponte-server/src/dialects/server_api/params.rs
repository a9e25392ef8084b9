//! The ticket request's parameters, numbered as the seed numbers them
//! (`101` userIPAddress … `112` userRoleCode), parsed into a request whose
//! values are known good. A failure names the parameter by its number.

use ponte_core::{Email, HttpUrl};
use serde::Deserialize;
use std::net::IpAddr;
use std::sync::LazyLock;
use utoipa::ToSchema;

/// One parameter of `POST /v1/server/auth_ticket/request`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    UserIpAddress,
    UserAgent,
    UserPlatform,
    UserDeviceId,
    XcUserId,
    FullName,
    Email,
    Phone,
    Username,
    PhotoThumbnailUrl,
    PhotoFullsizeUrl,
    UserRoleCode,
}

impl Param {
    pub const ALL: [Param; 12] = [
        Param::UserIpAddress,
        Param::UserAgent,
        Param::UserPlatform,
        Param::UserDeviceId,
        Param::XcUserId,
        Param::FullName,
        Param::Email,
        Param::Phone,
        Param::Username,
        Param::PhotoThumbnailUrl,
        Param::PhotoFullsizeUrl,
        Param::UserRoleCode,
    ];

    /// The number the seed gives it, which errors carry in `field`.
    pub fn number(self) -> u16 {
        101 + Param::ALL.iter().position(|p| *p == self).unwrap_or(0) as u16
    }

    /// Its JSON name.
    pub fn name(self) -> &'static str {
        match self {
            Param::UserIpAddress => "userIPAddress",
            Param::UserAgent => "userAgent",
            Param::UserPlatform => "userPlatform",
            Param::UserDeviceId => "userDeviceID",
            Param::XcUserId => "xcUserID",
            Param::FullName => "fullName",
            Param::Email => "email",
            Param::Phone => "phone",
            Param::Username => "username",
            Param::PhotoThumbnailUrl => "photoThumbnailURL",
            Param::PhotoFullsizeUrl => "photoFullsizeURL",
            Param::UserRoleCode => "userRoleCode",
        }
    }

    pub fn from_name(name: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// A parameter that failed, and why (in words that name it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParamError {
    pub param: Param,
    pub message: String,
}

impl ParamError {
    fn new(param: Param, why: &str) -> ParamError {
        ParamError {
            param,
            message: format!("Param '{}' {why}", param.name()),
        }
    }
}

/// `POST /v1/server/auth_ticket/request`: the seed's parameters, numbered.
// As sent: every member optional, so that each missing one is named by its
// number (`parse` checks them in order); the document states what `parse`
// requires. Blank counts as absent, hence the `\S` patterns.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = TicketRequestDoc, example = json!({
    "userIPAddress": "182.253.177.234", "userAgent": "AdvancedRestClient/12.1.14", "userPlatform": "android",
    "userDeviceID": "aaaa-bbbb-cccc-dddd", "xcUserID": "6", "fullName": "Jony", "email": "jony@email.com",
    "phone": "08991234567", "username": "jony", "photoThumbnailURL": "http://www.example.com/photo/thumb/6.jpg",
    "photoFullsizeURL": "http://www.example.com/photo/full/6.jpg", "userRoleCode": "user"}))]
pub struct TicketRequestBody {
    /// (101) The user's IP address, IPv4 or IPv6.
    #[serde(rename = "userIPAddress")]
    #[schema(required = true, nullable = false)]
    pub user_ip_address: Option<String>,
    /// (102) The user agent, at most 512 characters.
    #[serde(rename = "userAgent")]
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 512,
        pattern = "\\S"
    )]
    pub user_agent: Option<String>,
    /// (103) The user's platform: `android`, `ios` or `web`.
    #[serde(rename = "userPlatform")]
    #[schema(required = true, nullable = false, pattern = "^(android|ios|web)$")]
    pub user_platform: Option<String>,
    /// (104) The user's device ID, at most 255 characters.
    #[serde(rename = "userDeviceID")]
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 255,
        pattern = "\\S"
    )]
    pub user_device_id: Option<String>,
    /// (105) Your own ID for the user, at most 50 characters. The same xcUserID is always the same
    /// user (`userID`); a new one makes a new user.
    #[serde(rename = "xcUserID")]
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 50,
        pattern = "\\S"
    )]
    pub xc_user_id: Option<String>,
    /// (106) The user's full name, at most 200 characters.
    #[serde(rename = "fullName")]
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub full_name: Option<String>,
    /// (107) Optional. The user's e-mail address.
    pub email: Option<String>,
    /// (108) Optional. The user's phone, starting with the country code: 8 to 15 digits, optionally
    /// after a `+`.
    pub phone: Option<String>,
    /// (109) Optional. The user's username, at most 100 characters.
    pub username: Option<String>,
    /// (110) Optional. An http(s) URL of the user's thumbnail picture.
    #[serde(rename = "photoThumbnailURL")]
    pub photo_thumbnail_url: Option<String>,
    /// (111) Optional. An http(s) URL of the user's full-size picture.
    #[serde(rename = "photoFullsizeURL")]
    pub photo_fullsize_url: Option<String>,
    /// (112) Optional. The user's role code, at most 50 characters.
    #[serde(rename = "userRoleCode")]
    pub user_role_code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Android,
    Ios,
    Web,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Android => "android",
            Platform::Ios => "ios",
            Platform::Web => "web",
        }
    }
}

/// A ticket request whose every value is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRequest {
    pub ip_address: IpAddr,
    pub user_agent: String,
    pub platform: Platform,
    pub device_id: String,
    pub xc_user_id: String,
    pub full_name: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub username: Option<String>,
    pub photo_thumbnail_url: Option<HttpUrl>,
    pub photo_fullsize_url: Option<HttpUrl>,
    pub role_code: Option<String>,
}

static PHONE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^\+?[0-9]{8,15}$").expect("static regex"));

/// Trimmed; blank counts as absent (clients send `""` for what they lack).
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn required(param: Param, v: &Option<String>) -> Result<&str, ParamError> {
    given(v).ok_or_else(|| ParamError::new(param, "is required"))
}

fn bounded(param: Param, v: &str, max: usize) -> Result<String, ParamError> {
    if v.chars().count() > max {
        return Err(ParamError::new(
            param,
            &format!("must be at most {max} characters"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(ParamError::new(
            param,
            "must not contain control characters",
        ));
    }
    Ok(v.to_string())
}

fn url(param: Param, v: &Option<String>) -> Result<Option<HttpUrl>, ParamError> {
    given(v)
        .map(|raw| {
            if raw.len() > 2048 {
                return Err(ParamError::new(param, "must be at most 2048 characters"));
            }
            HttpUrl::parse(param.name(), raw)
                .map_err(|_| ParamError::new(param, "must be an http or https URL"))
        })
        .transpose()
}

/// Checks the parameters in their numbered order, so the first failure
/// named is the lowest-numbered one.
pub fn parse(body: &TicketRequestBody) -> Result<TicketRequest, ParamError> {
    let ip_address = required(Param::UserIpAddress, &body.user_ip_address)?
        .parse::<IpAddr>()
        .map_err(|_| ParamError::new(Param::UserIpAddress, "must be an IPv4 or IPv6 address"))?;
    let user_agent = bounded(
        Param::UserAgent,
        required(Param::UserAgent, &body.user_agent)?,
        512,
    )?;
    let platform = match required(Param::UserPlatform, &body.user_platform)? {
        "android" => Platform::Android,
        "ios" => Platform::Ios,
        "web" => Platform::Web,
        _ => {
            return Err(ParamError::new(
                Param::UserPlatform,
                "must be one of android, ios, web",
            ))
        }
    };
    let device_id = bounded(
        Param::UserDeviceId,
        required(Param::UserDeviceId, &body.user_device_id)?,
        255,
    )?;
    let xc_user_id = bounded(
        Param::XcUserId,
        required(Param::XcUserId, &body.xc_user_id)?,
        50,
    )?;
    let full_name = bounded(
        Param::FullName,
        required(Param::FullName, &body.full_name)?,
        200,
    )?;
    let email = given(&body.email)
        .map(|v| {
            Email::parse("email", v).map_err(|_| {
                ParamError::new(
                    Param::Email,
                    "must be an e-mail address such as ana@example.com",
                )
            })
        })
        .transpose()?;
    let phone = given(&body.phone)
        .map(|v| {
            if PHONE.is_match(v) {
                Ok(v.to_string())
            } else {
                Err(ParamError::new(
                    Param::Phone,
                    "must be 8 to 15 digits, optionally after a leading +",
                ))
            }
        })
        .transpose()?;
    let username = given(&body.username)
        .map(|v| bounded(Param::Username, v, 100))
        .transpose()?;
    let photo_thumbnail_url = url(Param::PhotoThumbnailUrl, &body.photo_thumbnail_url)?;
    let photo_fullsize_url = url(Param::PhotoFullsizeUrl, &body.photo_fullsize_url)?;
    let role_code = given(&body.user_role_code)
        .map(|v| bounded(Param::UserRoleCode, v, 50))
        .transpose()?;
    Ok(TicketRequest {
        ip_address,
        user_agent,
        platform,
        device_id,
        xc_user_id,
        full_name,
        email,
        phone,
        username,
        photo_thumbnail_url,
        photo_fullsize_url,
        role_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn seed() -> Value {
        json!({
            "userIPAddress": "182.253.177.234",
            "userAgent": "AdvancedRestClient/12.1.14",
            "userPlatform": "android",
            "userDeviceID": "aaaa-bbbb-cccc-dddd",
            "xcUserID": "6",
            "fullName": "Jony",
            "email": "jony@email.com",
            "phone": "08991234567",
            "username": "jony",
            "photoThumbnailURL": "http://www.example.com/photo/thumb/6.jpg",
            "photoFullsizeURL": "http://www.example.com/photo/full/6.jpg",
            "userRoleCode": "user"
        })
    }

    fn with(name: &str, value: Value) -> TicketRequestBody {
        let mut body = seed();
        body[name] = value;
        serde_json::from_value(body).unwrap()
    }

    #[test]
    fn numbers_follow_the_seed() {
        assert_eq!(Param::UserIpAddress.number(), 101);
        assert_eq!(Param::XcUserId.number(), 105);
        assert_eq!(Param::UserRoleCode.number(), 112);
        for p in Param::ALL {
            assert_eq!(Param::from_name(p.name()), Some(p));
        }
    }

    #[test]
    fn the_seed_example_is_valid() {
        let req = parse(&serde_json::from_value(seed()).unwrap()).unwrap();
        assert_eq!(req.platform, Platform::Android);
        assert_eq!(req.phone.as_deref(), Some("08991234567"));
    }

    #[test]
    fn each_rule_names_its_parameter() {
        let long = |n: usize| Value::from("x".repeat(n));
        let cases = [
            ("userIPAddress", json!("999.1.1.1"), Param::UserIpAddress),
            ("userIPAddress", json!(""), Param::UserIpAddress),
            ("userAgent", long(513), Param::UserAgent),
            ("userPlatform", json!("windows"), Param::UserPlatform),
            ("userPlatform", json!("Android"), Param::UserPlatform),
            ("userDeviceID", Value::Null, Param::UserDeviceId),
            ("xcUserID", long(51), Param::XcUserId),
            ("fullName", json!("   "), Param::FullName),
            ("email", json!("jony@"), Param::Email),
            ("phone", json!("0899-123"), Param::Phone),
            ("phone", json!("1234567"), Param::Phone),
            ("phone", json!("+1234567890123456"), Param::Phone),
            ("username", long(101), Param::Username),
            (
                "photoThumbnailURL",
                json!("ftp://x.io/a.jpg"),
                Param::PhotoThumbnailUrl,
            ),
            (
                "photoFullsizeURL",
                json!("javascript:alert(1)"),
                Param::PhotoFullsizeUrl,
            ),
            ("userRoleCode", long(51), Param::UserRoleCode),
        ];
        for (name, value, param) in cases {
            let err = parse(&with(name, value.clone())).unwrap_err();
            assert_eq!(err.param, param, "{name}={value}");
            assert!(err.message.contains(name), "{}", err.message);
        }
        assert!(parse(&with("xcUserID", long(50))).is_ok());
        assert!(parse(&with("userIPAddress", json!("2001:db8::1"))).is_ok());
        assert!(parse(&with("phone", json!("+5511912345678"))).is_ok());
        assert!(
            parse(&with("email", json!(""))).is_ok(),
            "blank optional is absent"
        );
    }
}
