package queue_test

import (
	"strings"
	"testing"
	"time"

	"hallq/queue"
)

func shanghai(t *testing.T) *time.Location {
	loc, err := queue.LoadZone("")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestAdmit(t *testing.T) {
	loc := shanghai(t)
	svc := queue.Service{Code: "D", NameZH: "不动产登记", DailyCap: 100,
		Hours: queue.Hours{Weekdays: []time.Weekday{1, 2, 3, 4, 5}, Spans: []queue.Span{{From: 510, To: 720}, {From: 810, To: 1020}}},
		Slots: []queue.SlotQuota{{Span: queue.Span{From: 510, To: 720}, Max: 60}}}
	mon := func(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, loc) }
	cases := []struct {
		name string
		at   time.Time
		n    queue.DayCounts
		want queue.Code
	}{
		{"morning", mon(9, 0), queue.DayCounts{Issued: 10, InSlot: 10}, ""},
		{"before opening", mon(8, 29), queue.DayCounts{}, queue.CodeOutsideHours},
		{"lunch break", mon(12, 30), queue.DayCounts{}, queue.CodeOutsideHours},
		{"closing minute is closed", mon(17, 0), queue.DayCounts{}, queue.CodeOutsideHours},
		{"sunday", time.Date(2026, 11, 22, 10, 0, 0, 0, loc), queue.DayCounts{}, queue.CodeOutsideHours},
		{"cap", mon(14, 0), queue.DayCounts{Issued: 100}, queue.CodeDailyCap},
		{"slot full", mon(10, 0), queue.DayCounts{Issued: 60, InSlot: 60}, queue.CodeSlotFull},
		{"afternoon has no slot quota", mon(14, 0), queue.DayCounts{Issued: 60, InSlot: 60}, ""},
		{"citizen already waits", mon(9, 0), queue.DayCounts{CitizenWaiting: true}, queue.CodeDuplicateCitizen},
	}
	for _, c := range cases {
		if got := queue.ErrorCode(queue.Admit(svc, c.at, c.n)); got != c.want {
			t.Errorf("%s: got %q want %q", c.name, got, c.want)
		}
	}
	err := queue.Admit(svc, mon(12, 30), queue.DayCounts{})
	if !strings.Contains(err.Error(), "next opening 2026-11-23 13:30") {
		t.Errorf("outside hours should name the next opening: %v", err)
	}
	err = queue.Admit(svc, time.Date(2026, 11, 21, 18, 0, 0, 0, loc), queue.DayCounts{})
	if !strings.Contains(err.Error(), "next opening 2026-11-23 08:30") {
		t.Errorf("saturday evening should point at monday: %v", err)
	}
}

func TestAlwaysOpenWithoutHours(t *testing.T) {
	svc := queue.Service{Code: "A", NameZH: "社保"}
	if err := queue.Admit(svc, time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC), queue.DayCounts{}); err != nil {
		t.Fatal(err)
	}
	if err := queue.Admit(svc, t0, queue.DayCounts{Issued: 999}); queue.ErrorCode(err) != queue.CodeDailyCap {
		t.Fatal("the 1000th number cannot be printed in three digits:", err)
	}
}

func TestNormalizeID(t *testing.T) {
	valid := "11010519491231002X" // the standard's published example
	if got, err := queue.NormalizeID(strings.ToLower(valid)); err != nil || got != valid {
		t.Fatalf("valid: %q %v", got, err)
	}
	for _, bad := range []string{"110105194912310021", "11010519491231002", "1101051949123100XX", ""} {
		_, err := queue.NormalizeID(bad)
		if queue.ErrorCode(err) != queue.CodeInvalidID {
			t.Errorf("%q: %v", bad, err)
		}
		if bad != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("error repeats the ID number: %v", err)
		}
	}
	a := queue.CitizenHash([]byte("hall-1"), valid)
	b := queue.CitizenHash([]byte("hall-2"), valid)
	if a == b || strings.Contains(a, "1949") || len(a) != 64 {
		t.Errorf("hashes must depend on the salt and hide the number: %s %s", a, b)
	}
}

func TestMasking(t *testing.T) {
	cases := map[string]string{
		queue.MaskID("330102198001011234"): "3301**********1234",
		queue.MaskPhone("13812345678"):     "138****5678",
		queue.MaskName("张三丰"):              "张**",
		queue.MaskID("12345"):              "*****",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q want %q", got, want)
		}
	}
}

func TestServiceValidation(t *testing.T) {
	bad := []queue.Service{
		{Code: "a", NameZH: "x"}, {Code: "ABC", NameZH: "x"}, {Code: "A"},
		{Code: "A", NameZH: "x", DailyCap: 1000},
		{Code: "A", NameZH: "x", Hours: queue.Hours{Spans: []queue.Span{{From: 600, To: 600}}}},
		{Code: "A", NameZH: "x", Slots: []queue.SlotQuota{{Span: queue.Span{From: 1, To: 2}, Max: 0}}},
	}
	for _, s := range bad {
		if queue.ErrorCode(s.Validate()) != queue.CodeInvalid {
			t.Errorf("%+v accepted", s)
		}
	}
}

func TestParseClock(t *testing.T) {
	if c, err := queue.ParseClock("08:30"); err != nil || c != 510 || c.String() != "08:30" {
		t.Fatal(c, err)
	}
	for _, s := range []string{"8:30", "25:00", "12:60", "xx:yy", "24:01"} {
		if _, err := queue.ParseClock(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestPausedServiceIssuesNothing(t *testing.T) {
	svc := queue.Service{Code: "A", NameZH: "社保", Paused: true}
	if err := queue.Admit(svc, t0, queue.DayCounts{}); queue.ErrorCode(err) != queue.CodeServicePaused {
		t.Fatal(err)
	}
}

// Issuing is what kiosks and displays show as "taking numbers now"; it must
// agree with Admit's first two refusals (paused, outside hours).
func TestIssuingAgreesWithAdmit(t *testing.T) {
	s := queue.Service{Code: "A", NameZH: "社会保险",
		Hours: queue.Hours{Weekdays: []time.Weekday{1, 2, 3, 4, 5}, Spans: []queue.Span{{From: 510, To: 720}}}}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, c := range []struct {
		at     time.Time
		paused bool
		want   bool
	}{
		{time.Date(2026, 11, 30, 9, 0, 0, 0, sh), false, true},   // Monday morning
		{time.Date(2026, 11, 30, 9, 0, 0, 0, sh), true, false},   // paused by staff
		{time.Date(2026, 11, 30, 13, 0, 0, 0, sh), false, false}, // lunch
		{time.Date(2026, 11, 29, 9, 0, 0, 0, sh), false, false},  // Sunday
	} {
		s.Paused = c.paused
		if got := s.Issuing(c.at); got != c.want {
			t.Errorf("%v paused=%v: Issuing %v, want %v", c.at, c.paused, got, c.want)
		}
		if admitted := queue.Admit(s, c.at, queue.DayCounts{}) == nil; admitted != c.want {
			t.Errorf("%v paused=%v: Admit says %v, Issuing %v", c.at, c.paused, admitted, c.want)
		}
	}
}
