-- The audit log (append-only, enforced here so that no bug can rewrite history)
-- and the transactional email outbox.

CREATE TABLE audit_events (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Orders events written in one transaction, where `at` is equal.
    seq       bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    actor_id  uuid REFERENCES users (id),
    entity    text NOT NULL CHECK (entity <> ''),
    entity_id uuid NOT NULL,
    action    text NOT NULL CHECK (action <> ''),
    before    jsonb,
    after     jsonb,
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id, seq);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq);

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION reject_modification();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION reject_modification();

CREATE TABLE email_outbox (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recipient       text NOT NULL CHECK (recipient <> ''),
    cc              text[] NOT NULL DEFAULT '{}',
    subject         text NOT NULL CHECK (subject <> ''),
    text_body       text NOT NULL,
    html_body       text NOT NULL,
    kind            text NOT NULL CHECK (kind IN (
                        'invitation', 'password_reset', 'assignment', 'unassignment',
                        'changes_requested', 'reminder', 'overdue', 'reviewer_deactivated',
                        'message', 'error_report', 'digest')),
    -- Scheduled emails carry a key so that each is enqueued exactly once.
    dedupe_key      text UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    failed_at       timestamptz,
    last_error      text
);
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX email_outbox_recipient_idx ON email_outbox (lower(recipient), kind, created_at);
