package central

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// openSQLStore opens the SQLite central store in the test's directory,
// closed when the test ends.
func openSQLStore(t *testing.T) *sqlStore {
	t.Helper()
	st, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st.(*sqlStore)
}

// Writes that share a commit succeed or fail alone: a failing write's
// rows are rolled back to its savepoint, the others' are committed, and
// every caller hears its own answer.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	ctx := context.Background()
	s := openSQLStore(t)
	bad := errors.New("refused")
	var wg sync.WaitGroup
	errs := make([]error, 200)
	for i := range errs {
		wg.Go(func() {
			errs[i] = s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, "INSERT INTO clients (hall, id, kind, token_hash, created_at) VALUES (?, ?, 'node', 'x', ?)",
					"G", fmt.Sprint(i), time.Now().UnixMilli()); err != nil {
					return err
				}
				if i%3 == 0 {
					return bad
				}
				return nil
			})
		})
	}
	wg.Wait()
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM clients WHERE hall = 'G'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	for i, err := range errs {
		if (i%3 == 0) != errors.Is(err, bad) || (i%3 != 0 && err != nil) {
			t.Fatalf("write %d answered %v", i, err)
		}
	}
	if n != 200-67 {
		t.Fatalf("%d rows committed, want %d", n, 200-67)
	}
	rows, _ := s.r.QueryContext(ctx, "SELECT id FROM clients WHERE hall = 'G'")
	defer rows.Close()
	for rows.Next() {
		var id int
		rows.Scan(&id)
		if id%3 == 0 {
			t.Fatalf("the failed write %d was committed", id)
		}
	}
}

// A caller that goes away while its write runs in a shared transaction
// cannot interrupt it: the write gets the group's context, and it and its
// neighbours commit.
func TestGroupCommitOutlivesACancelledCaller(t *testing.T) {
	ctx := context.Background()
	s := openSQLStore(t)
	insert := func(ctx context.Context, tx *sql.Tx, id string) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO clients (hall, id, kind, token_hash, created_at) VALUES ('G', ?, 'node', 'x', 0)", id)
		return err
	}
	caller, cancel := context.WithCancel(ctx)
	running := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.write(caller, func(ctx context.Context, tx *sql.Tx) error {
			close(running)
			<-caller.Done() // the caller has gone by the time the write runs its statement
			return insert(ctx, tx, "gone")
		})
	}()
	<-running
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("the write of a caller that went away after it was taken: %v", err)
	}
	if err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error { return insert(ctx, tx, "next") }); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM clients WHERE hall = 'G'").Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d rows committed (%v), want 2", n, err)
	}
}
