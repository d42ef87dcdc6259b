DROP INDEX claims_article_status_idx;
DROP INDEX audit_events_claim_idx;
ALTER TABLE audit_events DROP COLUMN claim_id;
