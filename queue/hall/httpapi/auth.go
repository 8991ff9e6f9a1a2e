package httpapi

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hallq/queue"
	"hallq/queue/staff"
	"hallq/queue/store"
)

// SessionCookie is the web pages' session cookie.
const SessionCookie = "hallq_session"

// Principal is who makes a request: a staff member with a session or a
// device with its token.
type Principal struct {
	Account     *store.Account `json:"account,omitempty"`
	Device      *store.Device  `json:"device,omitempty"`
	sessionHash string
}

// Actor is how events name the principal.
func (p Principal) Actor() string {
	if p.Account != nil {
		return "staff:" + p.Account.Name
	}
	return fmt.Sprintf("device:%s:%s", p.Device.Kind, p.Device.Name)
}

func (p Principal) role() staff.Role {
	if p.Account == nil {
		return ""
	}
	return staff.Role(p.Account.Role)
}

// policy decides whether a principal may use a route at all; finer checks
// (which window) happen in the handler.
type policy func(p Principal) bool

func anyone(Principal) bool        { return true }
func staffOnly(p Principal) bool   { return p.Account != nil }
func deviceOnly(p Principal) bool  { return p.Device != nil }
func managerOnly(p Principal) bool { return p.role() == staff.Manager }
func padOnly(p Principal) bool     { return p.Device != nil && p.Device.Kind == staff.Pad }
func canIssue(p Principal) bool {
	return p.role() == staff.Manager || (p.Device != nil && p.Device.Kind == staff.Kiosk)
}

type principalKey struct{}

func principalOf(r *http.Request) Principal { return r.Context().Value(principalKey{}).(Principal) }

// auth authenticates a request (bearer token, else the session cookie) and
// checks the route's policy.
func (s *Server) auth(allow policy, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if !allow(p) {
			s.writeError(w, r, apiErr(CodeForbidden, "%s may not %s %s", p.Actor(), r.Method, r.URL.Path))
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	}
}

func (s *Server) authenticate(r *http.Request) (Principal, error) {
	token := ""
	if h := r.Header.Get("Authorization"); h != "" {
		t, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return Principal{}, apiErr(CodeUnauthorized, "Authorization must be Bearer")
		}
		token = strings.TrimSpace(t)
	} else if c, err := r.Cookie(SessionCookie); err == nil {
		token = c.Value
	}
	switch {
	case token == "":
		return Principal{}, apiErr(CodeUnauthorized, "sign in or send a token")
	case staff.IsToken(token, staff.SessionPrefix):
		hash := staff.HashToken(token)
		_, a, ok, err := s.node.Session(r.Context(), hash)
		if err != nil {
			return Principal{}, err
		}
		if !ok {
			return Principal{}, apiErr(CodeUnauthorized, "the session ended; sign in again")
		}
		return Principal{Account: &a, sessionHash: hash}, nil
	case staff.IsToken(token, staff.DevicePrefix):
		d, ok, err := s.node.Device(r.Context(), staff.HashToken(token))
		if err != nil {
			return Principal{}, err
		}
		if !ok {
			return Principal{}, apiErr(CodeUnauthorized, "unknown or revoked device token")
		}
		return Principal{Device: &d}, nil
	}
	return Principal{}, apiErr(CodeUnauthorized, "malformed token")
}

// LoginRequest signs a staff member in.
type LoginRequest struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

// LoginResponse carries the session token for API clients; web pages use
// the HttpOnly cookie set with it.
type LoginResponse struct {
	Token     string        `json:"token"`
	ExpiresAt time.Time     `json:"expires_at"`
	Account   store.Account `json:"account"`
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req LoginRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Name == "" || req.Password == "" || len(req.Name) > 64 || len(req.Password) > staff.MaxPassword {
		s.writeError(w, r, apiErr(queue.CodeInvalid, "name and password are required"))
		return
	}
	acctKey, ipKey := "acct:"+req.Name, "ip:"+clientIP(r)
	okAcct, waitAcct := s.acctThrottle.Allow(acctKey)
	okIP, waitIP := s.ipThrottle.Allow(ipKey)
	if !okAcct || !okIP {
		wait := max(waitAcct, waitIP)
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		s.writeError(w, r, apiErr(CodeRateLimited, "too many failed sign-ins; wait %s", wait.Round(time.Second)))
		return
	}
	a, err := s.node.Account(r.Context(), req.Name)
	hash := a.PasswordHash
	if err != nil {
		if queue.ErrorCode(err) != queue.CodeInvalid {
			s.writeError(w, r, err)
			return
		}
		hash = ""
	}
	if !staff.CheckPassword(hash, req.Password) || a.Disabled {
		s.acctThrottle.Fail(acctKey)
		s.ipThrottle.Fail(ipKey)
		s.log.Warn("failed sign-in", "name", req.Name, "ip", clientIP(r))
		s.writeError(w, r, apiErr(CodeUnauthorized, "wrong name or password"))
		return
	}
	s.acctThrottle.Succeed(acctKey)
	token := staff.NewToken(staff.SessionPrefix)
	sess, err := s.node.StartSession(r.Context(), a.ID, staff.HashToken(token), s.opts.SessionTTL)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	writeJSON(w, http.StatusOK, LoginResponse{Token: token, ExpiresAt: sess.ExpiresAt, Account: a})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	if p.sessionHash != "" {
		if err := s.node.EndSession(r.Context(), p.sessionHash); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// Me is who the caller is and where they are signed in.
type Me struct {
	Principal
	Windows []int `json:"windows"` // windows this account is signed in at
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	me := Me{Principal: p, Windows: []int{}}
	if p.Account != nil {
		ws, err := s.signedIn(r.Context(), p.Account.ID)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		me.Windows = ws
	}
	writeJSON(w, http.StatusOK, me)
}

func (s *Server) signedIn(ctx context.Context, account int64) ([]int, error) {
	sis, err := s.node.SignIns(ctx)
	if err != nil {
		return nil, err
	}
	out := []int{}
	for _, si := range sis {
		if si.AccountID == account {
			out = append(out, si.Window)
		}
	}
	return out, nil
}

// mayActAt checks that p may act at window: a manager anywhere, a clerk
// only where signed in.
func (s *Server) mayActAt(ctx context.Context, p Principal, window int) error {
	switch p.role() {
	case staff.Manager:
		return nil
	case staff.Clerk:
		ws, err := s.signedIn(ctx, p.Account.ID)
		if err != nil {
			return err
		}
		for _, w := range ws {
			if w == window {
				return nil
			}
		}
		return apiErr(CodeForbidden, "%s is not signed in at window %d", p.Actor(), window)
	}
	return apiErr(CodeForbidden, "%s does not act at windows", p.Actor())
}
