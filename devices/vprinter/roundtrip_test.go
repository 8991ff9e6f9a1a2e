package vprinter_test

import (
	"bytes"
	"strings"
	"testing"

	"hallq/devices/escpos"
	"hallq/devices/vprinter"
)

// encode builds a ticket with the real encoder.
func encode(t *testing.T, p escpos.Profile, lines []string, qr string, code string) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := escpos.New(&buf, p)
	e.Init()
	e.Align(escpos.Center)
	e.Size(2, 2)
	e.Bold(true)
	e.Line(lines[0])
	e.Size(1, 1)
	e.Bold(false)
	e.Align(escpos.Left)
	for _, l := range lines[1:] {
		e.Line(l)
	}
	e.Align(escpos.Center)
	e.QR(qr, 6, escpos.QRLevelM)
	if code != "" {
		e.Code128(code, 60, 2)
	}
	e.Feed(2)
	e.Cut(escpos.FullCut, 0)
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRoundTrip: escpos → the virtual printer's parser → the same text,
// QR payload, barcode and cut, with no protocol error.
func TestRoundTrip(t *testing.T) {
	lines := []string{"A012", "社保卡办理 · 第3窗口", "姓名：张*", "身份证：3301**********1234", "前面还有 12 人，预计 15 分钟", "Mixed 中英 text {braces}"}
	const url = "https://hall.example/t/A012?h=330100&d=20261122"
	for _, prof := range []escpos.Profile{escpos.Generic80, escpos.Generic58} {
		t.Run(prof.Name, func(t *testing.T) {
			data := encode(t, prof, lines, url, "A012{x")
			jobs := parseWidth(t, data, prof.Dots)
			if len(jobs) != 1 {
				t.Fatalf("%d jobs", len(jobs))
			}
			j := jobs[0]
			if len(j.Errors) != 0 {
				t.Errorf("protocol errors: %q", j.Errors)
			}
			want := make([]string, len(lines))
			for i, l := range lines {
				want[i] = escpos.Sanitize(l)
			}
			got := j.Lines()
			// Lines wider than the paper wrap on the printer: compare the text.
			if strings.Join(got, "") != strings.Join(want, "") {
				t.Errorf("text\n got %q\nwant %q", got, want)
			}
			if q := j.QRs(); len(q) != 1 || q[0] != url {
				t.Errorf("QR %q", q)
			}
			var bc *vprinter.Barcode
			for _, e := range j.Elements {
				if e.Kind == vprinter.KindBarcode {
					bc = e.Barcode
				}
			}
			if bc == nil || bc.Text != "A012{x" || bc.Height != 60 || bc.Module != 2 {
				t.Errorf("barcode %+v", bc)
			}
			if j.Cut != vprinter.CutFull {
				t.Errorf("cut %q", j.Cut)
			}
			if j.Elements[0].Runs[0].Style.Width != 2 || j.Elements[0].Align != vprinter.AlignCenter {
				t.Errorf("first line %+v", j.Elements[0])
			}
		})
	}
}

// TestRoundTripRaster: a profile without CJK font or native QR sends
// everything as raster; the QR must still read back from the rendering.
func TestRoundTripRaster(t *testing.T) {
	const url = "https://hall.example/t/R001"
	data := encode(t, escpos.Generic80Raster, []string{"R001", "社保卡办理"}, url, "")
	jobs := parseWidth(t, data, 576)
	if len(jobs) != 1 {
		t.Fatalf("%d jobs", len(jobs))
	}
	j := jobs[0]
	if len(j.Errors) != 0 {
		t.Errorf("protocol errors: %q", j.Errors)
	}
	if len(j.QRs()) != 0 {
		t.Error("raster profile sent a native QR")
	}
	img, err := (&vprinter.Renderer{}).Image(j)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeQR(t, img); got != url {
		t.Fatalf("decoded %q", got)
	}
}

// TestMeasureMatchesEncoder compares the paper the virtual printer uses
// with the encoder's own estimate: the driver's paper counter relies on
// one or the other.
func TestMeasureMatchesEncoder(t *testing.T) {
	var buf bytes.Buffer
	e := escpos.New(&buf, escpos.Generic80)
	e.Init()
	e.Line("A012")
	e.Line("社保卡办理")
	e.QR("https://hall.example/t/A012", 6, escpos.QRLevelM)
	e.Feed(3)
	got := vprinter.Measure(buf.Bytes(), 576)
	want := int(e.FeedDots())
	if d := got - want; d < -want/10 || d > want/10 {
		t.Errorf("virtual printer %d dots, encoder estimate %d", got, want)
	}
}

func parseWidth(t *testing.T, data []byte, width int) []*vprinter.Job {
	var jobs []*vprinter.Job
	p := &vprinter.Parser{Width: width, Done: func(j *vprinter.Job) { jobs = append(jobs, j) }}
	for i := 0; i < len(data); i += 13 {
		p.Feed(data[i:min(i+13, len(data))])
	}
	return jobs
}
