package receipt

import (
	"time"

	"hallq/devices/escpos"
)

// Mark is the priority mark printed on a ticket.
type Mark int

const (
	NoMark          Mark = iota
	MarkPriority         // elderly, disabled, pregnant, soldiers: 优先
	MarkGreen            // key investment projects: 绿色通道
	MarkAppointment      // booked in advance: 预约
)

var markIDs = map[Mark]string{
	MarkPriority:    "print.mark.priority",
	MarkGreen:       "print.mark.green",
	MarkAppointment: "print.mark.appointment",
}

// Ticket is what a queue ticket shows.
type Ticket struct {
	Hall        string    // the hall's name, e.g. 西湖区政务服务中心
	Service     string    // the service (queue) name in Chinese
	ServiceEN   string    // the English name, if the catalogue has one
	Number      string    // e.g. A001
	Mark        Mark      // priority mark, if any
	Ahead       int       // people waiting before this ticket
	WaitMinutes int       // estimated wait; negative when unknown
	Issued      time.Time // issue time, already in the hall's time zone
	StatusURL   string    // link to the ticket's status page, printed as QR; empty for none
	Notices     []string  // the hall's notice lines, e.g. 过号无效，请重新取号
}

// WriteTicket prints t: hall and service, the number large, the mark, the
// people ahead and the wait, the status QR, the notices and the issue time,
// then cuts. With native text and QR it stays under 600 bytes.
func WriteTicket(e *escpos.Encoder, t Ticket) error {
	p := newPage(e)
	e.Init()
	e.Align(escpos.Center)
	e.Bold(true)
	p.text(t.Hall, 1)
	e.Bold(false)
	p.text(t.Service, 1)
	if t.ServiceEN != "" {
		p.text(t.ServiceEN, 1)
	}
	e.Bold(true)
	p.big(t.Number, 4)
	if id, ok := markIDs[t.Mark]; ok {
		p.both(id)
	}
	e.Bold(false)
	p.both("print.people_ahead", t.Ahead)
	if t.WaitMinutes >= 0 {
		p.both("print.wait", t.WaitMinutes)
	}
	if t.StatusURL != "" {
		p.qr(t.StatusURL)
		e.LF()
		p.both("print.scan")
	}
	e.Align(escpos.Left)
	for _, n := range t.Notices {
		p.text(n, 1)
	}
	p.both("print.issued", t.Issued.Format(timeLayout))
	return p.end()
}
