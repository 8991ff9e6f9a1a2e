package main

import (
	"strings"
	"testing"
)

// The LAN and sync flags come in pairs, but a token in the environment
// (HALLQ_KIOSK_TOKEN, HALLQ_CENTRAL_TOKEN, shared with other hallq
// processes) does not stop an embedded kiosk from starting; --a4 is read
// once, at parse time.
func TestParseFlags(t *testing.T) {
	t.Setenv("HALLQ_KIOSK_TOKEN", "kt")
	t.Setenv("HALLQ_CENTRAL_TOKEN", "")
	for _, c := range []struct {
		args []string
		bad  string // "" when the flags are good
	}{
		{nil, ""},
		{[]string{"--node", "http://10.0.0.2:8080"}, ""},
		{[]string{"--token", "x"}, "--node and --token"},
		{[]string{"--central", "https://c"}, "--central and --central-token"},
		{[]string{"--central-token", "y"}, "--central and --central-token"},
		{[]string{"--central", "https://c", "--central-token", "y"}, ""},
		{[]string{"--node", "http://n", "--central", "https://c", "--central-token", "y"}, "--central is for the embedded node"},
		{[]string{"--a4", "dir:/tmp/pdfs"}, ""},
		{[]string{"--a4", "lp"}, "want cups:PRINTER or dir:PATH"},
	} {
		m, err := ParseFlags(c.args)
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("%q: %v", c.args, err)
		case c.bad != "" && (err == nil || !strings.Contains(err.Error(), c.bad)):
			t.Errorf("%q: error %v, want one saying %q", c.args, err, c.bad)
		case err == nil && (m.A4 != "") != (m.a4 != nil):
			t.Errorf("%q: --a4 %q read as %v", c.args, m.A4, m.a4)
		}
	}
}
