-- "Similar earlier claims": trigram similarity of statements, served by a GIN index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX claims_statement_trgm_idx ON claims USING gin (statement gin_trgm_ops);
