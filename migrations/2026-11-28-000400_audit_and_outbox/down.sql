DROP TABLE email_outbox;
DROP TABLE audit_events;
