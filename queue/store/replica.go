package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
		last, err := t.Meta(MetaOutboxSeq)
		if err != nil {
			return st, err
		}
		var n int64
		fmt.Sscan(last, &n)
		st.StartSeq = n + 1
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
	_, err = t.exec("UPDATE outbox SET acked_at = ? WHERE epoch = ? AND seq <= ? AND acked_at IS NULL", at.UnixMilli(), st.Epoch, st.Acked)
	if err != nil {
		return fmt.Errorf("store: ack outbox: %w", err)
	}
	return nil
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

// OutboxPending counts outbox rows the centre has not acknowledged.
func (t *Tx) OutboxPending() (int64, error) {
	var n int64
	err := t.queryRow("SELECT COUNT(*) FROM outbox WHERE acked_at IS NULL").Scan(&n)
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
