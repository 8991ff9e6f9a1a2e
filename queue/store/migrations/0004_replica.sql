-- Replication state of the node (queue/replica). The outbox itself is in
-- 0001; here is what the node remembers about the centre.

-- The upload stream: how far the centre has acknowledged this node's
-- outbox, and the running checksum (count, sum mod 2^32 of event hashes)
-- of the acknowledged events, compared with the centre's on every answer.
CREATE TABLE replica_push (
    epoch     TEXT PRIMARY KEY,
    start_seq INTEGER NOT NULL, -- first sequence of this epoch's stream
    acked     INTEGER NOT NULL, -- highest sequence the centre holds, gap-free
    count     INTEGER NOT NULL,
    sum       INTEGER NOT NULL,
    acked_at  INTEGER NOT NULL  -- node clock, for the watchdog only
) STRICT;

-- Download cursors, one per stream (hall/<id>, global). Written in the same
-- transaction as the changes they cover.
CREATE TABLE replica_cursors (
    stream TEXT PRIMARY KEY,
    seq    INTEGER NOT NULL,
    count  INTEGER NOT NULL,
    sum    INTEGER NOT NULL
) STRICT;

-- Changes from a newer centre this program does not understand: kept, so
-- an upgraded node can apply them, never skipped.
CREATE TABLE replica_unknown (
    stream TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    type   TEXT NOT NULL,
    schema INTEGER NOT NULL,
    data   TEXT NOT NULL,
    PRIMARY KEY (stream, seq)
) STRICT;

CREATE INDEX outbox_acked ON outbox (acked_at) WHERE acked_at IS NOT NULL;
