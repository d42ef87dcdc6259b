-- A claim's history gathers the events of its sources, verdicts, assignments and
-- comments too: each event names the claim it belongs to.
ALTER TABLE audit_events ADD COLUMN claim_id uuid;
CREATE INDEX audit_events_claim_idx ON audit_events (claim_id, seq) WHERE claim_id IS NOT NULL;

-- An article's derived status reads its claims' statuses.
CREATE INDEX claims_article_status_idx ON claims (article_id, status);
