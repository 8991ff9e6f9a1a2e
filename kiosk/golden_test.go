package kiosk

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"hallq/assets/i18n"
)

// The main screens render to reviewed markup (testdata/*.xml) in both
// languages and in elder mode. After an intended change, run with
// -update-golden... Fyne writes the new rendering to testdata/failed/;
// review it and copy it over the master.
func TestGoldenScreens(t *testing.T) {
	screens := []string{"home", "take", "take.priority", "take.id", "ticket", "ticket.unprinted", "guide", "progress", "progress.result", "staff.pin"}
	modes := []struct {
		name  string
		lang  i18n.Lang
		elder bool
	}{{"zh", i18n.ZH, false}, {"en", i18n.EN, false}, {"elder", i18n.ZH, true}}
	for _, m := range modes {
		for _, s := range screens {
			if m.elder && (s == "progress.result" || s == "staff.pin" || s == "take.id") {
				continue
			}
			t.Run(m.name+"/"+s, func(t *testing.T) {
				f := newFake(monday10, false)
				if s == "ticket.unprinted" {
					f.paperOut = true
				}
				k, w := newTestKiosk(t, f, f.Now, m.lang)
				if m.elder {
					k.SetElder(true)
				}
				name := s
				if s == "ticket.unprinted" {
					name = "ticket"
				}
				if err := k.ShowScreen(name); err != nil {
					t.Fatal(err)
				}
				wantScreen(t, k, s)
				test.AssertRendersToMarkup(t, filepath.Join("screens", m.name+"-"+s+".xml"), w.Canvas())
			})
		}
	}
}

func TestMain(m *testing.M) {
	if os.Getenv("KIOSK_TEST_ROLE") == "print-forever" {
		printUntilKilled(os.Getenv("KIOSK_TEST_DATA"))
	}
	code := m.Run()
	os.Exit(code)
}
