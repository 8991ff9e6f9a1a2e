package kiosk

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"hallq/assets/i18n"
	"hallq/devices/vprinter"
	"hallq/queue/central"
	"hallq/queue/replica"
)

// A kiosk with an embedded node and a centre: a number taken through the
// screens reaches the centre, over HTTP, through the replication loop the
// kiosk runs in the background.
func TestEmbeddedKioskSyncsATicket(t *testing.T) {
	if testing.Short() {
		t.Skip("pty, printer and a centre over HTTP")
	}
	ctx := context.Background()
	st, err := central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := httptest.NewServer((&central.Service{Store: st}).Handler())
	defer srv.Close()

	l := openLocal(t, LocalConfig{Virtual: vprinter.Config{Speedup: 10}})
	cfg, _, err := l.Node.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	token, err := st.AddClient(ctx, cfg.ID, central.KindNode, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.StartSync(replica.Config{Central: srv.URL}); err == nil {
		t.Fatal("sync without a credential started")
	}
	stop, err := l.StartSync(replica.Config{Central: srv.URL, Token: token, Log: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	k, w := newTestKiosk(t, l, time.Now, i18n.ZH)
	tapTile(t, w, "取号")
	tapTile(t, w, "H  综合窗口")
	tapTile(t, w, "普通取号")
	tapTile(t, w, "确认取号")
	wantScreen(t, k, "ticket")

	deadline := time.Now().Add(20 * time.Second)
	for {
		s, err := st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if s.Tickets == 1 {
			t.Logf("the centre has the ticket: %+v", s)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the centre has no ticket after 20 s: %+v", s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
