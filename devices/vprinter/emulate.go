package vprinter

import (
	"context"
	"fmt"
	"io"
)

// Emulate runs a virtual printer until ctx ends: the entry point of
// `hallq printer emulate`. It writes the device path a driver should open
// (and the TCP address, if any) to out, one per line, then a description
// of each printed job (Job.Describe) and where its PNG went.
func Emulate(ctx context.Context, cfg Config, out io.Writer) error {
	p, err := New(cfg)
	if err != nil {
		return err
	}
	defer p.Close()
	fmt.Fprintf(out, "device %s\n", p.Path())
	if a := p.Addr(); a != "" {
		fmt.Fprintf(out, "tcp %s\n", a)
	}
	seen := 0
	for {
		jobs, err := p.WaitJobs(ctx, seen+1)
		for _, j := range jobs[seen:] {
			fmt.Fprintf(out, "%s  saved %s\n", j.Describe(), j.File)
		}
		seen = len(jobs)
		if err != nil {
			return nil
		}
	}
}
