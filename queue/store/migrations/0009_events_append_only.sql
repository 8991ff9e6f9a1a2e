-- An event's sequence is its rowid, MAX(seq) + 1 under the write lock
-- (migration 0006), and the centre keys what it applies by origin node and
-- sequence. Deleting the newest event would hand its sequence to a
-- different event, which the centre would then drop as already applied;
-- renumbering one would do the same. So the events table is append-only
-- in the database itself, not just by the code's habit. The triggers cost
-- an issue nothing: it inserts.
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: a deleted event''s sequence would be reused');
END;

CREATE TRIGGER events_no_renumber BEFORE UPDATE OF seq ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: an event keeps its sequence');
END;
