package escpos_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"hallq/devices/escpos"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"过号无效，请重新取号", "过号无效，请重新取号"},
		{"A\x1b@\x1dV\x00B", "A@VB"},
		{"tab\there\r\n", "tab here\n"},
		{"\u0085\u009b[31m", "[31m"},
		{"¥100 • 说明", "￥100 · 说明"},
		{"© ® ™", "(C) (R) TM"},
		{"2024–2025", "2024－2025"},
		{"Zoë Müller", "Zoe Müller"}, // ü is in GBK, ë is not
		{"😀", "□"},
		{"\U00020BB7", "□"}, // 𠮷: a name character beyond GBK
		{"\ue000", "□"},     // user-defined area
		{"\xff\xfe", "□□"},
		{"a\u200bb\u202ec\ufeff", "abc"},
		{"line\u2028next", "line\nnext"},
		{"ＡＢＣ１２３", "ＡＢＣ１２３"}, // full-width forms are GB2312
	}
	for _, tt := range tests {
		if got := escpos.Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWidth(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"A001", 4},
		{"前面还有 3 人", 13},
		{"￥5", 3},
		{"ab\ncdef", 4},
		{"\x1b@", 1},
	}
	for _, tt := range tests {
		if got := escpos.Width(tt.in); got != tt.want {
			t.Errorf("Width(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// checkText is the property FuzzText checks: the text path emits no control
// byte but '\n', no four-byte GB18030 sequence, and decodes back to exactly
// Sanitize(s).
func checkText(t *testing.T, s string) {
	var buf bytes.Buffer
	e := escpos.New(&buf, escpos.Generic80)
	e.ChineseOn()
	buf.Reset()
	e.Text(s)
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	if !bytes.Equal(out, escpos.AppendText(nil, s)) {
		t.Fatalf("Text and AppendText differ for %q", s)
	}
	for i := 0; i < len(out); i++ {
		c := out[i]
		switch {
		case c == '\n':
		case c < 0x20 || c == 0x7f:
			t.Fatalf("%q: control byte %#02x at %d in % X", s, c, i, out)
		case c >= 0x81 && c <= 0xfe:
			if i+1 >= len(out) {
				t.Fatalf("%q: lead byte at the end", s)
			}
			if t2 := out[i+1]; t2 >= 0x30 && t2 <= 0x39 {
				t.Fatalf("%q: four-byte sequence at %d in % X", s, i, out)
			} else if t2 < 0x40 || t2 == 0x7f || t2 == 0xff {
				t.Fatalf("%q: bad trail byte %#02x", s, t2)
			}
			i++
		case c >= 0x80:
			t.Fatalf("%q: stray byte %#02x", s, c)
		}
	}
	dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(out)
	if err != nil {
		t.Fatal(err)
	}
	want := escpos.Sanitize(s)
	if string(dec) != want {
		t.Fatalf("%q: decodes to %q, Sanitize says %q", s, dec, want)
	}
	if again := escpos.Sanitize(want); again != want {
		t.Fatalf("Sanitize is not idempotent: %q -> %q -> %q", s, want, again)
	}
	if !utf8.ValidString(want) {
		t.Fatalf("Sanitize(%q) is not UTF-8", s)
	}
	for _, r := range want {
		if r < 0x20 && r != '\n' || r >= 0x7f && r <= 0x9f {
			t.Fatalf("Sanitize(%q) keeps control %U", s, r)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{
		"", "A001", "过号无效，请重新取号", "\x1b@\x1dV\x42\x00", "\x10\x04\x01",
		"¥•–—’“”©😀", "\xff\xfe\xc0\x80", "\u0085\u009f\u007f", "\U00020BB7\ue000",
		"ö\u0308\u200d", "a\tb\r\nc", strings.Repeat("号", 100),
	} {
		f.Add(s)
	}
	f.Fuzz(checkText)
}

func TestLookalikesAreTwoByte(t *testing.T) {
	for _, r := range []rune("¥•∙–‐‑−©®™′″‹›«»✓✔✗✘☎") {
		checkText(t, string(r))
		if strings.ContainsRune(escpos.Sanitize(string(r)), escpos.Placeholder) {
			t.Errorf("%q maps to the placeholder", r)
		}
	}
}
