//! Session tokens: HS256 JWTs (the algorithm pinned, so `alg: none` or an RSA/HMAC
//! confusion is refused) that name a session row; the row decides whether they still work.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const ISSUER: &str = "factdesk";
pub const COOKIE_NAME: &str = "factdesk_session";

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenKeys {
    pub fn new(secret: &SecretString) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
        }
    }

    pub fn issue(
        &self,
        user_id: Uuid,
        session_id: Uuid,
        issued: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let claims = Claims {
            sub: user_id,
            sid: session_id,
            iat: issued.timestamp(),
            exp: expires.timestamp(),
            iss: ISSUER.to_string(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The claims of a well-formed, correctly signed, unexpired token; `None` otherwise.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn keys() -> TokenKeys {
        TokenKeys::new(&SecretString::from("0123456789abcdef0123456789abcdef"))
    }

    #[test]
    fn round_trips_and_refuses_forgeries() {
        let keys = keys();
        let now = Utc::now();
        let (user, session) = (Uuid::new_v4(), Uuid::new_v4());
        let token = keys
            .issue(user, session, now, now + chrono::Duration::hours(1))
            .unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!((claims.sub, claims.sid), (user, session));

        // Expired.
        let old = keys
            .issue(
                user,
                session,
                now - chrono::Duration::hours(2),
                now - chrono::Duration::hours(1),
            )
            .unwrap();
        assert!(keys.verify(&old).is_none());
        // Signed with another secret.
        let other = TokenKeys::new(&SecretString::from("another-secret-another-secret-xx"));
        assert!(
            keys.verify(
                &other
                    .issue(user, session, now, now + chrono::Duration::hours(1))
                    .unwrap()
            )
            .is_none()
        );
        // Tampered payload.
        let mut parts: Vec<String> = token.split('.').map(String::from).collect();
        let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
        parts[1] =
            URL_SAFE_NO_PAD.encode(payload.replace(&user.to_string(), &Uuid::new_v4().to_string()));
        assert!(keys.verify(&parts.join(".")).is_none());
        // alg: none.
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys.verify(&format!("{header}.{}.", parts[1])).is_none());
    }
}
