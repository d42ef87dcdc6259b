//! Request extractors whose failures are problem+json naming the field: actix's own
//! `Json`/`Query` report only a message, and a client needs to know where it went wrong.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::app::AppError;
use crate::domain::validation::FieldError;

/// Largest JSON body accepted (an article body is at most a few hundred KB).
pub const JSON_LIMIT: usize = 2 * 1024 * 1024;

/// A JSON body: 415 for another content type, 413 past [`JSON_LIMIT`], 400 for
/// malformed JSON, 422 naming the field when it parses but has the wrong shape.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        let gate = crate::http::session::AuthGate::of(req);
        Box::pin(async move {
            if let Some(gate) = gate
                && !gate.passed().await
            {
                // The authenticating extractor's error is the answer.
                std::future::pending::<()>().await;
            }
            match content_type.as_deref() {
                Some("application/json") => {}
                Some(ct) if ct.ends_with("+json") => {}
                other => {
                    return Err(AppError::UnsupportedMediaType(format!(
                        "Send the body as application/json (got {}).",
                        other.unwrap_or("no Content-Type")
                    )));
                }
            }
            if declared_length.is_some_and(|n| n > JSON_LIMIT) {
                return Err(AppError::PayloadTooLarge { limit: JSON_LIMIT });
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| AppError::bad_request("body", e.to_string()))?;
                if body.len() + chunk.len() > JSON_LIMIT {
                    return Err(AppError::PayloadTooLarge { limit: JSON_LIMIT });
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(Json)
        })
    }
}

/// Parses a JSON document into `T`, telling syntax errors (400) from shape errors (422).
/// A string holding U+0000 anywhere in the document is 422 naming where: PostgreSQL
/// cannot store the character, and no field of ours has a use for it.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let mut value = parse_json_value(body)?;
    if let Some(path) = nul_path(&value, String::new()) {
        return Err(AppError::Validation(vec![FieldError::new(
            if path.is_empty() {
                "body".to_string()
            } else {
                path
            },
            NUL_MESSAGE,
        )]));
    }
    whole_numbers(&mut value);
    serde_path_to_error::deserialize::<_, T>(crate::http::strict_json::Strict(value)).map_err(
        |err| {
            let path = err.path().to_string();
            let message = strip_position(&err.into_inner().to_string());
            AppError::Validation(vec![field_error(&path, message)])
        },
    )
}

/// JSON Schema's `integer` is a value, not a spelling: `5.0` is the integer 5. serde
/// refuses a float for an integer field, so whole floats become integers first.
fn whole_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 9.007_199_254_740_992e15
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

pub const NUL_MESSAGE: &str = "must not contain the NUL character (U+0000)";

fn parse_json_value(body: &[u8]) -> Result<serde_json::Value, AppError> {
    serde_json::from_slice(body).map_err(|e| {
        let message = strip_position(&e.to_string());
        AppError::BadRequest {
            detail: format!("The body is not valid JSON: {message}."),
            errors: vec![FieldError::new("body", message)],
        }
    })
}

/// Where the first string (a key or a value) holding U+0000 is, as a field path
/// (`claims[2].quote`); `None` when there is none.
fn nul_path(value: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) if s.contains('\0') => Some(at),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_path(v, format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let name = k.replace('\0', "\\0");
            let here = if at.is_empty() {
                name
            } else {
                format!("{at}.{name}")
            };
            if k.contains('\0') {
                Some(here)
            } else {
                nul_path(v, here)
            }
        }),
        _ => None,
    }
}

/// A form body (`application/x-www-form-urlencoded`): 400 when it cannot be parsed, 422
/// naming the field for U+0000 or the wrong shape.
pub fn parse_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    if let Some((name, _)) =
        url::form_urlencoded::parse(body).find(|(k, v)| k.contains('\0') || v.contains('\0'))
    {
        return Err(AppError::Validation(vec![FieldError::new(
            name.replace('\0', "\\0"),
            NUL_MESSAGE,
        )]));
    }
    let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(body));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        AppError::Validation(vec![field_error(&path, message)])
    })
}

/// The URI's NUL characters (`%00`), refused before any route sees them: 422 naming
/// the query parameter, or `path`.
pub fn check_uri(path: &str, query: &str) -> Result<(), AppError> {
    let encoded_nul = |s: &str| s.as_bytes().windows(3).any(|w| w == b"%00");
    if encoded_nul(path) {
        return Err(AppError::validation("path", NUL_MESSAGE));
    }
    if encoded_nul(query)
        && let Some((name, _)) = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
    {
        return Err(AppError::validation(name.replace('\0', "\\0"), NUL_MESSAGE));
    }
    Ok(())
}

/// A query string: 400 naming the parameter when it cannot be parsed.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parsed = parse_query(req.query_string()).map(Query);
        let gate = crate::http::session::AuthGate::of(req);
        Box::pin(async move {
            if parsed.is_err()
                && let Some(gate) = gate
                && !gate.passed().await
            {
                std::future::pending::<()>().await;
            }
            parsed
        })
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let error = field_error(&path, message);
        AppError::BadRequest {
            detail: format!("{}: {}", error.field, error.message),
            errors: vec![error],
        }
    })
}

fn field_error(path: &str, message: String) -> FieldError {
    // A missing field is reported at its parent; name the field itself.
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        let field = if path == "." || path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        return FieldError::new(field, "is required");
    }
    let field = if path == "." || path.is_empty() {
        "body".to_string()
    } else {
        path.to_string()
    };
    FieldError::new(field, message)
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Path parameters that fail to parse (a malformed UUID, say) are a 400 naming the segment.
pub fn path_error(err: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    AppError::bad_request("path", err.to_string()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code)]
    struct Body {
        title: String,
        span: Span,
    }
    #[derive(Debug, Deserialize)]
    #[expect(dead_code)]
    struct Span {
        start: u32,
    }

    #[test]
    fn names_the_missing_field() {
        let AppError::Validation(errors) =
            parse_json::<Body>(br#"{"span":{"start":1}}"#).unwrap_err()
        else {
            panic!("expected 422")
        };
        assert_eq!(errors[0].field, "title");
        let AppError::Validation(errors) =
            parse_json::<Body>(br#"{"title":"t","span":{"start":-1}}"#).unwrap_err()
        else {
            panic!("expected 422")
        };
        assert_eq!(errors[0].field, "span.start");
    }

    #[test]
    fn nul_characters_are_422_naming_where_they_are() {
        let AppError::Validation(errors) =
            parse_json::<Body>(br#"{"title":"a\u0000b","span":{"start":1}}"#).unwrap_err()
        else {
            panic!("expected 422")
        };
        assert_eq!(errors[0].field, "title");
        assert_eq!(errors[0].message, NUL_MESSAGE);
        let AppError::Validation(errors) =
            parse_json::<Vec<Body>>(br#"[{"title":"t","span":{"start":1}},{"ti\u0000":1}]"#)
                .unwrap_err()
        else {
            panic!("expected 422")
        };
        assert_eq!(errors[0].field, "[1].ti\\0");
        // An escaped backslash before `u0000` is just text.
        assert!(parse_json::<Body>(br#"{"title":"\\u0000","span":{"start":1}}"#).is_ok());
        assert!(matches!(
            check_uri("/p/a%00b", ""),
            Err(AppError::Validation(e)) if e[0].field == "path"
        ));
        assert!(matches!(
            check_uri("/api/v1/claims", "limit=5&q=%00"),
            Err(AppError::Validation(e)) if e[0].field == "q"
        ));
        assert!(check_uri("/api/v1/claims", "q=100%25").is_ok());
        assert!(matches!(
            parse_form::<std::collections::HashMap<String, String>>(b"message=a%00b"),
            Err(AppError::Validation(e)) if e[0].field == "message"
        ));
    }

    #[test]
    fn syntax_errors_are_400() {
        assert!(matches!(
            parse_json::<Body>(b"{\"title\":").unwrap_err(),
            AppError::BadRequest { .. }
        ));
        assert!(matches!(
            parse_json::<Body>(b"{\"title\":\"t\",\"span\":{\"start\":1}} trailing").unwrap_err(),
            AppError::BadRequest { .. }
        ));
    }
}
