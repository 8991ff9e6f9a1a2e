package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"hallq/assets/demohall"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/store"
)

// The test binary doubles as the hallq program and as a many-goroutine
// issuer, so the crash test kills real processes running the real code.
func TestMain(m *testing.M) {
	switch os.Getenv("HALLQ_TEST_ROLE") {
	case "hallq":
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	case "issuer":
		issueForever(os.Getenv("HALLQ_DATA"))
	}
	os.Exit(m.Run())
}

// issueForever issues tickets from several goroutines until killed.
func issueForever(dir string) {
	n, err := hall.Open(context.Background(), dir, hall.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	services := []string{"A", "B", "C", "H"}
	var once sync.Once
	for g := 0; g < 4; g++ {
		go func(g int) {
			for i := 0; ; i++ {
				_, err := n.Issue(context.Background(), hall.IssueRequest{Service: services[(g+i)%len(services)], Actor: "crash-test"})
				if err != nil && queue.ErrorCode(err) != queue.CodeDailyCap {
					fmt.Fprintln(os.Stderr, "issue:", err)
				}
				if err == nil {
					// Tells the test that this process is issuing, so its
					// kill lands in the middle of commits however slow the
					// machine is to start a process.
					once.Do(func() { fmt.Println("issuing") })
				}
			}
		}(g)
	}
	select {}
}

func writeAlwaysOpenConfig(t *testing.T, dir string) string {
	cfg := demohall.Config()
	for i := range cfg.Services {
		cfg.Services[i].Hours = queue.Hours{}
		cfg.Services[i].Slots = nil
		cfg.Services[i].DailyCap = 0
		cfg.Services[i].OnePerCitizen = false
	}
	b, _ := json.Marshal(cfg)
	path := filepath.Join(dir, "hall.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func self(role string, data string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "HALLQ_TEST_ROLE="+role, "HALLQ_DATA="+data)
	return cmd
}

// Several processes issue into one database while the test kills them with
// SIGKILL at random moments, round after round. Afterwards the database is
// intact, every service's numbers are exactly 001..N, and every ticket has
// its event and outbox row.
func TestCrashWhileIssuing(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped with -short")
	}
	data := t.TempDir()
	cfgPath := writeAlwaysOpenConfig(t, t.TempDir())
	if out, err := self("hallq", data, "init", "--config", cfgPath).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	// Rounds go on until enough tickets committed to prove something, so a
	// loaded machine (slow process starts) runs more rounds, not a weaker
	// test; 8 rounds at the least, 60 at the most.
	const minRounds, maxRounds, enough = 8, 60, 200
	rounds := 0
	for ; rounds < maxRounds; rounds++ {
		if rounds >= minRounds && committedTickets(t, data) >= enough {
			break
		}
		var wg sync.WaitGroup
		for i := 0; i < 2; i++ {
			p := self("issuer", data)
			out, err := p.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Start(); err != nil {
				t.Fatal(err)
			}
			wg.Add(1)
			go func(p *exec.Cmd, delay time.Duration) {
				defer wg.Done()
				// Kill a random moment after the first commit (or after
				// 30 s if it never commits: the check below then fails).
				first := make(chan struct{})
				go func() { bufio.NewReader(out).ReadString('\n'); close(first) }()
				select {
				case <-first:
				case <-time.After(30 * time.Second):
				}
				time.Sleep(delay)
				p.Process.Signal(syscall.SIGKILL)
				p.Wait()
			}(p, time.Duration(rng.Intn(300))*time.Millisecond)
		}
		for i := 0; i < 4; i++ {
			p := self("hallq", data, "issue", "--service", []string{"A", "B", "C", "H"}[i], "--json")
			if err := p.Start(); err != nil {
				t.Fatal(err)
			}
			wg.Add(1)
			go func(p *exec.Cmd, delay time.Duration) {
				defer wg.Done()
				time.Sleep(delay)
				p.Process.Signal(syscall.SIGKILL)
				p.Wait()
			}(p, time.Duration(50+rng.Intn(400))*time.Millisecond)
		}
		wg.Wait()
	}

	// The whole database, after the storm.
	db, err := store.Open(context.Background(), filepath.Join(data, hall.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if res, err := db.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
	var tickets []queue.Ticket
	var events map[string][2]int
	var outbox []store.OutboxEvent
	err = db.Read(context.Background(), func(tx *store.Tx) (err error) {
		if tickets, err = tx.AllTickets(); err != nil {
			return err
		}
		if events, err = tx.EventCountsByTicket(); err != nil {
			return err
		}
		outbox, err = tx.Events(0, 1<<30)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tickets) < 100 {
		t.Fatalf("only %d tickets committed: the storm was too weak to prove anything", len(tickets))
	}
	// A ticket's queue position is the sequence of the event that issued it
	// (hall.writeTx.queuePos), so positions are unique and in commit order.
	issuedAt := map[string]int64{}
	for _, e := range outbox {
		if e.Type == "issued" {
			issuedAt[e.TicketID] = e.Seq
		}
	}
	seen := map[[2]string]map[int]bool{}
	for _, k := range tickets {
		if k.QueuePos != issuedAt[k.ID] {
			t.Fatalf("%s: queue position %d, issued by event %d", k.ID, k.QueuePos, issuedAt[k.ID])
		}
		key := [2]string{k.Day, k.Number[:1]}
		if seen[key] == nil {
			seen[key] = map[int]bool{}
		}
		if k.Number != queue.NumberFor(key[1], k.Seq) || k.ID != queue.TicketID(k.Day, k.Number) {
			t.Fatalf("ticket %s: number %s, seq %d", k.ID, k.Number, k.Seq)
		}
		if seen[key][k.Seq] {
			t.Fatalf("%s issued twice", k.ID)
		}
		seen[key][k.Seq] = true
		if c := events[k.ID]; c[0] < 1 || c[1] < 1 {
			t.Fatalf("%s has %d events and %d outbox rows", k.ID, c[0], c[1])
		}
	}
	// Numbers are taken from the last committed ticket (store.Tx.IssueInputs):
	// exactly 1..N committed means none was given twice and none was lost.
	for key, nums := range seen {
		for i := 1; i <= len(nums); i++ {
			if !seen[key][i] {
				t.Fatalf("%v: number %d missing: a gap", key, i)
			}
		}
	}
	for i, e := range outbox {
		if e.Seq != int64(i+1) {
			t.Fatalf("outbox gap at %d (seq %d)", i+1, e.Seq)
		}
	}
	t.Logf("%d rounds, %d tickets committed, %d events, numbers gap-free", rounds, len(tickets), len(outbox))
}

// committedTickets counts the tickets in the database between rounds.
func committedTickets(t *testing.T, data string) int {
	db, err := store.Open(context.Background(), filepath.Join(data, hall.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	err = db.Read(context.Background(), func(tx *store.Tx) error {
		tickets, err := tx.AllTickets()
		n = len(tickets)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
