package central

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"hallq/queue/replica"
	"hallq/queue/store"
)

// Store is the centre's storage. Two implementations share the SQL: SQLite
// (OpenSQLite, the default) and PostgreSQL (OpenPostgres, at scale).
type Store interface {
	// AddClient registers a client (a hall's node, or the approval system
	// with hall "*") and returns its credential, shown once; only a hash of
	// the secret is kept.
	AddClient(ctx context.Context, hall, kind string, now time.Time) (token string, err error)
	// Authenticate returns the client a credential belongs to.
	Authenticate(ctx context.Context, token string, now time.Time) (Client, error)
	// RecordSkew records a client's measured clock skew (centre minus node).
	RecordSkew(ctx context.Context, c Client, skewMS int64, now time.Time) error
	// Ingest applies a pushed batch of hall's node stream in one transaction.
	Ingest(ctx context.Context, hall string, req *replica.PushRequest, now time.Time) (replica.PushResponse, error)
	// Feed returns up to limit changes of a download stream after a cursor;
	// hall "" is the global stream.
	Feed(ctx context.Context, hall string, after int64, limit int) (replica.FeedResponse, error)
	// Snapshot returns the current state of a download stream.
	Snapshot(ctx context.Context, hall string) (replica.Snapshot, error)
	// Publish appends changes to a download stream in one transaction; a
	// change older (UpdatedAt) than the stored state of its key is skipped.
	Publish(ctx context.Context, hall string, puts []Put) (head int64, err error)
	// Compact drops the changes of a stream up to seq; cursors below it get
	// a snapshot reset.
	Compact(ctx context.Context, hall string, upto int64) error
	// Stats counts rows, for tests, the console and benchmarks.
	Stats(ctx context.Context) (Stats, error)
	// StreamHashes returns the event hash held for each sequence of a node
	// stream (tests compare streams with it; StreamSeqs lists them).
	StreamHashes(ctx context.Context, hall, node, epoch string) (map[int64]uint32, error)
	Close() error
}

// Client is an authenticated caller.
type Client struct {
	Hall string // "*" for centre-wide clients
	ID   string
	Kind string
}

// Client kinds.
const (
	KindNode     = "node"
	KindApproval = "approval"
)

// Put is one change to publish on a download stream.
type Put struct {
	Type      string
	Key       string
	Data      json.RawMessage
	UpdatedAt time.Time // the centre's clock; later wins
}

// Stats are row counts.
type Stats struct {
	Streams, Events, Quarantined, Tickets, Calls, Ratings, Devices, FeedChanges int64
}

// ErrUnauthorized is returned for an unknown or wrong credential.
var ErrUnauthorized = errors.New("central: unknown credential")

// dialect is what differs between SQLite and PostgreSQL.
type dialect struct {
	name      string
	dollar    bool   // $1 placeholders instead of ?
	forUpdate string // row lock on a read in a write transaction
	maxParams int
}

type sqlStore struct {
	w, r  *sql.DB
	d     dialect
	group *groupCommit // SQLite: concurrent writes share a commit
}

func (s *sqlStore) q(query string) string {
	if !s.d.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

func (s *sqlStore) Close() error {
	if s.group != nil {
		s.group.close()
	}
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// fn must run its statements with the context it is given, not its
// caller's: under group commit the transaction is shared, and a caller's
// cancelled context would interrupt SQLite, which rolls back the whole
// transaction, every other hall's write with it.
func (s *sqlStore) write(ctx context.Context, fn func(context.Context, *sql.Tx) error) error {
	if s.group != nil {
		return s.group.do(ctx, fn)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("central: begin: %w", err)
	}
	if err := fn(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("central: commit: %w", err)
	}
	return nil
}

// read runs fn in a read-only snapshot.
func (s *sqlStore) read(ctx context.Context, fn func(*sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.d.dollar {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.r.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("central: begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Tokens are HALL/ID/SECRET, so the lookup is by the table's key.
func (s *sqlStore) AddClient(ctx context.Context, hall, kind string, now time.Time) (string, error) {
	if hall == "" || strings.Contains(hall, "/") {
		return "", fmt.Errorf("central: hall id %q must be non-empty and without /", hall)
	}
	if kind != KindNode && kind != KindApproval {
		return "", fmt.Errorf("central: unknown client kind %q", kind)
	}
	id, secret := store.RandomID(6), store.RandomID(32)
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q("INSERT INTO clients (hall, id, kind, token_hash, created_at) VALUES (?, ?, ?, ?, ?)"),
			hall, id, kind, hashSecret(secret), now.UnixMilli())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("central: add client: %w", err)
	}
	return hall + "/" + id + "/" + secret, nil
}

func (s *sqlStore) Authenticate(ctx context.Context, token string, now time.Time) (Client, error) {
	i := strings.LastIndexByte(token, '/')
	if i < 0 {
		return Client{}, ErrUnauthorized
	}
	j := strings.LastIndexByte(token[:i], '/')
	if j < 0 {
		return Client{}, ErrUnauthorized
	}
	c := Client{Hall: token[:j], ID: token[j+1 : i]}
	var want string
	err := s.r.QueryRowContext(ctx, s.q("SELECT kind, token_hash FROM clients WHERE hall = ? AND id = ?"), c.Hall, c.ID).Scan(&c.Kind, &want)
	if errors.Is(err, sql.ErrNoRows) {
		return Client{}, ErrUnauthorized
	}
	if err != nil {
		return Client{}, fmt.Errorf("central: authenticate: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(hashSecret(token[i+1:]))) != 1 {
		return Client{}, ErrUnauthorized
	}
	return c, nil
}

func (s *sqlStore) RecordSkew(ctx context.Context, c Client, skewMS int64, now time.Time) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q("UPDATE clients SET skew_ms = ?, skew_at = ?, last_seen = ? WHERE hall = ? AND id = ?"),
			skewMS, now.UnixMilli(), now.UnixMilli(), c.Hall, c.ID)
		return err
	})
}

// Skew returns a client's last recorded skew.
func Skew(ctx context.Context, st Store, c Client) (int64, error) {
	s := st.(*sqlStore)
	var v int64
	err := s.r.QueryRowContext(ctx, s.q("SELECT skew_ms FROM clients WHERE hall = ? AND id = ?"), c.Hall, c.ID).Scan(&v)
	return v, err
}

// insertRows runs INSERT prefix with rows of n columns each, in chunks
// that stay under the driver's parameter limit, followed by suffix.
func (s *sqlStore) insertRows(ctx context.Context, tx *sql.Tx, prefix string, n int, rows [][]any, suffix string) error {
	per := max(1, s.d.maxParams/n)
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
	for len(rows) > 0 {
		k := min(per, len(rows))
		var b strings.Builder
		b.WriteString(prefix)
		args := make([]any, 0, k*n)
		for i, r := range rows[:k] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(tuple)
			args = append(args, r...)
		}
		b.WriteString(suffix)
		if _, err := tx.ExecContext(ctx, s.q(b.String()), args...); err != nil {
			return err
		}
		rows = rows[k:]
	}
	return nil
}

func (s *sqlStore) Ingest(ctx context.Context, hall string, req *replica.PushRequest, now time.Time) (replica.PushResponse, error) {
	var resp replica.PushResponse
	if req.Node == "" || req.Epoch == "" {
		return resp, &replica.Error{Status: 400, Code: replica.CodeInvalid, Detail: "node and epoch are required"}
	}
	if len(req.Events) > replica.MaxBatch {
		return resp, &replica.Error{Status: 400, Code: replica.CodeInvalid, Detail: fmt.Sprintf("at most %d events per push", replica.MaxBatch)}
	}
	evs := append([]replica.Event(nil), req.Events...)
	sort.Slice(evs, func(i, j int) bool { return evs[i].Seq < evs[j].Seq })
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		start := req.StartSeq
		if start < 1 {
			start = 1
		}
		var hw, count, sum, first int64
		lock := func() error {
			return tx.QueryRowContext(ctx, s.q("SELECT hw, count, sum, start_seq FROM streams WHERE hall = ? AND node = ? AND epoch = ?"+s.d.forUpdate),
				hall, req.Node, req.Epoch).Scan(&hw, &count, &sum, &first)
		}
		err := lock()
		if errors.Is(err, sql.ErrNoRows) {
			// A new stream; a concurrent first push of the same stream waits
			// on the key, then finds the row.
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO streams (hall, node, epoch, start_seq, hw, count, sum, updated_at)
				VALUES (?, ?, ?, ?, ?, 0, 0, ?) ON CONFLICT (hall, node, epoch) DO NOTHING`),
				hall, req.Node, req.Epoch, start, start-1, now.UnixMilli()); err != nil {
				return fmt.Errorf("central: stream: %w", err)
			}
			err = lock()
		}
		if err != nil {
			return fmt.Errorf("central: stream: %w", err)
		}
		resp.HighWater, resp.Count, resp.Sum = hw, count, uint32(sum)
		// Repeats must be the events already held: a different event under
		// the same key means two databases share this epoch (a restored
		// backup or a cloned disk). Nothing is applied; the node forks.
		if at, err := s.conflict(ctx, tx, hall, req.Node, req.Epoch, first, hw, evs); err != nil || at > 0 {
			resp.Conflict = at
			return err
		}
		// The contiguous run after the high-water mark; repeats are dropped.
		var run []replica.Event
		next := hw + 1
		gap := false
		for _, e := range evs {
			switch {
			case e.Seq < next:
				continue
			case e.Seq == next:
				run = append(run, e)
				next++
			default:
				gap = true
			}
			if gap {
				break
			}
		}
		d := newDerived(hall, req.Node, req.Epoch, now)
		rows := make([][]any, 0, len(run))
		usum := uint32(sum)
		for _, e := range run {
			h := replica.EventHash(e)
			usum += h
			rows = append(rows, []any{hall, req.Node, req.Epoch, e.Seq, e.Type, e.TicketID, int64(e.Window), e.Actor,
				e.At.UnixMilli(), int64(e.Schema), string(e.Data), int64(h), now.UnixMilli()})
			if reason := d.add(e); reason != "" {
				resp.Quarantined = append(resp.Quarantined, replica.Quarantined{Seq: e.Seq, Reason: reason})
			}
		}
		if len(run) > 0 {
			// A plain INSERT: under the stream's lock every sequence above
			// the high-water mark is new, and PostgreSQL's ON CONFLICT costs
			// a speculative insertion per row. A duplicate key here would be
			// a broken invariant and fails the batch.
			if err := s.insertRows(ctx, tx, `INSERT INTO events (hall, node, epoch, seq, type, ticket_id, win, actor, at, schema, data, hash, received_at) VALUES `,
				13, rows, ""); err != nil {
				return fmt.Errorf("central: insert events: %w", err)
			}
			if err := s.applyDerived(ctx, tx, d, resp.Quarantined); err != nil {
				return err
			}
			hw, count, sum = next-1, count+int64(len(run)), int64(usum)
			if _, err := tx.ExecContext(ctx, s.q("UPDATE streams SET hw = ?, count = ?, sum = ?, updated_at = ? WHERE hall = ? AND node = ? AND epoch = ?"),
				hw, count, sum, now.UnixMilli(), hall, req.Node, req.Epoch); err != nil {
				return fmt.Errorf("central: advance stream: %w", err)
			}
		}
		resp.HighWater, resp.Count, resp.Sum = hw, count, uint32(sum)
		if gap {
			resp.Expect = hw + 1
		}
		return nil
	})
	resp.ServerTime = now
	if err != nil {
		return replica.PushResponse{}, err
	}
	return resp, nil
}

// conflict returns the first sequence among evs at or below hw whose
// stored event has another hash, 0 when every repeat is what is held.
func (s *sqlStore) conflict(ctx context.Context, tx *sql.Tx, hall, node, epoch string, first, hw int64, evs []replica.Event) (int64, error) {
	lo, hi := int64(-1), int64(-1)
	for _, e := range evs {
		if e.Seq >= first && e.Seq <= hw {
			if lo < 0 {
				lo = e.Seq
			}
			hi = e.Seq
		}
	}
	if lo < 0 {
		return 0, nil
	}
	rows, err := tx.QueryContext(ctx, s.q("SELECT seq, hash FROM events WHERE hall = ? AND node = ? AND epoch = ? AND seq >= ? AND seq <= ?"),
		hall, node, epoch, lo, hi)
	if err != nil {
		return 0, fmt.Errorf("central: repeats: %w", err)
	}
	defer rows.Close()
	held := make(map[int64]uint32, hi-lo+1)
	for rows.Next() {
		var seq, h int64
		if err := rows.Scan(&seq, &h); err != nil {
			return 0, err
		}
		held[seq] = uint32(h)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, e := range evs {
		if e.Seq < lo || e.Seq > hi {
			continue
		}
		if h, ok := held[e.Seq]; ok && h != replica.EventHash(e) {
			return e.Seq, nil
		}
	}
	return 0, nil
}

func (s *sqlStore) applyDerived(ctx context.Context, tx *sql.Tx, d *derived, q []replica.Quarantined) error {
	if len(q) > 0 {
		rows := make([][]any, len(q))
		for i, x := range q {
			rows[i] = []any{d.hall, d.node, d.epoch, x.Seq, x.Reason, d.now.UnixMilli()}
		}
		if err := s.insertRows(ctx, tx, "INSERT INTO quarantine (hall, node, epoch, seq, reason, at) VALUES ", 6, rows,
			" ON CONFLICT (hall, node, epoch, seq) DO NOTHING"); err != nil {
			return fmt.Errorf("central: quarantine: %w", err)
		}
	}
	// Upserts go in key order: two streams of one hall (two nodes) that
	// touch the same rows then lock them in the same order, never in a
	// deadlock on PostgreSQL.
	sort.Strings(d.ticketOrder)
	sort.Strings(d.ratingOrder)
	if len(d.tickets) > 0 {
		rows := make([][]any, 0, len(d.tickets))
		for _, id := range d.ticketOrder {
			t := d.tickets[id]
			rows = append(rows, []any{d.hall, t.ID, t.Service, t.Number, t.State, int64(t.Window), t.IssuedAt.UnixMilli(), msOrNil(t.CalledAt), msOrNil(t.FinishedAt)})
		}
		if err := s.insertRows(ctx, tx, "INSERT INTO tickets (hall, id, service, number, state, win, issued_at, called_at, finished_at) VALUES ", 9, rows,
			` ON CONFLICT (hall, id) DO UPDATE SET service = excluded.service, state = excluded.state, win = excluded.win,
			called_at = excluded.called_at, finished_at = excluded.finished_at`); err != nil {
			return fmt.Errorf("central: tickets: %w", err)
		}
	}
	if len(d.calls) > 0 {
		if err := s.insertRows(ctx, tx, "INSERT INTO calls (hall, node, epoch, seq, ticket_id, win, at, received_at) VALUES ", 8, d.calls, ""); err != nil {
			return fmt.Errorf("central: calls: %w", err)
		}
	}
	if len(d.ratings) > 0 {
		rows := make([][]any, 0, len(d.ratings))
		for _, id := range d.ratingOrder {
			rows = append(rows, d.ratings[id])
		}
		if err := s.insertRows(ctx, tx, "INSERT INTO ratings (hall, ticket_id, win, score, at) VALUES ", 5, rows,
			" ON CONFLICT (hall, ticket_id) DO UPDATE SET win = excluded.win, score = excluded.score, at = excluded.at"); err != nil {
			return fmt.Errorf("central: ratings: %w", err)
		}
	}
	if len(d.devices) > 0 {
		keys := make([]string, 0, len(d.devices))
		for k := range d.devices {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		rows := make([][]any, 0, len(d.devices))
		for _, k := range keys {
			rows = append(rows, d.devices[k])
		}
		if err := s.insertRows(ctx, tx, "INSERT INTO device_health (hall, device, kind, state, at) VALUES ", 5, rows,
			" ON CONFLICT (hall, device) DO UPDATE SET kind = excluded.kind, state = excluded.state, at = excluded.at"); err != nil {
			return fmt.Errorf("central: device health: %w", err)
		}
	}
	return nil
}

func msOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func (s *sqlStore) Feed(ctx context.Context, hall string, after int64, limit int) (replica.FeedResponse, error) {
	resp := replica.FeedResponse{Stream: streamName(hall)}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	err := s.read(ctx, func(tx *sql.Tx) error {
		var head, floor int64
		err := tx.QueryRowContext(ctx, s.q("SELECT head, floor FROM feed_heads WHERE hall = ?"), hall).Scan(&head, &floor)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		resp.Head = head
		if after < floor || after > head {
			resp.Reset = true
			return nil
		}
		rows, err := tx.QueryContext(ctx, s.q("SELECT seq, type, key, schema, data, count, sum FROM feed WHERE hall = ? AND seq > ? ORDER BY seq LIMIT ?"), hall, after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c replica.Change
			var data string
			var sum int64
			if err := rows.Scan(&c.Seq, &c.Type, &c.Key, &c.Schema, &data, &c.Count, &sum); err != nil {
				return err
			}
			c.Data, c.Sum = json.RawMessage(data), uint32(sum)
			resp.Changes = append(resp.Changes, c)
		}
		return rows.Err()
	})
	if err != nil {
		return resp, fmt.Errorf("central: feed: %w", err)
	}
	return resp, nil
}

func streamName(hall string) string {
	if hall == "" {
		return replica.GlobalStream
	}
	return replica.HallStream(hall)
}

func (s *sqlStore) Snapshot(ctx context.Context, hall string) (replica.Snapshot, error) {
	snap := replica.Snapshot{Stream: streamName(hall)}
	err := s.read(ctx, func(tx *sql.Tx) error {
		var sum int64
		err := tx.QueryRowContext(ctx, s.q("SELECT head, count, sum FROM feed_heads WHERE hall = ?"), hall).Scan(&snap.Seq, &snap.Count, &sum)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		snap.Sum = uint32(sum)
		rows, err := tx.QueryContext(ctx, s.q("SELECT seq, type, key, schema, data FROM feed_state WHERE hall = ? ORDER BY seq"), hall)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c replica.Change
			var data string
			if err := rows.Scan(&c.Seq, &c.Type, &c.Key, &c.Schema, &data); err != nil {
				return err
			}
			c.Data = json.RawMessage(data)
			snap.Changes = append(snap.Changes, c)
		}
		return rows.Err()
	})
	if err != nil {
		return snap, fmt.Errorf("central: snapshot: %w", err)
	}
	return snap, nil
}

func (s *sqlStore) Publish(ctx context.Context, hall string, puts []Put) (int64, error) {
	var head int64
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO feed_heads (hall, head, count, sum, floor) VALUES (?, 0, 0, 0, 0) ON CONFLICT (hall) DO NOTHING"), hall); err != nil {
			return err
		}
		var count, sum int64
		if err := tx.QueryRowContext(ctx, s.q("SELECT head, count, sum FROM feed_heads WHERE hall = ?"+s.d.forUpdate), hall).Scan(&head, &count, &sum); err != nil {
			return err
		}
		usum := uint32(sum)
		for _, p := range puts {
			var prev int64
			err := tx.QueryRowContext(ctx, s.q("SELECT updated_at FROM feed_state WHERE hall = ? AND key = ?"), hall, p.Key).Scan(&prev)
			if err == nil && prev > p.UpdatedAt.UnixMilli() {
				continue // an older change of the same record
			}
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			c := replica.Change{Seq: head + 1, Type: p.Type, Key: p.Key, Schema: replica.SchemaMax, Data: p.Data}
			usum += replica.ChangeHash(c)
			head, count = head+1, count+1
			if _, err := tx.ExecContext(ctx, s.q("INSERT INTO feed (hall, seq, type, key, schema, data, count, sum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
				hall, c.Seq, c.Type, c.Key, c.Schema, string(c.Data), count, int64(usum)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO feed_state (hall, key, type, schema, data, updated_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (hall, key) DO UPDATE SET type = excluded.type, schema = excluded.schema, data = excluded.data,
				updated_at = excluded.updated_at, seq = excluded.seq`),
				hall, c.Key, c.Type, c.Schema, string(c.Data), p.UpdatedAt.UnixMilli(), c.Seq); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, s.q("UPDATE feed_heads SET head = ?, count = ?, sum = ? WHERE hall = ?"), head, count, int64(usum), hall)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("central: publish: %w", err)
	}
	return head, nil
}

func (s *sqlStore) Compact(ctx context.Context, hall string, upto int64) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("UPDATE feed_heads SET floor = ? WHERE hall = ? AND floor < ? AND head >= ?"), upto, hall, upto, upto); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q("DELETE FROM feed WHERE hall = ? AND seq <= (SELECT floor FROM feed_heads WHERE hall = ?)"), hall, hall)
		return err
	})
}

func (s *sqlStore) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	for _, x := range []struct {
		table string
		v     *int64
	}{{"streams", &st.Streams}, {"events", &st.Events}, {"quarantine", &st.Quarantined}, {"tickets", &st.Tickets},
		{"calls", &st.Calls}, {"ratings", &st.Ratings}, {"device_health", &st.Devices}, {"feed", &st.FeedChanges}} {
		if err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+x.table).Scan(x.v); err != nil {
			return st, err
		}
	}
	return st, nil
}

func (s *sqlStore) StreamHashes(ctx context.Context, hall, node, epoch string) (map[int64]uint32, error) {
	rows, err := s.r.QueryContext(ctx, s.q("SELECT seq, hash FROM events WHERE hall = ? AND node = ? AND epoch = ?"), hall, node, epoch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]uint32{}
	for rows.Next() {
		var seq, h int64
		if err := rows.Scan(&seq, &h); err != nil {
			return nil, err
		}
		out[seq] = uint32(h)
	}
	return out, rows.Err()
}

// StreamSeqs returns the sequences st holds for a node stream, in order.
func StreamSeqs(ctx context.Context, st Store, hall, node, epoch string) ([]int64, error) {
	hs, err := st.StreamHashes(ctx, hall, node, epoch)
	if err != nil {
		return nil, err
	}
	return slices.Sorted(maps.Keys(hs)), nil
}
