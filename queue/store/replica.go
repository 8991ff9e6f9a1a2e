package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"hallq/queue"
)

// PushState is how far the centre holds this node's outbox stream of one
// epoch: every sequence from StartSeq to Acked, with the running checksum
// of those events (Count, Sum mod 2^32 of their hashes).
type PushState struct {
	Epoch    string
	StartSeq int64
	Acked    int64
	Count    int64
	Sum      uint32
	AckedAt  time.Time
}

// PushState returns the upload state of epoch. A stream never acknowledged
// starts at the first sequence the outbox holds for epoch (1 for a new
// database), or after the last sequence handed out when it holds none.
func (t *Tx) PushState(epoch string) (PushState, error) {
	st := PushState{Epoch: epoch}
	var sum, at int64
	err := t.queryRow("SELECT start_seq, acked, count, sum, acked_at FROM replica_push WHERE epoch = ?", epoch).
		Scan(&st.StartSeq, &st.Acked, &st.Count, &sum, &at)
	if err == nil {
		st.Sum, st.AckedAt = uint32(sum), time.UnixMilli(at).UTC()
		return st, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("store: push state: %w", err)
	}
	var first sql.NullInt64
	if err := t.queryRow("SELECT MIN(seq) FROM outbox WHERE epoch = ?", epoch).Scan(&first); err != nil {
		return st, fmt.Errorf("store: push state: %w", err)
	}
	if first.Valid {
		st.StartSeq = first.Int64
	} else {
		last, err := t.LastSeq()
		if err != nil {
			return st, err
		}
		st.StartSeq = last + 1
	}
	st.Acked = st.StartSeq - 1
	return st, nil
}

// AckPush saves st and marks the outbox rows of its epoch up to st.Acked
// acknowledged at at, which starts their retention period.
func (t *Tx) AckPush(st PushState, at time.Time) error {
	_, err := t.exec(`INSERT INTO replica_push (epoch, start_seq, acked, count, sum, acked_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (epoch) DO UPDATE SET acked = excluded.acked, count = excluded.count, sum = excluded.sum,
		acked_at = excluded.acked_at`, st.Epoch, st.StartSeq, st.Acked, st.Count, int64(st.Sum), at.UnixMilli())
	if err != nil {
		return fmt.Errorf("store: ack push: %w", err)
	}
	floor, err := t.outboxFloor()
	if err != nil {
		return err
	}
	_, err = t.exec("UPDATE outbox SET acked_at = ? WHERE seq > ? AND seq <= ? AND epoch = ? AND acked_at IS NULL",
		at.UnixMilli(), floor, st.Acked, st.Epoch)
	if err != nil {
		return fmt.Errorf("store: ack outbox: %w", err)
	}
	// Move the floor up to the row before the oldest one still pending
	// (another epoch's, or this one's after st.Acked), or to the end of
	// the outbox when none is.
	next := floor
	err = t.queryRow(`SELECT COALESCE((SELECT seq - 1 FROM outbox WHERE seq > ? AND acked_at IS NULL ORDER BY seq LIMIT 1),
		(SELECT MAX(seq) FROM outbox), ?)`, floor, floor).Scan(&next)
	if err != nil {
		return fmt.Errorf("store: outbox floor: %w", err)
	}
	if next != floor {
		return t.SetMeta(MetaOutboxFloor, strconv.FormatInt(next, 10))
	}
	return nil
}

// outboxFloor reads MetaOutboxFloor, a sequence up to which every outbox
// row is acknowledged (migration 0007): pending rows are searched above
// it, which keeps that search to the recent end of the outbox without an
// index that every event would write. 0 (search everything) when unset.
func (t *Tx) outboxFloor() (int64, error) {
	v, err := t.Meta(MetaOutboxFloor)
	if err != nil || v == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("store: meta %s is %q: %w", MetaOutboxFloor, v, err)
	}
	return n, nil
}

// PruneAcked removes outbox rows acknowledged before before; the events
// themselves stay. It returns how many rows went.
func (t *Tx) PruneAcked(before time.Time) (int64, error) {
	res, err := t.exec("DELETE FROM outbox WHERE acked_at IS NOT NULL AND acked_at < ?", before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store: prune outbox: %w", err)
	}
	return res.RowsAffected()
}

// MetaFileID is the identity (inode) of the database file the epoch was
// drawn for; see checkFileID.
const MetaFileID = "file_id"

// checkFileID starts a new outbox epoch when the database is not the file
// its epoch was drawn for: a copy made while the node was stopped, a
// restored backup, a file moved in from another disk. Events written from
// now on form a new stream at the centre instead of reusing sequence
// numbers its original may also have used. Rows already in the outbox
// keep their epoch: the original holds the same events under the same
// keys, so the centre takes them once. (A copy that keeps the inode, such
// as a cloned disk, is caught by the centre instead: it answers a push
// whose events differ from what it holds under the same key with
// PushConflict, and the node moves them to a new epoch with ForkEpoch.)
func (db *DB) checkFileID(ctx context.Context) error {
	id := fileID(db.path)
	if id == "" {
		return nil
	}
	var have string
	if err := db.Read(ctx, func(t *Tx) error {
		var err error
		have, err = t.Meta(MetaFileID)
		return err
	}); err != nil || have == id {
		return err
	}
	return db.Write(ctx, func(t *Tx) error {
		have, err := t.Meta(MetaFileID)
		if err != nil || have == id {
			return err
		}
		epoch, err := t.Meta(MetaEpoch)
		if err != nil {
			return err
		}
		// A database that never recorded its file (new, or from before
		// this check) keeps its epoch.
		if have != "" && epoch != "" {
			if err := t.SetMeta(MetaEpoch, RandomID(8)); err != nil {
				return err
			}
		}
		return t.SetMeta(MetaFileID, id)
	})
}

// ForkEpoch moves the outbox rows of epoch from sequence from on to a new
// random epoch, which becomes the current one if epoch was. The centre
// holds other events under (node, epoch, from...): this database is a
// copy of another that went on writing. It returns the new epoch.
func (t *Tx) ForkEpoch(epoch string, from int64) (string, error) {
	fresh := RandomID(8)
	if _, err := t.exec("UPDATE outbox SET epoch = ? WHERE epoch = ? AND seq >= ?", fresh, epoch, from); err != nil {
		return "", fmt.Errorf("store: fork epoch: %w", err)
	}
	cur, err := t.Meta(MetaEpoch)
	if err != nil {
		return "", err
	}
	if cur == epoch {
		if err := t.SetMeta(MetaEpoch, fresh); err != nil {
			return "", err
		}
	}
	return fresh, nil
}

// OldestPending returns the epoch and sequence of the oldest outbox row
// the centre has not acknowledged; ok is false when there is none.
func (t *Tx) OldestPending() (epoch string, seq int64, ok bool, err error) {
	floor, err := t.outboxFloor()
	if err != nil {
		return "", 0, false, err
	}
	err = t.queryRow("SELECT epoch, seq FROM outbox WHERE seq > ? AND acked_at IS NULL ORDER BY seq LIMIT 1", floor).Scan(&epoch, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, false, nil
	}
	if err != nil {
		return "", 0, false, fmt.Errorf("store: oldest pending: %w", err)
	}
	return epoch, seq, true, nil
}

// OutboxHolds reports whether the outbox holds every sequence from..to
// under epoch: a range read of the outbox's key, not of the events.
func (t *Tx) OutboxHolds(epoch string, from, to int64) (bool, error) {
	var n int64
	if err := t.queryRow("SELECT COUNT(*) FROM outbox WHERE seq >= ? AND seq <= ? AND epoch = ?", from, to, epoch).Scan(&n); err != nil {
		return false, fmt.Errorf("store: outbox holds: %w", err)
	}
	return n == to-from+1, nil
}

// OutboxPending counts outbox rows the centre has not acknowledged.
func (t *Tx) OutboxPending() (int64, error) {
	floor, err := t.outboxFloor()
	if err != nil {
		return 0, err
	}
	var n int64
	err = t.queryRow("SELECT COUNT(*) FROM outbox WHERE seq > ? AND acked_at IS NULL", floor).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: outbox pending: %w", err)
	}
	return n, nil
}

// Cursor is a download position: the last change applied from a stream
// and the running checksum of the stream up to it.
type Cursor struct {
	Seq   int64
	Count int64
	Sum   uint32
}

// Cursor returns the cursor of a download stream, zero when none.
func (t *Tx) Cursor(stream string) (Cursor, error) {
	var c Cursor
	var sum int64
	err := t.queryRow("SELECT seq, count, sum FROM replica_cursors WHERE stream = ?", stream).Scan(&c.Seq, &c.Count, &sum)
	if errors.Is(err, sql.ErrNoRows) {
		return Cursor{}, nil
	}
	if err != nil {
		return c, fmt.Errorf("store: cursor %s: %w", stream, err)
	}
	c.Sum = uint32(sum)
	return c, nil
}

// PutCursor saves a stream's cursor; call it in the transaction that
// applied the changes it covers.
func (t *Tx) PutCursor(stream string, c Cursor) error {
	_, err := t.exec(`INSERT INTO replica_cursors (stream, seq, count, sum) VALUES (?, ?, ?, ?)
		ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, count = excluded.count, sum = excluded.sum`,
		stream, c.Seq, c.Count, int64(c.Sum))
	if err != nil {
		return fmt.Errorf("store: put cursor %s: %w", stream, err)
	}
	return nil
}

// KeptChange is a change from the centre this program could not apply.
type KeptChange struct {
	Stream string
	Seq    int64
	Type   string
	Schema int
	Data   json.RawMessage
}

// KeepUnknown keeps a change of a type this program does not know.
func (t *Tx) KeepUnknown(k KeptChange) error {
	_, err := t.exec(`INSERT INTO replica_unknown (stream, seq, type, schema, data) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (stream, seq) DO NOTHING`, k.Stream, k.Seq, k.Type, k.Schema, string(k.Data))
	if err != nil {
		return fmt.Errorf("store: keep change %s/%d: %w", k.Stream, k.Seq, err)
	}
	return nil
}

// KeptChanges returns the kept unknown changes in stream order.
func (t *Tx) KeptChanges() ([]KeptChange, error) {
	rows, err := t.query("SELECT stream, seq, type, schema, data FROM replica_unknown ORDER BY stream, seq")
	if err != nil {
		return nil, fmt.Errorf("store: kept changes: %w", err)
	}
	defer rows.Close()
	var out []KeptChange
	for rows.Next() {
		var k KeptChange
		var data string
		if err := rows.Scan(&k.Stream, &k.Seq, &k.Type, &k.Schema, &data); err != nil {
			return nil, err
		}
		k.Data = json.RawMessage(data)
		out = append(out, k)
	}
	return out, rows.Err()
}

// DropKept forgets a kept change once it has been applied.
func (t *Tx) DropKept(stream string, seq int64) error {
	_, err := t.exec("DELETE FROM replica_unknown WHERE stream = ? AND seq = ?", stream, seq)
	return err
}

// Change types the node applies from the centre's streams.
const (
	ChangeCase       = "case"        // data: queue.Case
	ChangeCatalogue  = "catalogue"   // data: CatalogueChange
	ChangeHallConfig = "hall_config" // data: queue.HallConfig
)

// CatalogueChange is the data of a catalogue change: a version and the
// catalogue's JSON document.
type CatalogueChange struct {
	Version string          `json:"version"`
	Doc     json.RawMessage `json:"doc"`
}

// ApplyChange applies one change from the centre. known is false for a
// type this program does not understand; the caller keeps such changes.
func (t *Tx) ApplyChange(typ string, data []byte) (known bool, err error) {
	switch typ {
	case ChangeCase:
		var c queue.Case
		if err := json.Unmarshal(data, &c); err != nil {
			return true, fmt.Errorf("store: case change: %w", err)
		}
		return true, t.PutCases([]queue.Case{c})
	case ChangeCatalogue:
		var c CatalogueChange
		if err := json.Unmarshal(data, &c); err != nil {
			return true, fmt.Errorf("store: catalogue change: %w", err)
		}
		return true, t.PutCatalogue(c.Version, c.Doc)
	case ChangeHallConfig:
		var cfg queue.HallConfig
		if err := json.Unmarshal(data, &cfg); err != nil {
			return true, fmt.Errorf("store: hall config change: %w", err)
		}
		return true, t.PutConfig(cfg)
	}
	return false, nil
}

// ResetCases deletes every case copy before a snapshot of the hall's
// stream replaces them. It touches neither the outbox nor the events.
func (t *Tx) ResetCases() error {
	_, err := t.exec("DELETE FROM cases")
	return err
}

// CaseCount counts the case copies the hall holds.
func (t *Tx) CaseCount() (int, error) {
	var n int
	err := t.queryRow("SELECT COUNT(*) FROM cases").Scan(&n)
	return n, err
}
