-- The hall's database. Times are Unix milliseconds (UTC); business days are
-- YYYY-MM-DD strings in the hall's zone.

-- Small facts about this database: node id, epoch, salt, counters.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The hall's configuration without services and windows (JSON of queue.HallConfig).
CREATE TABLE hall (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    config TEXT NOT NULL
) STRICT;

CREATE TABLE services (
    code TEXT PRIMARY KEY,
    def  TEXT NOT NULL -- JSON of queue.Service
) STRICT;

CREATE TABLE windows (
    number   INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    services TEXT NOT NULL, -- JSON of []queue.WindowService
    state    TEXT NOT NULL CHECK (state IN ('open', 'paused', 'closed'))
) STRICT;

-- One counter per business day and prefix: the source of ticket numbers.
CREATE TABLE counters (
    day    TEXT NOT NULL,
    prefix TEXT NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (day, prefix)
) STRICT, WITHOUT ROWID;

CREATE TABLE tickets (
    id               TEXT PRIMARY KEY,
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
    -- Invariant 1, enforced a second time by the database itself.
    UNIQUE (day, number)
) STRICT;

CREATE INDEX tickets_waiting ON tickets (service, queue_pos) WHERE state = 'waiting';
-- Covers the "people ahead" count of every new ticket without reading rows.
CREATE INDEX tickets_waiting_class ON tickets (service, class, appointment_at) WHERE state = 'waiting';
CREATE INDEX tickets_active_window ON tickets (window) WHERE state IN ('called', 'serving', 'parked');
CREATE INDEX tickets_day ON tickets (day, service, issued_at);
CREATE INDEX tickets_citizen ON tickets (citizen_hash, service) WHERE citizen_hash IS NOT NULL;

-- Every state change, append-only. seq is the node's gap-free outbox
-- sequence, assigned inside the writing transaction.
CREATE TABLE events (
    seq       INTEGER PRIMARY KEY,
    type      TEXT NOT NULL,
    ticket_id TEXT NOT NULL DEFAULT '',
    window    INTEGER NOT NULL DEFAULT 0,
    actor     TEXT NOT NULL DEFAULT '',
    at        INTEGER NOT NULL,
    data      TEXT NOT NULL -- JSON, schema version inside
) STRICT;

CREATE INDEX events_ticket ON events (ticket_id);

-- Events waiting to reach the centre. A row leaves once acknowledged and
-- past its retention; the event itself stays in events.
CREATE TABLE outbox (
    seq      INTEGER PRIMARY KEY REFERENCES events (seq),
    epoch    TEXT NOT NULL,
    acked_at INTEGER
) STRICT;

-- Idempotent "call next": a repeated request id returns the same ticket.
CREATE TABLE call_requests (
    request_id TEXT PRIMARY KEY,
    window     INTEGER NOT NULL,
    ticket_id  TEXT NOT NULL,
    at         INTEGER NOT NULL
) STRICT;

-- Running average of service times per service, for the wait estimate.
CREATE TABLE service_stats (
    service     TEXT PRIMARY KEY,
    avg_seconds REAL NOT NULL,
    samples     INTEGER NOT NULL
) STRICT;
