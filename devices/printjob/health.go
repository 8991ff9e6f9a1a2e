package printjob

import (
	"context"
	"time"

	"hallq/devices/printer"
)

// stateOf maps a health change to the state staff see.
var stateOf = map[printer.Kind]string{
	printer.KindOnline:       "ok",
	printer.KindRecovered:    "ok",
	printer.KindOffline:      "offline",
	printer.KindUnplugged:    "unplugged",
	printer.KindPaperNearEnd: "near_end",
	printer.KindPaperOut:     "paper_out",
	printer.KindCoverOpen:    "cover_open",
	printer.KindCutterError:  "cutter_error",
}

// PrinterEvent takes a health change from the driver (wire it as
// printer.Config.OnEvent): the state staff see changes, and the change
// becomes a hall event, so it replicates and displays can show it.
func (s *Service) PrinterEvent(e printer.Event) {
	s.update(func(h *Health) {
		if st, ok := stateOf[e.Kind]; ok {
			h.State = st
		}
		if e.Kind != printer.KindOnline && e.Kind != printer.KindRecovered && e.Detail != "" {
			h.LastError = e.Detail
		}
	})
	h := s.Health()
	s.node.DeviceEvent(context.Background(), s.device, string(e.Kind), map[string]any{
		"state": h.State, "detail": e.Detail, "paper_remaining_mm": h.PaperRemainingMM, "at": e.Time})
}

// Health returns the printer's current state.
func (s *Service) Health() Health {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.withPaper(s.health)
}

// Restocked records a new paper roll.
func (s *Service) Restocked(ctx context.Context) error {
	drv, err := s.driver()
	if err != nil {
		return err
	}
	drv.Restocked()
	p := drv.PaperState()
	if err := s.node.DeviceEvent(ctx, s.device, "restocked", paperState{UsedMM: p.UsedMM, RestockedAt: p.RestockedAt}); err != nil {
		return err
	}
	s.update(func(h *Health) {
		if h.State == "near_end" || h.State == "paper_out" {
			h.State = "ok"
		}
	})
	return nil
}

// Subscribe returns a channel of health changes and a function that ends
// the subscription. A slow subscriber misses intermediate states, never the
// latest: each send replaces what it has not read.
func (s *Service) Subscribe() (<-chan Health, func()) {
	ch := make(chan Health, 1)
	s.mu.Lock()
	if s.subs == nil {
		s.subs = map[chan Health]struct{}{}
	}
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		if _, ok := s.subs[ch]; ok {
			delete(s.subs, ch)
			close(ch)
		}
		s.mu.Unlock()
	}
}

func (s *Service) update(fn func(*Health)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.health
	fn(&h)
	h.Updated = time.Now()
	s.health = h
	h = s.withPaper(h)
	for ch := range s.subs {
		select {
		case <-ch:
		default:
		}
		ch <- h
	}
}
