-- Fewer pages per issue, the rest of issue 2's latency target: an issue
-- wrote nine b-tree pages (each one WAL frame to write, sync and later
-- checkpoint) and now writes four: the ticket, its waiting-index entry,
-- the event and its outbox row. Every property the dropped structures
-- gave is kept another way, named below. The migration runner turns
-- foreign keys off around this step and runs foreign_key_check before it
-- commits (SQLite's procedure for rebuilding a table that others
-- reference: ratings.ticket_id references tickets.id).

-- 1. Tickets stored in the order of their key, WITHOUT ROWID: the ticket
-- id is its business day and number ("2026-11-30/A001"), so the table is
-- its own id index (two b-trees fewer: the rowid table's and the id
-- index's), a day's tickets are a range of the key, and, with the CHECK,
-- the unique key is invariant 1 (no number twice on a day) enforced by
-- the database, which the UNIQUE (day, number) index did before.
--
-- 2. print_by names who prints the ticket while its print is pending: the
-- issuer, or whoever claimed it for a reprint. A LAN kiosk that restarts
-- fails only its own interrupted prints; that used to be a search of the
-- ticket's events by actor, which needed an index on events.ticket_id
-- written by every event.
CREATE TABLE tickets_new (
    id               TEXT NOT NULL PRIMARY KEY,
    day              TEXT NOT NULL,
    service          TEXT NOT NULL,
    number           TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    class            INTEGER NOT NULL,
    reason           TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL,
    queue_pos        INTEGER NOT NULL,
    issued_at        INTEGER NOT NULL,
    arrived_at       INTEGER NOT NULL,
    appointment_at   INTEGER,
    appointment_id   TEXT NOT NULL DEFAULT '',
    window           INTEGER NOT NULL DEFAULT 0,
    called_at        INTEGER,
    started_at       INTEGER,
    finished_at      INTEGER,
    recalls          INTEGER NOT NULL DEFAULT 0,
    transferred_from TEXT NOT NULL DEFAULT '',
    citizen_hash     TEXT,
    end_reason       TEXT NOT NULL DEFAULT '',
    print            TEXT NOT NULL DEFAULT '',
    print_error      TEXT NOT NULL DEFAULT '',
    print_by         TEXT NOT NULL DEFAULT '',
    -- Invariant 1, enforced a second time by the database itself.
    CHECK (id = day || '/' || number)
) STRICT, WITHOUT ROWID;

INSERT INTO tickets_new (id, day, service, number, seq, class, reason, state, queue_pos, issued_at, arrived_at,
    appointment_at, appointment_id, window, called_at, started_at, finished_at, recalls, transferred_from,
    citizen_hash, end_reason, print, print_error, print_by)
SELECT id, day, service, number, seq, class, reason, state, queue_pos, issued_at, arrived_at,
    appointment_at, appointment_id, window, called_at, started_at, finished_at, recalls, transferred_from,
    citizen_hash, end_reason, print, print_error,
    CASE WHEN print = 'pending' THEN COALESCE((SELECT e.actor FROM events e
        WHERE e.ticket_id = tickets.id AND e.type IN ('issued', 'reprint') ORDER BY e.seq DESC LIMIT 1), '')
    ELSE '' END
FROM tickets;

DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;

CREATE INDEX tickets_waiting ON tickets (service, class, appointment_at, queue_pos) WHERE state = 'waiting';
CREATE INDEX tickets_active_window ON tickets (window) WHERE state IN ('called', 'serving', 'parked');
CREATE INDEX tickets_citizen ON tickets (citizen_hash, service) WHERE citizen_hash IS NOT NULL;

DROP INDEX events_ticket;

-- 3. No counter row: the next number of a day and prefix is the last
-- ticket's number + 1, read from the end of the key range 'day/A0' ..
-- 'day/A:' (codes are capital letters, numbers three digits). It is as
-- gap-free as the counter was: a rolled-back issue leaves no ticket.
DROP TABLE counters;

-- 4. No index of pending outbox rows: acknowledgements move forward in
-- sequence order within an epoch, so the meta value outbox_floor (every
-- row up to it acknowledged) bounds the search for pending rows to the
-- recent end of the outbox. store.Tx.AckPush moves it.
DROP INDEX outbox_pending;
INSERT INTO meta (key, value)
SELECT 'outbox_floor', COALESCE((SELECT MIN(seq) - 1 FROM outbox WHERE acked_at IS NULL),
    (SELECT MAX(seq) FROM outbox), 0);
