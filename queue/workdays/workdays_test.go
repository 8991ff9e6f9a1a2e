package workdays_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"hallq/assets/calendar"
	"hallq/queue/workdays"
)

func load(t *testing.T) *workdays.Calendar {
	t.Helper()
	c, err := calendar.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func day(t *testing.T, c *workdays.Calendar, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", s, c.Location())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestAddWorkdaysAroundHolidays(t *testing.T) {
	c := load(t)
	for _, tc := range []struct {
		name, start string
		n           int
		want        string
	}{
		{"immediate item is due the same day", "2026-03-10", 0, "2026-03-10"},
		{"ordinary week", "2026-03-10", 3, "2026-03-13"},
		{"over a weekend", "2026-03-13", 1, "2026-03-16"},
		{"day before Spring Festival is the adjusted Saturday", "2026-02-13", 1, "2026-02-14"},
		{"accepted on the adjusted Saturday before Spring Festival", "2026-02-14", 1, "2026-02-24"},
		{"Spring Festival then the adjusted Saturday after it", "2026-02-14", 5, "2026-02-28"},
		{"accepted on a Spring Festival day (appointment)", "2026-02-18", 1, "2026-02-24"},
		{"day before National Day", "2026-09-30", 1, "2026-10-08"},
		{"National Day then the adjusted Saturday", "2026-09-30", 3, "2026-10-10"},
		{"adjusted Sunday before National Day", "2026-09-18", 1, "2026-09-20"},
		{"Mid-Autumn", "2026-09-24", 1, "2026-09-28"},
		{"Labour Day and its adjusted Saturday", "2026-04-30", 4, "2026-05-09"},
		{"year boundary into New Year and its adjusted Sunday", "2025-12-31", 1, "2026-01-04"},
		{"year boundary, three days", "2025-12-30", 3, "2026-01-05"},
		{"2025 Spring Festival", "2025-01-27", 1, "2025-02-05"},
		{"into the provisional 2027", "2026-12-31", 1, "2027-01-04"},
		{"20 working days over National Day", "2026-09-21", 20, "2026-10-26"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.AddWorkdays(day(t, c, tc.start), tc.n)
			if err != nil {
				t.Fatal(err)
			}
			if s := got.Format("2006-01-02"); s != tc.want {
				t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tc.start, tc.n, s, tc.want)
			}
			if got.Location() != c.Location() || got.Hour() != 0 {
				t.Errorf("deadline %v is not midnight in the calendar's zone", got)
			}
			if between, err := c.WorkdaysBetween(day(t, c, tc.start), got); err != nil || between != tc.n {
				t.Errorf("WorkdaysBetween = %d, %v; want %d", between, err, tc.n)
			}
		})
	}
	if !c.Provisional(2027) || c.Provisional(2026) {
		t.Error("2027 should be provisional and 2026 official")
	}
}

func TestIsWorkday(t *testing.T) {
	c := load(t)
	for s, want := range map[string]bool{
		"2026-02-14": true, "2026-02-15": false, "2026-02-23": false, "2026-02-24": true, "2026-02-28": true,
		"2026-10-01": false, "2026-10-07": false, "2026-10-08": true, "2026-10-10": true, "2026-10-11": false,
		"2026-01-04": true, "2026-11-21": false, "2026-11-23": true,
	} {
		got, err := c.IsWorkday(day(t, c, s))
		if err != nil || got != want {
			t.Errorf("IsWorkday(%s) = %v, %v; want %v", s, got, err, want)
		}
	}
}

func TestTimeZone(t *testing.T) {
	c := load(t)
	// 17:00 UTC on 30 September is 01:00 on 1 October in Shanghai.
	at := time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC)
	if ok, _ := c.IsWorkday(at); ok {
		t.Error("Shanghai calendar: 2026-10-01 01:00 is a holiday")
	}
	utc, err := calendar.Load(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := utc.IsWorkday(at); !ok {
		t.Error("UTC calendar: 2026-09-30 is a working day")
	}
}

func TestOutOfRangeIsAnError(t *testing.T) {
	c := load(t)
	_, err := c.IsWorkday(time.Date(2024, 6, 3, 12, 0, 0, 0, c.Location()))
	if !errors.Is(err, workdays.ErrOutOfRange) || !strings.Contains(err.Error(), "2024") {
		t.Errorf("IsWorkday 2024: %v", err)
	}
	_, err = c.AddWorkdays(day(t, c, "2027-12-29"), 5)
	if !errors.Is(err, workdays.ErrOutOfRange) || !strings.Contains(err.Error(), "2028") {
		t.Errorf("AddWorkdays into 2028: %v", err)
	}
	if _, err := c.WorkdaysBetween(day(t, c, "2026-01-05"), time.Date(2028, 1, 5, 0, 0, 0, 0, c.Location())); !errors.Is(err, workdays.ErrOutOfRange) {
		t.Errorf("WorkdaysBetween into 2028: %v", err)
	}
	if _, err := c.AddWorkdays(day(t, c, "2026-01-05"), -1); err == nil {
		t.Error("negative n accepted")
	}
}

func TestOverdueAndNearDue(t *testing.T) {
	c := load(t)
	promised := day(t, c, "2026-10-08")
	late := time.Date(2026, 10, 8, 23, 59, 0, 0, c.Location())
	if c.Overdue(promised, late) {
		t.Error("the promised day itself is not overdue")
	}
	if !c.Overdue(promised, late.Add(2*time.Minute)) {
		t.Error("the day after is overdue")
	}
	// On 30 September the case has one working day left (8 October).
	for _, tc := range []struct {
		now    string
		within int
		want   bool
	}{{"2026-09-30", 1, true}, {"2026-09-29", 1, false}, {"2026-09-29", 2, true}, {"2026-10-08", 0, true}, {"2026-10-09", 5, false}} {
		got, err := c.NearDue(promised, day(t, c, tc.now).Add(10*time.Hour), tc.within)
		if err != nil || got != tc.want {
			t.Errorf("NearDue(now %s, within %d) = %v, %v; want %v", tc.now, tc.within, got, err, tc.want)
		}
	}
	if n, _ := c.WorkdaysBetween(day(t, c, "2026-10-09"), day(t, c, "2026-09-30")); n != -2 {
		t.Errorf("backwards between = %d, want -2", n)
	}
}

func TestAddOverridesAndPersists(t *testing.T) {
	c := load(t)
	if err := c.Add(day(t, c, "2026-10-08"), workdays.Holiday); err != nil {
		t.Fatal(err)
	}
	if err := c.Add(day(t, c, "2026-10-11"), workdays.Workday); err != nil {
		t.Fatal(err)
	}
	got, _ := c.AddWorkdays(day(t, c, "2026-09-30"), 1)
	if got.Format("2006-01-02") != "2026-10-09" {
		t.Errorf("after closing 10-08: %s", got.Format("2006-01-02"))
	}
	if ok, _ := c.IsWorkday(day(t, c, "2026-10-11")); !ok {
		t.Error("added working Sunday is not a workday")
	}
	if err := c.Add(day(t, c, "2030-01-02"), workdays.Holiday); !errors.Is(err, workdays.ErrOutOfRange) {
		t.Errorf("Add to an unloaded year: %v", err)
	}
	var buf bytes.Buffer
	if err := c.WriteYear(&buf, 2026); err != nil {
		t.Fatal(err)
	}
	c2, _ := workdays.New(nil)
	if err := c2.LoadYear(&buf); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"2026-10-08", "2026-10-11", "2026-02-14", "2026-02-16"} {
		a, _ := c.IsWorkday(day(t, c, s))
		b, _ := c2.IsWorkday(day(t, c, s))
		if a != b {
			t.Errorf("%s differs after WriteYear/LoadYear", s)
		}
	}
}

func TestParseDate(t *testing.T) {
	c := load(t)
	d, err := c.ParseDate("2026-09-30")
	if err != nil || d.Location() != c.Location() || d.Day() != 30 {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
	if _, err := c.ParseDate("30/09/2026"); err == nil {
		t.Error("bad date accepted")
	}
}

func TestBadYearFiles(t *testing.T) {
	for name, doc := range map[string]string{
		"weekday as adjusted workday": `{"year": 2026, "status": "official", "holidays": [], "workdays": [{"date": "2026-03-10"}]}`,
		"date of another year":        `{"year": 2026, "status": "official", "holidays": [{"date": "2025-10-01"}], "workdays": []}`,
		"listed twice":                `{"year": 2026, "status": "official", "holidays": [{"date": "2026-10-01"}, {"date": "2026-10-01"}], "workdays": []}`,
		"unknown status":              `{"year": 2026, "status": "maybe", "holidays": [], "workdays": []}`,
		"bad date":                    `{"year": 2026, "status": "official", "holidays": [{"date": "2026-13-01"}], "workdays": []}`,
		"unknown field":               `{"year": 2026, "status": "official", "holiday": []}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := workdays.New(nil)
			if err := c.LoadYear(strings.NewReader(doc)); !errors.Is(err, workdays.ErrFormat) {
				t.Errorf("want ErrFormat, got %v", err)
			}
		})
	}
}
