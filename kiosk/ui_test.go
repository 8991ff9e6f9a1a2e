package kiosk

import (
	"context"
	"hallq/kiosk/fontcheck"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hallq/assets/i18n"
	"hallq/devices/vprinter"
)

// Monday 23 November 2026, 10:00 in Shanghai: the demo hall issues.
var monday10 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// newTestKiosk shows a kiosk over b in a test window of a portrait kiosk
// screen's size.
func newTestKiosk(t testing.TB, b Backend, now func() time.Time, lang i18n.Lang) (*Kiosk, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1080, 1920))
	hash, err := HashPIN("2468")
	if err != nil {
		t.Fatal(err)
	}
	k := New(w, b, Options{KioskID: "t1", Lang: lang, Inline: true, Now: now, PIN: NewPINLock(hash, now),
		Logf: t.Logf, Idle: 60 * time.Second})
	t.Cleanup(k.Stop) // before the window closes: the shown screen stops its watches
	return k, w
}

// updateUntil applies the kiosk's live updates, as the UI goroutine would
// (fyne.Do), until ok holds. The updates come from the backend's own
// goroutines, so the test waits for them; the deadline only turns a
// missing update into a failure.
func updateUntil(t testing.TB, k *Kiosk, what string, ok func() bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for !ok() {
		select {
		case f := <-k.inbox:
			f()
		case <-deadline:
			t.Fatalf("no live update: %s", what)
		}
	}
}

// objects returns every object on the window's canvas, inside widgets too.
func objects(w fyne.Window) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		out = append(out, o)
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(w.Canvas().Content())
	return out
}

// findTile returns the tile whose title starts with title.
func findTile(t testing.TB, w fyne.Window, title string) *tile {
	t.Helper()
	var titles []string
	for _, o := range objects(w) {
		if tl, ok := o.(*tile); ok {
			if strings.HasPrefix(tl.title, title) {
				return tl
			}
			titles = append(titles, tl.title)
		}
	}
	t.Fatalf("no tile %q among %q", title, titles)
	return nil
}

// tapTile taps the tile whose title starts with title.
func tapTile(t testing.TB, w fyne.Window, title string) {
	t.Helper()
	tl := findTile(t, w, title)
	if tl.disabled {
		t.Fatalf("tile %q is disabled (%s)", tl.title, tl.sub)
	}
	test.Tap(tl)
}

// shown is all text on the window, one string per text object.
func shown(w fyne.Window) string {
	var b strings.Builder
	for _, o := range objects(w) {
		switch x := o.(type) {
		case *widget.RichText:
			b.WriteString(x.String() + "\n")
		case *tile:
			b.WriteString(x.title + " | " + x.sub + "\n")
		}
	}
	return b.String()
}

func wantScreen(t testing.TB, k *Kiosk, name string) {
	t.Helper()
	if k.Screen() != name {
		t.Fatalf("screen %q, want %q", k.Screen(), name)
	}
}

func typeKeys(t *testing.T, w fyne.Window, keys string) {
	t.Helper()
	for _, r := range keys {
		tapTile(t, w, string(r))
	}
}

func TestTakeNumberWithPriority(t *testing.T) {
	f := newFake(monday10, false)
	now := func() time.Time { return f.Now() }
	k, w := newTestKiosk(t, f, now, i18n.ZH)
	wantScreen(t, k, "home")
	tapTile(t, w, "取号")
	wantScreen(t, k, "take")
	tapTile(t, w, "A  社会保险")
	wantScreen(t, k, "take.priority")
	tapTile(t, w, "老年人")
	wantScreen(t, k, "take.confirm")
	if s := shown(w); !strings.Contains(s, "老年人") {
		t.Fatalf("confirmation does not name the priority:\n%s", s)
	}
	tapTile(t, w, "确认取号")
	wantScreen(t, k, "ticket")
	if s := shown(w); !strings.Contains(s, "A001") || !strings.Contains(s, "请取走您的号票") {
		t.Fatalf("ticket screen:\n%s", s)
	}
	if len(f.printed) != 1 || f.printed[0] != "ticket A001" {
		t.Fatalf("printed %q", f.printed)
	}
	tapTile(t, w, "完成")
	wantScreen(t, k, "home")
}

func TestTakeNumberAsksForIDWhereOnePerCitizen(t *testing.T) {
	f := newFake(monday10, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	tapTile(t, w, "取号")
	tapTile(t, w, "C  户籍办理")
	tapTile(t, w, "普通取号")
	wantScreen(t, k, "take.id")
	if !findTile(t, w, "下一步").disabled {
		t.Fatal("next enabled before 18 characters")
	}
	typeKeys(t, w, "11010519491231002X")
	tapTile(t, w, "下一步")
	wantScreen(t, k, "take.confirm")
	if s := shown(w); !strings.Contains(s, "1101**********002X") {
		t.Fatalf("ID not masked on confirmation:\n%s", s)
	}
	tapTile(t, w, "确认取号")
	wantScreen(t, k, "ticket")
}

func TestPrintFailureKeepsNumberOnScreen(t *testing.T) {
	f := newFake(monday10, false)
	f.paperOut = true
	k, w := newTestKiosk(t, f, f.Now, i18n.EN)
	tapTile(t, w, "Take a number")
	tapTile(t, w, "E  Business Registration") // no priority, no ID
	wantScreen(t, k, "take.confirm")
	tapTile(t, w, "Take the number")
	wantScreen(t, k, "ticket.unprinted")
	s := shown(w)
	if !strings.Contains(s, "E001") || !strings.Contains(s, "service desk") {
		t.Fatalf("unprinted ticket screen:\n%s", s)
	}
	failed, _ := f.FailedTickets(nil)
	if len(failed) != 1 || failed[0].Number != "E001" {
		t.Fatalf("failed tickets %v", failed)
	}
}

func TestOutsideHoursHome(t *testing.T) {
	sunday := time.Date(2026, 11, 22, 20, 0, 0, 0, time.FixedZone("CST", 8*3600))
	f := newFake(sunday, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	wantScreen(t, k, "home")
	take := findTile(t, w, "取号")
	if !take.disabled {
		t.Fatal("take a number is on at night")
	}
	if !strings.Contains(take.sub, "明天 08:30") {
		t.Fatalf("reason %q lacks the next opening", take.sub)
	}
	// Guides, progress and check-in still work.
	tapTile(t, w, "办事指南")
	wantScreen(t, k, "guides")
	tapTile(t, w, "返回首页")
	tapTile(t, w, "办件查询")
	wantScreen(t, k, "progress")
}

func TestErrorBecomesSentence(t *testing.T) {
	f := newFake(monday10, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	tapTile(t, w, "取号")
	tapTile(t, w, "E  企业开办")
	f.advance(10 * time.Hour) // closes while the citizen confirms
	tapTile(t, w, "确认取号")
	wantScreen(t, k, "error")
	if s := shown(w); !strings.Contains(s, i18n.T(i18n.ZH, "error.outside_hours")) || strings.Contains(s, "outside_hours") {
		t.Fatalf("error screen:\n%s", s)
	}
}

func tapHallName(t *testing.T, w fyne.Window) {
	t.Helper()
	for _, o := range objects(w) {
		if tc, ok := o.(*tapCounter); ok {
			test.Tap(tc)
			return
		}
	}
	t.Fatal("no hall name")
}

// Every character the kiosk shows must be in the CJK font or in Fyne's
// Noto Sans: for any other Fyne searches and parses the system's fonts
// (20 MB of heap for one keypad symbol, measured) and may draw a box.
func TestMessagesUseOnlyGlyphsOfTheFonts(t *testing.T) {
	missing, err := fontcheck.Missing("kiosk.", "error.")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Error(m)
	}
}

// enterStaff opens staff mode as staff do: five taps on the hall's name,
// then the PIN (2468, the tests' PIN) on the keypad.
func enterStaff(t *testing.T, k *Kiosk, w fyne.Window) {
	t.Helper()
	for i := 0; i < 5; i++ {
		tapHallName(t, w)
	}
	typeKeys(t, w, "2468")
	tapTile(t, w, "进入")
	wantScreen(t, k, "staff")
}

// waitJob waits for the virtual printer's n-th job (from 1) and returns
// it; 20 s, for a loaded CI machine's pty round trips.
func waitJob(t *testing.T, v *vprinter.Printer, n int) *vprinter.Job {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	jobs, err := v.WaitJobs(ctx, n)
	if err != nil {
		t.Fatalf("waiting for print job %d: %v", n, err)
	}
	return jobs[n-1]
}

// closeAtEnd closes a backend when the test ends, logging what failed.
func closeAtEnd(t *testing.T, c io.Closer) {
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Log(err)
		}
	})
}
