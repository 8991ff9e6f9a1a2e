package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"hallq/assets/demohall"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/hall/httpapi"
	"hallq/queue/staff"
)

func init() { staff.BcryptCost = bcrypt.MinCost }

// testHall is the demo hall open at all hours, with windows 15..31 added
// for service A so that twenty windows (1-3 and 15-31) can race for one
// queue.
func testHall() queue.HallConfig {
	cfg := demohall.Config()
	for i := range cfg.Services {
		cfg.Services[i].Hours = queue.Hours{}
		cfg.Services[i].Slots = nil
		cfg.Services[i].DailyCap = 0
		cfg.Services[i].OnePerCitizen = false
	}
	for i := range cfg.Windows {
		cfg.Windows[i].State = queue.WindowOpen
	}
	for n := 15; n <= 31; n++ {
		cfg.Windows = append(cfg.Windows, queue.Window{Number: n, Name: "测试窗口", State: queue.WindowOpen,
			Services: []queue.WindowService{{Code: "A", Weight: 1}}})
	}
	return cfg
}

type fixture struct {
	node *hall.Node
	srv  *httpapi.Server
	url  string
}

func newFixture(t testing.TB, opts httpapi.Options) *fixture {
	return newFixtureAt(t, opts, nil)
}

// newFixtureAt is newFixture with the hall's clock (nil: time.Now).
func newFixtureAt(t testing.TB, opts httpapi.Options, now func() time.Time) *fixture {
	t.Helper()
	ctx := context.Background()
	n, err := hall.Open(ctx, t.TempDir(), hall.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Init(ctx, testHall()); err != nil {
		t.Fatal(err)
	}
	srv, err := httpapi.New(n, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(); n.Close() })
	return &fixture{node: n, srv: srv, url: srv.URL()}
}

func (f *fixture) user(t testing.TB, name, role string) *httpapi.Client {
	t.Helper()
	h, err := staff.HashPassword("password-" + name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.node.AddAccount(context.Background(), name, role, h, "test"); err != nil {
		t.Fatal(err)
	}
	c := &httpapi.Client{BaseURL: f.url}
	if _, err := c.Login(context.Background(), name, "password-"+name); err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) device(t testing.TB, kind string, window int) *httpapi.Client {
	t.Helper()
	tok := staff.NewToken(staff.DevicePrefix)
	if _, err := f.node.AddDevice(context.Background(), kind, fmt.Sprintf("%s-%d", kind, window), window, staff.HashToken(tok), "test"); err != nil {
		t.Fatal(err)
	}
	return &httpapi.Client{BaseURL: f.url, Token: tok}
}

func (f *fixture) seq(t testing.TB) int64 {
	t.Helper()
	s, err := f.node.Snapshot(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return s.Seq
}

// raw sends a request and returns the status and decoded error code.
func raw(t testing.TB, method, url, token, contentType, body string) (int, queue.Code, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var eb httpapi.ErrorBody
	json.Unmarshal(b, &eb)
	return resp.StatusCode, eb.Error.Code, string(b)
}
