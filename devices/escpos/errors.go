package escpos

import "errors"

// Sentinel errors. Callers match them with errors.Is; the encoder returns
// them wrapped in an *OpError that names the command.
var (
	// ErrArgument: a command parameter is outside the range the printer accepts.
	ErrArgument = errors.New("argument out of range")
	// ErrTooLong: data does not fit the command's length field.
	ErrTooLong = errors.New("data too long")
	// ErrInvalidData: barcode or QR data holds bytes the symbol or the
	// invariant on control bytes does not allow.
	ErrInvalidData = errors.New("invalid data")
	// ErrImageTooWide: an image is wider than the paper.
	ErrImageTooWide = errors.New("image wider than paper")
	// ErrInvalidStatus: a byte is not a status reply (wrong fixed bits).
	ErrInvalidStatus = errors.New("invalid status byte")

	// The reasons a printer cannot print, returned by Reason.Err.
	ErrStatusUnknown   = errors.New("status unknown")
	ErrOffline         = errors.New("printer offline")
	ErrCoverOpen       = errors.New("cover open")
	ErrPaperOut        = errors.New("paper out")
	ErrFeeding         = errors.New("paper being fed by button")
	ErrCutter          = errors.New("auto-cutter error")
	ErrUnrecoverable   = errors.New("unrecoverable error")
	ErrAutoRecoverable = errors.New("auto-recoverable error")
)

// OpError is an error of one encoder command or status decoding step. Its
// text reads "escpos: op: cause".
type OpError struct {
	Op  string // the command, e.g. "qr", "write", "status"
	Err error
}

func (e *OpError) Error() string { return "escpos: " + e.Op + ": " + e.Err.Error() }

// Unwrap lets errors.Is see the sentinel or the writer's error.
func (e *OpError) Unwrap() error { return e.Err }

func opErr(op string, err error) error { return &OpError{Op: op, Err: err} }
