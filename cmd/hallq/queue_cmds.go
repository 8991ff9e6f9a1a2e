package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"hallq/assets/demohall"
	"hallq/assets/i18n"
	"hallq/queue"
	"hallq/queue/hall"
)

func init() {
	var demo, alwaysOpen bool
	var configFile string
	register(&command{
		name: "init", args: "--demo | --config FILE", summary: "make the data directory a hall",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&demo, "demo", false, "the demo county hall (8 services, 14 windows)")
			fs.StringVar(&configFile, "config", "", "a hall configuration (JSON)")
			fs.BoolVar(&alwaysOpen, "always-open", false, "issue at any hour (a 24-hour demo or test hall)")
		},
		run: func(e *env) error {
			var cfg queue.HallConfig
			switch {
			case demo && configFile != "":
				return usagef("init: give --demo or --config, not both")
			case demo:
				cfg = demohall.Config()
			case configFile != "":
				b, err := os.ReadFile(configFile)
				if err != nil {
					return usagef("init: %v", err)
				}
				if err := json.Unmarshal(b, &cfg); err != nil {
					return usagef("init: %s: %v", configFile, err)
				}
			default:
				return usagef("init: give --demo or --config FILE")
			}
			if alwaysOpen {
				for i := range cfg.Services {
					cfg.Services[i].Hours = queue.Hours{}
					cfg.Services[i].Slots = nil
				}
			}
			if err := e.node.Init(e.ctx, cfg); err != nil {
				return err
			}
			if demo {
				// The demo hall comes with its catalogue, cases and today's appointments.
				if err := demohall.Seed(e.ctx, e.node); err != nil {
					return err
				}
			}
			return e.emit(map[string]any{"hall": cfg.ID, "name": cfg.NameZH, "services": len(cfg.Services), "windows": len(cfg.Windows), "data": e.data},
				i18n.T(e.lang, "cli.initialised", cfg.NameZH, len(cfg.Services), len(cfg.Windows), e.data))
		},
	})

	var service, priority, citizenID, apptID, apptAt string
	register(&command{
		name: "issue", args: "--service A [--priority P] [--id ID]", summary: "take a number",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&service, "service", "", "service code (A, B, ...)")
			fs.StringVar(&priority, "priority", "", "normal, appointment, green, elderly, disabled, pregnant, soldier")
			fs.StringVar(&citizenID, "id", "", "resident ID number, for one-ticket-per-citizen services (only its hash is kept)")
			fs.StringVar(&apptID, "appointment", "", "appointment code, with --priority appointment")
			fs.StringVar(&apptAt, "at", "", "appointment time HH:MM today, with --appointment")
		},
		run: func(e *env) error {
			if service == "" {
				return usagef("issue: --service is required")
			}
			p, err := queue.ParsePriority(priority)
			if err != nil {
				return err
			}
			_, loc, err := e.node.Config(e.ctx)
			if err != nil {
				return err
			}
			req := hall.IssueRequest{Service: strings.ToUpper(service), Priority: p, CitizenID: citizenID, AppointmentID: apptID, Actor: "cli"}
			if apptAt != "" {
				c, err := queue.ParseClock(apptAt)
				if err != nil {
					return err
				}
				now := e.node.Now().In(loc)
				at := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc).Add(time.Duration(c) * time.Minute)
				req.AppointmentAt = &at
			}
			is, err := e.node.Issue(e.ctx, req)
			if err != nil {
				return err
			}
			v := hall.IssuedView(is, loc)
			return e.emit(v, i18n.T(e.lang, "cli.issued", v.Number, v.Service, is.Estimate.PeopleAhead, (is.Estimate.Seconds+59)/60))
		},
	})

	var window int
	var requestID string
	register(&command{
		name: "call", args: "--window N [--request-id R]", summary: "call the next number to a window",
		flags: func(fs *flag.FlagSet) {
			fs.IntVar(&window, "window", 0, "window number")
			fs.StringVar(&requestID, "request-id", "", "idempotency key: a repeated request returns the same ticket")
		},
		run: func(e *env) error {
			if window <= 0 {
				return usagef("call: --window is required")
			}
			t, err := e.node.CallNext(e.ctx, window, requestID, fmt.Sprintf("cli:window:%d", window))
			if err != nil {
				return err
			}
			return e.emitTicket(t, i18n.T(e.lang, "cli.called", t.Number, window))
		},
	})

	for _, a := range []struct {
		name    string
		action  queue.Action
		summary string
		to      bool
	}{
		{"recall", queue.ActRecall, "call the window's number again (then no-show past the limit)", false},
		{"start", queue.ActStart, "the citizen is at the window", false},
		{"finish", queue.ActFinish, "the service is done", false},
		{"no-show", queue.ActNoShow, "the called citizen did not come", false},
		{"park", queue.ActPark, "set the ticket aside (挂起)", false},
		{"return", queue.ActReturn, "a parked ticket goes back to the queue", false},
		{"rejoin", queue.ActRejoin, "a late citizen rejoins after a no-show", false},
		{"cancel", queue.ActCancel, "withdraw or void a waiting ticket", false},
		{"transfer", queue.ActTransfer, "send the ticket to another service's queue", true},
	} {
		a := a
		var window int
		var ticket, to, reason string
		register(&command{
			name: a.name, args: "--window N | --ticket A001" + map[bool]string{true: " --to B"}[a.to], summary: a.summary,
			flags: func(fs *flag.FlagSet) {
				fs.IntVar(&window, "window", 0, "acting window")
				fs.StringVar(&ticket, "ticket", "", "ticket number of today (A001) or id (2026-11-22/A001)")
				if a.to {
					fs.StringVar(&to, "to", "", "target service code")
				}
				if a.action == queue.ActCancel {
					fs.StringVar(&reason, "reason", "withdrawn", "why: withdrawn, void, ...")
				}
			},
			run: func(e *env) error {
				if window == 0 && ticket == "" {
					return usagef("%s: give --window or --ticket", a.name)
				}
				actor := "cli"
				if window > 0 {
					actor = fmt.Sprintf("cli:window:%d", window)
				}
				t, err := e.node.Act(e.ctx, hall.ActRequest{Action: a.action, Window: window, Ticket: ticket,
					Service: strings.ToUpper(to), Reason: reason, Actor: actor})
				if err != nil {
					return err
				}
				return e.emitTicket(t, i18n.T(e.lang, "cli.ticket_state", t.Number, i18n.T(e.lang, "state."+string(t.State))))
			},
		})
	}

	register(&command{
		name: "window", args: "open|pause|close N", summary: "open, pause or close a window",
		run: func(e *env) error {
			args := e.args
			if len(args) != 2 {
				return usagef("window: want open|pause|close and a window number")
			}
			state := map[string]queue.WindowState{"open": queue.WindowOpen, "pause": queue.WindowPaused, "close": queue.WindowClosed}[args[0]]
			if state == "" {
				return usagef("window: %q is not open, pause or close", args[0])
			}
			n, err := strconv.Atoi(args[1])
			if err != nil {
				return usagef("window: %q is not a window number", args[1])
			}
			w, err := e.node.SetWindowState(e.ctx, n, state, "cli")
			if err != nil {
				return err
			}
			return e.emit(w, i18n.T(e.lang, "cli.window_state", w.Number, i18n.T(e.lang, "window."+string(w.State))))
		},
	})

	var date string
	register(&command{
		name: "tickets", args: "[--date YYYY-MM-DD]", summary: "list a business day's tickets",
		flags: func(fs *flag.FlagSet) { fs.StringVar(&date, "date", "", "business day (default today)") },
		run: func(e *env) error {
			if date != "" {
				if _, err := time.Parse(queue.DayLayout, date); err != nil {
					return usagef("tickets: --date %q is not YYYY-MM-DD", date)
				}
			}
			ts, err := e.node.Tickets(e.ctx, date)
			if err != nil {
				return err
			}
			_, loc, err := e.node.Config(e.ctx)
			if err != nil {
				return err
			}
			views := make([]hall.TicketView, 0, len(ts))
			var b strings.Builder
			for _, t := range ts {
				v := hall.View(t, loc)
				views = append(views, v)
				fmt.Fprintf(&b, "%-6s %-3s %-12s %-10s %s\n", v.Number, v.Service, v.State, v.Priority, v.IssuedAt)
			}
			return e.emit(views, b.String())
		},
	})

	var after int64
	var limit int
	register(&command{
		name: "events", args: "[--after SEQ] [--limit N]", summary: "list the outbox (events to replicate)",
		flags: func(fs *flag.FlagSet) {
			fs.Int64Var(&after, "after", 0, "list events after this sequence")
			fs.IntVar(&limit, "limit", 1000, "at most this many")
		},
		run: func(e *env) error {
			evs, err := e.node.Events(e.ctx, after, limit)
			if err != nil {
				return err
			}
			var b strings.Builder
			for _, ev := range evs {
				fmt.Fprintf(&b, "%8d %-14s %-16s w%-3d %-18s %s\n", ev.Seq, ev.Type, ev.TicketID, ev.Window, ev.Actor, ev.At.Format(time.RFC3339))
			}
			if evs == nil {
				evs = nil
				return e.emit([]any{}, b.String())
			}
			return e.emit(evs, b.String())
		},
	})

	register(&command{
		name: "sweep", summary: "close what is left of earlier business days",
		run: func(e *env) error {
			n, err := e.node.Sweep(e.ctx, "cli")
			if err != nil {
				return err
			}
			return e.emit(map[string]int{"closed": n}, i18n.T(e.lang, "cli.swept", n))
		},
	})

	register(&command{
		name: "queue", summary: "people waiting and the wait estimate per service",
		run: func(e *env) error {
			st, err := e.node.QueueState(e.ctx)
			if err != nil {
				return err
			}
			var b strings.Builder
			for _, s := range st {
				fmt.Fprintf(&b, "%-2s %-12s %s\n", s.Service.Code, s.Service.Name(string(e.lang)),
					i18n.T(e.lang, "cli.queue_line", s.Waiting, (s.Estimate.Seconds+59)/60))
			}
			return e.emit(st, b.String())
		},
	})

	register(&command{
		name: "backup", args: "FILE", summary: "write a consistent copy of the hall database",
		run: func(e *env) error {
			if len(e.args) != 1 {
				return usagef("backup: want the backup file's path")
			}
			path := e.args[0]
			if err := e.node.DB().Backup(e.ctx, path); err != nil {
				return &queue.Error{Code: queue.CodeInternal, Detail: "backup", Err: err}
			}
			return e.emit(map[string]string{"backup": path}, path)
		},
	})

	register(&command{
		name: "check", summary: "check the database's integrity",
		run: func(e *env) error {
			res, err := e.node.DB().IntegrityCheck(e.ctx)
			if err != nil {
				return &queue.Error{Code: queue.CodeInternal, Detail: "integrity check", Err: err}
			}
			if res != "ok" {
				return &queue.Error{Code: queue.CodeInternal, Detail: "integrity check: " + res}
			}
			return e.emit(map[string]string{"integrity": res}, res)
		},
	})
}

func (e *env) emitTicket(t queue.Ticket, text string) error {
	_, loc, err := e.node.Config(e.ctx)
	if err != nil {
		return err
	}
	return e.emit(hall.View(t, loc), text)
}
