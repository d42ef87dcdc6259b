DELETE FROM email_outbox WHERE kind = 'reader_reply';
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check CHECK (kind IN (
    'invitation', 'password_reset', 'assignment', 'unassignment',
    'changes_requested', 'reminder', 'overdue', 'reviewer_deactivated',
    'message', 'error_report', 'digest'));
DROP TABLE error_report_replies;
DROP INDEX error_reports_inbox;
ALTER TABLE error_reports DROP COLUMN version, DROP COLUMN correction_id, DROP COLUMN status;
