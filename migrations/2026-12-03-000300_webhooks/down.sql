DELETE FROM notifications WHERE kind = 'webhook_disabled';
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (
    'assignment', 'unassignment', 'submitted', 'changes_requested', 'approved',
    'reminder', 'overdue', 'error_report', 'mention'));
DELETE FROM email_outbox WHERE kind = 'webhook_disabled';
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check CHECK (kind IN (
    'invitation', 'password_reset', 'assignment', 'unassignment',
    'changes_requested', 'reminder', 'overdue', 'reviewer_deactivated',
    'message', 'error_report', 'digest', 'reader_reply'));
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
