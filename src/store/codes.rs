//! Closed vocabularies in the schema: each is a TEXT column with a CHECK
//! constraint listing its codes, and reads and writes as its enum, so a row
//! never carries a code as a bare string.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
use diesel::internal::derives::as_expression::Bound;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{Nullable, Text};

use super::connection::MultiBackend;
use crate::classify::{Outcome, Section};
use crate::domain::registration::RegistrationForm;
use crate::domain::{Action, RecordKind, SystemStatus};

/// Maps code enums to TEXT: read through the backend's `String`, written
/// as the enum's code. `Bound` is what diesel's own `AsExpression` derive
/// expands to; the derive cannot be used here because the enums live in
/// `domain`, which knows nothing of diesel.
macro_rules! text_codes {
    ($($t:ty),+ $(,)?) => {$(
        impl FromSql<Text, MultiBackend> for $t {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let code = bytes.from_sql::<String, Text>()?;
                <$t>::from_code(&code).ok_or_else(|| {
                    format!("{code:?} is not a code of {}", stringify!($t)).into()
                })
            }
        }

        impl Queryable<Text, MultiBackend> for $t {
            type Row = Self;
            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        impl ToSql<Text, MultiBackend> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                <str as ToSql<Text, MultiBackend>>::to_sql(self.as_str(), out)
            }
        }

        impl AsExpression<Text> for $t {
            type Expression = Bound<Text, $t>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a> AsExpression<Text> for &'a $t {
            type Expression = Bound<Text, &'a $t>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl AsExpression<Nullable<Text>> for $t {
            type Expression = Bound<Nullable<Text>, $t>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a> AsExpression<Nullable<Text>> for &'a $t {
            type Expression = Bound<Nullable<Text>, &'a $t>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }
    )+};
}

text_codes!(
    RecordKind,
    RegistrationForm,
    SystemStatus,
    Outcome,
    Section,
    Action
);
