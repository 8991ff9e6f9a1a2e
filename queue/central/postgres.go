package central

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

//go:embed schema_postgres.sql
var postgresSchema string

// OpenPostgres opens the centre's database on PostgreSQL (or a compatible
// engine) through pgx. Writes run at READ COMMITTED and lock the one row
// they advance (a stream's high-water mark, a feed's head) with FOR UPDATE,
// so concurrent halls never wait for each other.
func OpenPostgres(ctx context.Context, dsn string) (Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("central: postgres: %w", err)
	}
	if _, err := db.ExecContext(ctx, postgresSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("central: postgres schema: %w", err)
	}
	return &sqlStore{w: db, r: db, d: dialect{name: "postgres", dollar: true, forUpdate: " FOR UPDATE", maxParams: 65000}}, nil
}
