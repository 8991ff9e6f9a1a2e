package kiosk

import (
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Staff PIN lockout: after PINAttempts wrong PINs in a row, staff mode
// stays locked for PINLockout, whatever is typed.
const (
	PINAttempts = 5
	PINLockout  = 5 * time.Minute
)

// PINLock checks the staff PIN against its bcrypt hash and locks out
// guessing.
type PINLock struct {
	mu       sync.Mutex
	hash     []byte
	now      func() time.Time
	failures int
	until    time.Time
}

// HashPIN returns the bcrypt hash to store for pin.
func HashPIN(pin string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(pin), bcrypt.DefaultCost)
}

// NewPINLock checks PINs against hash (from HashPIN); now is the clock
// [time.Now].
func NewPINLock(hash []byte, now func() time.Time) *PINLock {
	if now == nil {
		now = time.Now
	}
	return &PINLock{hash: hash, now: now}
}

// Check reports whether pin is right. While locked it returns false and
// how long the lock lasts, without looking at pin; left is the number of
// attempts before the lock.
func (l *PINLock) Check(pin string) (ok bool, locked time.Duration, left int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Before(l.until) {
		return false, l.until.Sub(now), 0
	}
	if bcrypt.CompareHashAndPassword(l.hash, []byte(pin)) == nil {
		l.failures = 0
		return true, 0, PINAttempts
	}
	l.failures++
	if l.failures >= PINAttempts {
		l.failures = 0
		l.until = now.Add(PINLockout)
		return false, PINLockout, 0
	}
	return false, 0, PINAttempts - l.failures
}
