package escpostest_test

import (
	"testing"

	"hallq/devices/escpos/escpostest"
)

func TestSplit(t *testing.T) {
	b := []byte{0x1b, '@', 0x1c, '&', 0xba, 0xc5, 'A', 0x0a, 0x1d, '(', 'k', 4, 0, 49, 80, 48, 'x', 0x1d, 'V', 66, 0, 0xba, 0x0a, 0x1d, 'r', 1}
	var names []string
	for _, c := range escpostest.Split(b) {
		names = append(names, c.Name)
	}
	want := []string{"ESC @", "FS &", "text", "LF", "GS ( k", "GS V", "text", "LF", "GS r"}
	if len(names) != len(want) {
		t.Fatalf("got %q, want %q", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("got %q, want %q", names, want)
		}
	}
	if got := escpostest.Text(b[:8]); got != "号A\n" {
		t.Errorf("Text = %q", got)
	}
	if p, err := escpostest.QRPayloads(b); err != nil || len(p) != 1 || p[0] != "x" {
		t.Errorf("QRPayloads = %q, %v", p, err)
	}
}
