package central

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// groupCommit runs concurrent writes to the SQLite store in one
// transaction and one fsync. SQLite has one writer anyway: a thousand
// halls pushing at once would otherwise queue for a thousand synchronous
// commits. Each write runs inside its own savepoint, so a failing one is
// rolled back alone; every write's caller hears of it only after the
// shared commit, so nothing is acknowledged before it is durable.
type groupCommit struct {
	db   *sql.DB
	jobs chan *groupJob
	stop chan struct{}
	done chan struct{}
}

type groupJob struct {
	fn  func(context.Context, *sql.Tx) error
	err chan error
}

// maxGroup bounds how many writes share a commit, so one transaction
// stays short and its savepoints few.
const maxGroup = 64

var errClosed = errors.New("central: store closed")

func newGroupCommit(db *sql.DB) *groupCommit {
	g := &groupCommit{db: db, jobs: make(chan *groupJob), stop: make(chan struct{}), done: make(chan struct{})}
	go g.loop()
	return g
}

// do runs fn in the next shared transaction. ctx bounds only the wait to
// be taken; fn gets the group's own context, so a caller that goes away
// cannot interrupt the transaction the others share.
func (g *groupCommit) do(ctx context.Context, fn func(context.Context, *sql.Tx) error) error {
	j := &groupJob{fn: fn, err: make(chan error, 1)}
	select {
	case g.jobs <- j:
	case <-g.stop:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Taken: wait for the commit even if ctx ends, the write may be in it.
	return <-j.err
}

func (g *groupCommit) close() {
	close(g.stop)
	<-g.done
}

func (g *groupCommit) loop() {
	defer close(g.done)
	for {
		var batch []*groupJob
		select {
		case j := <-g.jobs:
			batch = append(batch, j)
		case <-g.stop:
			return
		}
	more:
		for len(batch) < maxGroup {
			select {
			case j := <-g.jobs:
				batch = append(batch, j)
			default:
				break more
			}
		}
		g.run(batch)
	}
}

func (g *groupCommit) run(batch []*groupJob) {
	errs := make([]error, len(batch))
	reply := func(all error) {
		for i, j := range batch {
			if all != nil {
				errs[i] = all
			}
			j.err <- errs[i]
		}
	}
	ctx := context.Background()
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		reply(fmt.Errorf("central: begin: %w", err))
		return
	}
	if len(batch) == 1 {
		if err := batch[0].fn(ctx, tx); err != nil {
			tx.Rollback()
			reply(err)
			return
		}
	} else {
		for i, j := range batch {
			if _, err := tx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
				tx.Rollback()
				reply(fmt.Errorf("central: savepoint: %w", err))
				return
			}
			if errs[i] = j.fn(ctx, tx); errs[i] != nil {
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO w"); err != nil {
					tx.Rollback()
					reply(fmt.Errorf("central: rollback to savepoint: %w (after %w)", err, errs[i]))
					return
				}
			}
			if _, err := tx.ExecContext(ctx, "RELEASE w"); err != nil {
				tx.Rollback()
				reply(fmt.Errorf("central: release savepoint: %w", err))
				return
			}
		}
	}
	if err := tx.Commit(); err != nil {
		reply(fmt.Errorf("central: commit: %w", err))
		return
	}
	reply(nil)
}
