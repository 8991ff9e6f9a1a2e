package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hallq/assets/i18n"
	"hallq/devices/a4"
	"hallq/devices/escpos"
	"hallq/devices/printer"
	"hallq/devices/printjob"
	"hallq/devices/receipt"
	"hallq/devices/vprinter"
	"hallq/queue"
	"hallq/queue/hall"
)

// printTarget is where `hallq print` sends its bytes: a serial printer, a
// file of raw ESC/POS, or a PNG of how the paper would look.
type printTarget struct {
	port, out, png, profile string
	baud                    int
}

func (p *printTarget) flags(fs *flag.FlagSet) {
	fs.StringVar(&p.port, "port", "", "serial port of the thermal printer, e.g. /dev/ttyUSB0")
	fs.StringVar(&p.out, "out", "", "write the ESC/POS bytes to this file")
	fs.StringVar(&p.png, "png", "", "render the paper to this PNG")
	fs.StringVar(&p.profile, "profile", "80", "printer profile: 80, 58 or 80raster")
	fs.IntVar(&p.baud, "baud", 9600, "baud rate of the serial port")
}

func (p *printTarget) escposProfile() (escpos.Profile, error) {
	switch p.profile {
	case "80":
		return escpos.Generic80, nil
	case "58":
		return escpos.Generic58, nil
	case "80raster":
		return escpos.Generic80Raster, nil
	}
	return escpos.Profile{}, usagef("unknown printer profile %q (80, 58, 80raster)", p.profile)
}

func (p *printTarget) check() error {
	n := 0
	for _, s := range []string{p.port, p.out, p.png} {
		if s != "" {
			n++
		}
	}
	if n != 1 {
		return usagef("give exactly one of --port, --out, --png")
	}
	return nil
}

// openDriver opens the serial printer with the node's saved paper counter.
func (p *printTarget) openDriver(e *env, onEvent func(printer.Event)) (*printer.Printer, error) {
	prof, err := p.escposProfile()
	if err != nil {
		return nil, err
	}
	cfg := printer.ConfigFor(prof)
	cfg.Baud, cfg.OnEvent = p.baud, onEvent
	return printer.Open(printer.SerialOpener(printer.SerialConfig{Name: p.port, Baud: p.baud}), cfg), nil
}

// emitBytes writes data to the file or PNG target.
func (p *printTarget) emitBytes(e *env, data []byte) error {
	if p.out != "" {
		if err := os.WriteFile(p.out, data, 0o644); err != nil {
			return usagef("%v", err)
		}
		return e.emit(map[string]any{"out": p.out, "bytes": len(data)}, fmt.Sprintf("%s: %d bytes", p.out, len(data)))
	}
	prof, _ := p.escposProfile()
	jobs, err := vprinter.RenderBytes(data, prof.Dots)
	if err != nil {
		return &queue.Error{Code: queue.CodeInternal, Detail: "render", Err: err}
	}
	if len(jobs) == 0 {
		return &queue.Error{Code: queue.CodeInternal, Detail: "nothing to render"}
	}
	if err := os.WriteFile(p.png, jobs[0].PNG, 0o644); err != nil {
		return usagef("%v", err)
	}
	return e.emit(map[string]any{"png": p.png, "bytes": len(data), "length_mm": jobs[0].LengthMM()}, fmt.Sprintf("%s: %d bytes, %.0f mm", p.png, len(data), jobs[0].LengthMM()))
}

// service builds the print service over a serial printer. Only one driver
// may read a port: a second would take the first one's status replies.
func (p *printTarget) service(e *env) (*printjob.Service, *printer.Printer, error) {
	prof, err := p.escposProfile()
	if err != nil {
		return nil, nil, err
	}
	svc := printjob.New(e.node, nil, prof)
	svc.SetDevice("printer:" + p.port)
	drv, err := p.openDriver(e, svc.PrinterEvent)
	if err != nil {
		return nil, nil, err
	}
	svc.SetDriver(drv)
	return svc, drv, nil
}

func init() {
	var target printTarget
	var force bool
	register(&command{
		name: "print", args: "ticket NUMBER | guide CODE | materials CODE [--missing 1,3]", summary: "print on the thermal printer, or render to a file or PNG",
		flags: func(fs *flag.FlagSet) {
			target.flags(fs)
			fs.BoolVar(&force, "force", false, "print a ticket that already printed (the citizen lost it)")
			fs.StringVar(&missingFlag, "missing", "", "materials: 1-based numbers of the missing materials")
		},
		run: func(e *env) error {
			args := e.args
			if len(args) != 2 {
				return usagef("print: want ticket NUMBER, guide CODE or materials CODE")
			}
			if err := target.check(); err != nil {
				return err
			}
			switch args[0] {
			case "ticket":
				return printTicket(e, &target, args[1], force)
			case "guide", "materials":
				return printItem(e, &target, args[0], args[1])
			}
			return usagef("print: %q is not ticket, guide or materials", args[0])
		},
	})

	var pt printTarget
	var dir, tcp string
	var speed float64
	register(&command{
		name: "printer", args: "status|restocked --port P | emulate [--dir D]", summary: "the thermal printer: status, new roll, or the virtual printer",
		flags: func(fs *flag.FlagSet) {
			pt.flags(fs)
			fs.StringVar(&dir, "dir", "", "emulate: save each printed job as PNG here")
			fs.StringVar(&tcp, "tcp", "", "emulate: also listen on this loopback address, e.g. 127.0.0.1:9100")
			fs.Float64Var(&speed, "speedup", 1, "emulate: run the line this many times faster than the baud rate")
		},
		run: func(e *env) error {
			args := e.args
			if len(args) != 1 {
				return usagef("printer: want status, restocked or emulate")
			}
			switch args[0] {
			case "emulate":
				cfg := vprinter.Config{Dir: dir, Baud: pt.baud, Speedup: speed, TCP: tcp != ""}
				if dir != "" {
					cfg.Link = filepath.Join(dir, "ttyPrinter")
				}
				return vprinter.Emulate(e.ctx, cfg, e.out)
			case "status", "restocked":
				if pt.port == "" {
					return usagef("printer %s: --port is required", args[0])
				}
				svc, drv, err := pt.service(e)
				if err != nil {
					return err
				}
				defer drv.Close()
				if args[0] == "restocked" {
					if err := svc.Restocked(e.ctx); err != nil {
						return err
					}
				}
				return printerStatus(e, &pt, svc, drv)
			}
			return usagef("printer: %q is not status, restocked or emulate", args[0])
		},
	})
}

var missingFlag string

func printerStatus(e *env, pt *printTarget, svc *printjob.Service, drv *printer.Printer) error {
	ctx, cancel := context.WithTimeout(e.ctx, 3*time.Second)
	defer cancel()
	st, serr := drv.Status(ctx)
	h := svc.Health()
	out := map[string]any{"port": pt.port, "paper_remaining_mm": h.PaperRemainingMM, "paper_used_mm": h.PaperUsedMM, "restocked_at": h.RestockedAt}
	text := ""
	if serr != nil {
		out["reachable"], out["error"] = false, serr.Error()
		text = i18n.T(e.lang, "print.status.unknown")
	} else {
		ok, reason := st.CanPrint()
		out["reachable"], out["can_print"], out["status"] = true, ok, st
		out["message"] = i18n.T(e.lang, reason.MessageID())
		text = i18n.T(e.lang, reason.MessageID())
	}
	text += fmt.Sprintf(" (%s: %.1f m / %.1f m)", pt.port, h.PaperRemainingMM/1000, (h.PaperRemainingMM+h.PaperUsedMM)/1000)
	return e.emit(out, text)
}

func printTicket(e *env, target *printTarget, number string, force bool) error {
	cfg, loc, err := e.node.Config(e.ctx)
	if err != nil {
		return err
	}
	ts, err := e.node.Tickets(e.ctx, "")
	if err != nil {
		return err
	}
	var t *queue.Ticket
	for i := range ts {
		if ts[i].Number == strings.ToUpper(number) || ts[i].ID == number {
			t = &ts[i]
		}
	}
	if t == nil {
		return queue.Errorf(queue.CodeUnknownTicket, "no ticket %s today", number)
	}
	if target.port == "" {
		prof, err := target.escposProfile()
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := receipt.WriteTicket(escpos.New(&buf, prof), printjob.TicketLayout(cfg, loc, hall.Issued{Ticket: *t})); err != nil {
			return &queue.Error{Code: queue.CodeInternal, Detail: "layout", Err: err}
		}
		return target.emitBytes(e, buf.Bytes())
	}
	svc, drv, err := target.service(e)
	if err != nil {
		return err
	}
	defer drv.Close()
	if t.Print == queue.Printed && !force {
		return queue.Errorf(queue.CodeInvalidTransition, "ticket %s already printed; use --force to print it again", t.Number)
	}
	if t.Print != queue.PrintFailed {
		// An operator's explicit print: record it as failed-then-reprinted so
		// the outbox shows who printed it again.
		if _, err := e.node.RecordPrint(e.ctx, t.ID, errors.New("reprint requested by operator"), "cli"); err != nil {
			return err
		}
	}
	if err := svc.Reprint(e.ctx, t.ID, "cli", e.lang); err != nil {
		return err
	}
	return e.emit(map[string]string{"printed": t.Number, "port": target.port}, i18n.T(e.lang, "cli.printed", t.Number, target.port))
}

func printItem(e *env, target *printTarget, kind, code string) error {
	cat, err := e.node.Catalogue(e.ctx)
	if err != nil {
		return err
	}
	it, err := cat.Lookup(code)
	if err != nil {
		return queue.Errorf(queue.CodeUnknownService, "no catalogue item %s", code)
	}
	var missing []int
	if kind == "materials" && missingFlag != "" {
		if missing, err = a4.ParseMissing(missingFlag); err != nil {
			return err
		}
	}
	if target.port != "" {
		svc, drv, err := target.service(e)
		if err != nil {
			return err
		}
		defer drv.Close()
		if kind == "guide" {
			err = svc.PrintGuide(e.ctx, it, e.lang)
		} else {
			err = svc.PrintMaterials(e.ctx, it, missing, e.lang)
		}
		if err != nil {
			return err
		}
		return e.emit(map[string]string{"printed": code, "port": target.port}, i18n.T(e.lang, "cli.printed", code, target.port))
	}
	// Offline rendering: the same layout through a service whose "printer"
	// captures the bytes.
	prof, err := target.escposProfile()
	if err != nil {
		return err
	}
	cap := &captureDriver{}
	svc := printjob.New(e.node, cap, prof)
	if kind == "guide" {
		err = svc.PrintGuide(e.ctx, it, e.lang)
	} else {
		err = svc.PrintMaterials(e.ctx, it, missing, e.lang)
	}
	if err != nil {
		return err
	}
	return target.emitBytes(e, cap.data)
}

// captureDriver keeps the bytes of the last job instead of printing them.
type captureDriver struct{ data []byte }

func (c *captureDriver) PrintJob(_ context.Context, j printer.Job) (printer.Result, error) {
	c.data = append([]byte(nil), j.Data...)
	return printer.Result{Sent: len(j.Data)}, nil
}
func (c *captureDriver) PaperState() printer.Paper   { return printer.Paper{} }
func (c *captureDriver) SetPaper(float64, time.Time) {}
func (c *captureDriver) Restocked()                  {}
