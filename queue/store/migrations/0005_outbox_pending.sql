-- The rows the centre has not acknowledged, in order: the syncer asks for
-- the oldest one on every push (to pick the epoch to send), and the
-- watchdog counts them. Without this index both scan a week of retained,
-- acknowledged rows.
CREATE INDEX outbox_pending ON outbox (seq) WHERE acked_at IS NULL;
