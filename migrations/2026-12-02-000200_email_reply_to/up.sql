-- An email can name where replies go: a message from an editor is answered to them.
ALTER TABLE email_outbox ADD COLUMN reply_to text;
