-- A public page shows exactly what was published: each published verdict's claim
-- wording, rating label and sources are kept with it, whatever changes afterwards.
ALTER TABLE publication_verdicts ADD COLUMN snapshot jsonb NOT NULL DEFAULT '{}';

-- Readers' reports are throttled per address.
ALTER TABLE error_reports ADD COLUMN client_ip text;
CREATE INDEX error_reports_client_ip_idx ON error_reports (client_ip, created_at);
