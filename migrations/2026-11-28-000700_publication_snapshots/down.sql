DROP INDEX error_reports_client_ip_idx;
ALTER TABLE error_reports DROP COLUMN client_ip;
ALTER TABLE publication_verdicts DROP COLUMN snapshot;
