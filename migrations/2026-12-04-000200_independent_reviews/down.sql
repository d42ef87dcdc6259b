DROP TABLE reviews;
ALTER TABLE settings DROP COLUMN independent_review_for_high_priority;
ALTER TABLE claims DROP COLUMN independent_review;
