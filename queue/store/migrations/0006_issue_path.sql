-- A lighter issue path (issue 2's latency target). Every page a transaction
-- touches is one more WAL frame to write and, later, to checkpoint; an
-- issue wrote twelve against one for a plain insert.

-- The UNIQUE (day, number) index already starts with the day: it serves
-- "a day's tickets" and the slot count as well.
DROP INDEX tickets_day;

-- One index for waiting tickets instead of two: it answers the people-ahead
-- count (service, class, appointment), "is anyone waiting" (service) and
-- the waiting list (service, then sorted by queue position in memory: a
-- hall has hundreds waiting, not millions).
DROP INDEX tickets_waiting;
DROP INDEX tickets_waiting_class;
CREATE INDEX tickets_waiting ON tickets (service, class, appointment_at, queue_pos) WHERE state = 'waiting';

-- The event sequence is the events table's rowid: SQLite hands out
-- MAX(seq) + 1 inside the writing transaction, and events are never
-- deleted, so it stays gap-free and in commit order without a counter row.
DELETE FROM meta WHERE key = 'outbox_seq';

-- A ticket's queue position is now the sequence of the event that put it in
-- the queue (hall.writeTx.queuePos): the old counter was never ahead of the
-- event sequence, so positions keep growing.
DELETE FROM meta WHERE key = 'queue_pos';

-- Every event gets its outbox row from the database itself, in the same
-- statement, with the database's current epoch; with none (a database never
-- initialised) the event is refused with a sentence, not a bare NOT NULL.
CREATE TRIGGER events_outbox AFTER INSERT ON events
BEGIN
    SELECT RAISE(ABORT, 'no epoch in meta: the hall database is not initialised')
    WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'epoch');
    INSERT INTO outbox (seq, epoch) VALUES (new.seq, (SELECT value FROM meta WHERE key = 'epoch'));
END;
