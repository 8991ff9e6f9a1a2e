package demohall

import (
	"context"
	"fmt"
	"time"

	democat "hallq/assets/catalogue"
	"hallq/queue"
	"hallq/queue/hall"
)

// DemoCheckCode is the check code (last four phone digits) of every demo case.
const DemoCheckCode = "1234"

// Seed fills an initialised hall with the demo catalogue, a few cases in
// different states and appointments for today, relative to the node's
// clock, so every kiosk screen has something true to show.
func Seed(ctx context.Context, n *hall.Node) error {
	cat, err := democat.Catalogue()
	if err != nil {
		return err
	}
	if err := n.PutCatalogue(ctx, cat, "demo"); err != nil {
		return err
	}
	_, loc, err := n.Config(ctx)
	if err != nil {
		return err
	}
	now := n.Now().In(loc)
	day := func(d int) time.Time {
		return time.Date(now.Year(), now.Month(), now.Day(), 9, 30, 0, 0, loc).AddDate(0, 0, d)
	}
	items := cat.Items()
	item := func(i int) (string, string) { it := items[i%len(items)]; return it.Code, it.Name.ZH }
	mk := func(number string, i int, kind queue.CaseKind, applicant string, status queue.CaseStatus, accepted time.Time, promised string, note string) queue.Case {
		code, name := item(i)
		c := queue.Case{Number: number, ItemCode: code, ItemName: name, Kind: kind, ApplicantMasked: applicant,
			CheckHash: queue.CheckCodeHash(number, DemoCheckCode), Status: status, AcceptedAt: accepted,
			PromisedDate: promised, Note: note, UpdatedAt: now}
		if status == queue.CaseFinished {
			f := accepted.Add(2 * time.Hour)
			c.FinishedAt = &f
		}
		return c
	}
	ymd := func(t time.Time) string { return t.Format(queue.DayLayout) }
	cases := []queue.Case{
		mk("QS2026110001", 0, queue.CaseImmediate, queue.MaskName("王建国"), queue.CaseFinished, day(-3), "", ""),
		mk("QS2026110002", 5, queue.CasePromised, queue.MaskName("李秀英"), queue.CaseInProgress, day(-2), ymd(day(5)), ""),
		mk("QS2026110003", 12, queue.CasePromised, "青山县恒达建材有限公司", queue.CaseInProgress, day(-20), ymd(day(-1)), ""),
		mk("QS2026110004", 20, queue.CaseSupplement, queue.MaskName("张伟"), queue.CaseWaiting, day(-1), ymd(day(9)), "请补交：不动产权证书原件"),
		mk("QS2026110005", 30, queue.CaseJoint, queue.MaskName("陈静"), queue.CaseAccepted, day(0), ymd(day(12)), ""),
		mk("QS2026110006", 40, queue.CaseReturned, queue.MaskName("刘洋"), queue.CaseRefused, day(-4), "", "申请人不符合申请条件"),
	}
	if err := n.PutCases(ctx, cases); err != nil {
		return err
	}
	var appts []queue.Appointment
	names := []string{"赵敏", "孙丽", "周强", "吴芳", "郑军", "冯雪"}
	for i, svc := range []string{"A", "D", "E", "C", "F", "H"} {
		at := time.Date(now.Year(), now.Month(), now.Day(), 9+i, 0, 0, 0, loc)
		appts = append(appts, queue.Appointment{Code: fmt.Sprintf("YY%s%03d", now.Format("20060102"), i+1), Service: svc, At: at, NameMasked: queue.MaskName(names[i])})
	}
	// And one booked for right now, so check-in works whenever the demo runs.
	soon := now.Add(10 * time.Minute).Truncate(time.Minute)
	appts = append(appts, queue.Appointment{Code: fmt.Sprintf("YY%s%03d", now.Format("20060102"), 99), Service: "A", At: soon, NameMasked: queue.MaskName("钱进")})
	return n.PutAppointments(ctx, appts)
}
