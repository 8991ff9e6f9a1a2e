-- The centre's database on SQLite. The hall leads every key, as in the
-- PostgreSQL schema; '' is the global stream and '*' centre-wide clients.
CREATE TABLE IF NOT EXISTS clients (
    hall       TEXT NOT NULL,
    id         TEXT NOT NULL,
    kind       TEXT NOT NULL, -- node | approval
    token_hash TEXT NOT NULL, -- hex sha256 of the secret
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL DEFAULT 0,
    skew_ms    INTEGER NOT NULL DEFAULT 0,
    skew_at    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (hall, id)
);
CREATE TABLE IF NOT EXISTS streams (
    hall      TEXT NOT NULL,
    node      TEXT NOT NULL,
    epoch     TEXT NOT NULL,
    start_seq INTEGER NOT NULL,
    hw        INTEGER NOT NULL,
    count     INTEGER NOT NULL,
    sum       INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (hall, node, epoch)
);
CREATE TABLE IF NOT EXISTS events (
    hall      TEXT NOT NULL,
    node      TEXT NOT NULL,
    epoch     TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    type      TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    win       INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    at        INTEGER NOT NULL,
    schema    INTEGER NOT NULL,
    data      TEXT NOT NULL,
    hash      INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (hall, node, epoch, seq)
);
CREATE TABLE IF NOT EXISTS quarantine (
    hall   TEXT NOT NULL,
    node   TEXT NOT NULL,
    epoch  TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    reason TEXT NOT NULL,
    at     INTEGER NOT NULL,
    PRIMARY KEY (hall, node, epoch, seq)
);
CREATE TABLE IF NOT EXISTS tickets (
    hall        TEXT NOT NULL,
    id          TEXT NOT NULL,
    service     TEXT NOT NULL,
    number      TEXT NOT NULL,
    state       TEXT NOT NULL,
    win         INTEGER NOT NULL,
    issued_at   INTEGER NOT NULL,
    called_at   INTEGER,
    finished_at INTEGER,
    PRIMARY KEY (hall, id)
);
CREATE TABLE IF NOT EXISTS calls (
    hall      TEXT NOT NULL,
    node      TEXT NOT NULL,
    epoch     TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    ticket_id TEXT NOT NULL,
    win       INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (hall, node, epoch, seq)
);
CREATE TABLE IF NOT EXISTS ratings (
    hall      TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    win       INTEGER NOT NULL,
    score     INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (hall, ticket_id)
);
CREATE TABLE IF NOT EXISTS device_health (
    hall   TEXT NOT NULL,
    device TEXT NOT NULL,
    kind   TEXT NOT NULL,
    state  TEXT NOT NULL,
    at     INTEGER NOT NULL,
    PRIMARY KEY (hall, device)
);
CREATE TABLE IF NOT EXISTS feed_heads (
    hall  TEXT NOT NULL,
    head  INTEGER NOT NULL,
    count INTEGER NOT NULL,
    sum   INTEGER NOT NULL,
    floor INTEGER NOT NULL,
    PRIMARY KEY (hall)
);
CREATE TABLE IF NOT EXISTS feed (
    hall   TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    type   TEXT NOT NULL,
    key    TEXT NOT NULL,
    schema INTEGER NOT NULL,
    data   TEXT NOT NULL,
    count  INTEGER NOT NULL,
    sum    INTEGER NOT NULL,
    PRIMARY KEY (hall, seq)
);
CREATE TABLE IF NOT EXISTS feed_state (
    hall       TEXT NOT NULL,
    key        TEXT NOT NULL,
    type       TEXT NOT NULL,
    schema     INTEGER NOT NULL,
    data       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (hall, key)
);
