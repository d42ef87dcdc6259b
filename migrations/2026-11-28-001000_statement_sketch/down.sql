ALTER TABLE claims DROP COLUMN statement_sketch;
