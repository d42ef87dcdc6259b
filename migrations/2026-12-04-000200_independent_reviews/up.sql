-- Independent review: each assigned reviewer proposes their own rating and summary,
-- hidden from the others until all have submitted; the editor approves one.
ALTER TABLE claims ADD COLUMN independent_review boolean NOT NULL DEFAULT false;

-- A newsroom can make it the default for high and urgent claims.
ALTER TABLE settings ADD COLUMN independent_review_for_high_priority boolean NOT NULL DEFAULT false;

-- Every proposal is kept: sending one back keeps it (`returned`) and the reviewer's
-- next proposal is a new row; approving one marks it `chosen`, the others `passed`.
CREATE TABLE reviews (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    claim_id uuid NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    reviewer_id uuid NOT NULL REFERENCES users (id),
    rating text REFERENCES rating_scale (key) ON UPDATE CASCADE,
    summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 1000),
    explanation text NOT NULL DEFAULT '' CHECK (length(explanation) <= 50000),
    state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'returned', 'chosen', 'passed')),
    submitted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    CHECK (state = 'draft' OR submitted_at IS NOT NULL)
);
CREATE INDEX reviews_claim ON reviews (claim_id, reviewer_id, created_at);
-- One open proposal (draft or submitted) per reviewer and claim.
CREATE UNIQUE INDEX reviews_one_open ON reviews (claim_id, reviewer_id) WHERE state IN ('draft', 'submitted');
