package queue

import (
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a time.Duration written in configuration files as "10m" or
// "1h30m" rather than as nanoseconds.
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string such as \"10m\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// HallConfig is everything that defines one hall's queue.
type HallConfig struct {
	ID      string   `json:"id"` // the hall's id at the centre, e.g. "330102-01"
	NameZH  string   `json:"name_zh"`
	NameEN  string   `json:"name_en"`
	Zone    string   `json:"zone"` // IANA time zone; default Asia/Shanghai
	Address string   `json:"address"`
	Phone   string   `json:"phone"`
	Hours   string   `json:"hours"`   // opening hours as told to citizens
	Notices []string `json:"notices"` // printed on every ticket, e.g. 过号无效，请重新取号
	// StatusURL is the base of the link in each ticket's QR code.
	StatusURL   string       `json:"status_url"`
	Policy      PolicyConfig `json:"policy"`
	RecallLimit int          `json:"recall_limit"`
	RejoinGrace Duration     `json:"rejoin_grace"`
	Services    []Service    `json:"services"`
	Windows     []Window     `json:"windows"`
}

// Rules returns the transition rules of the hall.
func (h HallConfig) Rules() Rules {
	r := DefaultRules
	if h.RecallLimit > 0 {
		r.RecallLimit = h.RecallLimit
	}
	if h.RejoinGrace > 0 {
		r.RejoinGrace = h.RejoinGrace.D()
	}
	return r
}

// Validate checks the whole hall: services, windows and policy.
func (h HallConfig) Validate() error {
	if h.ID == "" || h.NameZH == "" {
		return Errorf(CodeInvalid, "a hall needs an id and a Chinese name")
	}
	if _, err := LoadZone(h.Zone); err != nil {
		return err
	}
	if _, err := NewPolicy(h.Policy); err != nil {
		return err
	}
	services := map[string]Service{}
	for _, s := range h.Services {
		if err := s.Validate(); err != nil {
			return err
		}
		if _, dup := services[s.Code]; dup {
			return Errorf(CodeInvalid, "service %s defined twice", s.Code)
		}
		services[s.Code] = s
	}
	seen := map[int]bool{}
	for _, w := range h.Windows {
		if err := w.Validate(services); err != nil {
			return err
		}
		if seen[w.Number] {
			return Errorf(CodeInvalid, "window %d defined twice", w.Number)
		}
		seen[w.Number] = true
	}
	return nil
}
