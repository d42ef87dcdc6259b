-- Readers' error reports become an inbox for editors: a status, the correction a report
-- led to, a version for If-Match, and the replies sent to the reader from the app.
ALTER TABLE error_reports
    ADD COLUMN status text NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'answered', 'corrected', 'dismissed')),
    ADD COLUMN correction_id uuid REFERENCES corrections (id),
    ADD COLUMN version integer NOT NULL DEFAULT 1;

UPDATE error_reports SET status = 'answered' WHERE handled_at IS NOT NULL;

CREATE INDEX error_reports_inbox ON error_reports (status, created_at DESC, id DESC);

CREATE TABLE error_report_replies (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    report_id uuid NOT NULL REFERENCES error_reports (id) ON DELETE CASCADE,
    author_id uuid NOT NULL REFERENCES users (id),
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX error_report_replies_report ON error_report_replies (report_id, created_at);

-- The reply to a reader is an email of its own kind.
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check CHECK (kind IN (
    'invitation', 'password_reset', 'assignment', 'unassignment',
    'changes_requested', 'reminder', 'overdue', 'reviewer_deactivated',
    'message', 'error_report', 'digest', 'reader_reply'));
