package receipt

import (
	"strings"
	"time"

	"hallq/assets/i18n"
	"hallq/devices/escpos"
	"hallq/queue"
)

// Material is one required material of a service item.
type Material struct {
	Name      string // e.g. 居民身份证
	Originals int    // originals to show, 0 for none
	Copies    int    // copies to hand in, 0 for none
}

// Guide is the service guide (办事指南) of one item: the five public
// things.
type Guide struct {
	Item         string     // the item's name
	Department   string     // the department that handles it
	What         string     // what it is and who may apply
	Steps        []string   // the procedure, one step each
	Materials    []Material // what to bring
	LegalDays    int        // legal time limit in working days; 0 when none
	PromisedDays int        // promised limit in working days; 0 means done on the spot
	Fee          string     // the fee; empty means free of charge
	FeeBasis     string     // the legal basis of the item and its fee
	URL          string     // link to the online guide, printed as QR; empty for none
	Printed      time.Time  // in the hall's time zone
}

// WriteGuide prints the service guide summary.
func WriteGuide(e *escpos.Encoder, g Guide) error {
	p := newPage(e)
	e.Init()
	e.Align(escpos.Center)
	p.heading("print.guide.title")
	e.Bold(true)
	p.text(g.Item, 1)
	e.Bold(false)
	e.Align(escpos.Left)
	if g.Department != "" {
		p.zh("print.department", g.Department)
	}
	if g.What != "" {
		p.heading("print.guide.what")
		p.text(g.What, 1)
	}
	if len(g.Steps) > 0 {
		p.heading("print.guide.steps")
		for i, s := range g.Steps {
			p.zh("print.material.numbered", i+1, s)
		}
	}
	if len(g.Materials) > 0 {
		p.heading("print.guide.materials")
		p.materials(g.Materials)
	}
	p.heading("print.guide.limits")
	if g.LegalDays > 0 {
		p.zh("print.guide.legal_days", g.LegalDays)
	}
	if g.PromisedDays > 0 {
		p.zh("print.guide.promised_days", g.PromisedDays)
	} else {
		p.zh("print.guide.on_the_spot")
	}
	p.heading("print.guide.fee")
	if strings.TrimSpace(g.Fee) == "" {
		p.both("print.guide.free")
	} else {
		p.text(g.Fee, 1)
	}
	if g.FeeBasis != "" {
		p.zh("print.guide.basis", g.FeeBasis)
	}
	if g.URL != "" {
		e.Align(escpos.Center)
		p.qr(g.URL)
		e.LF()
		e.Align(escpos.Left)
	}
	p.zh("print.printed_at", g.Printed.Format(timeLayout))
	return p.end()
}

// materials prints a numbered list: "1. 居民身份证 原件1份 复印件1份".
func (p *page) materials(ms []Material) {
	for i, m := range ms {
		line := m.Name
		if m.Originals > 0 {
			line += " " + i18n.T(i18n.ZH, "print.material.original", m.Originals)
		}
		if m.Copies > 0 {
			line += " " + i18n.T(i18n.ZH, "print.material.copy", m.Copies)
		}
		p.zh("print.material.numbered", i+1, line)
	}
}

// Notification is the one-time notification of missing materials
// (缺补材料一次性告知书): the complete list, given once and in writing.
type Notification struct {
	Hall       string
	CaseNumber string
	Applicant  string // masked on paper
	Item       string
	Missing    []Material
	Deadline   time.Time // bring them by; zero for none
	Contact    string    // the hall's or department's enquiry number
	Issued     time.Time // in the hall's time zone
}

// WriteNotification prints the one-time notification.
func WriteNotification(e *escpos.Encoder, n Notification) error {
	p := newPage(e)
	e.Init()
	e.Align(escpos.Center)
	e.Bold(true)
	p.text(n.Hall, 1)
	e.Bold(false)
	p.heading("print.notice.title")
	e.Align(escpos.Left)
	if n.CaseNumber != "" {
		p.raw(i18n.T(i18n.ZH, "print.case_number", n.CaseNumber), 1)
	}
	p.zh("print.applicant", queue.MaskName(n.Applicant))
	p.zh("print.item", n.Item)
	p.text(i18n.T(i18n.ZH, "print.notice.intro"), 1)
	p.text(i18n.T(i18n.EN, "print.notice.intro"), 1)
	p.materials(n.Missing)
	if !n.Deadline.IsZero() {
		p.both("print.notice.deadline", n.Deadline.Format(dateLayout))
	}
	if n.Contact != "" {
		p.zh("print.contact", n.Contact)
	}
	p.zh("print.printed_at", n.Issued.Format(timeLayout))
	return p.end()
}

// CaseState is the state of a case as printed on the status slip.
type CaseState int

const (
	CaseAccepted   CaseState = iota + 1 // 已受理
	CaseInProgress                      // 办理中
	CaseSupplement                      // 待补正材料
	CaseDone                            // 已办结
	CaseReturned                        // 已退回
)

var caseStateIDs = map[CaseState]string{
	CaseAccepted:   "print.case.state.accepted",
	CaseInProgress: "print.case.state.in_progress",
	CaseSupplement: "print.case.state.supplement",
	CaseDone:       "print.case.state.done",
	CaseReturned:   "print.case.state.returned",
}

// CaseSlip is the status of one case, printed from a progress query.
type CaseSlip struct {
	Hall       string
	CaseNumber string
	Applicant  string // masked on paper
	Item       string
	State      CaseState
	Promised   time.Time // promised finish date; zero for none
	Overdue    bool
	StatusURL  string // link to the case's status page; empty for none
	Printed    time.Time
}

// WriteCaseSlip prints the case status slip.
func WriteCaseSlip(e *escpos.Encoder, c CaseSlip) error {
	p := newPage(e)
	e.Init()
	e.Align(escpos.Center)
	e.Bold(true)
	p.text(c.Hall, 1)
	e.Bold(false)
	p.heading("print.case.title")
	e.Align(escpos.Left)
	p.raw(i18n.T(i18n.ZH, "print.case_number", c.CaseNumber), 1)
	p.zh("print.applicant", queue.MaskName(c.Applicant))
	p.zh("print.item", c.Item)
	if id, ok := caseStateIDs[c.State]; ok {
		e.Bold(true)
		p.pair(i18n.T(i18n.ZH, "print.case.status", i18n.T(i18n.ZH, id)),
			i18n.T(i18n.EN, "print.case.status", i18n.T(i18n.EN, id)))
		e.Bold(false)
	}
	if !c.Promised.IsZero() {
		p.both("print.case.promised", c.Promised.Format(dateLayout))
	}
	if c.Overdue {
		e.Bold(true)
		p.both("print.case.overdue")
		e.Bold(false)
	}
	if c.StatusURL != "" {
		e.Align(escpos.Center)
		p.qr(c.StatusURL)
		e.LF()
		e.Align(escpos.Left)
	}
	p.zh("print.printed_at", c.Printed.Format(timeLayout))
	return p.end()
}

// Appointment is the confirmation of a booked slot.
type Appointment struct {
	Hall         string
	Service      string
	Applicant    string // masked on paper
	IDNumber     string // masked on paper; empty for none
	Phone        string // masked on paper; empty for none
	Start, End   time.Time
	Code         string // check-in code, printed large
	CheckInEarly int    // minutes before the slot to check in; 0 for no advice
	CheckInURL   string // printed as QR; empty for none
	Notices      []string
	Printed      time.Time
}

// WriteAppointment prints the appointment confirmation.
func WriteAppointment(e *escpos.Encoder, a Appointment) error {
	p := newPage(e)
	e.Init()
	e.Align(escpos.Center)
	e.Bold(true)
	p.text(a.Hall, 1)
	e.Bold(false)
	p.heading("print.appt.title")
	if a.Code != "" {
		e.Bold(true)
		p.big(a.Code, 2)
		e.Bold(false)
	}
	e.Align(escpos.Left)
	p.zh("print.item", a.Service)
	p.zh("print.applicant", queue.MaskName(a.Applicant))
	if a.IDNumber != "" {
		p.zh("print.id_number", queue.MaskID(a.IDNumber))
	}
	if a.Phone != "" {
		p.zh("print.phone", queue.MaskPhone(a.Phone))
	}
	slot := a.Start.Format(timeLayout)
	if !a.End.IsZero() {
		slot += "-" + a.End.Format("15:04")
	}
	p.both("print.appt.time", slot)
	if a.CheckInEarly > 0 {
		p.both("print.appt.checkin", a.CheckInEarly)
	}
	if a.CheckInURL != "" {
		e.Align(escpos.Center)
		p.qr(a.CheckInURL)
		e.LF()
		e.Align(escpos.Left)
	}
	for _, n := range a.Notices {
		p.text(n, 1)
	}
	p.zh("print.printed_at", a.Printed.Format(timeLayout))
	return p.end()
}
