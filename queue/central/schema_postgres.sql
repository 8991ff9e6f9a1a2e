-- The centre's database on PostgreSQL: plain tables, composite primary keys
-- led by the hall, ON CONFLICT upserts; nothing CockroachDB or Citus lack
-- (no sequences, triggers, or foreign keys across halls). '' is the global stream.
CREATE TABLE IF NOT EXISTS clients (
    hall       TEXT NOT NULL,
    id         TEXT NOT NULL,
    kind       TEXT NOT NULL, -- node | approval
    token_hash TEXT NOT NULL, -- hex sha256 of the secret
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL DEFAULT 0,
    skew_ms    BIGINT NOT NULL DEFAULT 0,
    skew_at    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hall, id)
);
CREATE TABLE IF NOT EXISTS streams (
    hall      TEXT NOT NULL,
    node      TEXT NOT NULL,
    epoch     TEXT NOT NULL,
    start_seq BIGINT NOT NULL,
    hw        BIGINT NOT NULL,
    count     BIGINT NOT NULL,
    sum       BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (hall, node, epoch)
);
CREATE TABLE IF NOT EXISTS events (
    hall      TEXT NOT NULL,
    node      TEXT NOT NULL,
    epoch     TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    type      TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    win       BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    at        BIGINT NOT NULL,
    schema    BIGINT NOT NULL,
    data      TEXT NOT NULL,
    hash      BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (hall, node, epoch, seq)
);
CREATE TABLE IF NOT EXISTS quarantine (
    hall   TEXT NOT NULL,
    node   TEXT NOT NULL,
    epoch  TEXT NOT NULL,
    seq    BIGINT NOT NULL,
    reason TEXT NOT NULL,
    at     BIGINT NOT NULL,
    PRIMARY KEY (hall, node, epoch, seq)
);
CREATE TABLE IF NOT EXISTS tickets (
    hall        TEXT NOT NULL,
    id          TEXT NOT NULL,
    service     TEXT NOT NULL,
    number      TEXT NOT NULL,
    state       TEXT NOT NULL,
    win         BIGINT NOT NULL,
    issued_at   BIGINT NOT NULL,
    called_at   BIGINT,
    finished_at BIGINT,
    PRIMARY KEY (hall, id)
);
CREATE TABLE IF NOT EXISTS calls (
    hall      TEXT NOT NULL,
    node      TEXT NOT NULL,
    epoch     TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    ticket_id TEXT NOT NULL,
    win       BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (hall, node, epoch, seq)
);
CREATE TABLE IF NOT EXISTS ratings (
    hall      TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    win       BIGINT NOT NULL,
    score     BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (hall, ticket_id)
);
CREATE TABLE IF NOT EXISTS device_health (
    hall   TEXT NOT NULL,
    device TEXT NOT NULL,
    kind   TEXT NOT NULL,
    state  TEXT NOT NULL,
    at     BIGINT NOT NULL,
    PRIMARY KEY (hall, device)
);
CREATE TABLE IF NOT EXISTS feed_heads (
    hall  TEXT NOT NULL,
    head  BIGINT NOT NULL,
    count BIGINT NOT NULL,
    sum   BIGINT NOT NULL,
    floor BIGINT NOT NULL,
    PRIMARY KEY (hall)
);
CREATE TABLE IF NOT EXISTS feed (
    hall   TEXT NOT NULL,
    seq    BIGINT NOT NULL,
    type   TEXT NOT NULL,
    key    TEXT NOT NULL,
    schema BIGINT NOT NULL,
    data   TEXT NOT NULL,
    count  BIGINT NOT NULL,
    sum    BIGINT NOT NULL,
    PRIMARY KEY (hall, seq)
);
CREATE TABLE IF NOT EXISTS feed_state (
    hall       TEXT NOT NULL,
    key        TEXT NOT NULL,
    type       TEXT NOT NULL,
    schema     BIGINT NOT NULL,
    data       TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    PRIMARY KEY (hall, key)
);
