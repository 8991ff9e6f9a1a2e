package queue

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// DayCounts is what admission control needs to know about a service today.
type DayCounts struct {
	Issued         int  // tickets issued for the service on the business day
	InSlot         int  // of those, issued within the current slot quota's span
	CitizenWaiting bool // the citizen already has an active ticket for the service
}

// SlotAt returns the slot quota whose span holds t (in the hall's zone).
func (s Service) SlotAt(t time.Time) (SlotQuota, bool) {
	c := ClockOf(t)
	for _, q := range s.Slots {
		if q.Contains(c) {
			return q, true
		}
	}
	return SlotQuota{}, false
}

// Admit decides whether a ticket for s may be issued at now (in the hall's
// zone). The checks run in the order a citizen can act on: come back later,
// come back tomorrow, wait for the next slot, you already have a number.
func Admit(s Service, now time.Time, n DayCounts) error {
	if s.Paused {
		return Errorf(CodeServicePaused, "service %s is paused by staff", s.Code)
	}
	if !s.Hours.Open(now) {
		e := Errorf(CodeOutsideHours, "service %s does not issue tickets at %s", s.Code, now.Format("15:04"))
		if next, ok := s.Hours.NextOpening(now); ok {
			e.Detail += "; next opening " + next.Format("2006-01-02 15:04")
		}
		return e
	}
	if s.DailyCap > 0 && n.Issued >= s.DailyCap {
		return Errorf(CodeDailyCap, "service %s has issued its %d tickets for today", s.Code, s.DailyCap)
	}
	if n.Issued >= 999 {
		return Errorf(CodeDailyCap, "service %s has used all 999 numbers for today", s.Code)
	}
	if q, ok := s.SlotAt(now); ok && n.InSlot >= q.Max {
		return Errorf(CodeSlotFull, "service %s: the %s-%s slot's %d tickets are issued", s.Code, q.From, q.To, q.Max)
	}
	if n.CitizenWaiting {
		return Errorf(CodeDuplicateCitizen, "the citizen already has a ticket for service %s", s.Code)
	}
	return nil
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// NormalizeID validates an 18-character resident ID number (GB 11643, with
// its check character) and returns it upper-cased. The error never repeats
// the number.
func NormalizeID(id string) (string, error) {
	id = strings.ToUpper(strings.TrimSpace(id))
	if len(id) != 18 {
		return "", Errorf(CodeInvalidID, "an ID number has 18 characters, got %d", len(id))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return "", Errorf(CodeInvalidID, "character %d of the ID number is not a digit", i+1)
		}
		sum += int(c-'0') * idWeights[i]
	}
	if id[17] != idCheckChars[sum%11] {
		return "", Errorf(CodeInvalidID, "the ID number's check character does not match")
	}
	return id, nil
}

// CitizenHash returns the salted hash under which a hall remembers that a
// citizen holds a ticket. The salt is the hall's own secret, so the hash
// cannot be matched against another hall's or reversed by trying all IDs
// without it.
func CitizenHash(salt []byte, normalizedID string) string {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(normalizedID))
	return hex.EncodeToString(m.Sum(nil))
}
