package httpapi_test

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/hall/httpapi"
)

// Every refused request gets its status and code and writes no event.
func TestRefusalsChangeNothing(t *testing.T) {
	f := newFixture(t, httpapi.Options{MaxBody: 1024})
	ctx := context.Background()
	kiosk := f.device(t, "kiosk", 0)
	display := f.device(t, "display", 0)
	pad2 := f.device(t, "pad", 2)
	clerk := f.user(t, "li", "clerk")
	other := f.user(t, "zhao", "clerk")
	maint := f.user(t, "sun", "maintainer")
	manager := f.user(t, "wang", "manager")
	for _, w := range []struct {
		c *httpapi.Client
		n int
	}{{clerk, 1}, {other, 2}} {
		if err := w.c.SignIn(ctx, w.n); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		kiosk.Issue(ctx, hall.IssueRequest{Service: "A"})
	}
	if _, err := other.CallNext(ctx, 2, "", ""); err != nil { // A001 at window 2
		t.Fatal(err)
	}
	if err := f.node.SetServiceOpen(ctx, "B", false, "test"); err != nil {
		t.Fatal(err)
	}
	big := `{"service":"A","pad":"` + strings.Repeat("x", 2000) + `"}`
	cases := []struct {
		name, method, path, token, ctype, body string
		status                                 int
		code                                   queue.Code
	}{
		{"no token", "POST", "/api/v1/windows/1/call", "", "", "", 401, httpapi.CodeUnauthorized},
		{"no token read", "GET", "/api/v1/snapshot", "", "", "", 401, httpapi.CodeUnauthorized},
		{"malformed token", "POST", "/api/v1/windows/1/call", "hs_nonsense", "", "", 401, httpapi.CodeUnauthorized},
		{"unknown session", "POST", "/api/v1/windows/1/call", "hs_" + strings.Repeat("A", 43), "", "", 401, httpapi.CodeUnauthorized},
		{"unknown device", "POST", "/api/v1/tickets", "hd_" + strings.Repeat("A", 43), "application/json", `{"service":"A"}`, 401, httpapi.CodeUnauthorized},
		{"display issues", "POST", "/api/v1/tickets", display.Token, "application/json", `{"service":"A"}`, 403, httpapi.CodeForbidden},
		{"display calls", "POST", "/api/v1/windows/1/call", display.Token, "", "", 403, httpapi.CodeForbidden},
		{"kiosk calls", "POST", "/api/v1/windows/1/call", kiosk.Token, "", "", 403, httpapi.CodeForbidden},
		{"clerk issues", "POST", "/api/v1/tickets", clerk.Token, "application/json", `{"service":"A"}`, 403, httpapi.CodeForbidden},
		{"maintainer calls", "POST", "/api/v1/windows/1/call", maint.Token, "", "", 403, httpapi.CodeForbidden},
		{"clerk calls at another window", "POST", "/api/v1/windows/2/call", clerk.Token, "", "", 403, httpapi.CodeForbidden},
		{"clerk pauses another window", "POST", "/api/v1/windows/2/state", clerk.Token, "application/json", `{"state":"paused"}`, 403, httpapi.CodeForbidden},
		{"clerk finishes a ticket of another window", "POST", "/api/v1/tickets/A001/no_show", clerk.Token, "", "", 403, httpapi.CodeForbidden},
		{"clerk names another window's ticket", "POST", "/api/v1/windows/1/no_show", clerk.Token, "application/json", `{"ticket":"A001"}`, 409, queue.CodeWrongWindow},
		{"clerk cancels a waiting ticket", "POST", "/api/v1/tickets/A002/cancel", clerk.Token, "", "", 403, httpapi.CodeForbidden},
		{"clerk signs in at a colleague's window", "POST", "/api/v1/windows/2/signin", clerk.Token, "", "", 409, queue.CodeWindowTaken},
		{"clerk signs out another window", "POST", "/api/v1/windows/2/signout", clerk.Token, "", "", 403, httpapi.CodeForbidden},
		{"clerk reads ratings", "GET", "/api/v1/ratings", clerk.Token, "", "", 403, httpapi.CodeForbidden},
		{"pad rates an unfinished ticket", "POST", "/api/v1/ratings", pad2.Token, "application/json", `{"ticket":"A001","level":5}`, 409, queue.CodeInvalidTransition},
		{"pad rates with a bad level", "POST", "/api/v1/ratings", pad2.Token, "application/json", `{"ticket":"A001","level":9}`, 400, queue.CodeInvalid},
		{"oversized body", "POST", "/api/v1/tickets", kiosk.Token, "application/json", big, 413, httpapi.CodeTooLarge},
		{"malformed body", "POST", "/api/v1/tickets", kiosk.Token, "application/json", `{"service":`, 400, queue.CodeInvalid},
		{"wrong body type", "POST", "/api/v1/tickets", kiosk.Token, "text/plain", `{"service":"A"}`, 400, queue.CodeInvalid},
		{"form post", "POST", "/api/v1/windows/1/state", clerk.Token, "application/x-www-form-urlencoded", `state=closed`, 400, queue.CodeInvalid},
		{"unknown service", "POST", "/api/v1/tickets", kiosk.Token, "application/json", `{"service":"Z"}`, 404, queue.CodeUnknownService},
		{"paused service", "POST", "/api/v1/tickets", kiosk.Token, "application/json", `{"service":"B"}`, 422, queue.CodeServicePaused},
		{"bad window", "POST", "/api/v1/windows/abc/call", manager.Token, "", "", 400, queue.CodeInvalid},
		{"unknown window", "POST", "/api/v1/windows/99/call", manager.Token, "", "", 404, queue.CodeUnknownWindow},
		{"unknown action", "POST", "/api/v1/windows/1/explode", manager.Token, "", "", 404, httpapi.CodeNotFound},
		{"unknown path", "GET", "/api/v1/nothing", manager.Token, "", "", 404, httpapi.CodeNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := f.seq(t)
			st, code, body := raw(t, c.method, f.url+c.path, c.token, c.ctype, c.body)
			if st != c.status || code != c.code {
				t.Errorf("got %d %s, want %d %s: %s", st, code, c.status, c.code, body)
			}
			if !strings.Contains(body, `"message":"`) && st >= 400 {
				t.Errorf("no message: %s", body)
			}
			if after := f.seq(t); after != before {
				t.Errorf("a refused request wrote %d events", after-before)
			}
		})
	}
	// Nothing moved: A001 still called at 2, A002 and A003 waiting, windows open.
	snap, _ := f.node.Snapshot(ctx, 5)
	if snap.Windows[1].Current == nil || snap.Windows[1].Current.Number != "A001" || snap.Windows[1].State != "open" || snap.Windows[0].Current != nil {
		t.Fatalf("state changed: %+v %+v", snap.Windows[0], snap.Windows[1])
	}
}

func TestLoginThrottle(t *testing.T) {
	f := newFixture(t, httpapi.Options{LoginLimit: 5, IPLoginLimit: 8, LoginWindow: time.Minute})
	f.user(t, "qian", "clerk")
	f.user(t, "zhou", "clerk")
	ctx := context.Background()
	c := &httpapi.Client{BaseURL: f.url}
	for i := 0; i < 5; i++ {
		_, err := c.Login(ctx, "qian", "guess-"+string(rune('a'+i))+"xxxxx")
		if ae, ok := err.(*httpapi.APIError); !ok || ae.Status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	// The right password is refused too while the account is throttled,
	// and no session is made.
	_, err := c.Login(ctx, "qian", "password-qian")
	if ae, ok := err.(*httpapi.APIError); !ok || ae.Status != http.StatusTooManyRequests || ae.Code != httpapi.CodeRateLimited {
		t.Fatalf("throttled login: %v", err)
	}
	if c.Token != "" {
		t.Fatal("a throttled login got a token")
	}
	// Another account from the same address: three more failures reach
	// the address's limit, then it is refused as well.
	for i := 0; i < 3; i++ {
		c.Login(ctx, "zhou", "wrong-password")
	}
	if _, err := c.Login(ctx, "zhou", "password-zhou"); queue.ErrorCode(err) != httpapi.CodeRateLimited {
		t.Fatalf("address throttle: %v", err)
	}
	// Unknown names fail like wrong passwords (no probing of names).
	f2 := newFixture(t, httpapi.Options{})
	c2 := &httpapi.Client{BaseURL: f2.url}
	if _, err := c2.Login(ctx, "nobody", "whatever-pw"); queue.ErrorCode(err) != httpapi.CodeUnauthorized {
		t.Fatalf("unknown name: %v", err)
	}
}

func TestSessionLogoutAndCookie(t *testing.T) {
	f := newFixture(t, httpapi.Options{})
	c := f.user(t, "wu", "clerk")
	if st, _, _ := raw(t, "POST", f.url+"/api/v1/logout", c.Token, "", ""); st != 200 {
		t.Fatalf("logout %d", st)
	}
	if st, code, _ := raw(t, "GET", f.url+"/api/v1/me", c.Token, "", ""); st != 401 || code != httpapi.CodeUnauthorized {
		t.Fatalf("after logout: %d %s", st, code)
	}
}

// A session ends when its time is up, whatever the client still holds.
func TestSessionExpires(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := newFixtureAt(t, httpapi.Options{SessionTTL: time.Hour}, clock)
	c := f.user(t, "he", "clerk")
	if st, _, body := raw(t, "GET", f.url+"/api/v1/me", c.Token, "", ""); st != 200 {
		t.Fatalf("fresh session: %d %s", st, body)
	}
	mu.Lock()
	now = now.Add(time.Hour)
	mu.Unlock()
	if st, code, _ := raw(t, "POST", f.url+"/api/v1/windows/1/signin", c.Token, "", ""); st != 401 || code != httpapi.CodeUnauthorized {
		t.Fatalf("expired session: %d %s", st, code)
	}
}

// A window signed in by one clerk is not another clerk's to take, until
// the sign-in outlives a session (a shift that ended without signing
// out); the hall manager may always reassign it.
func TestWindowSignInIsNotTakenOver(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := newFixtureAt(t, httpapi.Options{SessionTTL: 8 * time.Hour}, clock)
	ctx := context.Background()
	a, b := f.user(t, "ma", "clerk"), f.user(t, "niu", "clerk")
	if err := a.SignIn(ctx, 4); err != nil {
		t.Fatal(err)
	}
	if err := a.SignIn(ctx, 4); err != nil {
		t.Fatalf("signing in again at one's own window: %v", err)
	}
	if err := b.SignIn(ctx, 4); queue.ErrorCode(err) != queue.CodeWindowTaken {
		t.Fatalf("taking a colleague's window: %v", err)
	}
	mu.Lock()
	now = now.Add(8 * time.Hour)
	mu.Unlock()
	b = f.user(t, "niu2", "clerk") // the next shift
	if err := b.SignIn(ctx, 4); err != nil {
		t.Fatalf("a stale sign-in: %v", err)
	}
	if err := f.user(t, "lu", "manager").SignIn(ctx, 4); err != nil {
		t.Fatalf("the manager reassigns: %v", err)
	}
}

// Bodies without a declared length (chunked) meet the same limit, and a
// garbled resume id is refused rather than read as "from the start".
func TestChunkedBodiesAndBadResumeIDs(t *testing.T) {
	f := newFixture(t, httpapi.Options{MaxBody: 1024})
	kiosk := f.device(t, "kiosk", 0)
	clerk := f.user(t, "xu", "clerk")
	before := f.seq(t)
	for _, c := range []struct{ path, token string }{{"/api/v1/tickets", kiosk.Token}, {"/api/v1/login", ""}} {
		body := io.MultiReader(strings.NewReader(`{"service":"A","x":"`), strings.NewReader(strings.Repeat("x", 4096)+`"}`))
		req, _ := http.NewRequest("POST", f.url+c.path, body)
		req.Header.Set("Content-Type", "application/json")
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var eb httpapi.ErrorBody
		json.NewDecoder(resp.Body).Decode(&eb)
		resp.Body.Close()
		if req.ContentLength != 0 || resp.StatusCode != 413 || eb.Error.Code != httpapi.CodeTooLarge || eb.Error.Message == "" {
			t.Errorf("chunked %s: length %d, %d %+v", c.path, req.ContentLength, resp.StatusCode, eb.Error)
		}
	}
	if after := f.seq(t); after != before {
		t.Errorf("oversized chunked bodies wrote %d events", after-before)
	}
	for _, id := range []string{"abc", "-5", "1e3"} {
		req, _ := http.NewRequest("GET", f.url+"/api/v1/events", nil)
		req.Header.Set("Authorization", "Bearer "+clerk.Token)
		req.Header.Set("Last-Event-ID", id)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var eb httpapi.ErrorBody
		json.NewDecoder(resp.Body).Decode(&eb)
		resp.Body.Close()
		if resp.StatusCode != 400 || eb.Error.Code != queue.CodeInvalid {
			t.Errorf("Last-Event-ID %q: %d %+v", id, resp.StatusCode, eb.Error)
		}
	}
}

// Every refusal the hall can give has its own status; only a fault of
// ours is a 500 (which the log explains and the answer does not). The
// codes are read from the source, so a code added later is checked too.
func TestEveryCodeHasAStatus(t *testing.T) {
	codes := declaredCodes(t, "../..", ".")
	if len(codes) < 30 {
		t.Fatalf("found only %d codes: %v", len(codes), codes)
	}
	for _, c := range codes {
		if c == queue.CodeInternal {
			continue
		}
		if st := httpapi.Status(c); st < 400 || st >= 500 {
			t.Errorf("%s answers %d", c, st)
		}
	}
	if st := httpapi.Status(queue.CodeInternal); st != 500 {
		t.Errorf("internal answers %d", st)
	}
}

// declaredCodes returns the values of the constants of type Code (or
// queue.Code) declared in the Go files of dirs.
func declaredCodes(t *testing.T, dirs ...string) []queue.Code {
	t.Helper()
	var out []queue.Code
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					if typ := types.ExprString(vs.Type); typ != "Code" && typ != "queue.Code" {
						continue
					}
					for _, v := range vs.Values {
						if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
							code, _ := strconv.Unquote(lit.Value)
							out = append(out, queue.Code(code))
						}
					}
				}
			}
		}
	}
	return out
}
