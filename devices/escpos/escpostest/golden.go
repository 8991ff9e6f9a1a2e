package escpostest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Golden compares got with testdata/name.bin and, beside it, the reviewed
// dump testdata/name.hex.txt. With update set it rewrites both instead:
// review the dump against the manual before committing it.
func Golden(t testing.TB, name string, got []byte, update bool) {
	t.Helper()
	bin := filepath.Join("testdata", name+".bin")
	hex := filepath.Join("testdata", name+".hex.txt")
	dump := Dump(got)
	if update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, got, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(hex, []byte(dump), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(bin)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: bytes differ from golden\n--- got\n%s--- want\n%s", name, dump, Dump(want))
	}
	if wantHex, err := os.ReadFile(hex); err != nil || string(wantHex) != dump {
		t.Errorf("%s: dump differs from %s (err %v); run go test -update", name, hex, err)
	}
}
