-- Webhooks: endpoints an admin registers, and one delivery row per event and
-- endpoint, written in the transaction of the change (the outbox pattern of the
-- emails) and sent by the worker in order of creation, per endpoint.
CREATE TABLE webhook_endpoints (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (name <> '' AND length(name) <= 100),
    url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
    -- The signing secret, `whsec_` and base64 (Standard Webhooks). It has to be read
    -- back to sign, so it cannot be hashed; it is never shown again after creation.
    secret text NOT NULL CHECK (secret ~ '^whsec_'),
    format text NOT NULL DEFAULT 'standard' CHECK (format IN ('standard', 'slack')),
    events text[] NOT NULL CHECK (cardinality(events) > 0),
    active boolean NOT NULL DEFAULT true,
    -- Why Factdesk turned it off (a 410 from the receiver), shown to admins.
    disabled_reason text,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1
);

CREATE TABLE webhook_deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The order of creation, which is the order of sending to one endpoint.
    seq bigserial NOT NULL UNIQUE,
    endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event text NOT NULL,
    -- The Standard Webhooks payload: {type, timestamp, data}.
    payload jsonb NOT NULL,
    -- Scheduled events (a claim overdue) are sent once per endpoint.
    dedupe_key text,
    created_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz,
    -- The receiver's HTTP status of the last attempt (none: no answer).
    last_status smallint,
    last_duration_ms integer,
    last_error text,
    delivered_at timestamptz,
    failed_at timestamptz
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (endpoint_id, seq)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (endpoint_id, dedupe_key)
    WHERE dedupe_key IS NOT NULL;
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);

-- Admins learn that a receiver said 410 Gone and its endpoint was turned off.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (
    'assignment', 'unassignment', 'submitted', 'changes_requested', 'approved',
    'reminder', 'overdue', 'error_report', 'mention', 'webhook_disabled'));
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check CHECK (kind IN (
    'invitation', 'password_reset', 'assignment', 'unassignment',
    'changes_requested', 'reminder', 'overdue', 'reviewer_deactivated',
    'message', 'error_report', 'digest', 'reader_reply', 'webhook_disabled'));
