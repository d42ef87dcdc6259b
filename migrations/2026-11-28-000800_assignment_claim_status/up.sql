-- The reviewer's queue ("my claims in review, by due time") reads one index range:
-- each assignment carries its claim's status, kept in step by triggers, so a reviewer
-- with thousands of assignments does not probe thousands of claims per page.
ALTER TABLE assignments ADD COLUMN claim_status text;
UPDATE assignments a SET claim_status = c.status FROM claims c WHERE c.id = a.claim_id;
ALTER TABLE assignments ALTER COLUMN claim_status SET NOT NULL;
CREATE INDEX assignments_reviewer_status_due_idx ON assignments (reviewer_id, claim_status, due_at);

CREATE FUNCTION assignments_take_claim_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.claim_status := (SELECT status FROM claims WHERE id = NEW.claim_id);
    RETURN NEW;
END;
$$;
CREATE TRIGGER assignments_claim_status BEFORE INSERT OR UPDATE OF claim_id ON assignments
    FOR EACH ROW EXECUTE FUNCTION assignments_take_claim_status();

CREATE FUNCTION claims_share_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assignments SET claim_status = NEW.status WHERE claim_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER claims_status_to_assignments AFTER UPDATE OF status ON claims
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION claims_share_status();
