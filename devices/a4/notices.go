package a4

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"hallq/assets/i18n"
	"hallq/queue"
	"hallq/queue/catalogue"
)

// Case is what a notice says about one application (办件).
type Case struct {
	Number    string // 受理编号
	Applicant string // name, or name with a masked ID; masked again before printing
	ItemCode  string
	Accepted  time.Time
	Promised  time.Time // zero: computed from Options.Calendar and the item's promised days
}

// ErrNoReasons: a refusal must state its reasons (DOMAIN.md, 一次性告知).
var ErrNoReasons = errors.New("a refusal needs at least one reason")

// noticeDoc starts a notice: centred title, hall name, case lines.
func noticeDoc(hall Hall, title string, o Options, total int) *doc {
	d := newDoc(title, o)
	d.total = total
	d.setFooter(hall, i18n.T(o.Lang, "notice.footer", hall.Name, o.date(o.Now)), o)
	d.addPage()
	d.y += 4
	d.centred(hall.Name, 12, false)
	d.y += 1
	d.centred(title, 18, true)
	d.y += 5
	d.setFont(11)
	return d
}

func (d *doc) caseLines(c *Case, item catalogue.Item, o Options) {
	if c != nil && c.Number != "" {
		d.para(i18n.T(o.Lang, "notice.case_number", c.Number), 0)
	}
	if c != nil && c.Applicant != "" {
		d.para(i18n.T(o.Lang, "notice.applicant", queue.MaskSensitive(c.Applicant)), 0)
	}
	d.para(i18n.T(o.Lang, "notice.item", item.Name.In(o.lang()), item.Code), 0)
	d.y += 3
	if name := greetingName(c); name != "" {
		d.para(i18n.T(o.Lang, "notice.greeting", name), 0)
	} else {
		d.para(i18n.T(o.Lang, "notice.greeting_anon"), 0)
	}
}

// ParseMissing reads the clerk's ticks as typed on the command line
// ("1,3", "1 3", "2，5"): 1-based material numbers of the guide.
func ParseMissing(s string) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("a4: parse missing %q: %q is not a material number", s, f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("a4: parse missing %q: no material numbers", s)
	}
	return out, nil
}

// greetingName is the applicant's name without the (masked) number that
// may follow it, or "" when the applicant field holds no plain name.
func greetingName(c *Case) string {
	if c == nil {
		return ""
	}
	var name []string
	for _, f := range strings.Fields(c.Applicant) {
		if strings.ContainsAny(f, "0123456789*") {
			break
		}
		name = append(name, f)
	}
	return strings.Join(name, " ")
}

// signatures draws the clerk's and the applicant's signature and date
// lines, the seal line and the hall's contact.
func (d *doc) signatures(hall Hall, o Options, applicant bool) {
	d.y += 6
	d.need(d.lineH()*6 + 10)
	lh := d.lineH()
	half := textW / 2
	d.text(marginL, d.y, i18n.T(o.Lang, "notice.clerk_sign"))
	if applicant {
		d.text(marginL+half, d.y, i18n.T(o.Lang, "notice.applicant_sign"))
	}
	d.y += lh * 1.6
	d.text(marginL, d.y, i18n.T(o.Lang, "notice.date_line"))
	if applicant {
		d.text(marginL+half, d.y, i18n.T(o.Lang, "notice.date_line"))
	}
	d.y += lh * 2
	seal := i18n.T(o.Lang, "notice.seal", hall.Name)
	d.text(pageW-marginR-d.width(seal), d.y, seal)
	d.y += lh
	date := o.date(o.Now)
	d.text(pageW-marginR-d.width(date), d.y, date)
	d.y += lh * 1.5
	d.setFont(9.5)
	d.para(i18n.T(o.Lang, "notice.contact", hall.Phone, hall.Address, hall.Hours), 0)
}

// WriteMaterialsNotice writes the one-time notification of missing
// materials (《缺补材料一次性告知书》): the materials the clerk ticked, by
// their 1-based numbers in the item's guide, each with form, copies, the
// condition that made it necessary and its notes. c may be nil when no case
// number exists yet (the application was not accepted).
func WriteMaterialsNotice(w io.Writer, hall Hall, item catalogue.Item, missing []int, c *Case, opts Options) error {
	o := opts.normalised()
	if len(missing) == 0 {
		return fmt.Errorf("a4: materials notice %s: no missing materials ticked", item.Code)
	}
	// Listed in guide order whatever order the clerk ticked them in, so the
	// citizen can follow the notice and the guide side by side.
	missing = append([]int(nil), missing...)
	sort.Ints(missing)
	seen := map[int]bool{}
	var mats []catalogue.Material
	var nums []int
	for _, i := range missing {
		m, err := item.MaterialAt(i)
		if err != nil {
			return fmt.Errorf("a4: materials notice: %w", err)
		}
		if !seen[i] {
			seen[i] = true
			mats = append(mats, m)
			nums = append(nums, i)
		}
	}
	title := i18n.T(o.Lang, "notice.materials.title")
	return render(w, func(total int) (*doc, error) {
		d := noticeDoc(hall, title, o, total)
		d.caseLines(c, item, o)
		d.para("　　"+i18n.T(o.Lang, "notice.materials.intro", item.Name.In(o.lang())), 0)
		d.y += 2
		cols := []column{
			{i18n.T(o.Lang, "guide.col.no"), 11, true},
			{i18n.T(o.Lang, "guide.col.name"), 58, false},
			{i18n.T(o.Lang, "guide.col.form"), 24, true},
			{i18n.T(o.Lang, "guide.col.copies"), 12, true},
			{i18n.T(o.Lang, "guide.col.notes"), textW - 11 - 58 - 24 - 12, false},
		}
		rows := make([][]string, len(mats))
		for k, m := range mats {
			r := materialRow(nums[k], m, o)
			rows[k] = []string{r[0], r[1], r[2], r[3], r[5]}
		}
		d.table(cols, rows, 10)
		d.setFont(11)
		d.y += 2
		where := hall.Name
		if item.Window != "" {
			where += item.Window
		}
		d.para("　　"+i18n.T(o.Lang, "notice.materials.outro", where), 0)
		d.signatures(hall, o, true)
		return d, nil
	})
}

// WriteDeadlineNotice writes the notice of the time limit
// (《办结时限告知书》) given when a case cannot be finished on the spot.
// The promised date is c.Promised, or computed from opts.Calendar as the
// item's promised number of working days after acceptance.
func WriteDeadlineNotice(w io.Writer, hall Hall, item catalogue.Item, c Case, opts Options) error {
	o := opts.normalised()
	if c.Accepted.IsZero() {
		return fmt.Errorf("a4: deadline notice %s: case has no accepted date", c.Number)
	}
	promised := c.Promised
	provisional := false
	if promised.IsZero() {
		if o.Calendar == nil {
			return fmt.Errorf("a4: deadline notice %s: no promised date and no calendar to compute it", c.Number)
		}
		p, err := o.Calendar.AddWorkdays(c.Accepted, item.PromisedDays)
		if err != nil {
			return fmt.Errorf("a4: deadline notice %s: %w", c.Number, err)
		}
		promised = p
	}
	if o.Calendar != nil {
		provisional = o.Calendar.Provisional(promised.In(o.Calendar.Location()).Year())
	}
	title := i18n.T(o.Lang, "notice.deadline.title")
	return render(w, func(total int) (*doc, error) {
		d := noticeDoc(hall, title, o, total)
		d.caseLines(&c, item, o)
		d.para("　　"+i18n.T(o.Lang, "notice.deadline.body", o.date(c.Accepted), item.Name.In(o.lang()), item.LegalDays, item.PromisedDays, o.date(promised)), 0)
		d.y += 2
		d.para(i18n.T(o.Lang, "notice.deadline.accepted", o.date(c.Accepted)), 0)
		d.setFont(13)
		d.bold(marginL, d.y, i18n.T(o.Lang, "notice.deadline.promised", o.date(promised)))
		d.y += d.lineH()
		d.setFont(11)
		if item.Basis != "" {
			d.para(i18n.T(o.Lang, "notice.deadline.basis", item.Basis), 0)
		}
		if provisional {
			d.para(i18n.T(o.Lang, "notice.deadline.provisional"), 0)
		}
		d.y += 2
		d.para("　　"+i18n.T(o.Lang, "notice.deadline.outro", hall.Phone), 0)
		d.signatures(hall, o, true)
		return d, nil
	})
}

// WriteRefusalNotice writes the statement of reasons for not accepting an
// application (《不予受理事项情况说明》), with the item's conditions and the
// citizen's remedies.
func WriteRefusalNotice(w io.Writer, hall Hall, item catalogue.Item, c Case, reasons []string, opts Options) error {
	o := opts.normalised()
	var rs []string
	for _, r := range reasons {
		if r = strings.TrimSpace(r); r != "" {
			rs = append(rs, queue.MaskSensitive(r))
		}
	}
	if len(rs) == 0 {
		return fmt.Errorf("a4: refusal notice %s: %w", c.Number, ErrNoReasons)
	}
	when := c.Accepted
	if when.IsZero() {
		when = o.Now
	}
	title := i18n.T(o.Lang, "notice.refusal.title")
	return render(w, func(total int) (*doc, error) {
		d := noticeDoc(hall, title, o, total)
		d.caseLines(&c, item, o)
		d.para("　　"+i18n.T(o.Lang, "notice.refusal.body", o.date(when), item.Name.In(o.lang())), 0)
		d.y += 1
		for i, r := range rs {
			d.hangingPara(fmt.Sprintf("%d. ", i+1), r, 8)
		}
		d.y += 2
		d.para(i18n.T(o.Lang, "notice.refusal.eligibility", item.Eligibility), 0)
		d.y += 2
		d.para("　　"+i18n.T(o.Lang, "notice.refusal.remedy"), 0)
		d.signatures(hall, o, true)
		return d, nil
	})
}
