-- A sketch of each statement (models/sketch.rs): a handful of bigints, one per three
-- of its rarest-hashing words. Claims that share a value share three words, so the GIN
-- index below finds the candidates for "similar earlier claims" without reading the
-- long trigram posting lists of common words. The server fills in rows left empty
-- (such as those of an older version) when it starts.
ALTER TABLE claims ADD COLUMN statement_sketch bigint[] NOT NULL DEFAULT '{}';
CREATE INDEX claims_statement_sketch_idx ON claims USING gin (statement_sketch);
-- The sketch (and, for texts too short to sketch, full-text search) finds the
-- candidates now; the trigram index was slower than both and costly to build.
DROP INDEX claims_statement_trgm_idx;
