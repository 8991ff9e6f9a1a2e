package receipt

import (
	"hallq/assets/i18n"
	"hallq/devices/escpos"
	"hallq/queue"
)

// Date and time layouts on paper. Numbers only, the same in both languages.
const (
	timeLayout = "2006-01-02 15:04"
	dateLayout = "2006-01-02"
)

// page prints catalogue messages and wrapped text for one profile.
type page struct {
	e    *escpos.Encoder
	cols int
}

func newPage(e *escpos.Encoder) *page {
	cols := e.Profile().Columns
	if cols <= 0 {
		cols = escpos.Generic80.Columns
	}
	return &page{e: e, cols: cols}
}

// text prints s wrapped to the line at character width w, after masking
// anything that looks like an ID or a mobile number.
func (p *page) text(s string, w int) { p.raw(queue.MaskSensitive(s), w) }

// raw prints s wrapped without masking: only for values that cannot hold
// personal data (the case number).
func (p *page) raw(s string, w int) {
	for _, l := range Wrap(s, p.cols/w) {
		p.e.Line(l)
	}
}

// both prints message id in Chinese, then in English: on one line when
// both fit, else on two.
func (p *page) both(id string, args ...any) {
	p.pair(i18n.T(i18n.ZH, id, args...), i18n.T(i18n.EN, id, args...))
}

// pair prints a Chinese and an English line, joined when they fit.
func (p *page) pair(zh, en string) {
	if escpos.Width(zh)+1+escpos.Width(en) <= p.cols {
		p.text(zh+" "+en, 1)
		return
	}
	p.text(zh, 1)
	p.text(en, 1)
}

// zh prints message id in Chinese only: for lines whose content (from the
// catalogue) is Chinese anyway.
func (p *page) zh(id string, args ...any) { p.text(i18n.T(i18n.ZH, id, args...), 1) }

// heading prints a bold bilingual heading.
func (p *page) heading(id string) {
	p.e.Bold(true)
	p.both(id)
	p.e.Bold(false)
}

// big prints s as large as fits the line, up to ×max, centred by the caller.
func (p *page) big(s string, maxMul int) {
	s = queue.MaskSensitive(s)
	w := escpos.Width(s)
	m := maxMul
	for m > 1 && w*m > p.cols {
		m--
	}
	p.e.Size(m, m)
	p.raw(s, m)
	p.e.Size(1, 1)
}

// qr prints a QR code sized for the paper: 6-dot modules on 80 mm, 5 on
// 58 mm, which keeps a 50-character link under 25 mm and easy to scan.
func (p *page) qr(data string) {
	if data == "" {
		return
	}
	module := 6
	if p.e.Profile().Dots < 500 {
		module = 5
	}
	p.e.QR(data, module, escpos.QRLevelM)
}

// end finishes a job: cut, then the end-of-job marker, whose answer tells
// the driver that everything before it has been printed.
func (p *page) end() error {
	p.e.Cut(escpos.PartialCut, 0)
	p.e.EndOfJob()
	return p.e.Err()
}
