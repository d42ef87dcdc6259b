DROP TRIGGER live_events_notify ON live_events;
DROP FUNCTION live_events_notify();
DROP TABLE live_events;
