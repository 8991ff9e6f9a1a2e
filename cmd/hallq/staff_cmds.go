package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"hallq/assets/i18n"
	"hallq/queue"
	"hallq/queue/staff"
	"hallq/queue/store"
)

// stdin is where hallq user add reads the password; tests replace it.
var stdin io.Reader = os.Stdin

func (e *env) in() io.Reader { return stdin }

func init() {
	var name, role string
	register(&command{
		name: "user", args: "add --name N --role clerk|manager|maintainer", summary: "add a staff account (password on stdin)",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&name, "name", "", "account name")
			fs.StringVar(&role, "role", "clerk", "clerk, manager or maintainer")
		},
		run: func(e *env) error {
			if len(e.args) != 1 || e.args[0] != "add" {
				return usagef("user: want add")
			}
			r, err := staff.ParseRole(role)
			if err != nil {
				return err
			}
			if name == "" {
				return usagef("user add: --name is required")
			}
			pw, _ := bufio.NewReader(e.in()).ReadString('\n')
			pw = strings.TrimRight(pw, "\r\n")
			if pw == "" {
				return usagef("user add: give the password on standard input")
			}
			hash, err := staff.HashPassword(pw)
			if err != nil {
				return err
			}
			a, err := e.node.AddAccount(e.ctx, name, string(r), hash, "cli")
			if err != nil {
				return err
			}
			return e.emit(a, fmt.Sprintf("%s (%s)", a.Name, a.Role))
		},
	})

	var kind, devName string
	var window int
	register(&command{
		name: "device", args: "add --kind kiosk|display|led|pad [--name N] [--window W]", summary: "add a device and print its token once",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&kind, "kind", "", "kiosk, display, led or pad (a window's rating pad)")
			fs.StringVar(&devName, "name", "", "device name (default kind-window)")
			fs.IntVar(&window, "window", 0, "the window of a rating pad or LED display")
		},
		run: func(e *env) error {
			if len(e.args) != 1 || e.args[0] != "add" {
				return usagef("device: want add")
			}
			k, err := staff.ParseDeviceKind(kind)
			if err != nil {
				return err
			}
			if k == staff.Pad && window <= 0 {
				return usagef("device add: a rating pad needs --window")
			}
			if devName == "" {
				devName = fmt.Sprintf("%s-%d", k, window)
			}
			token := staff.NewToken(staff.DevicePrefix)
			d, err := e.node.AddDevice(e.ctx, k, devName, window, staff.HashToken(token), "cli")
			if err != nil {
				return err
			}
			// The token is shown once; only its hash is kept.
			return e.emit(map[string]any{"device": d, "token": token}, token)
		},
	})
}

func init() {
	var date string
	var flagged bool
	register(&command{
		name: "ratings", args: "[--date YYYY-MM-DD] [--flagged]", summary: "a day's ratings (好差评); --flagged: the low ones to follow up",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&date, "date", "", "business day (default today)")
			fs.BoolVar(&flagged, "flagged", false, "only low ratings, flagged for the hall manager to follow up")
		},
		run: func(e *env) error {
			if date != "" {
				if _, err := time.Parse(queue.DayLayout, date); err != nil {
					return usagef("ratings: --date %q is not YYYY-MM-DD", date)
				}
			}
			rs, err := e.node.Ratings(e.ctx, date)
			if err != nil {
				return err
			}
			out := []store.Rating{}
			var text strings.Builder
			for _, r := range rs {
				if flagged && !r.Flagged {
					continue
				}
				out = append(out, r)
				_, number, _ := strings.Cut(r.TicketID, "/")
				reasons := make([]string, len(r.Reasons))
				for i, x := range r.Reasons {
					reasons[i] = i18n.T(e.lang, "web.reason."+x)
				}
				fmt.Fprintf(&text, "%s  %-5s %s  %-8s %s  %s %s\n", r.At.Format("15:04"), number,
					i18n.T(e.lang, "web.window.label", r.Window), r.Clerk, i18n.T(e.lang, fmt.Sprintf("web.rating.%d", r.Level)),
					strings.Join(reasons, ", "), r.Comment)
			}
			return e.emit(out, text.String())
		},
	})
}
