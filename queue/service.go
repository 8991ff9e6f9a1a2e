package queue

import (
	"fmt"
	"strings"
	"time"
)

// ClockTime is a time of day in minutes after midnight, in the hall's zone.
type ClockTime int

// ParseClock parses "HH:MM" (24 h). "24:00" is allowed as the end of a day.
func ParseClock(s string) (ClockTime, error) {
	var h, m int
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || len(s) != 5 || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, Errorf(CodeInvalid, "time of day %q is not HH:MM", s)
	}
	return ClockTime(h*60 + m), nil
}

func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// On is the instant at time of day c on the date of day, in day's zone.
func (c ClockTime) On(day time.Time) time.Time {
	midnight := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, day.Location())
	return midnight.Add(time.Duration(c) * time.Minute)
}

// ClockOf returns the time of day of t, which must already be in the hall's zone.
func ClockOf(t time.Time) ClockTime { return ClockTime(t.Hour()*60 + t.Minute()) }

// Span is a half-open interval of the day [From, To).
type Span struct {
	From ClockTime `json:"from"`
	To   ClockTime `json:"to"`
}

func (s Span) Contains(c ClockTime) bool { return c >= s.From && c < s.To }

// Hours says when a service issues tickets: on the given weekdays, within any
// of the spans (a lunch break is two spans).
type Hours struct {
	Weekdays []time.Weekday `json:"weekdays"`
	Spans    []Span         `json:"spans"`
}

// Open reports whether t (in the hall's zone) is within the hours. Empty
// hours mean always open, as in a 24-hour self-service area.
func (h Hours) Open(t time.Time) bool {
	if len(h.Spans) == 0 {
		return true
	}
	if !h.onDay(t.Weekday()) {
		return false
	}
	c := ClockOf(t)
	for _, s := range h.Spans {
		if s.Contains(c) {
			return true
		}
	}
	return false
}

func (h Hours) onDay(d time.Weekday) bool {
	if len(h.Weekdays) == 0 {
		return true
	}
	for _, w := range h.Weekdays {
		if w == d {
			return true
		}
	}
	return false
}

// NextOpening returns the first moment at or after t when the hours open,
// looking at most 14 days ahead; ok is false when they never open.
func (h Hours) NextOpening(t time.Time) (time.Time, bool) {
	if h.Open(t) {
		return t, true
	}
	for i := 0; i < 15; i++ {
		d := t.AddDate(0, 0, i)
		if !h.onDay(d.Weekday()) {
			continue
		}
		best := time.Time{}
		for _, s := range h.Spans {
			at := s.From.On(d)
			if at.Before(t) {
				continue
			}
			if best.IsZero() || at.Before(best) {
				best = at
			}
		}
		if !best.IsZero() {
			return best, true
		}
	}
	return time.Time{}, false
}

// SlotQuota limits the tickets issued for a service within a span of the day.
type SlotQuota struct {
	Span
	Max int `json:"max"`
}

// Service is a queue in the hall, such as social insurance (A). Its code is
// also the prefix of its ticket numbers.
type Service struct {
	Code     string `json:"code"` // one or two capital letters; the ticket prefix
	NameZH   string `json:"name_zh"`
	NameEN   string `json:"name_en"`
	Category string `json:"category"`
	Hours    Hours  `json:"hours"`
	// DailyCap is the most tickets issued in one business day; 0 means no cap.
	DailyCap int         `json:"daily_cap"`
	Slots    []SlotQuota `json:"slots,omitempty"`
	// OnePerCitizen asks for an ID number and allows one waiting ticket per
	// citizen: the ID is hashed and never stored.
	OnePerCitizen bool `json:"one_per_citizen"`
	// PriorityAllowed lets citizens declare a priority class at the kiosk.
	PriorityAllowed bool `json:"priority_allowed"`
	// AvgServiceSeconds seeds the wait estimate before real service times exist.
	AvgServiceSeconds int `json:"avg_service_seconds"`
	// Paused stops issuing for the service (staff at the kiosk or the
	// manager), whatever the hours say; tickets already issued are served.
	Paused bool `json:"paused,omitempty"`
}

// Issuing says whether s issues tickets at now (in the hall's zone): not
// paused by staff and within its hours. Caps and quotas are Admit's.
func (s Service) Issuing(now time.Time) bool { return !s.Paused && s.Hours.Open(now) }

// Validate checks a service definition.
func (s Service) Validate() error {
	if len(s.Code) < 1 || len(s.Code) > 2 || strings.ToUpper(s.Code) != s.Code || strings.IndexFunc(s.Code, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return Errorf(CodeInvalid, "service code %q must be one or two capital letters", s.Code)
	}
	if s.NameZH == "" {
		return Errorf(CodeInvalid, "service %s has no Chinese name", s.Code)
	}
	if s.DailyCap < 0 || s.AvgServiceSeconds < 0 {
		return Errorf(CodeInvalid, "service %s: negative cap or service time", s.Code)
	}
	if s.DailyCap > 999 {
		return Errorf(CodeInvalid, "service %s: daily cap %d exceeds the three-digit numbering (999)", s.Code, s.DailyCap)
	}
	for _, sp := range s.Hours.Spans {
		if sp.From >= sp.To {
			return Errorf(CodeInvalid, "service %s: empty issuing span %s-%s", s.Code, sp.From, sp.To)
		}
	}
	for _, q := range s.Slots {
		if q.From >= q.To || q.Max <= 0 {
			return Errorf(CodeInvalid, "service %s: bad slot quota %s-%s max %d", s.Code, q.From, q.To, q.Max)
		}
	}
	return nil
}

// Name returns the service's name in the language tag ("en" or Chinese).
func (s Service) Name(lang string) string {
	if lang == "en" && s.NameEN != "" {
		return s.NameEN
	}
	return s.NameZH
}

// WindowState is whether a window calls tickets.
type WindowState string

const (
	WindowOpen   WindowState = "open"
	WindowPaused WindowState = "paused" // staffed soon; shows 暂停服务
	WindowClosed WindowState = "closed"
)

func (s WindowState) Valid() bool {
	return s == WindowOpen || s == WindowPaused || s == WindowClosed
}

// WindowService is a service a window serves, with its weight: a window
// serving A with weight 3 and H with weight 1 takes A about three times as
// often when both have been waiting equally long.
type WindowService struct {
	Code   string `json:"code"`
	Weight int    `json:"weight"`
}

// Window is a service counter.
type Window struct {
	Number   int             `json:"number"`
	Name     string          `json:"name"`
	Services []WindowService `json:"services"`
	State    WindowState     `json:"state"`
}

// Weight returns the window's weight for a service, 0 if it does not serve it.
func (w Window) Weight(code string) int {
	for _, s := range w.Services {
		if s.Code == code {
			return s.Weight
		}
	}
	return 0
}

// Serves reports whether the window serves the service.
func (w Window) Serves(code string) bool { return w.Weight(code) > 0 }

// Validate checks a window definition against the hall's services.
func (w Window) Validate(services map[string]Service) error {
	if w.Number <= 0 || w.Number > 999 {
		return Errorf(CodeInvalid, "window number %d out of range 1-999", w.Number)
	}
	if !w.State.Valid() {
		return Errorf(CodeInvalid, "window %d: state %q", w.Number, w.State)
	}
	if len(w.Services) == 0 {
		return Errorf(CodeInvalid, "window %d serves no service", w.Number)
	}
	for _, s := range w.Services {
		if _, ok := services[s.Code]; !ok {
			return Errorf(CodeUnknownService, "window %d serves unknown service %q", w.Number, s.Code)
		}
		if s.Weight <= 0 {
			return Errorf(CodeInvalid, "window %d: weight for %s must be positive", w.Number, s.Code)
		}
	}
	return nil
}
