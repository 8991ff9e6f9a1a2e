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
	a := send(t, method, url, token, contentType, "", body)
	return a.status, a.code, a.body
}

// rawKey sends a JSON request under an idempotency key.
func rawKey(t testing.TB, method, url, token, key, body string) (int, queue.Code, string) {
	t.Helper()
	a := send(t, method, url, token, "application/json", key, body)
	return a.status, a.code, a.body
}

// answer is what the node answered to a request sent by send.
type answer struct {
	status      int
	code        queue.Code // the error body's code, if any
	body        string
	contentType string
}

// send sends a request with the headers given (empty: left out).
func send(t testing.TB, method, url, token, contentType, key, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for h, v := range map[string]string{"Content-Type": contentType, "Idempotency-Key": key} {
		if v != "" {
			req.Header.Set(h, v)
		}
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var eb httpapi.ErrorBody
	json.Unmarshal(b, &eb)
	return answer{status: resp.StatusCode, code: eb.Error.Code, body: string(b), contentType: resp.Header.Get("Content-Type")}
}
