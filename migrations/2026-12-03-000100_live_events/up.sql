-- The live desk: one row per change a signed-in user may want to see at once, written
-- in the change's own transaction (by db::audit::record, beside the audit row), so a
-- rolled-back change never produces one. The trigger's NOTIFY is delivered only on
-- commit, to every server instance that LISTENs; each instance fans the event out to
-- its open event streams. Rows are kept a short while (the scheduler prunes them) so
-- that a client that lost its connection resumes from `Last-Event-ID`.
CREATE TABLE live_events (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    entity text NOT NULL,
    entity_id uuid NOT NULL,
    action text NOT NULL,
    -- The claim's (or article's) version after the change, when it has one.
    version integer,
    actor_id uuid,
    actor_name text,
    claim_id uuid,
    article_id uuid,
    -- Who receives it: 'all' signed-in users; 'desk' editors and admins plus the reviewers listed;
    -- 'editors' editors and admins only; 'admins'; 'user' only user_id.
    audience text NOT NULL CHECK (audience IN ('all', 'desk', 'editors', 'admins', 'user')),
    reviewer_ids uuid[] NOT NULL DEFAULT '{}',
    user_id uuid,
    -- Presence only: what the user is doing ({"activity": …, "expires_at": …}).
    detail jsonb
);
CREATE INDEX live_events_at ON live_events (at);

CREATE FUNCTION live_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('factdesk_live', row_to_json(NEW)::text);
    RETURN NULL;
END $$;

CREATE TRIGGER live_events_notify AFTER INSERT ON live_events
    FOR EACH ROW EXECUTE FUNCTION live_events_notify();
