package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"hallq/assets/i18n"
	"hallq/devices/printjob"
	"hallq/queue"
	"hallq/queue/hall"
)

// Exit codes, so scripts can tell a refusal from a fault.
const (
	exitOK       = 0
	exitInternal = 1 // storage or program fault
	exitUsage    = 2 // bad command line or input
	exitNotFound = 3 // unknown service, window or ticket
	exitRefused  = 4 // the hall's rules say no (hours, caps, state)
)

// env is what every command gets: parsed common flags and the outputs.
type env struct {
	ctx     context.Context
	data    string
	json    bool
	lang    i18n.Lang
	out     io.Writer
	errOut  io.Writer
	fs      *flag.FlagSet
	args    []string // positional arguments, flags removed
	node    *hall.Node
	openErr error
}

type command struct {
	name    string
	args    string // usage after the name
	summary string
	run     func(e *env) error
	flags   func(fs *flag.FlagSet) // command-specific flags
	noHall  bool                   // does not open the data directory
}

var commands []*command

func register(c *command) { commands = append(commands, c) }

func findCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// usageError is a command line mistake.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func defaultDataDir() string {
	if d := os.Getenv("HALLQ_DATA"); d != "" {
		return d
	}
	return "var/hall"
}

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, out: stdout, errOut: stderr, data: defaultDataDir(), lang: i18n.ZH}
	// Common flags may come before the command...
	global := flag.NewFlagSet("hallq", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	addCommon(global, e)
	if err := global.Parse(args); err != nil {
		return e.fail(usagef("%v", err))
	}
	rest := global.Args()
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		printUsage(stdout)
		return exitOK
	}
	c := findCommand(rest[0])
	if c == nil {
		return e.fail(usagef("unknown command %q; run hallq help", rest[0]))
	}
	// ...or after it.
	fs := flag.NewFlagSet("hallq "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addCommon(fs, e)
	if c.flags != nil {
		c.flags(fs)
	}
	positional, err := parseInterspersed(fs, rest[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "hallq %s %s\n  %s\n", c.name, c.args, c.summary)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return exitOK
		}
		return e.fail(usagef("%s: %v", c.name, err))
	}
	e.fs, e.args = fs, positional
	if !c.noHall {
		node, err := hall.Open(ctx, e.data, hall.Options{})
		if err != nil {
			return e.fail(err)
		}
		defer node.Close()
		e.node = node
	}
	if err := c.run(e); err != nil {
		return e.fail(err)
	}
	return exitOK
}

func addCommon(fs *flag.FlagSet, e *env) {
	fs.StringVar(&e.data, "data", e.data, "the hall's data directory (env HALLQ_DATA)")
	fs.BoolVar(&e.json, "json", e.json, "machine-readable JSON output")
	fs.Func("lang", "language of messages: zh-CN or en", func(s string) error {
		e.lang = i18n.Parse(s)
		return nil
	})
}

// fail reports err in the user's language and returns its exit code. The
// detail is printed too: the operator needs it, and it never holds an ID or
// phone number.
func (e *env) fail(err error) int {
	code, exit := errorCode(err)
	msg := i18n.T(e.lang, "error."+string(code))
	var pe *printjob.PrintError
	if errors.As(err, &pe) {
		// The ticket exists; the printer is what failed, and says why.
		code, exit, msg = "print_failed", exitRefused, i18n.T(e.lang, pe.MessageID())
	}
	detail := err.Error()
	var qe *queue.Error
	if errors.As(err, &qe) {
		detail = qe.Detail
		if qe.Err != nil && code == queue.CodeInternal {
			detail += ": " + qe.Err.Error()
		}
	}
	if e.json {
		enc := json.NewEncoder(e.out)
		enc.SetEscapeHTML(false)
		enc.Encode(map[string]any{"error": map[string]string{"code": string(code), "message": msg, "detail": detail}})
	}
	fmt.Fprintf(e.errOut, "hallq: %s (%s)\n", msg, detail)
	return exit
}

func errorCode(err error) (queue.Code, int) {
	var u usageError
	if errors.As(err, &u) {
		return queue.CodeInvalid, exitUsage
	}
	code := queue.ErrorCode(err)
	switch code {
	case queue.CodeInvalid, queue.CodeInvalidID, queue.CodeConflict:
		return code, exitUsage
	case queue.CodeUnknownService, queue.CodeUnknownWindow, queue.CodeUnknownTicket, queue.CodeUnknownCase, queue.CodeUnknownAppt:
		return code, exitNotFound
	case queue.CodeInternal:
		return code, exitInternal
	}
	return code, exitRefused
}

// emit prints v as JSON with --json, else the human text.
func (e *env) emit(v any, text string) error {
	if e.json {
		enc := json.NewEncoder(e.out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	_, err := fmt.Fprintln(e.out, strings.TrimRight(text, "\n"))
	return err
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "hallq — the queue of one government service hall")
	fmt.Fprintln(w, "\nUsage: hallq [--data DIR] [--json] [--lang zh-CN|en] COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	sorted := append([]*command(nil), commands...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-10s %-34s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nExit codes: 0 ok, 1 internal fault, 2 usage or invalid input, 3 not found, 4 refused by the hall's rules.")
	fmt.Fprintln(w, "Run hallq COMMAND -h for a command's flags.")
}

// emitJSONError prints a structured error with a report (e.g. every bad
// row of an import) before the command fails.
func (e *env) emitJSONError(code queue.Code, report string, err error) error {
	enc := json.NewEncoder(e.out)
	enc.SetEscapeHTML(false)
	return enc.Encode(map[string]any{"report": strings.Split(strings.TrimSpace(report), "\n"), "code": code, "detail": err.Error()})
}

// parseInterspersed parses flags wherever they stand among the positional
// arguments (hallq catalogue list --search sbk), as operators type them;
// "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}
