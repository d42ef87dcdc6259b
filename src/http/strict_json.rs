//! A `serde_json::Value` deserializer that is strict where serde is lenient: serde
//! lets a struct be written as a JSON array of its fields in order (`["Title",
//! "Body"]` for `{title, body}`), which no client means and the OpenAPI document does
//! not allow. Here a struct must be a JSON object; everything else is as serde_json's.

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use serde_json::{Map, Value};

pub struct Strict(pub Value);

#[derive(Debug)]
pub struct Error(serde_json::Error);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self(serde_json::Error::custom(msg))
    }
}

impl<'de> IntoDeserializer<'de, Error> for Strict {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => n
            .as_f64()
            .map_or(de::Unexpected::Other("number"), de::Unexpected::Float),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

fn visit_object<'de, V: Visitor<'de>>(
    map: Map<String, Value>,
    visitor: V,
) -> Result<V::Value, Error> {
    let mut access = de::value::MapDeserializer::new(map.into_iter().map(|(k, v)| (k, Strict(v))));
    let value = visitor.visit_map(&mut access)?;
    access.end()?;
    Ok(value)
}

impl<'de> Deserializer<'de> for Strict {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => {
                let mut access = de::value::SeqDeserializer::new(items.into_iter().map(Strict));
                let value = visitor.visit_seq(&mut access)?;
                access.end()?;
                Ok(value)
            }
            Value::Object(map) => visit_object(map, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Strict(other)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visit_object(map, visitor),
            other => Err(de::Error::invalid_type(unexpected(&other), &"an object")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            Value::Object(map) if map.len() == 1 => {
                let (variant, value) = map.into_iter().next().expect("one entry");
                visitor.visit_enum(EnumAccess { variant, value })
            }
            other => Err(de::Error::invalid_type(unexpected(&other), &"a string")),
        }
    }

    /// A value read as an identifier is an enum's tag (`{"action": "drop", …}`): serde
    /// would also take a variant's index (`{"action": 0}`), which the schema does not allow.
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_string(s),
            other => Err(de::Error::invalid_type(unexpected(&other), &"a string")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map ignored_any
    }
}

struct EnumAccess {
    variant: String,
    value: Value,
}

impl<'de> de::EnumAccess<'de> for EnumAccess {
    type Error = Error;
    type Variant = Strict;
    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Strict), Error> {
        let variant = seed.deserialize(self.variant.into_deserializer())?;
        Ok((variant, Strict(self.value)))
    }
}

impl<'de> de::VariantAccess<'de> for Strict {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected(&other), &"null")),
        }
    }
    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_struct("", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Body {
        title: String,
        count: Option<u32>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Primary,
        OfficialData,
    }

    fn parse<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, Error> {
        T::deserialize(Strict(serde_json::from_str(json).unwrap()))
    }

    #[test]
    fn structs_are_objects_only_and_the_rest_is_as_serde_json() {
        assert_eq!(
            parse::<Body>(r#"{"title": "T", "count": 3, "kind": "official_data"}"#).unwrap(),
            Body {
                title: "T".into(),
                count: Some(3),
                kind: Some(Kind::OfficialData)
            }
        );
        assert!(parse::<Body>(r#"["T", 3, null]"#).is_err());
        assert!(parse::<Body>(r#"{"title": "T", "extra": 1}"#).is_err());
        assert!(parse::<Body>(r#"{"title": "T", "kind": "nope"}"#).is_err());
        assert_eq!(parse::<Vec<u8>>("[1, 2]").unwrap(), vec![1, 2]);
        assert_eq!(parse::<Option<Kind>>("null").unwrap(), None);
        assert_eq!(parse::<Kind>(r#""primary""#).unwrap(), Kind::Primary);
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
    enum Tagged {
        Open { id: u32 },
        Close { id: u32 },
    }

    #[test]
    fn a_tag_is_a_variant_name_never_its_index() {
        assert_eq!(
            parse::<Tagged>(r#"{"action": "close", "id": 1}"#).unwrap(),
            Tagged::Close { id: 1 }
        );
        assert!(parse::<Tagged>(r#"{"action": 0, "id": 1}"#).is_err());
        assert!(parse::<Tagged>(r#"{"action": "open", "id": 1, "extra": 2}"#).is_err());
        assert!(parse::<Tagged>(r#"{"id": 1}"#).is_err());
    }
}
