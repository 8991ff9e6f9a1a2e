package a4

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"hallq/assets/i18n"
	"hallq/queue/catalogue"
	"hallq/queue/workdays"
)

// Hall is what a printed document says about the hall issuing it.
type Hall struct {
	Name    string // e.g. 西湖区政务服务中心
	Address string
	Hours   string // e.g. 周一至周五 9:00–12:00，13:30–17:00
	Phone   string
}

// Options are the per-print settings shared by all documents.
type Options struct {
	Lang             i18n.Lang      // zh-CN (default) or en: the document's fixed wording
	Now              time.Time      // print date; zero: time.Now()
	Location         *time.Location // zone of printed dates; nil: Asia/Shanghai
	CatalogueVersion string         // printed on guides so a stale print can be recognised
	// Calendar computes the promised date of a deadline notice when the
	// case does not carry one.
	Calendar *workdays.Calendar
}

func (o Options) normalised() Options {
	if o.Lang == "" {
		o.Lang = i18n.ZH
	}
	if o.Location == nil {
		if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
			o.Location = loc
		} else {
			o.Location = time.UTC
		}
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.In(o.Location)
	return o
}

func (o Options) lang() string { return string(o.Lang) }

// date formats t as a date in the options' zone and language.
func (o Options) date(t time.Time) string {
	t = t.In(o.Location)
	y, m, d := strconv.Itoa(t.Year()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Day())
	if o.Lang == i18n.EN {
		m, d = fmt.Sprintf("%02d", int(t.Month())), fmt.Sprintf("%02d", t.Day())
	}
	return i18n.T(o.Lang, "guide.date", y, m, d)
}

// footer draws the hall's lines, a version line and the page number.
func (d *doc) setFooter(hall Hall, version string, o Options) {
	d.footer = func() {
		p := d.pdf
		size := d.size
		d.setFont(8)
		p.SetTextColor(80, 80, 80)
		d.rule(bodyEnd + 3)
		y := bodyEnd + 4.5
		contact := strings.Join(nonEmpty(hall.Name, hall.Address, hall.Phone), "　")
		for _, line := range d.wrap(contact, textW) {
			d.text(marginL, y, line)
			y += d.lineH()
		}
		if hall.Hours != "" {
			d.text(marginL, y, i18n.T(o.Lang, "guide.hours", hall.Hours))
			y += d.lineH()
		}
		d.text(marginL, y, version)
		if d.total > 0 {
			pg := i18n.T(o.Lang, "guide.page", p.PageNo(), d.total)
			d.text(pageW-marginR-d.width(pg), y, pg)
		}
		p.SetTextColor(0, 0, 0)
		d.setFont(size)
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// WriteGuide writes the service guide (办事指南) of an item as an A4 PDF:
// the five public things as sections, the materials as a table whose header
// repeats on every page it continues on, where and when to go, and the QR
// code of the online link.
func WriteGuide(w io.Writer, hall Hall, item catalogue.Item, opts Options) error {
	o := opts.normalised()
	var qr []byte
	if item.OnlineURL != "" {
		var err error
		// Medium error correction survives a smudged print; 8 px per module
		// keeps the image sharp at the printed size.
		qr, err = qrcode.Encode(item.OnlineURL, qrcode.Medium, -8)
		if err != nil {
			return fmt.Errorf("a4: guide %s: qr code: %w", item.Code, err)
		}
	}
	return render(w, func(total int) (*doc, error) {
		return layoutGuide(hall, item, o, qr, total), nil
	})
}

func layoutGuide(hall Hall, item catalogue.Item, o Options, qr []byte, total int) *doc {
	lang := o.Lang
	name := item.Name.In(o.lang())
	d := newDoc(name+" "+i18n.T(lang, "guide.doc_title"), o)
	d.total = total
	d.setFooter(hall, i18n.T(lang, "guide.footer_version", o.CatalogueVersion, item.Version, o.date(o.Now)), o)
	d.addPage()

	// Title block; the QR code sits at the top right so that it is on the
	// first page whatever the length of the guide.
	const qrSize = 34.0
	titleW := textW
	if qr != nil {
		titleW = textW - qrSize - 4
		d.pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr))
		x := pageW - marginR - qrSize
		d.pdf.ImageOptions("qr", x, marginT, qrSize, qrSize, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		d.setFont(8)
		caption := i18n.T(lang, "guide.qr_caption")
		d.text(x+(qrSize-d.width(caption))/2, marginT+qrSize, caption)
	}
	d.setFont(9)
	d.text(marginL, d.y, i18n.T(lang, "guide.doc_title")+"　"+hall.Name)
	d.y += d.lineH() + 1
	d.setFont(17)
	for _, line := range d.wrap(name, titleW) {
		d.bold(marginL, d.y, line)
		d.y += d.lineH()
	}
	d.y += 1
	d.setFont(10)
	meta := []string{
		i18n.T(lang, "guide.code", item.Code),
		i18n.T(lang, "guide.department", item.Department.In(o.lang())),
		i18n.T(lang, "guide.kind", i18n.T(lang, "guide.kind."+string(item.Kind))),
		i18n.T(lang, "guide.category", item.Category),
	}
	if len(item.JointDepartments) > 0 {
		meta = append(meta, i18n.T(lang, "guide.joint_departments", strings.Join(item.JointDepartments, "、")))
	}
	for _, m := range meta {
		for _, line := range d.wrap(m, titleW) {
			d.text(marginL, d.y, line)
			d.y += d.lineH()
		}
	}
	if qr != nil && d.y < marginT+qrSize+5 {
		d.y = marginT + qrSize + 5
	}
	d.y += 1
	d.rule(d.y)
	d.y += 2

	d.heading(i18n.T(lang, "guide.section.what"))
	d.para(i18n.T(lang, "guide.summary", item.Summary), 0)
	d.para(i18n.T(lang, "guide.eligibility", item.Eligibility), 0)
	if item.Basis != "" {
		d.para(i18n.T(lang, "guide.basis", item.Basis), 0)
	}

	d.heading(i18n.T(lang, "guide.section.steps"))
	for i, s := range item.Steps {
		label := fmt.Sprintf("%d. ", i+1)
		d.hangingPara(label, s, 0)
	}

	d.heading(i18n.T(lang, "guide.section.materials"))
	cols := []column{
		{i18n.T(lang, "guide.col.no"), 11, true},
		{i18n.T(lang, "guide.col.name"), 52, false},
		{i18n.T(lang, "guide.col.form"), 24, true},
		{i18n.T(lang, "guide.col.copies"), 12, true},
		{i18n.T(lang, "guide.col.required"), 17, true},
		{i18n.T(lang, "guide.col.notes"), textW - 11 - 52 - 24 - 12 - 17, false},
	}
	rows := make([][]string, len(item.Materials))
	for i, m := range item.Materials {
		rows[i] = materialRow(i+1, m, o)
	}
	d.table(cols, rows, 9.5)

	d.heading(i18n.T(lang, "guide.section.time"))
	if item.LegalDays > 0 {
		d.para(i18n.T(lang, "guide.legal_days", item.LegalDays), 0)
	} else {
		d.para(i18n.T(lang, "guide.legal_spot"), 0)
	}
	if item.PromisedDays > 0 {
		d.para(i18n.T(lang, "guide.promised_days", item.PromisedDays), 0)
	} else {
		d.para(i18n.T(lang, "guide.promised_spot"), 0)
	}
	d.para(i18n.T(lang, "guide.time_rule"), 0)

	d.heading(i18n.T(lang, "guide.section.fee"))
	if item.Fee.Free() {
		d.para(i18n.T(lang, "guide.fee_free"), 0)
		if item.Fee.Standard != "" {
			d.para(i18n.T(lang, "guide.fee_note", item.Fee.Standard), 0)
		}
	} else {
		d.para(i18n.T(lang, "guide.fee_amount", item.Fee.Yuan()), 0)
		if item.Fee.Standard != "" {
			d.para(i18n.T(lang, "guide.fee_standard", item.Fee.Standard), 0)
		}
	}
	if item.Fee.Basis != "" {
		d.para(i18n.T(lang, "guide.fee_basis", item.Fee.Basis), 0)
	}

	d.heading(i18n.T(lang, "guide.section.where"))
	if hall.Address != "" {
		d.para(i18n.T(lang, "guide.address", hall.Address), 0)
	}
	if item.Window != "" {
		d.para(i18n.T(lang, "guide.window", item.Window, item.Service), 0)
	} else {
		d.para(i18n.T(lang, "guide.service", item.Service), 0)
	}
	if hall.Hours != "" {
		d.para(i18n.T(lang, "guide.hours", hall.Hours), 0)
	}
	if hall.Phone != "" {
		d.para(i18n.T(lang, "guide.phone", hall.Phone), 0)
	}
	if item.OnlineURL != "" {
		d.para(i18n.T(lang, "guide.online", item.OnlineURL), 0)
	}
	return d
}

// materialRow is one table row: number, name, form, copies, requirement,
// notes (with the condition of a conditional material first).
func materialRow(n int, m catalogue.Material, o Options) []string {
	name := m.Name
	if o.Lang == i18n.EN && m.NameEN != "" {
		name = m.NameEN + "\n" + m.Name
	}
	req := i18n.T(o.Lang, "guide.required")
	notes := m.Notes
	if !m.Required {
		req = i18n.T(o.Lang, "guide.conditional")
		cond := i18n.T(o.Lang, "guide.condition", m.Condition)
		if notes != "" {
			notes = cond + "\n" + notes
		} else {
			notes = cond
		}
	}
	return []string{strconv.Itoa(n), name, i18n.T(o.Lang, "guide.form."+string(m.Form)), strconv.Itoa(m.Copies), req, notes}
}
