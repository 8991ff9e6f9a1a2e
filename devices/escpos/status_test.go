package escpos_test

import (
	"errors"
	"testing"

	"hallq/devices/escpos"
)

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name string
		kind escpos.StatusKind
		b    byte
		want escpos.Status // Known is filled in by the test
		bad  bool
	}{
		{"online", escpos.PrinterStatus, 0x12, escpos.Status{Online: true}, false},
		{"offline", escpos.PrinterStatus, 0x1a, escpos.Status{}, false},
		{"drawer high", escpos.PrinterStatus, 0x16, escpos.Status{Online: true, DrawerHigh: true}, false},
		{"no offline cause", escpos.OfflineStatus, 0x12, escpos.Status{}, false},
		{"cover open", escpos.OfflineStatus, 0x16, escpos.Status{CoverOpen: true}, false},
		{"feed button", escpos.OfflineStatus, 0x1a, escpos.Status{FedByButton: true}, false},
		{"paper end stop", escpos.OfflineStatus, 0x32, escpos.Status{PaperStop: true}, false},
		{"error occurred", escpos.OfflineStatus, 0x52, escpos.Status{ErrorSet: true}, false},
		{"no error", escpos.ErrorStatus, 0x12, escpos.Status{}, false},
		{"cutter", escpos.ErrorStatus, 0x1a, escpos.Status{CutterError: true}, false},
		{"unrecoverable", escpos.ErrorStatus, 0x32, escpos.Status{Unrecoverable: true}, false},
		{"auto-recoverable", escpos.ErrorStatus, 0x52, escpos.Status{AutoRecoverable: true}, false},
		{"paper fine", escpos.PaperStatus, 0x12, escpos.Status{}, false},
		{"near end", escpos.PaperStatus, 0x1e, escpos.Status{PaperNearEnd: true}, false},
		{"paper out", escpos.PaperStatus, 0x72, escpos.Status{PaperOut: true}, false},
		{"paper out and near end", escpos.PaperStatus, 0x7e, escpos.Status{PaperOut: true, PaperNearEnd: true}, false},
		{"XON", escpos.PrinterStatus, 0x11, escpos.Status{}, true},
		{"XOFF", escpos.PrinterStatus, 0x13, escpos.Status{}, true},
		{"XOFF paper", escpos.PaperStatus, 0x13, escpos.Status{}, true},
		{"zero", escpos.OfflineStatus, 0x00, escpos.Status{}, true},
		{"bit 7", escpos.ErrorStatus, 0x92, escpos.Status{}, true},
		{"bit 0", escpos.PaperStatus, 0x13, escpos.Status{}, true},
		{"bit 4 clear", escpos.PrinterStatus, 0x02, escpos.Status{}, true},
		{"bit 1 clear", escpos.PrinterStatus, 0x10, escpos.Status{}, true},
		{"0xFF", escpos.PrinterStatus, 0xff, escpos.Status{}, true},
		{"ASB first byte is not a DLE EOT reply", escpos.PrinterStatus, 0x10, escpos.Status{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := escpos.ParseStatus(tt.kind, tt.b)
			if tt.bad {
				if !errors.Is(err, escpos.ErrInvalidStatus) {
					t.Fatalf("%#02x: want ErrInvalidStatus, got %v", tt.b, err)
				}
				if got != (escpos.Status{}) {
					t.Errorf("invalid byte changed status: %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Known = 1 << (tt.kind - 1)
			if got != tt.want {
				t.Errorf("%#02x:\n got %+v\nwant %+v", tt.b, got, tt.want)
			}
		})
	}
}

// No byte can be both flow control and status, whatever the kind.
func TestNoStatusByteIsXonXoff(t *testing.T) {
	for b := 0; b < 256; b++ {
		valid := escpos.ValidStatus(byte(b))
		if (b == 0x11 || b == 0x13) && valid {
			t.Errorf("%#02x is valid status", b)
		}
		if want := b&0x93 == 0x12; valid != want {
			t.Errorf("%#02x: valid %v", b, valid)
		}
	}
}

func TestParseASB(t *testing.T) {
	tests := []struct {
		name   string
		p      []byte
		reason escpos.Reason
		near   bool
		bad    bool
	}{
		{"ready", []byte{0x10, 0x00, 0x00, 0x00}, escpos.ReasonNone, false, false},
		{"near end", []byte{0x10, 0x00, 0x03, 0x00}, escpos.ReasonNone, true, false},
		{"paper out", []byte{0x18, 0x00, 0x0f, 0x00}, escpos.ReasonPaperOut, true, false},
		{"cover open", []byte{0x38, 0x00, 0x00, 0x00}, escpos.ReasonCoverOpen, false, false},
		{"cutter", []byte{0x18, 0x08, 0x00, 0x00}, escpos.ReasonCutter, false, false},
		{"unrecoverable", []byte{0x18, 0x20, 0x00, 0x00}, escpos.ReasonUnrecoverable, false, false},
		{"auto-recoverable", []byte{0x18, 0x40, 0x00, 0x00}, escpos.ReasonAutoRecoverable, false, false},
		{"feeding", []byte{0x50, 0x00, 0x00, 0x00}, escpos.ReasonFeeding, false, false},
		{"offline", []byte{0x18, 0x00, 0x00, 0x00}, escpos.ReasonOffline, false, false},
		{"short", []byte{0x10, 0x00, 0x00}, 0, false, true},
		{"XON first", []byte{0x11, 0x00, 0x00, 0x00}, 0, false, true},
		{"XOFF inside", []byte{0x10, 0x13, 0x00, 0x00}, 0, false, true},
		{"DLE EOT reply", []byte{0x12, 0x00, 0x00, 0x00}, 0, false, true},
		{"bit 7", []byte{0x10, 0x00, 0x80, 0x00}, 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := escpos.ParseASB(tt.p)
			if tt.bad {
				if !errors.Is(err, escpos.ErrInvalidStatus) {
					t.Fatalf("want ErrInvalidStatus, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ok, r := s.CanPrint()
			if r != tt.reason || ok != (tt.reason == escpos.ReasonNone) || s.PaperNearEnd != tt.near {
				t.Errorf("got ok=%v reason=%v near=%v (%+v)", ok, r, s.PaperNearEnd, s)
			}
		})
	}
}

func TestCanPrint(t *testing.T) {
	apply := func(pairs ...byte) escpos.Status {
		var s escpos.Status
		for i := 0; i < len(pairs); i += 2 {
			if err := s.Apply(escpos.StatusKind(pairs[i]), pairs[i+1]); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	tests := []struct {
		name string
		s    escpos.Status
		want escpos.Reason
		err  error
	}{
		{"nothing known", escpos.Status{}, escpos.ReasonUnknown, escpos.ErrStatusUnknown},
		{"online only", apply(1, 0x12), escpos.ReasonNone, nil},
		{"online, near end", apply(1, 0x12, 4, 0x1e), escpos.ReasonNone, nil},
		{"paper only, fine: online unknown", apply(4, 0x12), escpos.ReasonUnknown, escpos.ErrStatusUnknown},
		{"paper out even though online", apply(1, 0x12, 4, 0x72), escpos.ReasonPaperOut, escpos.ErrPaperOut},
		{"offline, cover open", apply(1, 0x1a, 2, 0x16), escpos.ReasonCoverOpen, escpos.ErrCoverOpen},
		{"offline, paper stop and cover: paper first", apply(1, 0x1a, 2, 0x36), escpos.ReasonPaperOut, escpos.ErrPaperOut},
		{"offline, error, cutter", apply(1, 0x1a, 2, 0x52, 3, 0x1a), escpos.ReasonCutter, escpos.ErrCutter},
		{"offline, cause unknown", apply(1, 0x1a), escpos.ReasonOffline, escpos.ErrOffline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, r := tt.s.CanPrint()
			if r != tt.want || ok != (tt.want == escpos.ReasonNone) {
				t.Errorf("got %v %v, want %v", ok, r, tt.want)
			}
			if err := tt.s.Err(); !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Errorf("Err() = %v, want %v", err, tt.err)
			}
		})
	}
	if id := escpos.ReasonPaperOut.MessageID(); id != "print.status.paper-out" {
		t.Errorf("message id %q", id)
	}
}

func TestApplyRejectsBadKind(t *testing.T) {
	var s escpos.Status
	if err := s.Apply(5, 0x12); !errors.Is(err, escpos.ErrArgument) {
		t.Errorf("kind 5: %v", err)
	}
}

// Every byte for every kind: decoded exactly when the fixed bits match.
func TestEveryStatusByte(t *testing.T) {
	for k := escpos.PrinterStatus; k <= escpos.PaperStatus; k++ {
		for b := 0; b < 256; b++ {
			_, err := escpos.ParseStatus(k, byte(b))
			if (err == nil) != escpos.ValidStatus(byte(b)) {
				t.Errorf("DLE EOT %d, %#02x: err %v", k, b, err)
			}
		}
	}
}

func FuzzASB(f *testing.F) {
	f.Add([]byte{0x10, 0, 0, 0})
	f.Add([]byte{0x38, 0x48, 0x0f, 0x00})
	f.Fuzz(func(t *testing.T, p []byte) {
		s, err := escpos.ParseASB(p)
		if (err == nil) != escpos.ValidASB(p) {
			t.Fatalf("% x: err %v", p, err)
		}
		if err == nil && s.Known != 0x0f {
			t.Fatalf("% x: known %b", p, s.Known)
		}
	})
}
