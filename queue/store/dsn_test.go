package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"hallq/queue/store"
)

// A data directory may be named anything; found by the hall-configuration
// fuzzer, whose temporary directories are named "FuzzX/seed#0...": the '#'
// ended SQLite's URI, and every such directory shared one file.
func TestOpenPathWithURICharacters(t *testing.T) {
	for _, name := range []string{"seed#01", "a?b=c", "100%25", "大厅 #2"} {
		dir := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "hall.db")
		db, err := store.Open(context.Background(), path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		db.Close()
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("%s: the database is not where it was asked to be: %v", name, err)
		}
	}
}
