//! The domain's enums as PostgreSQL text, as crates.io's `pg_enum` maps its own: a
//! column reads back into the enum, and a value the enum does not know is an error
//! (the database holds something no release wrote), never a silent default.

use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{Nullable, SingleValue, Text};

use crate::domain::evidence::{SourceKind, Stance};
use crate::domain::notifications::Kind as NotificationKind;
use crate::domain::replies::Channel;
use crate::domain::role::Role;
use crate::domain::workflow::{Priority, Status, VerdictState};

macro_rules! text_enums {
    ($($t:ident),+ $(,)?) => {$(
        impl FromSql<Text, Pg> for $t {
            fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
                $t::parse(&text).ok_or_else(|| {
                    format!("the database holds `{text}`, which is no {}", stringify!($t)).into()
                })
            }
        }

        impl ToSql<Text, Pg> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
            }
        }

        // What `#[derive(FromSqlRow)]` would write: a column of the type reads as one value.
        impl<ST> Queryable<ST, Pg> for $t
        where
            ST: SingleValue,
            $t: FromSql<ST, Pg>,
        {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        // A value binds as its text name, so filters and inserts take the enum itself.
        text_enums!(@bind $t, Text);
        text_enums!(@bind $t, Nullable<Text>);
    )+};
    (@bind $t:ident, $st:ty) => {
        impl AsExpression<$st> for $t {
            type Expression = <&'static str as AsExpression<$st>>::Expression;

            fn as_expression(self) -> Self::Expression {
                <&'static str as AsExpression<$st>>::as_expression(self.as_str())
            }
        }

        impl<'a> AsExpression<$st> for &'a $t {
            type Expression = <&'static str as AsExpression<$st>>::Expression;

            fn as_expression(self) -> Self::Expression {
                <&'static str as AsExpression<$st>>::as_expression(self.as_str())
            }
        }
    };
}

text_enums!(
    Status,
    Priority,
    VerdictState,
    Role,
    SourceKind,
    Stance,
    NotificationKind,
    Channel
);
