package receipt_test

import (
	"bytes"
	"flag"
	"regexp"
	"strings"
	"testing"
	"time"

	"hallq/devices/escpos"
	"hallq/devices/escpos/escpostest"
	"hallq/devices/receipt"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

var cst = time.FixedZone("CST", 8*3600) // Asia/Shanghai without tzdata

// standardTicket is the ticket the byte budget and the benchmarks use.
func standardTicket() receipt.Ticket {
	return receipt.Ticket{
		Hall:        "西湖区政务服务中心",
		Service:     "不动产登记",
		ServiceEN:   "Real estate registration",
		Number:      "A001",
		Mark:        receipt.MarkPriority,
		Ahead:       12,
		WaitMinutes: 25,
		Issued:      time.Date(2026, 11, 22, 9, 30, 15, 0, cst),
		StatusURL:   "https://hall.example.gov.cn/q/330106/20261122/A001",
		Notices:     []string{"过号无效，请重新取号", "请留意窗口叫号及显示屏"},
	}
}

func guide() receipt.Guide {
	return receipt.Guide{
		Item:       "个体工商户设立登记",
		Department: "区市场监督管理局",
		What:       "有经营能力的公民从事工商业经营，依法登记为个体工商户。",
		Steps:      []string{"申请人提交材料", "窗口审核受理", "核准登记", "发放营业执照"},
		Materials: []receipt.Material{
			{Name: "个体工商户设立登记申请书", Originals: 1},
			{Name: "经营者身份证明", Originals: 1, Copies: 1},
			{Name: "经营场所使用证明", Copies: 1},
		},
		LegalDays:    15,
		PromisedDays: 0,
		FeeBasis:     "《促进个体工商户发展条例》",
		URL:          "https://hall.example.gov.cn/g/330106-001",
		Printed:      time.Date(2026, 11, 22, 10, 5, 0, 0, cst),
	}
}

func notification() receipt.Notification {
	return receipt.Notification{
		Hall:       "西湖区政务服务中心",
		CaseNumber: "330106202611220017",
		Applicant:  "王小明 330102199001011234",
		Item:       "个体工商户设立登记",
		Missing: []receipt.Material{
			{Name: "经营场所使用证明（租赁合同）", Copies: 1},
			{Name: "委托书", Originals: 1},
		},
		Deadline: time.Date(2026, 12, 6, 0, 0, 0, 0, cst),
		Contact:  "0571-12345",
		Issued:   time.Date(2026, 11, 22, 10, 20, 0, 0, cst),
	}
}

func caseSlip() receipt.CaseSlip {
	return receipt.CaseSlip{
		Hall:       "西湖区政务服务中心",
		CaseNumber: "330106202611220017",
		Applicant:  "欧阳娜娜",
		Item:       "个体工商户设立登记",
		State:      receipt.CaseInProgress,
		Promised:   time.Date(2026, 11, 27, 0, 0, 0, 0, cst),
		Overdue:    true,
		Printed:    time.Date(2026, 11, 28, 8, 45, 0, 0, cst),
	}
}

func appointment() receipt.Appointment {
	return receipt.Appointment{
		Hall:         "西湖区政务服务中心",
		Service:      "出入境证件办理",
		Applicant:    "李四",
		IDNumber:     "33010219900101123X",
		Phone:        "13812345678",
		Start:        time.Date(2026, 11, 23, 9, 0, 0, 0, cst),
		End:          time.Date(2026, 11, 23, 9, 30, 0, 0, cst),
		Code:         "Y2311-0042",
		CheckInEarly: 10,
		CheckInURL:   "https://hall.example.gov.cn/a/Y2311-0042",
		Notices:      []string{"周末预约请走东门"},
		Printed:      time.Date(2026, 11, 22, 16, 0, 0, 0, cst),
	}
}

func write(t testing.TB, p escpos.Profile, f func(e *escpos.Encoder) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f(escpos.New(&buf, p)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var layouts = []struct {
	name string
	f    func(e *escpos.Encoder) error
}{
	{"ticket", func(e *escpos.Encoder) error { return receipt.WriteTicket(e, standardTicket()) }},
	{"guide", func(e *escpos.Encoder) error { return receipt.WriteGuide(e, guide()) }},
	{"notification", func(e *escpos.Encoder) error { return receipt.WriteNotification(e, notification()) }},
	{"case_slip", func(e *escpos.Encoder) error { return receipt.WriteCaseSlip(e, caseSlip()) }},
	{"appointment", func(e *escpos.Encoder) error { return receipt.WriteAppointment(e, appointment()) }},
}

func TestGolden(t *testing.T) {
	for _, l := range layouts {
		for _, p := range []escpos.Profile{escpos.Generic80, escpos.Generic58} {
			name := l.name + "_" + strings.TrimPrefix(p.Name, "generic-")
			t.Run(name, func(t *testing.T) {
				escpostest.Golden(t, name, write(t, p, l.f), *update)
			})
		}
	}
}

func TestTicket(t *testing.T) {
	tk := standardTicket()
	got := write(t, escpos.Generic80, func(e *escpos.Encoder) error { return receipt.WriteTicket(e, tk) })
	text := escpostest.Text(got)
	for _, want := range []string{"A001", "前面还有 12 人", "12 people ahead", "预计等候约 25 分钟", "优先",
		"2026-11-22 09:30", "过号无效，请重新取号", "西湖区政务服务中心", "不动产登记"} {
		if !strings.Contains(text, want) {
			t.Errorf("ticket lacks %q:\n%s", want, text)
		}
	}
	qr, err := escpostest.QRPayloads(got)
	if err != nil || len(qr) != 1 || qr[0] != tk.StatusURL {
		t.Errorf("QR payloads %q, err %v; want %q", qr, err, tk.StatusURL)
	}
	cmds := escpostest.Split(got)
	n := len(cmds)
	if n < 2 || !bytes.Equal(cmds[n-2].Bytes, []byte{0x1d, 'V', 66, 0}) || !bytes.Equal(cmds[n-1].Bytes, []byte{0x1d, 'r', 1}) {
		t.Errorf("ticket must end with the cut and GS r 1, ends % X", got[max(0, len(got)-8):])
	}
	if len(got) > 600 {
		t.Errorf("standard ticket is %d bytes, budget 600", len(got))
	}
	if len(escpostest.Find(got, "GS v 0")) != 0 {
		t.Error("native profile sent raster")
	}
}

func TestTicketWithoutQRAndWait(t *testing.T) {
	tk := standardTicket()
	tk.StatusURL, tk.WaitMinutes, tk.Mark = "", -1, receipt.NoMark
	got := write(t, escpos.Generic58, func(e *escpos.Encoder) error { return receipt.WriteTicket(e, tk) })
	if q, _ := escpostest.QRPayloads(got); len(q) != 0 {
		t.Errorf("QR printed: %q", q)
	}
	if text := escpostest.Text(got); strings.Contains(text, "预计") || strings.Contains(text, "优先") {
		t.Errorf("unexpected wait or mark:\n%s", text)
	}
}

func TestRasterTicketIsAllRaster(t *testing.T) {
	got := write(t, escpos.Generic80Raster, func(e *escpos.Encoder) error { return receipt.WriteTicket(e, standardTicket()) })
	if text := strings.TrimSpace(escpostest.Text(got)); text != "" {
		t.Errorf("raster profile sent text %q", text)
	}
	if q, _ := escpostest.QRPayloads(got); len(q) != 0 {
		t.Error("raster profile sent native QR")
	}
	if len(escpostest.Find(got, "GS v 0")) < 10 {
		t.Error("too few raster images")
	}
}

// Invariant 6 on every layout: whatever callers put into the fields, no
// run of digits shaped like an ID or a mobile number reaches the paper.
var unmasked = regexp.MustCompile(`\d{15}|\d{17}[\dXx]|1[3-9]\d{9}`)

func TestNothingUnmaskedOnPaper(t *testing.T) {
	leaky := "张三 330102199001011234 13812345678"
	tk := standardTicket()
	tk.Notices = append(tk.Notices, "联系人 13987654321")
	tk.Hall = leaky
	g := guide()
	g.What = leaky
	n := notification()
	n.Applicant = leaky
	c := caseSlip()
	c.Applicant = "13812345678"
	a := appointment()
	a.Applicant = leaky
	a.Notices = []string{leaky}
	for name, f := range map[string]func(e *escpos.Encoder) error{
		"ticket":       func(e *escpos.Encoder) error { return receipt.WriteTicket(e, tk) },
		"guide":        func(e *escpos.Encoder) error { return receipt.WriteGuide(e, g) },
		"notification": func(e *escpos.Encoder) error { return receipt.WriteNotification(e, n) },
		"case":         func(e *escpos.Encoder) error { return receipt.WriteCaseSlip(e, c) },
		"appointment":  func(e *escpos.Encoder) error { return receipt.WriteAppointment(e, a) },
	} {
		text := escpostest.Text(write(t, escpos.Generic58, f))
		// The case number is not personal data and is printed whole.
		text = strings.ReplaceAll(text, n.CaseNumber, "")
		if m := unmasked.FindString(strings.ReplaceAll(text, "\n", "")); m != "" {
			t.Errorf("%s prints %q:\n%s", name, m, text)
		}
	}
	text := escpostest.Text(write(t, escpos.Generic80, func(e *escpos.Encoder) error { return receipt.WriteAppointment(e, appointment()) }))
	for _, want := range []string{"3301**********123X", "138****5678", "李*"} {
		if !strings.Contains(text, want) {
			t.Errorf("appointment lacks %q:\n%s", want, text)
		}
	}
}

func TestNotices(t *testing.T) {
	text := escpostest.Text(write(t, escpos.Generic80, func(e *escpos.Encoder) error { return receipt.WriteNotification(e, notification()) }))
	for _, want := range []string{"缺补材料一次性告知书", "330106202611220017", "经营场所使用证明", "复印件1份", "委托书 原件1份", "2026-12-06", "王**"} {
		if !strings.Contains(text, want) {
			t.Errorf("notification lacks %q:\n%s", want, text)
		}
	}
	text = escpostest.Text(write(t, escpos.Generic80, func(e *escpos.Encoder) error { return receipt.WriteCaseSlip(e, caseSlip()) }))
	for _, want := range []string{"办理中", "In progress", "已超期", "2026-11-27", "欧***", "330106202611220017"} {
		if !strings.Contains(text, want) {
			t.Errorf("case slip lacks %q:\n%s", want, text)
		}
	}
	text = escpostest.Text(write(t, escpos.Generic80, func(e *escpos.Encoder) error { return receipt.WriteGuide(e, guide()) }))
	for _, want := range []string{"办事指南", "申请材料", "经营者身份证明 原件1份 复印件1份", "法定时限：15 个工作日", "即办", "不收费", "4. 发放营业执照"} {
		if !strings.Contains(text, want) {
			t.Errorf("guide lacks %q:\n%s", want, text)
		}
	}
}

// Every text line fits the paper on both widths.
func TestLinesFitThePaper(t *testing.T) {
	for _, l := range layouts {
		for _, p := range []escpos.Profile{escpos.Generic80, escpos.Generic58} {
			var buf bytes.Buffer
			e := escpos.New(&buf, p)
			if err := l.f(e); err != nil {
				t.Fatal(err)
			}
			mul := 1
			col := 0
			for _, c := range escpostest.Split(buf.Bytes()) {
				switch {
				case c.Name == "GS !":
					mul = int(c.Bytes[2]>>4) + 1
				case c.Name == "LF":
					col = 0
				case c.IsText():
					col += len(c.Bytes) * mul
					if col > p.Columns {
						t.Errorf("%s on %s: line of %d columns: %q", l.name, p.Name, col, escpostest.Text(c.Bytes))
					}
				}
			}
		}
	}
}
