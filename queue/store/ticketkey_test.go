package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"hallq/queue"
	"hallq/queue/store"
)

// oldDatabase creates a hall database at path with the first n migrations
// applied and rows inserted, as an older program left it.
func oldDatabase(t *testing.T, path string, n int, rows ...string) {
	t.Helper()
	old, err := sql.Open("sqlite", store.DSN(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	names, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(names) < n {
		t.Fatalf("migrations: %v %v", names, err)
	}
	for _, name := range names[:n] {
		body, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := old.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for _, q := range append([]string{fmt.Sprintf("PRAGMA user_version = %d", n)}, rows...) {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

const ticketRow = `INSERT INTO tickets (id, day, service, number, seq, class, state, queue_pos, issued_at, arrived_at, print)
	VALUES ('%[1]s/%[2]s', '%[1]s', '%[3]s', '%[2]s', %[4]d, 3, 'waiting', %[5]d, 0, 0, '%[6]s')`

// A database from before migration 0007 (tickets with a rowid, a counter
// row per prefix, pending-print owners found through events) keeps its
// tickets and ratings, numbers go on from where they were, each LAN
// kiosk still finds its own interrupted prints, and the outbox's pending
// rows are found from the floor the migration computes.
func TestMigration0007KeepsTicketsNumbersAndOwners(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hall.db")
	const day = "2026-11-30"
	oldDatabase(t, path, 6,
		"INSERT INTO meta (key, value) VALUES ('epoch', 'e1')",
		`INSERT INTO events (type, ticket_id, actor, at, data) VALUES
			('issued', '2026-11-30/A001', 'kiosk:2', 0, '{}'),
			('issued', '2026-11-30/A002', 'kiosk:3', 0, '{}'),
			('reprint', '2026-11-30/A002', 'kiosk:4', 0, '{}'),
			('issued', '2026-11-30/AB001', 'kiosk:2', 0, '{}'),
			('finish', '2026-11-30/B001', 'window:1', 0, '{}')`,
		fmt.Sprintf(ticketRow, day, "A001", "A", 1, 1, "pending"),
		fmt.Sprintf(ticketRow, day, "A002", "A", 2, 2, "pending"),
		fmt.Sprintf(ticketRow, day, "AB001", "AB", 1, 4, "printed"),
		fmt.Sprintf(ticketRow, day, "B001", "B", 1, 5, ""),
		"INSERT INTO counters (day, prefix, last) VALUES ('2026-11-30', 'A', 2), ('2026-11-30', 'AB', 1), ('2026-11-30', 'B', 1)",
		"INSERT INTO ratings (ticket_id, day, window, level, at) VALUES ('2026-11-30/B001', '2026-11-30', 1, 5, 0)",
		"UPDATE outbox SET acked_at = 1 WHERE seq <= 2",
	)
	db := openStoreAt(t, path)
	err := db.Write(ctx, func(tx *store.Tx) error {
		all, err := tx.AllTickets()
		if err != nil {
			return err
		}
		var ids []string
		for _, k := range all {
			ids = append(ids, k.ID)
		}
		if got := strings.Join(ids, " "); got != "2026-11-30/A001 2026-11-30/A002 2026-11-30/AB001 2026-11-30/B001" {
			t.Errorf("tickets after the migration: %s", got)
		}
		for prefix, want := range map[string]int{"A": 3, "AB": 2, "B": 2, "C": 1} {
			if in, err := tx.IssueInputs(day, prefix, queue.ClassNormal, time.Time{}); err != nil || in.Number != want {
				t.Errorf("next number of %s: %d %v, want %d", prefix, in.Number, err, want)
			}
		}
		for by, want := range map[string]string{"kiosk:2": "2026-11-30/A001", "kiosk:3": "", "kiosk:4": "2026-11-30/A002"} {
			ks, err := tx.PrintPending(by, time.Time{})
			if err != nil {
				return err
			}
			got := ""
			for _, k := range ks {
				got += k.ID
			}
			if got != want {
				t.Errorf("pending prints of %s: %q, want %q", by, got, want)
			}
		}
		if r, ok, err := tx.RatingOf("2026-11-30/B001"); err != nil || !ok || r.Level != 5 {
			t.Errorf("rating after the migration: %+v %v %v", r, ok, err)
		}
		epoch, seq, ok, err := tx.OldestPending()
		if err != nil || !ok || epoch != "e1" || seq != 3 {
			t.Errorf("oldest pending: %s %d %v %v, want e1 3", epoch, seq, ok, err)
		}
		if n, err := tx.OutboxPending(); err != nil || n != 3 {
			t.Errorf("pending rows: %d %v, want 3", n, err)
		}
		if v, _ := tx.Meta(store.MetaOutboxFloor); v != "2" {
			t.Errorf("outbox floor %q, want 2", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Foreign keys are back on for the program's own connection: a rating
	// of a ticket that does not exist is refused.
	err = db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertRating(store.Rating{TicketID: "2026-11-30/Z999", Day: day, Window: 1, Level: 3, At: time.Now()})
	})
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("rating of a missing ticket after the migration: %v", err)
	}
	// The key is the day and number: a row whose id says otherwise is
	// refused by the database itself (invariant 1 rests on it).
	err = db.Write(ctx, func(tx *store.Tx) error {
		k := queue.Ticket{ID: "2026-11-30/A003", Day: day, Service: "A", Number: "A004", Seq: 4, State: queue.Waiting}
		return tx.InsertTicket(k, "")
	})
	if err == nil || !strings.Contains(err.Error(), "CHECK") {
		t.Errorf("a ticket whose id is not its day and number: %v", err)
	}
}

// A row that already pointed at nothing before the upgrade (written by a
// tool with foreign keys off) does not stop the hall from starting, and
// stays as it was: the migration did not make it.
func TestMigrationKeepsAnOldBrokenForeignKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	oldDatabase(t, path, 6,
		"PRAGMA foreign_keys = OFF",
		"INSERT INTO ratings (ticket_id, day, window, level, at) VALUES ('2026-11-30/B001', '2026-11-30', 1, 5, 0)",
	)
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open over an old orphan rating: %v", err)
	}
	db.Close()
	check, err := sql.Open("sqlite", store.DSN(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var n int
	if err := check.QueryRow("SELECT COUNT(*) FROM ratings WHERE ticket_id = '2026-11-30/B001'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("the old rating after the upgrade: %d rows, %v", n, err)
	}
}

// A migration step that leaves a row pointing at nothing is refused before
// it commits, though foreign keys are off while migrating.
func TestMigrationThatBreaksAForeignKeyIsRefused(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	// The database as this program leaves it, then one more step.
	path := filepath.Join(t.TempDir(), "hall.db")
	oldDatabase(t, path, len(names),
		fmt.Sprintf(ticketRow, "2026-11-30", "B001", "B", 1, 1, "none"),
		"INSERT INTO ratings (ticket_id, day, window, level, at) VALUES ('2026-11-30/B001', '2026-11-30', 1, 5, 0)",
	)
	bad := fmt.Sprintf("%04d_drop_a_rated_ticket.sql", len(names)+1)
	steps := fstest.MapFS{bad: {Data: []byte("DELETE FROM tickets WHERE id = '2026-11-30/B001';")}}
	for _, name := range names {
		body, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		steps[filepath.Base(name)] = &fstest.MapFile{Data: body}
	}
	defer store.SetMigrations(steps)()
	_, err = store.Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), bad+": a row of ratings") ||
		!strings.Contains(err.Error(), "references a missing row of tickets") {
		t.Fatalf("open: %v", err)
	}
	// Refused before it committed: the ticket is still there.
	check, err := sql.Open("sqlite", store.DSN(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var n, version int
	if err := check.QueryRow("SELECT COUNT(*) FROM tickets").Scan(&n); err != nil || n != 1 {
		t.Fatalf("tickets after the refused step: %d %v", n, err)
	}
	if err := check.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(names) {
		t.Fatalf("schema version after the refused step: %d %v", version, err)
	}
}

// Pending outbox rows are found above the floor, which moves only past
// rows every epoch has acknowledged: a pending row of an older epoch
// holds it while a newer epoch's rows are acknowledged.
func TestOutboxFloorWaitsForEveryEpoch(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	ack := func(epoch string, upto int64) {
		t.Helper()
		err := db.Write(ctx, func(tx *store.Tx) error {
			st, err := tx.PushState(epoch)
			if err != nil {
				return err
			}
			st.Acked = upto
			return tx.AckPush(st, time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	pending := func() (string, int64, int64) {
		var epoch string
		var seq, n int64
		db.Read(ctx, func(tx *store.Tx) error {
			var err error
			if epoch, seq, _, err = tx.OldestPending(); err != nil {
				t.Fatal(err)
			}
			n, err = tx.OutboxPending()
			return err
		})
		return epoch, seq, n
	}
	appendEvents(t, db, "e1", 3, 0) // 1..3
	appendEvents(t, db, "e2", 3, 0) // 4..6
	ack("e2", 6)
	if e, s, n := pending(); e != "e1" || s != 1 || n != 3 {
		t.Fatalf("after acknowledging e2: oldest %s %d, %d pending; want e1 1, 3", e, s, n)
	}
	ack("e1", 2)
	if e, s, n := pending(); e != "e1" || s != 3 || n != 1 {
		t.Fatalf("after acknowledging e1 up to 2: oldest %s %d, %d pending; want e1 3, 1", e, s, n)
	}
	ack("e1", 3)
	if e, s, n := pending(); e != "" || s != 0 || n != 0 {
		t.Fatalf("after acknowledging everything: oldest %s %d, %d pending", e, s, n)
	}
	appendEvents(t, db, "e2", 2, 0) // 7..8
	if e, s, n := pending(); e != "e2" || s != 7 || n != 2 {
		t.Fatalf("new events: oldest %s %d, %d pending; want e2 7, 2", e, s, n)
	}
	db.Read(ctx, func(tx *store.Tx) error {
		if v, _ := tx.Meta(store.MetaOutboxFloor); v != "6" {
			t.Errorf("floor %q, want 6", v)
		}
		return nil
	})
}
