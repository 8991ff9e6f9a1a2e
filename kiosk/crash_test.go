package kiosk

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hallq/assets/i18n"
	"hallq/devices/vprinter"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/store"
)

// printUntilKilled is the child process of the crash test: a kiosk with its
// embedded hall node and a virtual printer reading at a real 9600 baud, so
// each ticket spends about half a second between its commit and the
// printer's answer, taking numbers until it is killed.
func printUntilKilled(data string) {
	ctx := context.Background()
	l, err := OpenLocal(ctx, LocalConfig{Data: data, KioskID: "crash", Demo: true,
		Virtual: vprinter.Config{Baud: 9600, NoRender: true}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for {
		if _, err := l.TakeNumber(ctx, hall.IssueRequest{Service: "H"}, i18n.ZH); err != nil {
			fmt.Fprintln(os.Stderr, "take:", err)
		}
	}
}

// A kiosk killed (kill -9, a power cut) after a ticket committed and before
// the printer answered leaves a ticket nobody knows the paper of. The next
// start shows it to staff as failed, to reprint or void (invariant 2: never
// silently lost), and the reprint prints that number.
func TestKilledWhilePrintingTicketGoesToStaff(t *testing.T) {
	if testing.Short() {
		t.Skip("real process killed mid-print")
	}
	data := t.TempDir()
	var pending []queue.Ticket
	for try := 0; try < 5 && len(pending) == 0; try++ {
		pending = killMidPrint(t, data)
	}
	if len(pending) == 0 {
		t.Fatal("five kills and never one during a print: the test proves nothing")
	}

	ctx := context.Background()
	l := openLocal(t, LocalConfig{Data: data, KioskID: "crash", Demo: true, Virtual: vprinter.Config{Speedup: 10}})
	failed, err := l.FailedTickets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]queue.Ticket{}
	for _, f := range failed {
		byID[f.ID] = f
	}
	for _, p := range pending {
		if f, ok := byID[p.ID]; !ok || f.Print != queue.PrintFailed {
			t.Fatalf("ticket %s was printing at the kill and is not among staff's failed tickets %v", p.Number, failed)
		}
	}
	evs, err := l.Node.Events(ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	interrupted := 0
	for _, e := range evs {
		if e.Type == "print_failed" && strings.Contains(string(e.Data), "interrupted") {
			interrupted++
		}
	}
	if interrupted != len(pending) {
		t.Fatalf("%d print_failed events for %d interrupted tickets", interrupted, len(pending))
	}

	// Staff reprint it: the printer gets that number, and it leaves the list.
	lost := pending[0]
	if err := l.Reprint(ctx, lost.ID, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	jobs, err := l.Virtual.WaitJobs(wctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if text := jobs[len(jobs)-1].Text(); !strings.Contains(text, lost.Number) {
		t.Fatalf("reprint lacks %s:\n%s", lost.Number, text)
	}
	failed, _ = l.FailedTickets(ctx)
	for _, f := range failed {
		if f.ID == lost.ID {
			t.Fatalf("%s still listed as failed after its reprint", lost.Number)
		}
	}
}

// killMidPrint runs the printing child until a ticket is committed with its
// print pending, kills it with SIGKILL at once, and returns the tickets
// still pending after the kill (none if the print finished in between).
// It opens the hall database once, as soon as the child has created it,
// and polls it through that one store.
func killMidPrint(t *testing.T, data string) []queue.Ticket {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "KIOSK_TEST_ROLE=print-forever", "KIOSK_TEST_DATA="+data)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }() // harmless after the kill below
	ctx := context.Background()
	path := filepath.Join(data, hall.DBFile)
	var db *store.DB
	deadline := time.Now().Add(60 * time.Second)
	for ; db == nil && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			db, _ = store.Open(ctx, path) // nil while the child is still creating it
		}
	}
	if db == nil {
		t.Fatal("the child never created the hall database")
	}
	defer db.Close()
	pending := func() []queue.Ticket {
		var out []queue.Ticket
		db.Read(ctx, func(tx *store.Tx) (err error) {
			out, err = tx.PrintPending(kioskActor("crash"), time.Time{})
			return err
		})
		return out
	}
	for time.Now().Before(deadline) {
		if len(pending()) > 0 {
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			return pending()
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("the child never committed a ticket")
	return nil
}
