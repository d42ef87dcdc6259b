ALTER TABLE settings DROP COLUMN require_reply_attempt;
DROP TABLE claim_replies;
ALTER TABLE claims DROP COLUMN figure;
