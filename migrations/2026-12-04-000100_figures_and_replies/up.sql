-- Numeric claims and the right of reply.
--
-- A claim's figures: {claimed: {value, value_max, unit, measure, place, period,
-- as_stated}, checked: {value, value_max, period, source_id} | null}, checked by
-- `domain::claim_figure` before it is written. Values are decimal strings, so nothing
-- is rounded on the way.
ALTER TABLE claims ADD COLUMN figure jsonb
    CHECK (figure IS NULL OR (jsonb_typeof(figure) = 'object' AND figure ? 'claimed'));

-- Each attempt to reach the claimant for comment, and what came back.
CREATE TABLE claim_replies (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    claim_id uuid NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    contacted_at timestamptz NOT NULL,
    channel text NOT NULL CHECK (channel IN ('email', 'phone', 'message', 'social', 'in_person', 'letter', 'other')),
    -- The desk member who made the attempt.
    contacted_by uuid NOT NULL REFERENCES users (id),
    -- Whom they asked, when not the claim's claimant (a spokesperson, an office).
    contact text CHECK (length(contact) <= 200),
    asked text NOT NULL CHECK (length(asked) <= 5000),
    reply text CHECK (length(reply) <= 10000),
    replied_at timestamptz,
    -- The deadline the desk gave: "had not replied by <date>".
    no_reply_by timestamptz,
    -- Whether the public page tells of it.
    publish boolean NOT NULL DEFAULT false,
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    CHECK ((reply IS NULL) = (replied_at IS NULL))
);
CREATE INDEX claim_replies_claim ON claim_replies (claim_id, contacted_at);

-- A newsroom can require a logged attempt before a claim is approved.
ALTER TABLE settings ADD COLUMN require_reply_attempt boolean NOT NULL DEFAULT false;
