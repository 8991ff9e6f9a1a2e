package escpos

import "fmt"

// ValidStatus reports whether b has the fixed bits of a DLE EOT reply,
// 0xx1xx10: bit 1 and bit 4 set, bits 0 and 7 clear. XON (0x11) and XOFF
// (0x13) never match, so a reader can tell flow control from status.
func ValidStatus(b byte) bool { return b&0x93 == 0x12 }

// Status is what the printer reported about itself. A zero Status knows
// nothing; each decoded reply fills in its part and marks it in Known.
type Status struct {
	Known uint8 // bit k-1 set once DLE EOT k (or an ASB message) was decoded

	// DLE EOT 1, printer status.
	Online     bool
	DrawerHigh bool // drawer kick connector pin 3 high

	// DLE EOT 2, offline cause.
	CoverOpen   bool
	FedByButton bool // paper being fed with the feed button
	PaperStop   bool // printing stopped because the paper ran out
	ErrorSet    bool // an error occurred (causes in DLE EOT 3)

	// DLE EOT 3, error cause.
	CutterError     bool
	Unrecoverable   bool
	AutoRecoverable bool // e.g. head overheated; clears by itself

	// DLE EOT 4, paper roll sensors.
	PaperNearEnd bool
	PaperOut     bool
}

// Knows reports whether the reply to DLE EOT k has been decoded.
func (s Status) Knows(k StatusKind) bool { return k >= 1 && k <= 4 && s.Known&(1<<(k-1)) != 0 }

// Apply decodes b, the printer's reply to DLE EOT k, into s. A byte without
// the fixed bit pattern leaves s unchanged and returns ErrInvalidStatus.
func (s *Status) Apply(k StatusKind, b byte) error {
	if k < PrinterStatus || k > PaperStatus {
		return opErr("status", fmt.Errorf("%w: DLE EOT %d", ErrArgument, k))
	}
	if !ValidStatus(b) {
		return opErr("status", fmt.Errorf("%w: %#02x", ErrInvalidStatus, b))
	}
	bit := func(n uint) bool { return b&(1<<n) != 0 }
	switch k {
	case PrinterStatus:
		s.DrawerHigh = bit(2)
		s.Online = !bit(3)
	case OfflineStatus:
		s.CoverOpen = bit(2)
		s.FedByButton = bit(3)
		s.PaperStop = bit(5)
		s.ErrorSet = bit(6)
	case ErrorStatus:
		s.CutterError = bit(3)
		s.Unrecoverable = bit(5)
		s.AutoRecoverable = bit(6)
	case PaperStatus:
		s.PaperNearEnd = b&0x0c != 0
		s.PaperOut = b&0x60 != 0
	}
	s.Known |= 1 << (k - 1)
	return nil
}

// ParseStatus decodes one reply byte to DLE EOT k.
func ParseStatus(k StatusKind, b byte) (Status, error) {
	var s Status
	err := s.Apply(k, b)
	return s, err
}

// ASBLen is the length of an automatic status back message.
const ASBLen = 4

// ValidASB reports whether p starts with a well-formed ASB message: first
// byte 0xx1xx00, the next three 0xx0xxxx.
func ValidASB(p []byte) bool {
	if len(p) < ASBLen || p[0]&0x93 != 0x10 {
		return false
	}
	for _, b := range p[1:ASBLen] {
		if b&0x90 != 0 {
			return false
		}
	}
	return true
}

// ParseASB decodes the four bytes the printer sends on its own after GS a
// (see Encoder.AutoStatus). It fills all four parts of Status at once.
func ParseASB(p []byte) (Status, error) {
	if len(p) < ASBLen {
		return Status{}, opErr("asb", fmt.Errorf("%w: %d bytes, want %d", ErrInvalidStatus, len(p), ASBLen))
	}
	if !ValidASB(p) {
		return Status{}, opErr("asb", fmt.Errorf("%w: % x", ErrInvalidStatus, p[:ASBLen]))
	}
	b1, b2, b3 := p[0], p[1], p[2]
	s := Status{
		Known:           0x0f,
		DrawerHigh:      b1&0x04 != 0,
		Online:          b1&0x08 == 0,
		CoverOpen:       b1&0x20 != 0,
		FedByButton:     b1&0x40 != 0,
		CutterError:     b2&0x08 != 0,
		Unrecoverable:   b2&0x20 != 0,
		AutoRecoverable: b2&0x40 != 0,
		PaperNearEnd:    b3&0x03 != 0,
		PaperOut:        b3&0x0c != 0,
	}
	s.ErrorSet = s.CutterError || s.Unrecoverable || s.AutoRecoverable
	s.PaperStop = s.PaperOut
	return s, nil
}

// Reason says why a printer cannot print. The zero Reason means it can.
type Reason int

const (
	ReasonNone            Reason = iota // ready
	ReasonUnknown                       // no status decoded yet
	ReasonPaperOut                      // refill the roll
	ReasonCoverOpen                     // close the cover
	ReasonCutter                        // clear the cutter jam
	ReasonUnrecoverable                 // power cycle / service
	ReasonAutoRecoverable               // wait, e.g. head too hot
	ReasonFeeding                       // someone holds the feed button
	ReasonOffline                       // offline for a cause not reported
)

var reasonInfo = [...]struct {
	name string
	err  error
}{
	ReasonNone:            {"ready", nil},
	ReasonUnknown:         {"unknown", ErrStatusUnknown},
	ReasonPaperOut:        {"paper-out", ErrPaperOut},
	ReasonCoverOpen:       {"cover-open", ErrCoverOpen},
	ReasonCutter:          {"cutter", ErrCutter},
	ReasonUnrecoverable:   {"unrecoverable", ErrUnrecoverable},
	ReasonAutoRecoverable: {"auto-recoverable", ErrAutoRecoverable},
	ReasonFeeding:         {"feeding", ErrFeeding},
	ReasonOffline:         {"offline", ErrOffline},
}

func (r Reason) String() string {
	if r < 0 || int(r) >= len(reasonInfo) {
		return fmt.Sprintf("reason(%d)", int(r))
	}
	return reasonInfo[r].name
}

// Err returns the sentinel error for r (nil for ReasonNone), wrapped as
// "escpos: status: ...".
func (r Reason) Err() error {
	if r == ReasonNone {
		return nil
	}
	if r < 0 || int(r) >= len(reasonInfo) {
		return opErr("status", ErrStatusUnknown)
	}
	return opErr("status", reasonInfo[r].err)
}

// MessageID is the id of the printer message catalogue entry
// (assets/i18n/messages/printer.json) that explains r to a person, e.g.
// "print.status.paper-out".
func (r Reason) MessageID() string { return "print.status." + r.String() }

// CanPrint reports whether a job may start and, if not, the most useful
// reason to show: the one a person can fix first (paper, cover) before the
// ones that need service. Paper near end still prints; check PaperNearEnd
// to warn maintenance.
func (s Status) CanPrint() (bool, Reason) {
	if s.Known == 0 {
		return false, ReasonUnknown
	}
	switch {
	case s.PaperOut || s.PaperStop:
		return false, ReasonPaperOut
	case s.CoverOpen:
		return false, ReasonCoverOpen
	case s.CutterError:
		return false, ReasonCutter
	case s.Unrecoverable:
		return false, ReasonUnrecoverable
	case s.AutoRecoverable:
		return false, ReasonAutoRecoverable
	case s.FedByButton:
		return false, ReasonFeeding
	case s.Knows(PrinterStatus) && !s.Online, s.ErrorSet:
		return false, ReasonOffline
	case !s.Knows(PrinterStatus):
		// Causes alone do not say the printer is online.
		return false, ReasonUnknown
	}
	return true, ReasonNone
}

// Err is CanPrint as an error: nil when the printer can print.
func (s Status) Err() error {
	_, r := s.CanPrint()
	return r.Err()
}

func (s Status) String() string {
	ok, r := s.CanPrint()
	if ok {
		if s.PaperNearEnd {
			return "ready (paper near end)"
		}
		return "ready"
	}
	return r.String()
}
