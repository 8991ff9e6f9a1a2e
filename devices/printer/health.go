package printer

import (
	"context"
	"strings"
	"time"

	"hallq/devices/escpos"
)

// Kind names a health change. The values are stable strings: the lead
// turns them into outbox events.
type Kind string

// Health event kinds.
const (
	KindOnline       Kind = "online"         // reachable and online (again)
	KindOffline      Kind = "offline"        // connected but offline, or not answering
	KindUnplugged    Kind = "unplugged"      // the line is gone
	KindPaperNearEnd Kind = "paper_near_end" // the near-end sensor tripped
	KindPaperOut     Kind = "paper_out"
	KindCoverOpen    Kind = "cover_open"
	KindCutterError  Kind = "cutter_error"
	KindRecovered    Kind = "recovered" // every problem above has cleared
)

// Event is one health change.
type Event struct {
	Kind   Kind
	Time   time.Time
	Detail string
}

// snapshot is what one observation says about the printer.
type snapshot struct {
	unplugged, offline, paperOut, coverOpen, cutter, nearEnd bool
	detail                                                   string
}

func (s snapshot) problem() bool {
	return s.unplugged || s.offline || s.paperOut || s.coverOpen || s.cutter || s.nearEnd
}

func snapshotOf(st escpos.Status) snapshot {
	s := snapshot{
		paperOut:  st.PaperOut || st.PaperStop,
		coverOpen: st.CoverOpen,
		cutter:    st.CutterError,
	}
	s.nearEnd = st.PaperNearEnd && !s.paperOut
	ok, r := st.CanPrint()
	s.offline = !ok && !s.paperOut && !s.coverOpen && !s.cutter
	if !ok {
		s.detail = r.String()
	}
	return s
}

// health turns observations into change events.
type health struct {
	seen bool
	last snapshot
}

// observe records s and queues the events it implies. Called with p.mu.
func (h *health) observe(p *Printer, s snapshot) {
	prev, first := h.last, !h.seen
	h.seen, h.last = true, s
	var out []Event
	add := func(k Kind, detail string) { out = append(out, Event{Kind: k, Time: p.cfg.Now(), Detail: detail}) }
	rise := func(now, before bool) bool { return now && (first || !before) }
	switch {
	case rise(s.unplugged, prev.unplugged):
		add(KindUnplugged, s.detail)
	case rise(s.offline, prev.offline):
		add(KindOffline, s.detail)
	case !s.unplugged && !s.offline && (first || prev.unplugged || prev.offline):
		add(KindOnline, "")
	}
	if rise(s.paperOut, prev.paperOut) {
		add(KindPaperOut, "")
	}
	if rise(s.coverOpen, prev.coverOpen) {
		add(KindCoverOpen, "")
	}
	if rise(s.cutter, prev.cutter) {
		add(KindCutterError, "")
	}
	if rise(s.nearEnd, prev.nearEnd) {
		add(KindPaperNearEnd, "")
	}
	if !first && prev.problem() && !s.problem() {
		add(KindRecovered, strings.TrimSpace(describe(prev)))
	}
	if len(out) == 0 {
		return
	}
	p.events = append(p.events, out...)
	select {
	case p.evSignal <- struct{}{}:
	default:
	}
}

func describe(s snapshot) string {
	var b strings.Builder
	for _, f := range []struct {
		on   bool
		name string
	}{{s.unplugged, "unplugged"}, {s.offline, "offline"}, {s.paperOut, "paper out"}, {s.coverOpen, "cover open"}, {s.cutter, "cutter error"}, {s.nearEnd, "paper near end"}} {
		if f.on {
			b.WriteString(" was " + f.name)
		}
	}
	return b.String()
}

// dispatch delivers events to OnEvent in order, outside the driver's locks.
func (p *Printer) dispatch() {
	defer p.wg.Done()
	for {
		select {
		case <-p.done:
			return
		case <-p.evSignal:
		}
		p.mu.Lock()
		evs := p.events
		p.events = nil
		p.mu.Unlock()
		if p.cfg.OnEvent == nil {
			continue
		}
		for _, e := range evs {
			p.cfg.OnEvent(e)
		}
	}
}

// Monitor polls the printer status every interval while no job runs, so
// that health changes (paper out, cover open, cable pulled and back) are
// reported between tickets too. It returns when ctx ends.
func (p *Printer) Monitor(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.done:
			return
		case <-t.C:
		}
		if !p.line.TryLock() {
			continue // a job is running and reports what it finds
		}
		if c := p.current(); c != nil {
			qctx, cancel := context.WithTimeout(ctx, 4*p.cfg.StatusTimeout)
			p.statusLocked(qctx, c)
			cancel()
		}
		p.line.Unlock()
	}
}
