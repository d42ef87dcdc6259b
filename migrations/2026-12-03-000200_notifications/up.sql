-- In-app notifications: one row per person told, written in the transaction of what
-- they are told about (as its email would be). Which kinds reach a user, and how, is
-- their `notify.channels` (see domain::notifications).
CREATE TABLE notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('assignment', 'unassignment', 'submitted',
        'changes_requested', 'approved', 'reminder', 'overdue', 'error_report', 'mention')),
    actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
    claim_id uuid REFERENCES claims (id) ON DELETE CASCADE,
    error_report_id uuid REFERENCES error_reports (id) ON DELETE CASCADE,
    -- What it is about, as it read then (a claim's statement, a page's headline).
    subject text NOT NULL,
    -- The app path it opens ("/claims/…", "/reports").
    link text NOT NULL,
    -- Scheduled kinds (reminders, overdue notices) are told once.
    dedupe_key text UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at timestamptz
);
CREATE INDEX notifications_inbox ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
