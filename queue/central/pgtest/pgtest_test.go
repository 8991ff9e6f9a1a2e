package pgtest_test

import (
	"context"
	"database/sql"
	"testing"

	"hallq/queue/central/pgtest"
)

func TestStart(t *testing.T) {
	dsn := pgtest.Start(t)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(context.Background(), "SHOW server_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL %s at %s", v, dsn)
}
