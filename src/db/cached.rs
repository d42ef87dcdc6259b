//! Prepared-statement caching for hand-written SQL.
//!
//! `diesel::sql_query` marks every statement unsafe to cache, so each run sends the
//! text to PostgreSQL to be parsed and planned again: one more round trip per query.
//! The hand-written queries of the hot paths are built from a small, fixed set of
//! shapes (the text depends only on which filters are present and, for a queue, on
//! which of five page sizes it fetches; never on a value a client sends), so keeping
//! them prepared per connection, keyed by their text, is bounded.

use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};

/// A statement whose text is one of a bounded set, kept prepared like diesel's own.
#[derive(Debug)]
pub struct Cached<Q>(pub Q);

impl<Q: Query> Query for Cached<Q> {
    type SqlType = Q::SqlType;
}

impl<Q> QueryId for Cached<Q> {
    type QueryId = ();
    // No static id: the cache key is the SQL text and the bind types.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Cached<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}
