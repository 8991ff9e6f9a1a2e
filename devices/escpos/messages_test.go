package escpos_test

import (
	"testing"

	"hallq/assets/i18n"
	"hallq/devices/escpos"
)

// Every reason a kiosk may show has a sentence in the catalogue.
func TestReasonsHaveMessages(t *testing.T) {
	for r := escpos.ReasonNone; r <= escpos.ReasonOffline; r++ {
		if !i18n.Has(r.MessageID()) {
			t.Errorf("%v: no message %q", r, r.MessageID())
		}
	}
}
