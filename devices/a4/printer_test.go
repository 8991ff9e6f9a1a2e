package a4_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallq/devices/a4"
)

// fakeLP puts an lp on PATH that records its arguments and the file it was
// given, and fails when the destination is "missing", as CUPS does.
func fakeLP(t *testing.T) (record string) {
	t.Helper()
	dir := t.TempDir()
	record = filepath.Join(dir, "args")
	script := `#!/bin/sh
printf '%s\n' "$@" > "` + record + `"
for last; do :; done
cp "$last" "` + record + `.pdf"
if [ "$2" = missing ]; then echo "lp: The printer or class does not exist." >&2; exit 1; fi
echo "request id is $2-42 (1 file(s))"
`
	if err := os.WriteFile(filepath.Join(dir, "lp"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return record
}

func TestCUPSPrintsThroughLP(t *testing.T) {
	record := fakeLP(t)
	p := a4.New("HallA4", "")
	pdf := []byte("%PDF-1.3 test")
	if err := p.Print(context.Background(), "guide BDC002/二手房", pdf); err != nil {
		t.Fatal(err)
	}
	args, _ := os.ReadFile(record)
	lines := strings.Split(strings.TrimSpace(string(args)), "\n")
	if len(lines) != 5 || lines[0] != "-d" || lines[1] != "HallA4" || lines[2] != "-t" || lines[3] != "guide_BDC002_二手房" || !strings.HasSuffix(lines[4], ".pdf") {
		t.Errorf("lp args: %q", lines)
	}
	if got, _ := os.ReadFile(record + ".pdf"); string(got) != string(pdf) {
		t.Errorf("lp got %q", got)
	}
	if _, err := os.Stat(lines[4]); !os.IsNotExist(err) {
		t.Errorf("temporary file %s left behind", lines[4])
	}
}

func TestCUPSReportsLPErrors(t *testing.T) {
	fakeLP(t)
	err := a4.New("missing", "").Print(context.Background(), "x", []byte("%PDF"))
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("want lp's message in the error, got %v", err)
	}
}

func TestFolderWritesTimestampedFilesWithoutOverwriting(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a4")
	at := time.Date(2026, 11, 20, 10, 0, 0, 123e6, time.UTC)
	f := &a4.Folder{Dir: dir, Now: func() time.Time { return at }}
	p1, err := f.Save("guide-BDC002", []byte("one"))
	if err != nil {
		t.Fatal(err)
	}
	p2, err := f.Save("guide-BDC002", []byte("two"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(p1) != "20261120-100000.123-guide-BDC002.pdf" || p1 == p2 {
		t.Errorf("paths %s, %s", p1, p2)
	}
	if b, _ := os.ReadFile(p1); string(b) != "one" {
		t.Error("first file overwritten")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d files in folder (temporary files left?)", len(entries))
	}
	if err := a4.New("", dir).Print(context.Background(), "notice", []byte("x")); err != nil {
		t.Fatal(err)
	}
}

func TestParseMissing(t *testing.T) {
	got, err := a4.ParseMissing("1,3， 5")
	if err != nil || len(got) != 3 || got[0] != 1 || got[1] != 3 || got[2] != 5 {
		t.Errorf("ParseMissing = %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "a,2", "-1"} {
		if _, err := a4.ParseMissing(bad); err == nil {
			t.Errorf("ParseMissing(%q) accepted", bad)
		}
	}
}
