package queue

import (
	"errors"
	"fmt"
)

// Code classifies an error for machines (exit codes, HTTP status, the
// message catalogue). The kiosk shows the catalogue's sentence for the code,
// never the Go error string.
type Code string

const (
	CodeInvalid           Code = "invalid"            // malformed input
	CodeUnknownService    Code = "unknown_service"    // no such service in this hall
	CodeUnknownWindow     Code = "unknown_window"     // no such window
	CodeUnknownTicket     Code = "unknown_ticket"     // no such ticket
	CodeOutsideHours      Code = "outside_hours"      // the service does not issue now
	CodeDailyCap          Code = "daily_cap"          // the day's tickets for the service are gone
	CodeSlotFull          Code = "slot_full"          // the current time slot's quota is used up
	CodeServicePaused     Code = "service_paused"     // staff stopped issuing for the service
	CodeDuplicateCitizen  Code = "duplicate_citizen"  // this citizen already waits for the service
	CodeInvalidID         Code = "invalid_id"         // the ID number is not a valid resident ID
	CodeInvalidTransition Code = "invalid_transition" // the ticket cannot do that in its state
	CodeWindowNotOpen     Code = "window_not_open"    // the window is paused or closed
	CodeWindowBusy        Code = "window_busy"        // the window still has a called or serving ticket
	CodeWrongWindow       Code = "wrong_window"       // the ticket is at another window
	CodeQueueEmpty        Code = "queue_empty"        // nobody waits for this window
	CodeConflict          Code = "conflict"           // a request id was reused for another request
	CodeWindowTaken       Code = "window_taken"       // another clerk is signed in at the window
	CodeInternal          Code = "internal"           // a fault of ours (storage, bug)
)

// Error is a domain error: a code for machines and a detail for the log.
type Error struct {
	Code   Code
	Detail string // for logs and operators; may name ids, never personal data
	Err    error  // the cause, if any
}

func (e *Error) Error() string {
	msg := string(e.Code)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with code and a formatted detail.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: the code of the first *Error in its
// chain, CodeInternal for any other error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
