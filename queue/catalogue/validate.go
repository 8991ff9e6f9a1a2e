package catalogue

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one thing wrong with one row of an import. It is plain data so
// that the CLI can print it and a machine (the central console, a script)
// can read it as JSON.
type Problem struct {
	File   string `json:"file,omitempty"` // "items", "materials" or "json"
	Row    int    `json:"row"`            // CSV: line of the record (header is 1); JSON: 1-based item position; 0: not tied to a row
	Code   string `json:"code,omitempty"` // item code, when known
	Field  string `json:"field"`
	Rule   string `json:"rule"` // stable machine-readable reason: required, format, range, duplicate, unknown, ...
	Reason string `json:"reason"`
}

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteString(" ")
	}
	if p.Row > 0 {
		fmt.Fprintf(&b, "row %d ", p.Row)
	}
	if p.Code != "" {
		fmt.Fprintf(&b, "(%s) ", p.Code)
	}
	fmt.Fprintf(&b, "%s: %s", p.Field, p.Reason)
	return b.String()
}

// ValidationError lists every problem an import found, not just the first,
// so that a centre can fix its export in one round.
type ValidationError struct {
	Problems []Problem `json:"problems"`
}

func (e *ValidationError) Error() string {
	const show = 5
	var b strings.Builder
	fmt.Fprintf(&b, "catalogue: validate: %d problem(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == show {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-show)
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Report lists every problem, one per line, for a command line or a log.
func (e *ValidationError) Report() string {
	var b strings.Builder
	for _, p := range e.Problems {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Limits keep one item printable on a guide and storable in one row; a
// field beyond them is almost always a broken export (a whole file pasted
// into one cell).
const (
	maxCode      = 64
	maxName      = 200
	maxShort     = 200  // department, category, window, condition, material names
	maxText      = 4000 // summary, eligibility, basis, steps, notes, fee text
	maxMaterials = 200
	maxSteps     = 50
	maxDays      = 3650
	maxCopies    = 99
	maxFeeFen    = 1_000_000_000 // ten million yuan
)

var (
	codeRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	serviceRE  = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,3}$`)
	initialsRE = regexp.MustCompile(`^([a-z0-9]+( [a-z0-9]+)*)?$`)
)

// checker collects problems for one item.
type checker struct {
	ps   []Problem
	file string
	row  int
	code string
}

func (c *checker) add(field, rule, format string, args ...any) {
	c.ps = append(c.ps, Problem{File: c.file, Row: c.row, Code: c.code, Field: field, Rule: rule, Reason: fmt.Sprintf(format, args...)})
}

// text checks a free-text field: valid UTF-8, no control characters (they
// would reach printers and screens), at most max runes; multiline allows
// newlines and tabs.
func (c *checker) text(field, s string, required bool, max int, multiline bool) {
	if !utf8.ValidString(s) {
		c.add(field, "encoding", "not valid UTF-8 (save the file as UTF-8)")
		return
	}
	if required && strings.TrimSpace(s) == "" {
		c.add(field, "required", "is empty")
		return
	}
	if n := utf8.RuneCountInString(s); n > max {
		c.add(field, "length", "has %d characters, at most %d allowed", n, max)
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			c.add(field, "format", "contains control character %U", r)
			return
		}
	}
}

// validateItem checks one item; material problems are reported with the
// material's own row when rows are known (CSV), else by index (JSON).
func validateItem(it *Item, c *checker, materialRows []int, materialFile string) {
	if it.Code == "" {
		c.add("code", "required", "is empty")
	} else if len(it.Code) > maxCode || !codeRE.MatchString(it.Code) {
		c.add("code", "format", "%q: use letters, digits, '.', '_' or '-', at most %d characters", it.Code, maxCode)
	}
	c.text("name", it.Name.ZH, true, maxName, false)
	c.text("name_en", it.Name.EN, false, maxName, false)
	if !initialsRE.MatchString(it.Initials) || len(it.Initials) > maxName {
		c.add("initials", "format", "%q: lower-case letters and digits, keys separated by one space", it.Initials)
	}
	for i, k := range it.Keywords {
		c.text(fmt.Sprintf("keywords[%d]", i+1), k, true, maxShort, false)
	}
	c.text("department", it.Department.ZH, true, maxShort, false)
	c.text("department_en", it.Department.EN, false, maxShort, false)
	c.text("category", it.Category, true, maxShort, false)
	c.text("summary", it.Summary, true, maxText, true)
	c.text("eligibility", it.Eligibility, true, maxText, true)
	c.text("basis", it.Basis, false, maxText, true)
	c.text("window", it.Window, false, maxShort, false)

	switch it.Kind {
	case Immediate, Promised, Joint:
	case "":
		c.add("kind", "required", "is empty")
	default:
		c.add("kind", "unknown", "%q is not immediate, promised or joint", it.Kind)
	}
	for i, d := range it.JointDepartments {
		c.text(fmt.Sprintf("joint_departments[%d]", i+1), d, true, maxShort, false)
	}
	if it.Kind == Joint && len(it.JointDepartments) == 0 {
		c.add("joint_departments", "required", "a joint item (联办件) needs at least one co-operating department")
	}
	if it.Kind != Joint && len(it.JointDepartments) > 0 {
		c.add("joint_departments", "conflict", "only joint items (联办件) have co-operating departments")
	}

	if len(it.Steps) == 0 {
		c.add("steps", "required", "the procedure needs at least one step")
	}
	if len(it.Steps) > maxSteps {
		c.add("steps", "length", "%d steps, at most %d allowed", len(it.Steps), maxSteps)
	}
	for i, s := range it.Steps {
		c.text(fmt.Sprintf("steps[%d]", i+1), s, true, maxText, false)
	}

	switch {
	case it.LegalDays < 0 || it.LegalDays > maxDays:
		c.add("legal_days", "range", "%d is not between 0 and %d working days", it.LegalDays, maxDays)
	case it.PromisedDays < 0 || it.PromisedDays > maxDays:
		c.add("promised_days", "range", "%d is not between 0 and %d working days", it.PromisedDays, maxDays)
	case it.PromisedDays > it.LegalDays:
		c.add("promised_days", "range", "promised %d working days is longer than the legal limit of %d", it.PromisedDays, it.LegalDays)
	case it.Kind == Immediate && it.PromisedDays != 0:
		c.add("promised_days", "conflict", "an immediate item (即办件) is finished on the spot: promised days must be 0, not %d", it.PromisedDays)
	case (it.Kind == Promised || it.Kind == Joint) && it.PromisedDays == 0:
		c.add("promised_days", "conflict", "a %s item needs a promised limit of at least 1 working day", it.Kind)
	}

	if it.Fee.AmountFen < 0 || it.Fee.AmountFen > maxFeeFen {
		c.add("fee", "range", "%d fen is out of range", it.Fee.AmountFen)
	}
	c.text("fee_standard", it.Fee.Standard, false, maxText, true)
	c.text("fee_basis", it.Fee.Basis, false, maxText, true)
	if it.Fee.AmountFen > 0 && strings.TrimSpace(it.Fee.Basis) == "" {
		c.add("fee_basis", "required", "a fee must state its legal basis (五公开)")
	}

	if it.Service == "" {
		c.add("service", "required", "is empty: every item must be handled at a queue service")
	} else if !serviceRE.MatchString(it.Service) {
		c.add("service", "format", "%q: an upper-case letter, then up to 3 upper-case letters or digits", it.Service)
	}
	if it.OnlineURL != "" {
		u, err := url.Parse(it.OnlineURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(it.OnlineURL) > 1000 {
			c.add("online_url", "format", "%q is not an http(s) address", it.OnlineURL)
		}
	}
	if it.Version < 1 {
		c.add("version", "range", "%d: versions start at 1", it.Version)
	}

	if len(it.Materials) == 0 {
		c.add("materials", "required", "an item needs at least one material (at least the applicant's ID)")
	}
	if len(it.Materials) > maxMaterials {
		c.add("materials", "length", "%d materials, at most %d allowed", len(it.Materials), maxMaterials)
	}
	seen := map[string]int{}
	for i, m := range it.Materials {
		mc := checker{file: c.file, row: c.row, code: c.code}
		prefix := fmt.Sprintf("materials[%d].", i+1)
		if materialRows != nil {
			mc.file, mc.row, prefix = materialFile, materialRows[i], ""
		}
		mc.text(prefix+"name", m.Name, true, maxShort, false)
		mc.text(prefix+"name_en", m.NameEN, false, maxShort, false)
		switch m.Form {
		case Original, Copy, OriginalAndCopy, Electronic:
		case "":
			mc.add(prefix+"form", "required", "is empty")
		default:
			mc.add(prefix+"form", "unknown", "%q is not original, copy, original+copy or electronic", m.Form)
		}
		if m.Copies < 1 || m.Copies > maxCopies {
			mc.add(prefix+"copies", "range", "%d is not between 1 and %d", m.Copies, maxCopies)
		}
		if m.Required && m.Condition != "" {
			mc.add(prefix+"condition", "conflict", "a required material has no condition; mark it conditional or clear the condition")
		}
		if !m.Required {
			if strings.TrimSpace(m.Condition) == "" {
				mc.add(prefix+"condition", "required", "a conditional material must say when it is needed (e.g. 委托他人办理的)")
			} else {
				mc.text(prefix+"condition", m.Condition, true, maxShort, false)
			}
		}
		mc.text(prefix+"notes", m.Notes, false, maxText, true)
		if m.Name != "" {
			if j, dup := seen[m.Name]; dup && m.Condition == it.Materials[j].Condition {
				mc.add(prefix+"name", "duplicate", "%q is listed twice (also material %d)", m.Name, j+1)
			} else if !dup {
				seen[m.Name] = i
			}
		}
		c.ps = append(c.ps, mc.ps...)
	}
}

// sortProblems orders a report the way a person fixes a file: by file,
// row, then field.
func sortProblems(ps []Problem) {
	rank := map[string]int{"": 0, "json": 1, "items": 2, "materials": 3}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return rank[ps[i].File] < rank[ps[j].File]
		}
		return ps[i].Row < ps[j].Row
	})
}
