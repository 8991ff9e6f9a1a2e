package workdays

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
)

// Errors a caller may test with errors.Is.
var (
	// ErrOutOfRange: a date falls in a year the calendar has not loaded.
	// Guessing (weekends only) would give a citizen a wrong deadline around
	// holidays, so the calendar refuses instead.
	ErrOutOfRange = errors.New("year not in calendar")
	ErrFormat     = errors.New("malformed calendar file")
)

// DayKind is what Add makes of a date.
type DayKind int

const (
	Workday DayKind = iota + 1 // the hall is open (e.g. an adjusted working weekend)
	Holiday                    // the hall is closed (a public holiday or a local closure)
)

func (k DayKind) String() string {
	switch k {
	case Workday:
		return "workday"
	case Holiday:
		return "holiday"
	}
	return fmt.Sprintf("DayKind(%d)", int(k))
}

// ParseDayKind reads "workday"/"上班" or "holiday"/"放假".
func ParseDayKind(s string) (DayKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "workday", "work", "上班", "工作日":
		return Workday, nil
	case "holiday", "off", "放假", "休息":
		return Holiday, nil
	}
	return 0, fmt.Errorf("workdays: parse kind %q: want workday/上班 or holiday/放假", s)
}

// Day is one listed date of a year file.
type Day struct {
	Date string `json:"date"` // YYYY-MM-DD
	Name string `json:"name,omitempty"`
}

// Year is the file format of one year (assets/calendar/cn-YYYY.json).
type Year struct {
	Year   int    `json:"year"`
	Region string `json:"region,omitempty"`
	// Status is "official" (the State Council schedule) or "provisional"
	// (statutory holidays only, adjusted weekends not yet known).
	Status   string `json:"status"`
	Source   string `json:"source,omitempty"`
	Note     string `json:"note,omitempty"`
	Holidays []Day  `json:"holidays"`
	Workdays []Day  `json:"workdays"`
}

const (
	Official    = "official"
	Provisional = "provisional"
)

// civil is a calendar date without a clock, so stepping a day never meets
// a DST gap or a midnight in the wrong zone.
type civil struct {
	y int
	m time.Month
	d int
}

func (c civil) String() string { return fmt.Sprintf("%04d-%02d-%02d", c.y, c.m, c.d) }

func (c civil) next() civil {
	t := time.Date(c.y, c.m, c.d+1, 0, 0, 0, 0, time.UTC)
	return civil{t.Year(), t.Month(), t.Day()}
}

func (c civil) before(o civil) bool {
	if c.y != o.y {
		return c.y < o.y
	}
	if c.m != o.m {
		return c.m < o.m
	}
	return c.d < o.d
}

func (c civil) weekend() bool {
	wd := time.Date(c.y, c.m, c.d, 0, 0, 0, 0, time.UTC).Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func parseCivil(s string) (civil, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return civil{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return civil{t.Year(), t.Month(), t.Day()}, nil
}

type year struct {
	meta Year // Status, Source, Note, Region as loaded; lists rebuilt on write
	off  map[civil]string
	on   map[civil]string
}

// Calendar knows, for the years it has loaded, which days the hall works.
// It is safe for concurrent use: the hall node computes deadlines while an
// operator adds a local closure.
type Calendar struct {
	mu    sync.RWMutex
	loc   *time.Location
	years map[int]*year
}

// New returns an empty calendar in loc; nil means Asia/Shanghai, the
// time zone of every hall unless configured otherwise.
func New(loc *time.Location) (*Calendar, error) {
	if loc == nil {
		var err error
		loc, err = time.LoadLocation("Asia/Shanghai")
		if err != nil {
			return nil, fmt.Errorf("workdays: new: %w", err)
		}
	}
	return &Calendar{loc: loc, years: map[int]*year{}}, nil
}

// LoadFS reads every file matching pattern (e.g. "cn-*.json") in fsys.
func LoadFS(fsys fs.FS, pattern string, loc *time.Location) (*Calendar, error) {
	c, err := New(loc)
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("workdays: load: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("workdays: load: no file matches %s: %w", pattern, ErrFormat)
	}
	sort.Strings(names)
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("workdays: load: %w", err)
		}
		err = c.LoadYear(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("workdays: load %s: %w", path.Base(name), err)
		}
	}
	return c, nil
}

// LoadYear reads one year file and replaces that year if it was loaded,
// so a centre's file overrides the embedded one.
func (c *Calendar) LoadYear(r io.Reader) error {
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	var y Year
	if err := dec.Decode(&y); err != nil {
		return fmt.Errorf("workdays: load year: %v: %w", err, ErrFormat)
	}
	yr, err := compile(y)
	if err != nil {
		return fmt.Errorf("workdays: load year %d: %v: %w", y.Year, err, ErrFormat)
	}
	c.mu.Lock()
	c.years[y.Year] = yr
	c.mu.Unlock()
	return nil
}

func compile(y Year) (*year, error) {
	if y.Year < 1949 || y.Year > 2200 {
		return nil, fmt.Errorf("year %d out of range", y.Year)
	}
	if y.Status != Official && y.Status != Provisional {
		return nil, fmt.Errorf("status %q: want %q or %q", y.Status, Official, Provisional)
	}
	yr := &year{meta: y, off: map[civil]string{}, on: map[civil]string{}}
	yr.meta.Holidays, yr.meta.Workdays = nil, nil
	for _, list := range []struct {
		days []Day
		into map[civil]string
		work bool
	}{{y.Holidays, yr.off, false}, {y.Workdays, yr.on, true}} {
		for _, d := range list.days {
			cd, err := parseCivil(d.Date)
			if err != nil {
				return nil, err
			}
			if cd.y != y.Year {
				return nil, fmt.Errorf("%s is not in %d", cd, y.Year)
			}
			if _, dup := yr.off[cd]; dup {
				return nil, fmt.Errorf("%s is listed twice", cd)
			}
			if _, dup := yr.on[cd]; dup {
				return nil, fmt.Errorf("%s is listed twice", cd)
			}
			if list.work && !cd.weekend() {
				// 调休上班 falls on weekends; a weekday here is a typo.
				return nil, fmt.Errorf("adjusted workday %s is not a Saturday or Sunday", cd)
			}
			list.into[cd] = d.Name
		}
	}
	return yr, nil
}

// Location is the calendar's time zone; dates are taken in it.
func (c *Calendar) Location() *time.Location { return c.loc }

// Years lists the loaded years.
func (c *Calendar) Years() []int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// Provisional reports whether year is loaded but not yet official; the
// deadline notice says so when a deadline reaches into such a year.
func (c *Calendar) Provisional(y int) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	yr, ok := c.years[y]
	return ok && yr.meta.Status == Provisional
}

func (c *Calendar) date(t time.Time) civil {
	y, m, d := t.In(c.loc).Date()
	return civil{y, m, d}
}

func (c *Calendar) midnight(d civil) time.Time {
	return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, c.loc)
}

// works answers for one date; the caller holds the read lock.
func (c *Calendar) works(d civil) (bool, error) {
	yr, ok := c.years[d.y]
	if !ok {
		return false, fmt.Errorf("%d is not in the calendar (loaded: %v): %w", d.y, c.yearsLocked(), ErrOutOfRange)
	}
	if _, ok := yr.on[d]; ok {
		return true, nil
	}
	if _, ok := yr.off[d]; ok {
		return false, nil
	}
	return !d.weekend(), nil
}

func (c *Calendar) yearsLocked() []int {
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// ParseDate reads YYYY-MM-DD as midnight in the calendar's zone, the way
// dates are typed at the command line (hallq workdays add 2026-09-30 15).
func (c *Calendar) ParseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), c.loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("workdays: parse date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

// IsWorkday reports whether the hall works on t's date (in the calendar's
// time zone): weekdays unless a holiday, plus adjusted working weekends.
func (c *Calendar) IsWorkday(t time.Time) (bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ok, err := c.works(c.date(t))
	if err != nil {
		return false, fmt.Errorf("workdays: is workday %s: %w", c.date(t), err)
	}
	return ok, nil
}

// maxDays bounds arithmetic so a corrupt limit cannot spin for long.
const maxDays = 3650

// AddWorkdays returns the deadline of a case accepted at start with a limit
// of n working days: the day of acceptance does not count, and the
// deadline is the n-th working day after it (midnight of that date in the
// calendar's zone; the case is due by the end of that day). n = 0 (an
// immediate item) returns start's date. A case accepted on a weekend
// appointment counts from the next working day the same way.
func (c *Calendar) AddWorkdays(start time.Time, n int) (time.Time, error) {
	if n < 0 || n > maxDays {
		return time.Time{}, fmt.Errorf("workdays: add %d: must be between 0 and %d", n, maxDays)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	d := c.date(start)
	for left := n; left > 0; {
		d = d.next()
		ok, err := c.works(d)
		if err != nil {
			return time.Time{}, fmt.Errorf("workdays: add %d working days to %s: %w", n, c.date(start), err)
		}
		if ok {
			left--
		}
	}
	return c.midnight(d), nil
}

// WorkdaysBetween counts the working days after from's date up to and
// including to's date, so WorkdaysBetween(s, AddWorkdays(s, n)) == n.
// It is negative when to is before from.
func (c *Calendar) WorkdaysBetween(from, to time.Time) (int, error) {
	a, b := c.date(from), c.date(to)
	sign := 1
	if b.before(a) {
		a, b, sign = b, a, -1
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := 0
	for d, steps := a, 0; d.before(b); steps++ {
		if steps > maxDays*2 {
			return 0, fmt.Errorf("workdays: between %s and %s: more than %d days apart", a, b, maxDays*2)
		}
		d = d.next()
		ok, err := c.works(d)
		if err != nil {
			return 0, fmt.Errorf("workdays: between %s and %s: %w", a, b, err)
		}
		if ok {
			n++
		}
	}
	return sign * n, nil
}

// Overdue reports whether a case due on promised's date is past due at
// now: only from the day after the promised date, since the hall has the
// whole promised day.
func (c *Calendar) Overdue(promised, now time.Time) bool {
	return c.date(promised).before(c.date(now))
}

// NearDue reports whether a case is not yet overdue but has at most within
// working days left (0: due today) — what electronic supervision (电子监察)
// flags in yellow before it turns red.
func (c *Calendar) NearDue(promised, now time.Time, within int) (bool, error) {
	if c.Overdue(promised, now) {
		return false, nil
	}
	left, err := c.WorkdaysBetween(now, promised)
	if err != nil {
		return false, err
	}
	return left <= within, nil
}

// Add makes date a working day or a holiday for this hall, overriding the
// loaded schedule (a local closure, a working Saturday for a backlog). The
// year must be loaded: adding a lone date to an unknown year would let the
// rest of that year be guessed.
func (c *Calendar) Add(date time.Time, kind DayKind) error {
	d := c.date(date)
	c.mu.Lock()
	defer c.mu.Unlock()
	yr, ok := c.years[d.y]
	if !ok {
		return fmt.Errorf("workdays: add %s as %s: %d is not in the calendar (loaded: %v): %w", d, kind, d.y, c.yearsLocked(), ErrOutOfRange)
	}
	delete(yr.on, d)
	delete(yr.off, d)
	switch kind {
	case Workday:
		if d.weekend() {
			yr.on[d] = "本中心调整上班"
		}
	case Holiday:
		// Listed even on a weekend, where it only cancels an adjusted
		// working day, so the file says why the hall is closed.
		yr.off[d] = "本中心调整放假"
	default:
		return fmt.Errorf("workdays: add %s: unknown kind %v", d, kind)
	}
	return nil
}

// WriteYear writes one loaded year in the file format LoadYear reads, with
// overrides from Add included, so the hall can persist them.
func (c *Calendar) WriteYear(w io.Writer, y int) error {
	c.mu.RLock()
	yr, ok := c.years[y]
	if !ok {
		c.mu.RUnlock()
		return fmt.Errorf("workdays: write %d: %w", y, ErrOutOfRange)
	}
	out := yr.meta
	out.Holidays, out.Workdays = list(yr.off), list(yr.on)
	c.mu.RUnlock()
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("workdays: write %d: %w", y, err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("workdays: write %d: %w", y, err)
	}
	return nil
}

func list(m map[civil]string) []Day {
	out := make([]Day, 0, len(m))
	for d, name := range m {
		out = append(out, Day{Date: d.String(), Name: name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}
