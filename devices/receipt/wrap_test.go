package receipt_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"hallq/devices/escpos"
	"hallq/devices/receipt"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		in   string
		cols int
		want []string
	}{
		{"过号无效，请重新取号", 10, []string{"过号无效，", "请重新取号"}},
		{"过号无效请重新取号，谢谢", 10, []string{"过号无效请", "重新取号，", "谢谢"}}, // ，never starts a line
		{"Please listen for your number", 12, []string{"Please", "listen for", "your number"}},
		{"前面还有 12 人 12 people ahead", 16, []string{"前面还有 12 人", "12 people ahead"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"中a中", 3, []string{"中a", "中"}},
		{"one\ntwo", 10, []string{"one", "two"}},
		{"", 10, []string{""}},
	}
	for _, tt := range tests {
		if got := receipt.Wrap(tt.in, tt.cols); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", tt.in, tt.cols, got, tt.want)
		}
	}
}

func FuzzWrap(f *testing.F) {
	f.Add("过号无效，请重新取号 Please take a new number", 7)
	f.Add("\x1b@中\xffabc", 2)
	f.Fuzz(func(t *testing.T, s string, cols int) {
		if cols < 2 || cols > 64 {
			return
		}
		lines := receipt.Wrap(s, cols)
		var joined strings.Builder
		for _, l := range lines {
			if !utf8.ValidString(l) {
				t.Fatalf("line %q splits a character", l)
			}
			if w := escpos.Width(l); w > cols {
				t.Fatalf("Wrap(%q, %d): line %q is %d wide", s, cols, l, w)
			}
			joined.WriteString(l)
		}
		strip := func(x string) string { return strings.NewReplacer(" ", "", "\n", "").Replace(x) }
		if strip(joined.String()) != strip(escpos.Sanitize(s)) {
			t.Fatalf("Wrap(%q, %d) = %q loses text", s, cols, lines)
		}
	})
}
