package printer_test

import (
	"context"
	"testing"
	"time"

	"hallq/devices/printer"
	"hallq/devices/vprinter"
)

// TestTimings prints at the real line speed and logs the figures kept in
// docs/bench-notes/printing-driver.md.
func TestTimings(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time line speeds")
	}
	for _, tc := range []struct {
		name  string
		baud  int
		job   []byte
		print time.Duration
	}{
		{"native ticket 9600", 9600, ticket(t, "T001", nil), 0},
		{"native ticket + 120-row raster 9600", 9600, ticket(t, "T002", stripes(576, 120)), 0},
		{"native ticket + 120-row raster 115200", 115200, ticket(t, "T003", stripes(576, 120)), 0},
	} {
		r := start(t, vprinter.Config{Speedup: 1, Baud: tc.baud}, printer.Config{ConfirmTimeout: 15 * time.Second})
		r.expect(t, printer.KindOnline)
		t0 := time.Now()
		st, err := r.drv.Status(ctx(t))
		if err != nil || !st.Online {
			t.Fatal(err)
		}
		statusTook := time.Since(t0)
		jctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		res, err := r.drv.PrintJob(jctx, printer.Job{Data: tc.job})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		line := time.Duration(float64(len(tc.job)) / float64(tc.baud/10) * float64(time.Second))
		t.Logf("%s: %d bytes, %.1f mm, line time %v, Print took %v (status round %v)",
			tc.name, res.Sent, res.LengthMM, line.Round(time.Millisecond), res.Took.Round(time.Millisecond), statusTook.Round(time.Millisecond))
	}
}
