package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"hallq/assets/calendar"
	"hallq/assets/i18n"
	"hallq/devices/a4"
	"hallq/queue"
	"hallq/queue/catalogue"
	"hallq/queue/workdays"
)

func init() {
	var materialsFile string
	register(&command{
		name: "catalogue", args: "import FILE [--materials M.csv] | list [--search TEXT]", summary: "the service catalogue (办事指南目录)",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&materialsFile, "materials", "", "import: the materials CSV keyed by item code (with an items CSV)")
			fs.StringVar(&searchFlag, "search", "", "list: name, keyword or pinyin initials")
		},
		run: func(e *env) error {
			args := e.args
			switch {
			case len(args) == 2 && args[0] == "import":
				return importCatalogue(e, args[1], materialsFile)
			case len(args) == 1 && args[0] == "list":
				return listCatalogue(e)
			}
			return usagef("catalogue: want import FILE or list")
		},
	})

	var pdf, caseNo, reasons string
	register(&command{
		name: "guide", args: "CODE --pdf FILE.pdf", summary: "the A4 service guide of an item",
		flags: func(fs *flag.FlagSet) { fs.StringVar(&pdf, "pdf", "", "write the PDF here") },
		run: func(e *env) error {
			if len(e.args) != 1 || pdf == "" {
				return usagef("guide: want CODE --pdf FILE.pdf")
			}
			it, hallInfo, opts, err := itemAndHall(e, e.args[0])
			if err != nil {
				return err
			}
			return writePDF(e, pdf, func(b *bytes.Buffer) error { return a4.WriteGuide(b, hallInfo, it, opts) })
		},
	})

	register(&command{
		name: "notice", args: "materials CODE --missing 1,3 | deadline CASE | refusal CASE --reasons R --pdf F", summary: "A4 notices: 一次性告知书, 办结时限告知书, 不予受理说明",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&pdf, "pdf", "", "write the PDF here")
			fs.StringVar(&missingFlag, "missing", "", "materials: 1-based numbers of the missing materials")
			fs.StringVar(&caseNo, "case", "", "materials: the case number, if the case was accepted")
			fs.StringVar(&reasons, "reasons", "", "refusal: reasons, separated by ;")
		},
		run: func(e *env) error {
			args := e.args
			if len(args) != 2 || pdf == "" {
				return usagef("notice: want materials CODE, deadline CASE or refusal CASE, and --pdf FILE.pdf")
			}
			switch args[0] {
			case "materials":
				it, hallInfo, opts, err := itemAndHall(e, args[1])
				if err != nil {
					return err
				}
				missing, err := a4.ParseMissing(missingFlag)
				if err != nil {
					return usagef("notice: --missing: %v", err)
				}
				var c *a4.Case
				if caseNo != "" {
					c = &a4.Case{Number: caseNo, ItemCode: it.Code}
				}
				return writePDF(e, pdf, func(b *bytes.Buffer) error { return a4.WriteMaterialsNotice(b, hallInfo, it, missing, c, opts) })
			case "deadline", "refusal":
				cs, err := e.node.CaseByNumber(e.ctx, args[1])
				if err != nil {
					return err
				}
				it, hallInfo, opts, err := itemAndHall(e, cs.ItemCode)
				if err != nil {
					return err
				}
				c := a4.Case{Number: cs.Number, Applicant: cs.ApplicantMasked, ItemCode: cs.ItemCode, Accepted: cs.AcceptedAt}
				if cs.PromisedDate != "" {
					if d, err := time.ParseInLocation(queue.DayLayout, cs.PromisedDate, opts.Location); err == nil {
						c.Promised = d
					}
				}
				if args[0] == "deadline" {
					return writePDF(e, pdf, func(b *bytes.Buffer) error { return a4.WriteDeadlineNotice(b, hallInfo, it, c, opts) })
				}
				rs := splitNonEmpty(reasons, ";")
				if len(rs) == 0 && cs.Note != "" {
					rs = []string{cs.Note}
				}
				if len(rs) == 0 {
					return usagef("notice refusal: give --reasons")
				}
				return writePDF(e, pdf, func(b *bytes.Buffer) error { return a4.WriteRefusalNotice(b, hallInfo, it, c, rs, opts) })
			}
			return usagef("notice: %q is not materials, deadline or refusal", args[0])
		},
	})

	register(&command{
		name: "workdays", args: "add DATE N | check DATE", summary: "working-day arithmetic with the hall's holiday calendar",
		run: func(e *env) error {
			args := e.args
			_, loc, err := e.node.Config(e.ctx)
			if err != nil {
				return err
			}
			cal, err := loadCalendar(e.data, loc)
			if err != nil {
				return err
			}
			switch {
			case len(args) == 3 && args[0] == "add":
				start, err := cal.ParseDate(args[1])
				if err != nil {
					return usagef("workdays: %v", err)
				}
				n, err := strconv.Atoi(args[2])
				if err != nil || n < 0 {
					return usagef("workdays: %q is not a number of working days", args[2])
				}
				end, err := cal.AddWorkdays(start, n)
				if err != nil {
					return calendarError(err)
				}
				out := map[string]any{"start": args[1], "workdays": n, "date": end.Format(queue.DayLayout), "provisional": cal.Provisional(end.Year())}
				return e.emit(out, i18n.T(e.lang, "cli.workdays_result", args[1], n, end.Format(queue.DayLayout)))
			case len(args) == 2 && args[0] == "check":
				d, err := cal.ParseDate(args[1])
				if err != nil {
					return usagef("workdays: %v", err)
				}
				ok, err := cal.IsWorkday(d)
				if err != nil {
					return calendarError(err)
				}
				return e.emit(map[string]any{"date": args[1], "workday": ok}, fmt.Sprintf("%s: %v", args[1], ok))
			}
			return usagef("workdays: want add DATE N or check DATE")
		},
	})
}

var searchFlag string

func splitNonEmpty(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// loadCalendar returns the embedded holiday calendar, with year files the
// centre dropped into DATA/calendar/ replacing the embedded ones.
func loadCalendar(dataDir string, loc *time.Location) (*workdays.Calendar, error) {
	cal, err := calendar.Load(loc)
	if err != nil {
		return nil, &queue.Error{Code: queue.CodeInternal, Detail: "calendar", Err: err}
	}
	files, _ := filepath.Glob(filepath.Join(dataDir, "calendar", "*.json"))
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			return nil, &queue.Error{Code: queue.CodeInternal, Detail: "calendar " + f, Err: err}
		}
		err = cal.LoadYear(r)
		r.Close()
		if err != nil {
			return nil, &queue.Error{Code: queue.CodeInvalid, Detail: "calendar " + f, Err: err}
		}
	}
	return cal, nil
}

func calendarError(err error) error {
	if errors.Is(err, workdays.ErrOutOfRange) {
		return &queue.Error{Code: queue.CodeInvalid, Detail: "the holiday calendar does not cover that date", Err: err}
	}
	return &queue.Error{Code: queue.CodeInvalid, Err: err}
}

func importCatalogue(e *env, file, materials string) error {
	f, err := os.Open(file)
	if err != nil {
		return usagef("catalogue import: %v", err)
	}
	defer f.Close()
	var cat *catalogue.Catalogue
	if strings.HasSuffix(strings.ToLower(file), ".json") {
		cat, err = catalogue.ParseJSON(f)
	} else {
		if materials == "" {
			return usagef("catalogue import: an items CSV needs --materials M.csv")
		}
		m, merr := os.Open(materials)
		if merr != nil {
			return usagef("catalogue import: %v", merr)
		}
		defer m.Close()
		cat, err = catalogue.ParseCSV(f, m)
	}
	if err != nil {
		var ve *catalogue.ValidationError
		if errors.As(err, &ve) {
			if e.json {
				return e.emitJSONError(queue.CodeInvalid, ve.Report(), ve)
			}
			fmt.Fprintln(e.errOut, ve.Report())
		}
		return &queue.Error{Code: queue.CodeInvalid, Detail: "catalogue import refused; nothing was imported", Err: err}
	}
	if err := e.node.PutCatalogue(e.ctx, cat, "cli"); err != nil {
		return err
	}
	return e.emit(map[string]any{"version": cat.Version(), "items": cat.Len()}, i18n.T(e.lang, "cli.catalogue_imported", cat.Version(), cat.Len()))
}

func listCatalogue(e *env) error {
	cat, err := e.node.Catalogue(e.ctx)
	if err != nil {
		return err
	}
	items := cat.Items()
	if searchFlag != "" {
		items = cat.Search(searchFlag)
	}
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "%-16s %-2s %s\n", it.Code, it.Service, it.Name.In(string(e.lang)))
	}
	if items == nil {
		items = []catalogue.Item{}
	}
	return e.emit(items, b.String())
}

func itemAndHall(e *env, code string) (catalogue.Item, a4.Hall, a4.Options, error) {
	cat, err := e.node.Catalogue(e.ctx)
	if err != nil {
		return catalogue.Item{}, a4.Hall{}, a4.Options{}, err
	}
	it, err := cat.Lookup(code)
	if err != nil {
		return it, a4.Hall{}, a4.Options{}, queue.Errorf(queue.CodeUnknownService, "no catalogue item %s", code)
	}
	cfg, loc, err := e.node.Config(e.ctx)
	if err != nil {
		return it, a4.Hall{}, a4.Options{}, err
	}
	cal, err := loadCalendar(e.data, loc)
	if err != nil {
		return it, a4.Hall{}, a4.Options{}, err
	}
	return it, a4.Hall{Name: cfg.NameZH, Address: cfg.Address, Hours: cfg.Hours, Phone: cfg.Phone},
		a4.Options{Lang: e.lang, Now: e.node.Now(), Location: loc, CatalogueVersion: cat.Version(), Calendar: cal}, nil
}

func writePDF(e *env, path string, write func(*bytes.Buffer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return &queue.Error{Code: queue.CodeInternal, Detail: "pdf", Err: err}
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return usagef("%v", err)
	}
	return e.emit(map[string]any{"pdf": path, "bytes": b.Len()}, i18n.T(e.lang, "cli.pdf_written", path))
}
