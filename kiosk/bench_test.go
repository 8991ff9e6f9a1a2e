package kiosk

import (
	"context"
	"sort"
	"testing"
	"time"

	"hallq/assets/i18n"
	"hallq/devices/vprinter"
)

// BenchmarkTapToPrinter measures, with the real hall node (SQLite in a
// temporary directory, synchronous=FULL), the real printer driver and the
// virtual printer on a pseudo-terminal at the real 115200 baud, the time
// from a tap on 确认取号 to the first byte at the printer (the driver's
// status query, sent once the ticket row has committed) and to the ticket
// being out (GS r 1 answered). Figures in docs/bench-notes/kiosk.md.
func BenchmarkTapToPrinter(b *testing.B) {
	l := openLocalB(b)
	k, w := newTestKiosk(b, l, time.Now, i18n.ZH)
	var first, out []time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		k.Home()
		tapTile(b, w, "取号")
		tapTile(b, w, "H  综合窗口")
		tapTile(b, w, "普通取号")
		confirm := findTile(b, w, "确认取号")
		n0 := l.Virtual.Received()
		got := make(chan time.Time, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := l.Virtual.WaitReceived(ctx, n0+1); err == nil {
				got <- time.Now()
			}
			close(got)
		}()
		b.StartTimer()
		t0 := time.Now()
		confirm.Tapped(nil) // Inline: returns when the ticket is out
		done := time.Now()
		b.StopTimer()
		at, ok := <-got
		if !ok {
			b.Fatal("no byte reached the printer")
		}
		first = append(first, at.Sub(t0))
		out = append(out, done.Sub(t0))
		wantScreen(b, k, "ticket")
	}
	b.ReportMetric(ms(median(first)), "ms-to-first-byte")
	b.ReportMetric(ms(median(out)), "ms-to-ticket-out")
	b.ReportMetric(ms(max(first)), "ms-to-first-byte-max")
}

func openLocalB(b *testing.B) *Local {
	l, err := OpenLocal(context.Background(), LocalConfig{Data: b.TempDir(), KioskID: "b1", Demo: true,
		Virtual: vprinter.Config{NoRender: true}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return l
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func max(d []time.Duration) time.Duration {
	m := d[0]
	for _, x := range d {
		if x > m {
			m = x
		}
	}
	return m
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
