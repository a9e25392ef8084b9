//! `?limit=&cursor=`: which page of a list the caller asks for, read once for
//! every paginated list and refused in the dialect's own error shape, naming
//! the parameter. The list's service decides what a cursor means; this only
//! says whether the request is well formed.

use crate::error::Error;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use ponte_core::FieldError;
use std::marker::PhantomData;
use utoipa::IntoParams;

/// The largest page any list serves.
pub const MAX_LIMIT: i64 = 100;

/// The page asked for, as the document describes it.
#[derive(Debug, Default, Clone, PartialEq, Eq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Pagination {
    /// 1 to 100
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// The previous page's `nextCursor`
    pub cursor: Option<String>,
}

impl Pagination {
    /// Reads `limit` and `cursor` from a query string; every other parameter
    /// is the list's own business.
    pub fn parse(query: &str) -> Result<Pagination, FieldError> {
        let (mut limit, mut cursor) = (None, None);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let slot = match key.as_ref() {
                "limit" => &mut limit,
                "cursor" => &mut cursor,
                _ => continue,
            };
            // Two pages asked at once: which one was meant is not ours to guess.
            if slot.replace(value.into_owned()).is_some() {
                return Err(FieldError::new(key.into_owned(), "must be given once"));
            }
        }
        let limit = limit
            .map(|raw| {
                raw.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        FieldError::new(
                            "limit",
                            format!("must be a whole number from 1 to {MAX_LIMIT}"),
                        )
                    })
            })
            .transpose()?;
        Ok(Pagination { limit, cursor })
    }
}

/// [`Pagination`] as an extractor whose rejection is the dialect's own error
/// `R` (`R: From<Error>`), like [`super::extract::Body`].
pub struct Page<R>(pub Pagination, pub PhantomData<fn() -> R>);

impl<R, S> FromRequestParts<S> for Page<R>
where
    R: From<Error> + IntoResponse,
    S: Send + Sync,
{
    type Rejection = R;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, R> {
        let query = parts.uri.query().unwrap_or_default();
        Pagination::parse(query)
            .map(|p| Page(p, PhantomData))
            .map_err(|e| R::from(e.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::{Pagination, MAX_LIMIT};

    #[test]
    fn limit_and_cursor_are_read_and_the_rest_left_alone() {
        let p = Pagination::parse("status=dead&limit=20&cursor=17.abc").unwrap();
        assert_eq!(p.limit, Some(20));
        assert_eq!(p.cursor.as_deref(), Some("17.abc"));
        assert_eq!(Pagination::parse("").unwrap(), Pagination::default());
        assert_eq!(
            Pagination::parse(&format!("limit={MAX_LIMIT}"))
                .unwrap()
                .limit,
            Some(MAX_LIMIT)
        );
    }

    #[test]
    fn a_limit_out_of_bounds_or_not_a_number_names_limit() {
        for bad in [
            "limit=0",
            "limit=101",
            "limit=-1",
            "limit=ten",
            "limit=",
            "limit=2.5",
        ] {
            let e = Pagination::parse(bad).unwrap_err();
            assert_eq!(e.field, "limit", "{bad}");
            assert_eq!(e.message, "must be a whole number from 1 to 100", "{bad}");
        }
        let e = Pagination::parse("cursor=a&cursor=b").unwrap_err();
        assert_eq!(e.field, "cursor");
    }
}
