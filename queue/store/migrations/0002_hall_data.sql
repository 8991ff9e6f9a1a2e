-- What the hall keeps a copy of from the centre (the catalogue, cases,
-- appointments) and what its devices must remember across restarts.

-- The service catalogue as one versioned document (JSON of
-- catalogue.Catalogue); it is read whole and replaced whole.
CREATE TABLE catalogue (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL,
    doc     TEXT NOT NULL
) STRICT;

-- Cases of this hall; the centre owns them. No personal data: the applicant
-- is masked and the check code hashed.
CREATE TABLE cases (
    number     TEXT PRIMARY KEY,
    updated_at INTEGER NOT NULL,
    doc        TEXT NOT NULL -- JSON of queue.Case
) STRICT;

CREATE TABLE appointments (
    code      TEXT PRIMARY KEY,
    service   TEXT NOT NULL,
    at        INTEGER NOT NULL,
    ticket_id TEXT NOT NULL DEFAULT '',
    doc       TEXT NOT NULL -- JSON of queue.Appointment
) STRICT;

CREATE INDEX appointments_at ON appointments (at);

-- Small per-device state: the paper counter of each printer, and so on.
CREATE TABLE device_state (
    device TEXT PRIMARY KEY,
    state  TEXT NOT NULL -- JSON
) STRICT;
