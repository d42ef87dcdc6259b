DROP TABLE error_reports;
DROP TABLE corrections;
DROP FUNCTION reject_modification();
DROP TABLE publication_verdicts;
DROP TABLE publications;
