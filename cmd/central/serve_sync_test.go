package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hallq/assets/demohall"
	"hallq/queue"
	"hallq/queue/central"
	"hallq/queue/hall"
	"hallq/queue/hall/hallqtest"
	"hallq/queue/store"
)

// TestServeSyncAndRestoredBackup runs the commands of the issue as real
// processes: central's node add, cases import, catalogue publish and hall
// config; hallq serve --central replicating while tickets are issued by
// other hallq processes; then `hallq backup`, a restore onto a new disk
// and `hallq sync --once` from it. The restored hall must come up as a new
// epoch: the centre keeps both streams, each event once.
func TestServeSyncAndRestoredBackup(t *testing.T) {
	if testing.Short() {
		t.Skip("builds hallq and runs real processes; not with -short")
	}
	self := testBinary(t)
	dir := t.TempDir()
	cdata, hdata := filepath.Join(dir, "central"), filepath.Join(dir, "hall")
	ctx := context.Background()

	centralCmd := func(args ...string) string { return runCentral(t, cdata, args...) }
	hallq := func(data string, args ...string) string {
		return strings.TrimSpace(hallqtest.Run(t, data, "", args...))
	}

	var ini struct{ Hall string }
	json.Unmarshal([]byte(hallq(hdata, "--json", "init", "--demo", "--always-open")), &ini)
	token := centralCmd("node", "add", "--hall", ini.Hall)

	csv := filepath.Join(dir, "cases.csv")
	os.WriteFile(csv, []byte("受理编号,大厅,事项编码,办件类型,申请人,查询码,受理时间,承诺办结日期,状态,办结时间\n"+
		"QS2026119001,"+ini.Hall+",T002,promised,张三丰,8899,2026-11-20 09:30,2026-11-27,processing,\n"), 0o600)
	centralCmd("cases", "import", csv)
	centralCmd("catalogue", "publish", "../../queue/catalogue/testdata/good_items.csv",
		"--materials", "../../queue/catalogue/testdata/good_materials.csv", "--version", "2026.12")
	cfg := demohall.Config()
	cfg.NameEN = "Synced County Hall"
	for i := range cfg.Services {
		cfg.Services[i].Hours, cfg.Services[i].Slots = queue.Hours{}, nil
	}
	cfgDoc, _ := json.Marshal(cfg)
	cfgFile := filepath.Join(dir, "hall.json")
	os.WriteFile(cfgFile, cfgDoc, 0o600)
	centralCmd("hall", "config", cfgFile)

	cp := start(t, self, centralEnv, "--data", cdata, "--listen", "127.0.0.1:0")
	defer cp.kill()
	var addr string
	select {
	case addr = <-cp.addr:
	case <-time.After(20 * time.Second):
		t.Fatal("central did not start")
	}
	url := "http://" + addr
	serve, _ := hallqtest.Serve(t, hdata, "127.0.0.1:0", "--central", url, "--central-token", token)
	for range 5 {
		hallq(hdata, "issue", "--service", "A")
	}

	cst, err := central.OpenSQLite(ctx, filepath.Join(cdata, "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer cst.Close()
	hdb, err := store.Open(ctx, filepath.Join(hdata, hall.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	var caseStatus, catVersion, nameEN string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		st, _ := cst.Stats(ctx)
		hdb.Read(ctx, func(tx *store.Tx) error {
			if c, err := tx.Case("QS2026119001"); err == nil {
				caseStatus = string(c.Status)
			}
			catVersion, _, _ = tx.Catalogue()
			if c, err := tx.Config(); err == nil {
				nameEN = c.NameEN
			}
			return nil
		})
		if st.Tickets >= 5 && caseStatus == "processing" && catVersion == "2026.12" && nameEN == cfg.NameEN {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not sync: centre %+v; hall: case %q catalogue %q name %q", st, caseStatus, catVersion, nameEN)
		}
	}
	serve.Process.Signal(syscall.SIGTERM)
	serve.Wait()

	// A backup, more work, then the disk dies and the backup is restored.
	backup := filepath.Join(dir, "hall-backup.db")
	hallq(hdata, "backup", backup)
	for range 3 {
		hallq(hdata, "issue", "--service", "B")
	}
	hallq(hdata, "sync", "--central", url, "--token", token, "--once")
	node, e1, last1 := nodeState(t, hdb)
	hdb.Close()

	restored := filepath.Join(dir, "restored")
	os.MkdirAll(restored, 0o750)
	b, _ := os.ReadFile(backup)
	os.WriteFile(filepath.Join(restored, hall.DBFile), b, 0o600)
	for range 4 {
		hallq(restored, "issue", "--service", "A")
	}
	hallq(restored, "sync", "--central", url, "--token", token, "--once")
	rdb, err := store.Open(ctx, filepath.Join(restored, hall.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	rnode, e2, last2 := nodeState(t, rdb)
	if rnode != node || e2 == e1 {
		t.Fatalf("restored node %s epoch %s; original %s epoch %s", rnode, e2, node, e1)
	}
	s1, _ := central.StreamSeqs(ctx, cst, ini.Hall, node, e1)
	s2, _ := central.StreamSeqs(ctx, cst, ini.Hall, node, e2)
	if int64(len(s1)) != last1 || len(s2) == 0 || s2[len(s2)-1] != last2 || s2[0] != last2-int64(len(s2))+1 {
		t.Fatalf("centre: epoch %s holds %d (hall wrote %d), epoch %s holds %v (restored hall at %d)", e1, len(s1), last1, e2, s2, last2)
	}
	var pending int64
	rdb.Read(ctx, func(tx *store.Tx) error { pending, err = tx.OutboxPending(); return err })
	if pending != 0 {
		t.Fatalf("restored hall: %d events not acknowledged", pending)
	}
	t.Logf("original epoch %s: %d events; restored epoch %s: %d..%d", e1, len(s1), e2, s2[0], last2)
}

// runCentral runs a central command (this test binary re-executed) over
// the data directory to completion and returns what it printed; hallq
// commands go through hallqtest.Run.
func runCentral(t *testing.T, data string, args ...string) string {
	t.Helper()
	cmd := exec.Command(testBinary(t), append([]string{"--data", data}, args...)...)
	cmd.Env = append(os.Environ(), centralEnv...)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("central %v: %v\n%s%s", args, err, out, stderr)
	}
	return strings.TrimSpace(string(out))
}

func testBinary(t *testing.T) string {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return self
}

// nodeState reads a hall database's node id, current epoch and last event
// sequence.
func nodeState(t *testing.T, db *store.DB) (node, epoch string, last int64) {
	db.Read(context.Background(), func(tx *store.Tx) error {
		node, _ = tx.Meta(store.MetaNodeID)
		epoch, _ = tx.Meta(store.MetaEpoch)
		last, _ = tx.LastSeq()
		return nil
	})
	return
}
