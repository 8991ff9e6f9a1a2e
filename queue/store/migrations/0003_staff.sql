-- Staff, devices, sessions, window sign-ins, ratings and API idempotency
-- (the hall node's HTTP API). Secrets are stored hashed only.

CREATE TABLE staff_accounts (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('clerk', 'manager', 'maintainer')),
    password_hash TEXT NOT NULL, -- bcrypt
    created_at    INTEGER NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Sessions of signed-in staff; token_hash is the SHA-256 of the token.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES staff_accounts (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);

-- Kiosks, displays, LED controllers and rating pads; token_hash is the
-- SHA-256 of the token printed once when the device was added.
CREATE TABLE device_tokens (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('kiosk', 'display', 'led', 'pad')),
    name       TEXT NOT NULL,
    window     INTEGER NOT NULL DEFAULT 0, -- a rating pad or LED belongs to a window
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;

-- Who is signed in at which window: a clerk acts only on these windows.
CREATE TABLE window_signins (
    window     INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES staff_accounts (id),
    since      INTEGER NOT NULL
) STRICT;

-- One rating per ticket (好差评), linked to the window and the clerk.
CREATE TABLE ratings (
    ticket_id TEXT PRIMARY KEY REFERENCES tickets (id),
    day       TEXT NOT NULL,
    window    INTEGER NOT NULL,
    clerk     TEXT NOT NULL DEFAULT '',
    level     INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5), -- 5 非常满意 .. 1 非常不满意
    reasons   TEXT NOT NULL DEFAULT '[]', -- JSON array of reason codes
    comment   TEXT NOT NULL DEFAULT '',
    flagged   INTEGER NOT NULL DEFAULT 0, -- low rating: follow up
    at        INTEGER NOT NULL
) STRICT;

CREATE INDEX ratings_day ON ratings (day, window);

-- Idempotent API mutations: a repeated request id returns the stored answer.
CREATE TABLE api_requests (
    request_id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL, -- method, path and principal of the first request
    status     INTEGER NOT NULL,
    response   TEXT NOT NULL,
    at         INTEGER NOT NULL
) STRICT;
