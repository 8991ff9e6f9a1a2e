// Package staff holds who may do what in a hall: staff roles, password
// hashing (bcrypt), opaque tokens stored as SHA-256 hashes, and the login
// throttle. It knows no HTTP and no SQL; the hall node stores what it
// decides and the HTTP API asks it.
//
// # Tokens
//
// Session and device tokens are 32 random bytes, base64url, with a prefix
// that says what they are ("hs_" for a staff session, "hd_" for a device).
// Only their SHA-256 is stored: the tokens are long and random, so a fast
// hash is as good as a slow one and costs nothing per request, while
// passwords, chosen by people, get bcrypt.
package staff

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"hallq/queue"
)

// Role is what a staff account is for.
type Role string

const (
	Clerk      Role = "clerk"      // window clerk: acts on the windows signed in to
	Manager    Role = "manager"    // hall manager (值班长): every window, cancels, ratings
	Maintainer Role = "maintainer" // devices and health; no queue actions
)

// ParseRole checks a role word.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Clerk, Manager, Maintainer:
		return r, nil
	}
	return "", queue.Errorf(queue.CodeInvalid, "role %q (clerk, manager, maintainer)", s)
}

// Device kinds.
const (
	Kiosk   = "kiosk"
	Display = "display"
	LED     = "led"
	Pad     = "pad" // a window's rating pad (评价器)
)

// ParseDeviceKind checks a device kind.
func ParseDeviceKind(s string) (string, error) {
	switch s {
	case Kiosk, Display, LED, Pad:
		return s, nil
	}
	return "", queue.Errorf(queue.CodeInvalid, "device kind %q (kiosk, display, led, pad)", s)
}

// Password rules: long enough to resist the throttled guessing the API
// allows, short enough for bcrypt (which reads 72 bytes).
const (
	MinPassword = 8
	MaxPassword = 72
)

// BcryptCost is the cost of new password hashes; tests lower it.
var BcryptCost = bcrypt.DefaultCost

// HashPassword returns the bcrypt hash of a password that follows the rules.
func HashPassword(pw string) (string, error) {
	if utf8.RuneCountInString(pw) < MinPassword || len(pw) > MaxPassword {
		return "", queue.Errorf(queue.CodeInvalid, "a password has %d to %d bytes", MinPassword, MaxPassword)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), BcryptCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// dummyHash is compared against when an account does not exist, so that a
// wrong name costs as long as a wrong password and names cannot be probed.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such account"), bcrypt.DefaultCost)

// CheckPassword reports whether pw matches hash; an empty hash (no such
// account) takes the same time and fails.
func CheckPassword(hash, pw string) bool {
	if hash == "" {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// Token prefixes.
const (
	SessionPrefix = "hs_"
	DevicePrefix  = "hd_"
)

// NewToken returns a new random token with a prefix.
func NewToken(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the stored form of a token.
func HashToken(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

// IsToken reports whether s looks like a token of that prefix, to refuse
// garbage before touching the database.
func IsToken(s, prefix string) bool {
	return strings.HasPrefix(s, prefix) && len(s) == len(prefix)+43
}

// Throttle limits failed logins per account and per client address: after
// Limit failures within Window the key is refused until the oldest failure
// leaves the window. Successful logins do not clear the address's count, so
// one known account cannot be used to reset guessing at others.
type Throttle struct {
	Limit  int
	Window time.Duration
	Now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

// NewThrottle returns a throttle of limit failures per window.
func NewThrottle(limit int, window time.Duration) *Throttle {
	return &Throttle{Limit: limit, Window: window, Now: time.Now, failures: map[string][]time.Time{}}
}

// Allow reports whether every key may try now, and if not, how long to wait.
func (t *Throttle) Allow(keys ...string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	var wait time.Duration
	for _, k := range keys {
		f := t.prune(k, now)
		if len(f) >= t.Limit {
			if w := f[0].Add(t.Window).Sub(now); w > wait {
				wait = w
			}
		}
	}
	return wait == 0, wait
}

// Fail records a failed attempt under every key.
func (t *Throttle) Fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	for _, k := range keys {
		t.failures[k] = append(t.prune(k, now), now)
	}
	// Bound memory: forget keys whose failures all expired.
	if len(t.failures) > 10000 {
		for k := range t.failures {
			if len(t.prune(k, now)) == 0 {
				delete(t.failures, k)
			}
		}
	}
}

// Succeed clears the failures of a key (the account's, after a good login).
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	delete(t.failures, key)
	t.mu.Unlock()
}

func (t *Throttle) prune(k string, now time.Time) []time.Time {
	f := t.failures[k]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= t.Window {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(t.failures, k)
		return nil
	}
	t.failures[k] = f
	return f
}
