package kiosk

import (
	"strings"
	"testing"
	"time"

	"hallq/assets/i18n"

	"fyne.io/fyne/v2"
)

func TestGuideBrowseAndPrint(t *testing.T) {
	f := newFake(monday10, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	tapTile(t, w, "办事指南")
	tapTile(t, w, "区人力资源和社会保障局")
	wantScreen(t, k, "guides.dept")
	tapTile(t, w, "社会保障卡申领")
	wantScreen(t, k, "guide")
	s := shown(w)
	for _, want := range []string{"申请材料", "办理流程", "办理时限", "收费及依据"} {
		if !strings.Contains(s, want) {
			t.Errorf("guide lacks %s", want)
		}
	}
	tapTile(t, w, "打印办事指南")
	tapTile(t, w, "打印材料清单")
	if len(f.printed) != 2 || !strings.HasPrefix(f.printed[0], "guide ") || !strings.HasPrefix(f.printed[1], "materials ") {
		t.Fatalf("printed %q", f.printed)
	}
	if !strings.Contains(shown(w), "已打印") {
		t.Fatal("no printed confirmation")
	}
}

func TestGuideSearchByInitials(t *testing.T) {
	f := newFake(monday10, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	tapTile(t, w, "办事指南")
	tapTile(t, w, "搜索事项")
	wantScreen(t, k, "guides.search")
	typeKeys(t, w, "SBK")
	tapTile(t, w, "社会保障卡")
	wantScreen(t, k, "guide")
}

// openSBKGuide goes from home to the guide of 社会保障卡申领 by searching
// its initials, as TestGuideSearchByInitials does step by step.
func openSBKGuide(t *testing.T, w fyne.Window) {
	t.Helper()
	tapTile(t, w, "办事指南")
	tapTile(t, w, "搜索事项")
	typeKeys(t, w, "SBK")
	tapTile(t, w, "社会保障卡")
}

func TestCaseLookup(t *testing.T) {
	f := newFake(monday10, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)

	lookup := func(number, code string) {
		t.Helper()
		tapTile(t, w, "返回首页")
		tapTile(t, w, "办件查询")
		typeKeys(t, w, number)
		tapTile(t, w, "下一步")
		typeKeys(t, w, code)
		tapTile(t, w, "查询")
	}
	tapTile(t, w, "办件查询")
	typeKeys(t, w, "QS2026110001")
	tapTile(t, w, "下一步")
	typeKeys(t, w, "1234")
	tapTile(t, w, "查询")
	wantScreen(t, k, "progress.result")
	s := shown(w)
	for _, want := range []string{"张**", "社会保障卡申领", "办理中", "2026-11-20", "已超过承诺时限"} {
		if !strings.Contains(s, want) {
			t.Errorf("result lacks %q:\n%s", want, s)
		}
	}
	tapTile(t, w, "打印查询结果")
	if len(f.printed) != 1 || f.printed[0] != "case QS2026110001" {
		t.Fatalf("printed %q", f.printed)
	}

	lookup("QS2026110001", "9999")
	wantScreen(t, k, "progress.notfound")
	if !strings.Contains(shown(w), i18n.T(i18n.ZH, "error.unknown_case")) {
		t.Fatal("no plain answer for an unknown case")
	}
	lookup("QS99", "0000")
	lookup("QS99", "0000")
	lookup("QS2026110001", "1234") // right, but too many failures before
	wantScreen(t, k, "progress.throttled")
	if !strings.Contains(shown(w), i18n.T(i18n.ZH, "error.throttled")) {
		t.Fatal("no please-wait answer")
	}
}

func TestCheckIn(t *testing.T) {
	f := newFake(monday10, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	tapTile(t, w, "预约签到")
	typeKeys(t, w, "YY001")
	tapTile(t, w, "签到取号")
	wantScreen(t, k, "ticket")
	s := shown(w)
	if !strings.Contains(s, "D001") || !strings.Contains(s, "预约号") {
		t.Fatalf("check-in ticket:\n%s", s)
	}
	// Twice is refused with a sentence.
	tapTile(t, w, "完成")
	tapTile(t, w, "预约签到")
	typeKeys(t, w, "YY001")
	tapTile(t, w, "签到取号")
	wantScreen(t, k, "error")
	if !strings.Contains(shown(w), i18n.T(i18n.ZH, "error.appointment_used")) {
		t.Fatal(shown(w))
	}
}

func TestStaffPINLockout(t *testing.T) {
	f := newFake(monday10, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	hall := func() {
		for i := 0; i < 5; i++ {
			tapHallName(t, w)
		}
	}
	hall()
	wantScreen(t, k, "staff.pin")
	for i := 0; i < PINAttempts; i++ {
		typeKeys(t, w, "1111")
		tapTile(t, w, "进入")
	}
	if !strings.Contains(shown(w), "已锁定") {
		t.Fatalf("not locked:\n%s", shown(w))
	}
	typeKeys(t, w, "2468") // the right PIN, but locked
	tapTile(t, w, "进入")
	wantScreen(t, k, "staff.pin")
	f.advance(PINLockout + time.Second)
	typeKeys(t, w, "2468")
	tapTile(t, w, "进入")
	wantScreen(t, k, "staff")
}

func TestStaffReprintsFailedTicketAndPausesService(t *testing.T) {
	f := newFake(monday10, false)
	f.paperOut = true
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	tapTile(t, w, "取号")
	tapTile(t, w, "E  企业开办")
	tapTile(t, w, "确认取号")
	wantScreen(t, k, "ticket.unprinted")
	enterStaff(t, k, w)
	s := shown(w)
	if !strings.Contains(s, "缺纸") || !strings.Contains(s, "E001") {
		t.Fatalf("staff screen lacks paper out or the failed ticket:\n%s", s)
	}
	tapTile(t, w, "已换新纸卷")
	tapTile(t, w, "补打")
	if len(f.printed) != 1 || f.printed[0] != "ticket E001" {
		t.Fatalf("printed %q", f.printed)
	}
	tapTile(t, w, "A 社会保险：取号中")
	if !f.cfg.Services[0].Paused {
		t.Fatal("A not paused")
	}
	tapTile(t, w, "退出工作人员模式")
	tapTile(t, w, "取号")
	if !findTile(t, w, "A  社会保险").disabled {
		t.Fatal("paused service still offered")
	}
}

func TestIdleReturnsHome(t *testing.T) {
	f := newFake(monday10, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	tapTile(t, w, "办件查询")
	typeKeys(t, w, "QS")
	f.advance(50 * time.Second)
	k.idleTick()
	wantScreen(t, k, "progress")
	if !strings.Contains(shown(w), "10 秒无操作将返回首页") {
		t.Fatalf("no countdown:\n%s", shown(w))
	}
	typeKeys(t, w, "1") // a touch restarts the count
	f.advance(59 * time.Second)
	k.idleTick()
	wantScreen(t, k, "progress")
	f.advance(2 * time.Second)
	k.idleTick()
	wantScreen(t, k, "home")

	// The next citizen gets the default language and standard mode.
	tapTile(t, w, "English")
	tapTile(t, w, "Elder mode")
	tapTile(t, w, "Service guides")
	f.advance(61 * time.Second)
	k.idleTick()
	wantScreen(t, k, "home")
	if k.Lang() != i18n.ZH || k.elder {
		t.Fatalf("after idle: lang %s, elder %v", k.Lang(), k.elder)
	}
}

func TestHomeOpensIssuingInTheMorning(t *testing.T) {
	early := time.Date(2026, 11, 23, 8, 29, 0, 0, time.FixedZone("CST", 8*3600))
	f := newFake(early, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	if !findTile(t, w, "取号").disabled {
		t.Fatal("issuing before 08:30")
	}
	f.advance(time.Minute)
	k.idleTick()
	if findTile(t, w, "取号").disabled {
		t.Fatal("home not refreshed at 08:30")
	}
}

func TestShownTicketGoesHomeSooner(t *testing.T) {
	f := newFake(monday10, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	tapTile(t, w, "取号")
	tapTile(t, w, "E  企业开办")
	tapTile(t, w, "确认取号")
	wantScreen(t, k, "ticket")
	f.advance(ticketIdle)
	k.idleTick()
	wantScreen(t, k, "home")
}
