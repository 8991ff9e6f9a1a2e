package queue_test

import (
	"testing"
	"time"

	"hallq/queue"
)

// The hall's business day follows Asia/Shanghai whatever the machine's zone.
func TestBusinessDayInHallZone(t *testing.T) {
	loc := shanghai(t)
	before := time.Date(2026, 11, 22, 15, 59, 0, 0, time.UTC) // 23:59 in Shanghai
	after := before.Add(time.Minute)                          // 00:00 in Shanghai, still the 22nd in UTC
	if d := queue.BusinessDay(before, loc, ""); d != "2026-11-22" {
		t.Errorf("23:59: %s", d)
	}
	if d := queue.BusinessDay(after, loc, "2026-11-22"); d != "2026-11-23" {
		t.Errorf("00:00: %s", d)
	}
}

func TestBusinessDayNeverGoesBack(t *testing.T) {
	loc := shanghai(t)
	jumpedBack := time.Date(2026, 11, 22, 15, 58, 0, 0, time.UTC) // 23:58 on the 22nd
	if d := queue.BusinessDay(jumpedBack, loc, "2026-11-23"); d != "2026-11-23" {
		t.Fatalf("clock went back over midnight: day %s, want 2026-11-23", d)
	}
}

func TestHoursNextOpeningNever(t *testing.T) {
	h := queue.Hours{Weekdays: []time.Weekday{}, Spans: []queue.Span{{From: 0, To: 1}}}
	h.Weekdays = []time.Weekday{time.Weekday(9)} // a day that never comes
	if _, ok := h.NextOpening(t0); ok {
		t.Fatal("hours that never open reported an opening")
	}
}

// A time of day falls on the hall's date, not the machine's: at 00:30 in
// Shanghai (still the day before in UTC), 08:30 is the same Shanghai
// morning; and the next opening after closing is the next weekday's.
func TestClockTimeOnTheHallsDate(t *testing.T) {
	loc := shanghai(t)
	now := time.Date(2026, 11, 22, 16, 30, 0, 0, time.UTC).In(loc) // Mon 23rd, 00:30 in Shanghai
	if got, want := queue.ClockTime(8*60+30).On(now), time.Date(2026, 11, 23, 8, 30, 0, 0, loc); !got.Equal(want) {
		t.Errorf("08:30 on %s: %s, want %s", now, got, want)
	}
	h := queue.Hours{Weekdays: []time.Weekday{time.Monday, time.Tuesday}, Spans: []queue.Span{{From: 9 * 60, To: 17 * 60}}}
	closed := time.Date(2026, 11, 23, 17, 30, 0, 0, loc)
	if got, ok := h.NextOpening(closed); !ok || !got.Equal(time.Date(2026, 11, 24, 9, 0, 0, 0, loc)) {
		t.Errorf("next opening after Monday's close: %s %v", got, ok)
	}
}
