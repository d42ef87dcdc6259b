DROP INDEX claims_statement_trgm_idx;
DROP EXTENSION IF EXISTS pg_trgm;
