package kiosk

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallq/assets/i18n"
	"hallq/devices/a4"
	"hallq/devices/vprinter"

	"fyne.io/fyne/v2"
)

// With an A4 printer (here a folder of PDFs, as `--a4 dir:PATH` sets), the
// guide screen offers the full guide and tapping it files a PDF whose text
// is the item's guide; without one the button is not there.
func TestGuideOnA4(t *testing.T) {
	if testing.Short() {
		t.Skip("pty, PDF and pdftotext")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	dir := t.TempDir()
	l := openLocal(t, LocalConfig{Virtual: vprinter.Config{Speedup: 10}, A4: a4.New("", dir)})
	k, w := newTestKiosk(t, l, time.Now, i18n.ZH)
	openSBKGuide(t, w)
	wantScreen(t, k, "guide")
	txt := printA4Guide(t, w, dir)
	for _, want := range []string{"社会保障卡申领", "办事指南", "青山县政务服务中心"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the PDF lacks %q:\n%.600s", want, txt)
		}
	}
	if l.Virtual != nil && len(l.Virtual.Jobs()) != 0 {
		t.Fatalf("the A4 guide went to the thermal printer too")
	}

	// The same kiosk without an A4 printer offers no A4 button.
	l.Embedded.A4 = nil
	k.Home()
	openSBKGuide(t, w)
	if strings.Contains(shown(w), "A4") {
		t.Fatalf("A4 offered without an A4 printer:\n%s", shown(w))
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
}

// A LAN kiosk prints the full A4 guide from its local copy, so it goes on
// while the hall node is gone (guides keep working offline).
func TestRemoteGuideOnA4WithTheNodeGone(t *testing.T) {
	if testing.Short() {
		t.Skip("hall node process, pty, PDF and pdftotext")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	h, token := newHallNode(t)
	r := openRemote(t, h, token)
	dir := t.TempDir()
	r.cfg.A4 = a4.New("", dir)
	h.kill()
	if err := r.check(context.Background()); !errors.Is(err, ErrNodeUnreachable) {
		t.Fatalf("check with the node gone: %v", err)
	}
	k, w := newTestKiosk(t, r, time.Now, i18n.ZH)
	openSBKGuide(t, w)
	wantScreen(t, k, "guide")
	txt := printA4Guide(t, w, dir)
	for _, want := range []string{"社会保障卡申领", "青山县政务服务中心"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the PDF lacks %q:\n%.600s", want, txt)
		}
	}
}

// printA4Guide taps 打印完整指南(A4) on the guide screen of 社会保障卡申领
// and returns the text of the one PDF it put in dir.
func printA4Guide(t *testing.T, w fyne.Window, dir string) string {
	t.Helper()
	tapTile(t, w, "打印完整指南(A4)")
	if s := shown(w); !strings.Contains(s, "已送到A4打印机") {
		t.Fatalf("after the tap:\n%s", s)
	}
	pdfs, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(pdfs) != 1 || !strings.Contains(filepath.Base(pdfs[0]), "guide-RS006") {
		t.Fatalf("PDFs %v", pdfs)
	}
	out, err := exec.Command("pdftotext", "-layout", pdfs[0], "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
