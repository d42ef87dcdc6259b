DROP TRIGGER claims_status_to_assignments ON claims;
DROP FUNCTION claims_share_status();
DROP TRIGGER assignments_claim_status ON assignments;
DROP FUNCTION assignments_take_claim_status();
DROP INDEX assignments_reviewer_status_due_idx;
ALTER TABLE assignments DROP COLUMN claim_status;
