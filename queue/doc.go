// Package queue is the domain of one service hall: its services and windows,
// tickets and their state machine, numbering, the calling policies, admission
// control and the wait estimate.
//
// It imports nothing of the outside world (no SQL, HTTP, Fyne or serial
// port): functions take the current time and plain values and return
// decisions, so every rule is tested with plain Go values. The hall node
// (package queue/hall) applies those decisions inside one store transaction.
//
// # Invariants this package helps keep
//
//   - A ticket number is never issued twice in one hall, service and
//     business day: a ticket's id is its day and number (NumberFor,
//     TicketID), the store's key for it, so the next number follows the
//     day's last one inside the write transaction; and the business day
//     never moves backwards even when the clock does (see BusinessDay).
//   - Every transition is checked (see Ticket.Apply); an impossible one is an
//     *Error with code CodeInvalidTransition, never a silent change.
//   - The business day follows the hall's time zone, not the machine's.
//   - A citizen's ID number never leaves Admit: only a salted hash is kept.
package queue
