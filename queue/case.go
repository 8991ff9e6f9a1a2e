package queue

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// CaseKind is one of the five kinds of case (五件制).
type CaseKind string

const (
	CaseImmediate  CaseKind = "immediate"  // 即办件: done on the spot
	CasePromised   CaseKind = "promised"   // 承诺件: finished within promised working days
	CaseJoint      CaseKind = "joint"      // 联办件: several departments, one leads
	CaseSupplement CaseKind = "supplement" // 补办件: waiting for materials from the citizen
	CaseReturned   CaseKind = "returned"   // 退回件: refused with a written reason
)

// CaseStatus is where a case is.
type CaseStatus string

const (
	CaseAccepted   CaseStatus = "accepted"   // 已受理
	CaseInProgress CaseStatus = "processing" // 办理中
	CaseWaiting    CaseStatus = "supplement" // 待补正: the citizen must bring materials
	CaseFinished   CaseStatus = "finished"   // 已办结
	CaseRefused    CaseStatus = "refused"    // 不予受理 / 退回
)

// Case is an application's status as the hall keeps a copy of it; the
// centre owns it. Nothing here identifies the citizen: the applicant is
// stored masked and the check code only as a hash.
type Case struct {
	Number          string     `json:"number"` // 受理编号
	HallID          string     `json:"hall_id"`
	ItemCode        string     `json:"item_code"`
	ItemName        string     `json:"item_name"`
	Kind            CaseKind   `json:"kind"`
	ApplicantMasked string     `json:"applicant"` // 张** / 青山县某某有限公司
	CheckHash       string     `json:"check_hash"`
	Status          CaseStatus `json:"status"`
	AcceptedAt      time.Time  `json:"accepted_at"`
	PromisedDate    string     `json:"promised_date,omitempty"` // YYYY-MM-DD, the last working day
	FinishedAt      *time.Time `json:"finished_at,omitempty"`
	Note            string     `json:"note,omitempty"` // e.g. what to bring, why refused
	UpdatedAt       time.Time  `json:"updated_at"`
}

// Overdue reports whether the case is past its promised date at now (in
// the hall's zone): not finished or refused and the promised day is over.
func (c Case) Overdue(now time.Time) bool {
	if c.PromisedDate == "" || c.Status == CaseFinished || c.Status == CaseRefused {
		return false
	}
	return now.Format(DayLayout) > c.PromisedDate
}

// CheckCodeHash hashes the code a citizen proves a case with (the last four
// digits of the applicant's phone). Cases are looked up by number, so the
// hash only has to stop a passer-by reading someone else's case; it is
// salted with the case number so equal codes give unequal hashes.
func CheckCodeHash(caseNumber, code string) string {
	h := sha256.Sum256([]byte(strings.ToUpper(strings.TrimSpace(caseNumber)) + "|" + strings.TrimSpace(code)))
	return hex.EncodeToString(h[:])
}

// Appointment is a booking for a service at a time.
type Appointment struct {
	Code       string    `json:"code"` // what the citizen types or scans, e.g. YY20261123001
	Service    string    `json:"service"`
	At         time.Time `json:"at"`
	NameMasked string    `json:"name"`
	ItemCode   string    `json:"item_code,omitempty"`
	TicketID   string    `json:"ticket_id,omitempty"` // set at check-in
}

// CheckInWindow is how early and how late an appointment may check in.
type CheckInWindow struct {
	Early time.Duration
	Late  time.Duration
}

// DefaultCheckIn allows check-in from an hour before to half an hour after
// the booked time.
var DefaultCheckIn = CheckInWindow{Early: time.Hour, Late: 30 * time.Minute}

// Codes of case and appointment errors.
const (
	CodeUnknownCase  Code = "unknown_case" // no such case, or the check code does not match
	CodeThrottled    Code = "throttled"    // too many failed attempts; wait
	CodeUnknownAppt  Code = "unknown_appointment"
	CodeApptUsed     Code = "appointment_used"      // already checked in
	CodeApptTooEarly Code = "appointment_too_early" // come back nearer the time
	CodeApptMissed   Code = "appointment_missed"    // too late: take a normal number
	CodeApptOtherDay Code = "appointment_other_day"
)

// CheckAppointment decides whether appointment a may check in at now.
func CheckAppointment(a Appointment, now time.Time, loc *time.Location, w CheckInWindow) error {
	if a.TicketID != "" {
		return Errorf(CodeApptUsed, "appointment %s already checked in as %s", a.Code, a.TicketID)
	}
	if a.At.In(loc).Format(DayLayout) != now.In(loc).Format(DayLayout) {
		return Errorf(CodeApptOtherDay, "appointment %s is on %s", a.Code, a.At.In(loc).Format(DayLayout))
	}
	if now.Before(a.At.Add(-w.Early)) {
		return Errorf(CodeApptTooEarly, "appointment %s at %s; check-in opens %s", a.Code, a.At.In(loc).Format("15:04"), a.At.Add(-w.Early).In(loc).Format("15:04"))
	}
	if now.After(a.At.Add(w.Late)) {
		return Errorf(CodeApptMissed, "appointment %s at %s was missed", a.Code, a.At.In(loc).Format("15:04"))
	}
	return nil
}
