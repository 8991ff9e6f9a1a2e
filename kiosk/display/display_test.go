package display_test

import (
	"flag"
	"hallq/kiosk/fontcheck"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"hallq/assets/i18n"
	"hallq/kiosk/display"
)

var update = flag.Bool("update-golden", false, "write the rendered markup over the masters in testdata/")

// hallState is a busy morning: A003 just called to window 2, six calls
// before it (one a recall), eight services with people waiting.
func hallState(conn display.Conn) display.State {
	calls := []display.Call{{Number: "A003", Window: 2}, {Number: "C012", Window: 4}, {Number: "A002", Window: 1, Recall: true},
		{Number: "H007", Window: 13}, {Number: "D004", Window: 6}, {Number: "B010", Window: 3}, {Number: "F002", Window: 10}}
	for i := range calls {
		calls[i].Ticket = calls[i].Number
	}
	names := [][3]string{{"A", "社会保险", "Social Insurance"}, {"B", "医疗保障", "Medical Insurance"}, {"C", "户籍办理", "Household Registration"},
		{"D", "不动产登记", "Real Estate Registration"}, {"E", "企业开办", "Business Registration"}, {"F", "税务办理", "Taxation"},
		{"G", "住房公积金", "Housing Provident Fund"}, {"H", "综合窗口", "Comprehensive Services"}}
	var svs []display.Service
	for i, n := range names {
		svs = append(svs, display.Service{Code: n[0], NameZH: n[1], NameEN: n[2], Waiting: []int{12, 3, 7, 15, 0, 4, 2, 9}[i]})
	}
	return display.State{Conn: conn, Hall: "青山县政务服务中心", Day: "2026-11-30", Recent: calls, Services: svs}
}

func newTestDisplay(t *testing.T, lang i18n.Lang) (*display.Display, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	now := time.Date(2026, 11, 30, 10, 32, 0, 0, time.UTC)
	d := display.New(display.Options{Lang: lang, Now: func() time.Time { return now }})
	w := test.NewWindow(d.Content())
	t.Cleanup(w.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1920, 1080))
	return d, w
}

// The screen renders to reviewed markup (testdata/*.xml): the normal
// state with calls, the lost connection, the first connect, and English.
// After an intended change, run with -update-golden and review the diff.
func TestGoldenScreens(t *testing.T) {
	cases := []struct {
		name  string
		lang  i18n.Lang
		state display.State
	}{
		{"zh-calls", i18n.ZH, hallState(display.Live)},
		{"zh-reconnecting", i18n.ZH, hallState(display.Lost)},
		{"zh-connecting", i18n.ZH, display.State{}},
		{"en-calls", i18n.EN, hallState(display.Live)},
		{"en-reconnecting", i18n.EN, hallState(display.Lost)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, w := newTestDisplay(t, c.lang)
			d.Render(c.state)
			if *update {
				os.WriteFile(filepath.Join("testdata", c.name+".xml"), []byte(test.RenderToMarkup(w.Canvas())), 0o644)
			}
			test.AssertRendersToMarkup(t, c.name+".xml", w.Canvas())
		})
	}
}

// texts returns every visible text on the canvas, in layout order.
func texts(w fyne.Window) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *canvas.Text:
			b.WriteString(x.Text + "|")
		}
	}
	walk(w.Canvas().Content())
	return b.String()
}

// What a citizen reads: the call and its window large, the banner only
// while the link is down, the stale number greyed.
func TestScreenShowsCallAndLostState(t *testing.T) {
	d, w := newTestDisplay(t, i18n.ZH)
	d.Render(hallState(display.Live))
	got := texts(w)
	for _, want := range []string{"|A003|请到 2 号窗口办理|", "C012|4 号窗口|", "重呼|A002|1 号窗口|", "社会保险|12 人|", "2026-11-30  10:32"} {
		if !strings.Contains(got, want) {
			t.Errorf("live screen lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "连接中断") {
		t.Error("banner shown while live")
	}
	d.Render(hallState(display.Lost))
	if got := texts(w); !strings.Contains(got, "连接中断，正在重新连接…") || !strings.Contains(got, "|A003|") {
		t.Errorf("lost screen:\n%s", got)
	}
}

// Every character the display shows must be in the CJK font or in Fyne's
// Noto Sans; any other makes Fyne parse the system's fonts (20 MB).
func TestMessagesUseOnlyGlyphsOfTheFonts(t *testing.T) {
	missing, err := fontcheck.Missing("display.")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Error(m)
	}
}
