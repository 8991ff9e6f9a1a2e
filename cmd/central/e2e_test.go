package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"hallq/queue/central"
	"hallq/queue/hall"
	"hallq/queue/hall/hallqtest"
	"hallq/queue/replica"
	"hallq/queue/store"
)

// The test binary doubles as the central program, so the end-to-end test
// SIGKILLs real processes running the real code.
func TestMain(m *testing.M) {
	if os.Getenv("CENTRAL_TEST_ROLE") == "central" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// proc is a started program whose stderr we scan.
type proc struct {
	cmd  *exec.Cmd
	addr chan string
	done chan struct{}
}

var listening = regexp.MustCompile(`listening on https?://(\S+)`)

func start(t *testing.T, name string, env []string, args ...string) *proc {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	stderr, _ := cmd.StderrPipe()
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, addr: make(chan string, 1), done: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				p.addr <- m[1]
			}
			if testing.Verbose() {
				t.Log(name[strings.LastIndexByte(name, '/')+1:] + ": " + sc.Text())
			}
		}
		cmd.Wait()
		close(p.done)
	}()
	return p
}

func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// flakyProxy forwards TCP to target with latency, resets, answers cut
// after the centre committed, and partitions.
type flakyProxy struct {
	ln        net.Listener
	target    atomic.Value // string
	faults    atomic.Bool
	partition atomic.Bool
	rnd       *rand.Rand
	mu        sync.Mutex
	conns     map[net.Conn]bool
}

func newProxy(t *testing.T, seed uint64) *flakyProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &flakyProxy{ln: ln, rnd: rand.New(rand.NewPCG(seed, 3)), conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.dropAll() })
	go p.serve()
	return p
}

func (p *flakyProxy) intn(n int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rnd.IntN(n)
}

func (p *flakyProxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = true
	} else {
		delete(p.conns, c)
	}
}

func (p *flakyProxy) dropAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

func (p *flakyProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

func (p *flakyProxy) handle(c net.Conn) {
	p.track(c, true)
	defer p.track(c, false)
	defer c.Close()
	if p.partition.Load() {
		// A partition: the connection hangs until the partition ends.
		for p.partition.Load() {
			time.Sleep(20 * time.Millisecond)
		}
		return
	}
	up, err := net.Dial("tcp", p.target.Load().(string))
	if err != nil {
		return
	}
	p.track(up, true)
	defer p.track(up, false)
	defer up.Close()
	mode := 0
	if p.faults.Load() {
		mode = p.intn(10) // 0-5 latency only, 6 reset early, 7 cut the answer, 8 slow, 9 clean
	}
	go func() {
		if mode == 6 {
			io.CopyN(up, c, int64(p.intn(300)))
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
			up.Close()
			return
		}
		io.Copy(up, c)
	}()
	if mode <= 5 || mode == 8 {
		time.Sleep(time.Duration(p.intn(30)) * time.Millisecond)
	}
	if mode == 7 {
		// The centre answers (it has committed); the node never hears.
		buf := make([]byte, 1)
		up.Read(buf)
		c.(*net.TCPConn).SetLinger(0)
		return
	}
	if mode == 8 {
		for {
			buf := make([]byte, 512)
			n, err := up.Read(buf)
			if n > 0 {
				time.Sleep(5 * time.Millisecond)
				if _, err := c.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
	io.Copy(c, up)
}

// centralEnv makes this test binary run as the central program
// (TestMain) in the processes the tests start.
var centralEnv = []string{"CENTRAL_TEST_ROLE=central"}

// TestRealProcesses runs hallq sync --follow and central as processes
// with a flaky proxy between them, SIGKILLs either at random while the
// hall keeps writing, and then checks that the centre holds every event of
// the hall exactly once, with equal checksums.
func TestRealProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds hallq and runs real processes; not with -short")
	}
	self := testBinary(t)
	hallqBin := hallqtest.Hallq(t)
	dir := t.TempDir()
	cdata, hdata := filepath.Join(dir, "central"), filepath.Join(dir, "hall")

	var ini struct{ Hall string }
	json.Unmarshal([]byte(hallqtest.Run(t, hdata, "", "--json", "init", "--demo", "--always-open")), &ini)
	token := runCentral(t, cdata, "node", "add", "--hall", ini.Hall)

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, 1))
	proxy := newProxy(t, seed)
	proxy.faults.Store(true)
	startCentral := func() *proc {
		p := start(t, self, centralEnv, "--data", cdata, "--listen", "127.0.0.1:0")
		select {
		case a := <-p.addr:
			proxy.target.Store(a)
		case <-time.After(20 * time.Second):
			t.Fatal("central did not start")
		}
		return p
	}
	url := "http://" + proxy.ln.Addr().String()
	startSync := func() *proc {
		return start(t, hallqBin, nil, "--data", hdata, "sync", "--central", url, "--token", token, "--follow")
	}
	cp, sp := startCentral(), startSync()
	defer func() { cp.kill(); sp.kill() }()

	// The hall keeps working: events written by this process into the
	// hall's database, as the node would.
	db, err := store.Open(context.Background(), filepath.Join(hdata, hall.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			err := db.Write(context.Background(), func(tx *store.Tx) error {
				for j := range 20 {
					id := fmt.Sprintf("T%d-%d", i, j)
					if _, err := tx.AppendEvent("call", id, 3, "window:3", time.Now(), map[string]any{"id": id, "service": "A", "number": "A001", "state": "called"}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Error(err)
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	deadline := time.Now().Add(12 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(time.Duration(200+rnd.IntN(800)) * time.Millisecond)
		switch rnd.IntN(5) {
		case 0:
			cp.kill()
			cp = startCentral()
		case 1:
			sp.kill()
			sp = startSync()
		case 2:
			proxy.partition.Store(true)
			time.Sleep(time.Duration(500+rnd.IntN(1500)) * time.Millisecond)
			proxy.partition.Store(false)
			proxy.dropAll()
		}
	}
	close(stop)
	wg.Wait()
	sp.kill()
	proxy.faults.Store(false)
	var last error
	for range 20 {
		c := exec.Command(hallqBin, "--data", hdata, "sync", "--central", url, "--token", token, "--once")
		o, err := c.CombinedOutput()
		if last = err; err == nil {
			t.Logf("final sync: %s", strings.TrimSpace(string(o)))
			break
		}
		t.Logf("final sync failed: %v %s", err, o)
		time.Sleep(300 * time.Millisecond)
	}
	if last != nil {
		t.Fatalf("sync never completed: %v", last)
	}
	node, epoch, lastSeq := nodeState(t, db)
	var ps store.PushState
	db.Read(context.Background(), func(tx *store.Tx) (err error) {
		ps, err = tx.PushState(epoch)
		return err
	})
	st, err := central.OpenSQLite(context.Background(), filepath.Join(cdata, "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seqs, err := central.StreamSeqs(context.Background(), st, ini.Hall, node, epoch)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(seqs)) != lastSeq || seqs[len(seqs)-1] != lastSeq {
		t.Fatalf("centre holds %d events (last %d), the hall wrote %d", len(seqs), seqs[len(seqs)-1], lastSeq)
	}
	resp, err := st.Ingest(context.Background(), ini.Hall, &replica.PushRequest{Node: node, Epoch: epoch}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if resp.Count != ps.Count || resp.Sum != ps.Sum || resp.HighWater != ps.Acked {
		t.Fatalf("checksums differ: centre %+v, hall %+v", resp, ps)
	}
	t.Logf("%d events exactly once at the centre; checksum %d/%d", lastSeq, resp.Count, resp.Sum)
}
