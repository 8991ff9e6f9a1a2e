package staff_test

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"hallq/queue/staff"
)

func TestPasswordHashing(t *testing.T) {
	staff.BcryptCost = bcrypt.MinCost
	h, err := staff.HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !staff.CheckPassword(h, "correct horse") || staff.CheckPassword(h, "wrong horse!") || staff.CheckPassword("", "correct horse") {
		t.Error("password check wrong")
	}
	if _, err := staff.HashPassword("short"); err == nil {
		t.Error("short password accepted")
	}
}

func TestTokens(t *testing.T) {
	a, b := staff.NewToken(staff.SessionPrefix), staff.NewToken(staff.SessionPrefix)
	if a == b || !staff.IsToken(a, staff.SessionPrefix) || staff.IsToken(a, staff.DevicePrefix) || staff.IsToken("hs_x", staff.SessionPrefix) {
		t.Errorf("tokens %q %q", a, b)
	}
	if staff.HashToken(a) == staff.HashToken(b) || len(staff.HashToken(a)) != 64 {
		t.Error("token hash")
	}
}

func TestThrottle(t *testing.T) {
	now := time.Unix(0, 0)
	th := staff.NewThrottle(3, time.Minute)
	th.Now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if ok, _ := th.Allow("acct:a", "ip:1"); !ok {
			t.Fatalf("attempt %d refused", i)
		}
		th.Fail("acct:a", "ip:1")
		now = now.Add(time.Second)
	}
	if ok, wait := th.Allow("acct:a"); ok || wait != 57*time.Second {
		t.Fatalf("fourth attempt: %v %v", ok, wait)
	}
	if ok, _ := th.Allow("acct:b", "ip:1"); ok {
		t.Fatal("the address is throttled for other accounts too")
	}
	if ok, _ := th.Allow("acct:b", "ip:2"); !ok {
		t.Fatal("another account from another address refused")
	}
	now = now.Add(58 * time.Second)
	if ok, _ := th.Allow("acct:a", "ip:1"); !ok {
		t.Fatal("still refused after the window")
	}
}
