package printer

import (
	"errors"
	"fmt"

	"hallq/devices/escpos"
)

// Sentinel errors. Match them with errors.Is; Print returns them wrapped in
// a *JobError. The printer conditions are escpos's own sentinels, so an
// error from either package matches the same value.
var (
	// ErrUnplugged: no connection to the printer (cable pulled, adapter
	// gone, port cannot be opened).
	ErrUnplugged = errors.New("printer unplugged")
	// ErrNoResponse: the printer did not answer a real-time status query.
	ErrNoResponse = errors.New("printer not responding")
	// ErrConfirmTimeout: the job was sent but the end-of-job answer (GS r 1)
	// did not come back; whether it printed is unknown.
	ErrConfirmTimeout = errors.New("end of job not confirmed")
	// ErrFlowStopped: the printer held XOFF for too long in the middle of
	// a job.
	ErrFlowStopped = errors.New("printer stopped accepting data")
	// ErrClosed: the driver was closed.
	ErrClosed = errors.New("printer driver closed")
	// ErrPaperNearEnd is a warning, never returned as an error: it is in
	// Result.Warnings when a job printed with the roll nearly finished.
	ErrPaperNearEnd = errors.New("paper near end")

	ErrPaperOut        = escpos.ErrPaperOut
	ErrCoverOpen       = escpos.ErrCoverOpen
	ErrOffline         = escpos.ErrOffline
	ErrCutter          = escpos.ErrCutter
	ErrUnrecoverable   = escpos.ErrUnrecoverable
	ErrAutoRecoverable = escpos.ErrAutoRecoverable
	ErrFeeding         = escpos.ErrFeeding
)

// JobError reports a job that did not print, or may have printed only in
// part. The driver never sends a job twice: after an interrupted job the
// caller decides whether to reprint (a ticket is in the database either
// way, DESIGN.md invariant 2).
type JobError struct {
	// Op is the stage that failed: "connect", "status", "write", "confirm".
	Op string
	// Interrupted is true when bytes of the job reached the printer: part
	// of the ticket may be on paper.
	Interrupted bool
	Sent, Total int // bytes of the job written, and its size
	// Status is the printer status read at the failure, if any.
	Status escpos.Status
	Err    error
}

func (e *JobError) Error() string {
	if e.Interrupted {
		return fmt.Sprintf("printer: %s: job interrupted after %d of %d bytes: %v", e.Op, e.Sent, e.Total, e.Err)
	}
	return fmt.Sprintf("printer: %s: job not printed: %v", e.Op, e.Err)
}

// MessageID is the printer message catalogue entry (assets/i18n,
// print.status.*) that tells a citizen or the staff what went wrong, in
// words fit for the kiosk screen; the Error text is for the log.
func (e *JobError) MessageID() string {
	for _, m := range []struct {
		err error
		id  string
	}{
		{ErrPaperOut, "paper-out"}, {ErrCoverOpen, "cover-open"}, {ErrCutter, "cutter"},
		{ErrUnrecoverable, "unrecoverable"}, {ErrAutoRecoverable, "auto-recoverable"},
		{ErrFeeding, "feeding"}, {ErrOffline, "offline"},
	} {
		if errors.Is(e.Err, m.err) {
			return "print.status." + m.id
		}
	}
	return "print.status.unknown" // unplugged, not answering, not confirmed
}

// Unwrap gives errors.Is the sentinel.
func (e *JobError) Unwrap() error { return e.Err }
