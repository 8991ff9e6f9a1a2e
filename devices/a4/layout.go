package a4

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"

	"golang.org/x/image/font/gofont/goregular"

	"hallq/assets"
)

// Page geometry in millimetres. The bottom margin leaves room for the
// footer, which carries the hall's contact lines on every page.
const (
	pageW   = 210.0
	pageH   = 297.0
	marginL = 18.0
	marginR = 18.0
	marginT = 16.0
	bodyEnd = 272.0 // body text stops here; the footer starts below
	textW   = pageW - marginL - marginR
	family  = "cjk"
)

// doc is a document being laid out: fpdf plus a cursor and the page
// furniture. Everything is placed explicitly (auto page break is off), so
// that a table row is never split by fpdf in the middle of a cell.
type doc struct {
	pdf    *fpdf.Fpdf
	y      float64
	total  int    // pages of the finished document, from the first pass; 0 while counting
	footer func() // draws the footer of the current page
	size   float64
	onNew  func() // called after a page break (e.g. to repeat a table header)
}

// newDoc starts an A4 portrait document with the embedded CJK font.
// The creation date is fixed to the print date so that the same input
// gives the same bytes (reproducible tests, no leak of the machine clock).
func newDoc(title string, opts Options) *doc {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetAutoPageBreak(false, 0)
	p.SetMargins(marginL, marginT, marginR)
	p.SetCellMargin(0)
	p.AddUTF8FontFromBytes(family, "", assets.CJKFont)
	p.AddUTF8FontFromBytes(latinFamily, "", goregular.TTF)
	p.SetTitle(title, true)
	p.SetCreator("hallq", true)
	p.SetProducer("hallq", true)
	p.SetCreationDate(opts.Now)
	p.SetModificationDate(opts.Now)
	p.SetCompression(true)
	d := &doc{pdf: p}
	d.setFont(10.5)
	return d
}

func (d *doc) setFont(size float64) {
	d.size = size
	d.pdf.SetFont(family, "", size)
}

// lineH is the line height for the current font size: 1.45 × the em size
// reads comfortably for Chinese.
func (d *doc) lineH() float64 { return d.size * 0.3528 * 1.45 }

func (d *doc) addPage() {
	d.pdf.AddPage()
	d.y = marginT
	if d.footer != nil {
		d.footer()
	}
	d.pdf.SetTextColor(0, 0, 0)
	d.setFont(d.size)
}

// need starts a new page when h millimetres do not fit on this one.
func (d *doc) need(h float64) {
	if d.y+h > bodyEnd {
		size := d.size
		d.addPage()
		d.setFont(size)
		if d.onNew != nil {
			d.onNew()
			d.setFont(size)
		}
	}
}

// text draws one line with its top at y, in runs of the Latin and the CJK
// font.
func (d *doc) text(x, y float64, s string) {
	// Baseline: the top of the line box plus the font's ascent, centred in
	// the line height.
	lh := d.lineH()
	em := d.size * 0.3528
	base := y + (lh-em)/2 + em*0.86
	for _, r := range runsOf(s) {
		d.useFont(r.latin)
		d.pdf.Text(x, base, r.text)
		x += d.pdf.GetStringWidth(r.text)
	}
	d.useFont(false)
}

func (d *doc) useFont(latin bool) {
	if latin {
		d.pdf.SetFont(latinFamily, "", d.size)
	} else {
		d.pdf.SetFont(family, "", d.size)
	}
}

// width is the printed width of s at the current size.
func (d *doc) width(s string) float64 {
	w := 0.0
	for _, r := range runsOf(s) {
		d.useFont(r.latin)
		w += d.pdf.GetStringWidth(r.text)
	}
	d.useFont(false)
	return w
}

// bold draws a line filled and stroked, since the embedded font has no
// bold face; extracted text is unchanged.
func (d *doc) bold(x, y float64, s string) {
	d.pdf.SetLineWidth(d.size * 0.012)
	d.pdf.SetTextRenderingMode(2)
	d.text(x, y, s)
	d.pdf.SetTextRenderingMode(0)
	d.pdf.SetLineWidth(0.2)
}

// para writes wrapped text at indent, breaking pages between lines.
func (d *doc) para(s string, indent float64) {
	lh := d.lineH()
	for _, line := range d.wrap(s, textW-indent) {
		d.need(lh)
		d.text(marginL+indent, d.y, line)
		d.y += lh
	}
}

// hangingPara writes "label text" where wrapped lines align after the label.
func (d *doc) hangingPara(label, s string, indent float64) {
	lw := d.width(label)
	lh := d.lineH()
	for i, line := range d.wrap(s, textW-indent-lw) {
		d.need(lh)
		if i == 0 {
			d.text(marginL+indent, d.y, label)
		}
		d.text(marginL+indent+lw, d.y, line)
		d.y += lh
	}
}

func (d *doc) heading(s string) {
	d.setFont(12.5)
	d.need(d.lineH() + 12) // keep a heading with at least two lines of its section
	d.y += 2
	d.bold(marginL, d.y, s)
	d.y += d.lineH() + 0.5
	d.setFont(10.5)
}

func (d *doc) centred(s string, size float64, strong bool) {
	d.setFont(size)
	lh := d.lineH()
	for _, line := range d.wrap(s, textW) {
		d.need(lh)
		x := marginL + (textW-d.width(line))/2
		if strong {
			d.bold(x, d.y, line)
		} else {
			d.text(x, d.y, line)
		}
		d.y += lh
	}
}

// noLineStart are characters Chinese typesetting keeps off the start of a
// line (closing punctuation); wrap moves the previous character down with
// them instead.
const noLineStart = "，。、；：？！）》」』】〕”’…,.;:?!)]%·"

// wrap breaks s into lines no wider than w millimetres at the current
// font: between any two hanzi, at spaces between Latin words, and inside a
// Latin word only when the word alone is wider than a line. fpdf's own
// SplitText drops the character at a break between hanzi, and MultiCell
// breaks pages on its own, so neither is used.
func (d *doc) wrap(s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		lines = append(lines, d.wrapLine(para, w)...)
	}
	return lines
}

func (d *doc) wrapLine(s string, w float64) []string {
	toks := tokens(s)
	if len(toks) == 0 {
		return []string{""}
	}
	var lines []string
	var cur []string
	curW := 0.0
	flush := func() {
		line := strings.TrimRight(strings.Join(cur, ""), " ")
		lines = append(lines, line)
		cur, curW = nil, 0
	}
	for _, t := range toks {
		tw := d.width(t)
		if curW+tw <= w || len(cur) == 0 && tw <= w {
			if len(cur) == 0 && t == " " {
				continue // no leading space on a wrapped line
			}
			cur = append(cur, t)
			curW += tw
			continue
		}
		if t == " " {
			flush()
			continue
		}
		if strings.ContainsAny(t, noLineStart) && len(t) <= 3 && len(cur) > 1 {
			last := cur[len(cur)-1]
			cur = cur[:len(cur)-1]
			flush()
			cur = []string{last, t}
			curW = d.width(last) + tw
			continue
		}
		if len(cur) > 0 {
			flush()
		}
		if tw <= w {
			cur, curW = []string{t}, tw
			continue
		}
		// A word wider than the line: break it by characters.
		for _, r := range t {
			rw := d.width(string(r))
			if curW+rw > w && len(cur) > 0 {
				flush()
			}
			cur = append(cur, string(r))
			curW += rw
		}
	}
	if len(cur) > 0 {
		flush()
	}
	return lines
}

// tokens splits text into break units: single hanzi and punctuation
// (including the ideographic space that indents a Chinese paragraph), runs
// of Latin text, and single spaces.
func tokens(s string) []string {
	var out []string
	var word strings.Builder
	end := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '\t' || r == ' ':
			end()
			out = append(out, " ")
		case unicode.IsControl(r):
			// Never reaches a page: catalogue validation refuses control
			// characters, and this keeps other callers' text safe too.
		case r < 0x2000 && r != '·':
			// Latin letters, digits and ASCII punctuation stay together, so
			// 8:30–12:00 or a URL is not broken at its colon.
			word.WriteRune(r)
		default:
			end()
			out = append(out, string(r))
		}
	}
	end()
	return out
}

// column of a table.
type column struct {
	title  string
	width  float64
	centre bool
}

const cellPad = 1.6

// table draws rows with a header that is repeated on every page the table
// continues on. Each row is as tall as its tallest cell; no row is split
// across pages, and a row taller than a page (impossible with validated
// catalogue text, but cheap to guard) is cut with an ellipsis.
func (d *doc) table(cols []column, rows [][]string, size float64) {
	d.setFont(size)
	lh := d.lineH()
	header := func() {
		d.setFont(size)
		h := d.rowHeight(cols, titles(cols), lh)
		d.pdf.SetFillColor(232, 236, 242)
		d.drawRow(cols, titles(cols), h, lh, true)
	}
	prev := d.onNew
	d.onNew = header
	defer func() { d.onNew = prev }()
	headH := d.rowHeight(cols, titles(cols), lh)
	firstH := headH
	if len(rows) > 0 {
		firstH += d.rowHeight(cols, rows[0], lh)
	}
	d.need(firstH) // never a header alone at the foot of a page
	header()
	maxH := bodyEnd - marginT - headH
	for _, row := range rows {
		h := d.rowHeight(cols, row, lh)
		if h > maxH {
			row, h = d.clip(cols, row, lh, maxH)
		}
		d.need(h)
		d.drawRow(cols, row, h, lh, false)
	}
	d.y += 1
}

func titles(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.title
	}
	return out
}

func (d *doc) rowHeight(cols []column, row []string, lh float64) float64 {
	n := 1
	for i, c := range cols {
		if k := len(d.wrap(row[i], c.width-2*cellPad)); k > n {
			n = k
		}
	}
	return float64(n)*lh + 2*cellPad
}

func (d *doc) clip(cols []column, row []string, lh, maxH float64) ([]string, float64) {
	maxLines := int((maxH - 2*cellPad) / lh)
	out := make([]string, len(row))
	for i, c := range cols {
		lines := d.wrap(row[i], c.width-2*cellPad)
		if len(lines) > maxLines {
			lines = lines[:maxLines]
			last := []rune(lines[maxLines-1])
			if len(last) > 1 {
				last = last[:len(last)-1]
			}
			lines[maxLines-1] = string(last) + "…"
		}
		out[i] = strings.Join(lines, "\n")
	}
	return out, float64(maxLines)*lh + 2*cellPad
}

func (d *doc) drawRow(cols []column, row []string, h, lh float64, head bool) {
	x := marginL
	d.pdf.SetDrawColor(90, 90, 90)
	d.pdf.SetLineWidth(0.2)
	for i, c := range cols {
		style := "D"
		if head {
			style = "FD"
		}
		d.pdf.Rect(x, d.y, c.width, h, style)
		lines := d.wrap(row[i], c.width-2*cellPad)
		for k, line := range lines {
			tx := x + cellPad
			if c.centre || head {
				tx = x + (c.width-d.width(line))/2
			}
			d.text(tx, d.y+cellPad+float64(k)*lh, line)
		}
		x += c.width
	}
	d.y += h
}

// rule draws a thin horizontal line across the text width.
func (d *doc) rule(y float64) {
	d.pdf.SetDrawColor(150, 150, 150)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(marginL, y, pageW-marginR, y)
}

// render runs layout twice: once to count pages, once with the total known
// for "page n of m". fpdf's page-count alias would need the digits of the
// total in the embedded font subset, which it does not guarantee.
func render(w io.Writer, layout func(total int) (d *doc, err error)) (err error) {
	// fpdf reports some problems by panicking; a guide with odd text must
	// fail as an error, not take down the hall node it runs in.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("a4: layout: %v", r)
		}
	}()
	first, err := layout(0)
	if err != nil {
		return err
	}
	if err := first.pdf.Error(); err != nil {
		return fmt.Errorf("a4: layout: %w", err)
	}
	final, err := layout(first.pdf.PageCount())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := final.pdf.Output(&buf); err != nil {
		return fmt.Errorf("a4: write pdf: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("a4: write pdf: %w", err)
	}
	return nil
}
