package receipt_test

import (
	"bytes"
	"testing"
	"time"

	"hallq/devices/escpos"
	"hallq/devices/receipt"
)

// benchTicket prints the standard ticket b.N times and reports the figures
// of docs/bench-notes/printing-encoder.md: bytes per ticket, the paper
// length the model estimates, the mechanism time at 150 mm/s, and the
// serial time at 9600 and 115200 baud (8N1, ten bits per byte).
func benchTicket(b *testing.B, p escpos.Profile) {
	tk := standardTicket()
	var buf bytes.Buffer
	var est escpos.Estimate
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		e := escpos.New(&buf, p)
		if err := receipt.WriteTicket(e, tk); err != nil {
			b.Fatal(err)
		}
		est = e.Estimate()
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(float64(est.Bytes), "bytes/ticket")
	b.ReportMetric(est.LengthMM, "mm/ticket")
	b.ReportMetric(ms(est.Print), "ms-print@150mm/s")
	b.ReportMetric(ms(escpos.TransmitTime(est.Bytes, 9600)), "ms-tx@9600")
	b.ReportMetric(ms(escpos.TransmitTime(est.Bytes, 115200)), "ms-tx@115200")
}

func BenchmarkTicketNative80(b *testing.B) { benchTicket(b, escpos.Generic80) }
func BenchmarkTicketNative58(b *testing.B) { benchTicket(b, escpos.Generic58) }
func BenchmarkTicketRaster80(b *testing.B) { benchTicket(b, escpos.Generic80Raster) }

// The native ticket must keep up with the mechanism even at 9600 baud; the
// raster one cannot, which is why raster is a fallback.
func TestTicketTransmissionKeepsUp(t *testing.T) {
	for _, tc := range []struct {
		p       escpos.Profile
		baud    int
		keepsUp bool
	}{
		{escpos.Generic80, 9600, true},
		{escpos.Generic58, 9600, true},
		{escpos.Generic80Raster, 9600, false},
		{escpos.Generic80Raster, 115200, false},
	} {
		var buf bytes.Buffer
		e := escpos.New(&buf, tc.p)
		if err := receipt.WriteTicket(e, standardTicket()); err != nil {
			t.Fatal(err)
		}
		est := e.Estimate()
		est.Transmit = escpos.TransmitTime(est.Bytes, tc.baud)
		t.Logf("%-18s %6d baud: %6d bytes, %5.1f mm, print %v, send %v", tc.p.Name, tc.baud, est.Bytes, est.LengthMM, est.Print.Round(time.Millisecond), est.Transmit.Round(time.Millisecond))
		if est.KeepsUp() != tc.keepsUp {
			t.Errorf("%s at %d baud: keeps up %v, want %v", tc.p.Name, tc.baud, est.KeepsUp(), tc.keepsUp)
		}
	}
}
