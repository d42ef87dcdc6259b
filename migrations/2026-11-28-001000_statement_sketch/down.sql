CREATE INDEX claims_statement_trgm_idx ON claims USING gin (statement gin_trgm_ops);
ALTER TABLE claims DROP COLUMN statement_sketch;
