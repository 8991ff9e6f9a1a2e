package escpos_test

import (
	"bytes"
	"testing"
	"time"

	"hallq/devices/escpos"
)

func TestTiming(t *testing.T) {
	if got := escpos.TransmitTime(960, 9600); got != time.Second {
		t.Errorf("960 bytes at 9600: %v", got)
	}
	if got := escpos.TransmitTime(11520, 115200); got != time.Second {
		t.Errorf("11520 bytes at 115200: %v", got)
	}
	if got := escpos.PrintTime(1200, 8, 150); got != time.Second {
		t.Errorf("150 mm at 150 mm/s: %v", got)
	}
	var buf bytes.Buffer
	e := escpos.New(&buf, escpos.Generic80)
	e.Line("x")                      // 30 dots
	e.Size(2, 2)                     // the line below is 54 dots
	e.Line("x")                      //
	e.Feed(2)                        // 60
	e.QR("A001", 4, escpos.QRLevelM) // version 1: 21 modules × 4 = 84
	e.Cut(escpos.PartialCut, 0)      // 120
	if got, want := e.FeedDots(), int64(30+54+60+84+120); got != want {
		t.Errorf("FeedDots = %d, want %d", got, want)
	}
}
