package a4_test

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"hallq/assets/calendar"
	democat "hallq/assets/catalogue"
	"hallq/assets/i18n"
	"hallq/devices/a4"
	"hallq/queue/catalogue"
)

var screens = flag.Bool("screens", false, "copy one page PNG per document kind to docs/screens")

var hall = a4.Hall{
	Name:    "西湖区政务服务中心",
	Address: "杭州市西湖区文三路100号政务服务中心一楼",
	Hours:   "周一至周五 8:30–12:00，13:30–17:00（节假日除外）",
	Phone:   "0571-12345678",
}

var printed = time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func demoItem(t testing.TB, code string) catalogue.Item {
	t.Helper()
	c, err := democat.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	it, err := c.Lookup(code)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func opts() a4.Options {
	return a4.Options{Now: printed, CatalogueVersion: "demo-2026.11"}
}

// longItem has 32 materials with long notes, so its table spans pages.
func longItem(t testing.TB) catalogue.Item {
	it := demoItem(t, "BDC002")
	it.Materials = nil
	for i := 1; i <= 32; i++ {
		it.Materials = append(it.Materials, catalogue.Material{
			Name:      fmt.Sprintf("第%d项证明材料（需由出具单位加盖公章的原件）", i),
			Form:      catalogue.OriginalAndCopy,
			Copies:    1 + i%3,
			Required:  i%4 != 0,
			Condition: map[bool]string{true: "", false: "委托他人代为办理或者申请人为未成年人的"}[i%4 != 0],
			Notes:     strings.Repeat("复印件须清晰完整并由申请人签字确认，", 1+i%3) + fmt.Sprintf("ABC-%d", i),
		})
	}
	return it
}

func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	os.WriteFile(in, pdf, 0o644)
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// pages renders every page to PNG at 100 dpi and returns their paths.
func pages(t *testing.T, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	os.WriteFile(in, pdf, 0o644)
	if out, err := exec.Command("pdftoppm", "-r", "100", "-png", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	ps, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	return ps
}

func keepScreen(t *testing.T, png, name string) {
	if !*screens {
		return
	}
	b, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "screens", name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// inOrder checks that each string appears after the previous one.
func inOrder(t *testing.T, text string, want ...string) {
	t.Helper()
	pos := 0
	for _, w := range want {
		i := strings.Index(text[pos:], w)
		if i < 0 {
			t.Errorf("%q missing or out of order (after byte %d)", w, pos)
			return
		}
		pos += i + len(w)
	}
}

func decodeQR(t *testing.T, png string) string {
	t.Helper()
	f, err := os.Open(png)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("decode QR from %s: %v", png, err)
	}
	return res.GetText()
}

func TestGuide(t *testing.T) {
	it := demoItem(t, "BDC002")
	var buf bytes.Buffer
	if err := a4.WriteGuide(&buf, hall, it, opts()); err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, buf.Bytes())
	want := []string{it.Name.ZH, "事项编码：BDC002", "一、事项说明和申请条件", "二、办理流程", "三、申请材料", "材料名称"}
	for _, m := range it.Materials {
		want = append(want, prefix(m.Name, 6))
	}
	want = append(want, "四、办理时限", "法定办结时限：30 个工作日", "承诺办结时限：5 个工作日", "五、收费标准及依据", "收费金额：80.00 元", "六、办理地点和时间", hall.Address)
	inOrder(t, squash(text), squashAll(want)...)
	if !strings.Contains(text, "demo-2026.11") || !strings.Contains(squash(text), "2026年11月20日") {
		t.Error("catalogue version or print date missing")
	}
	ps := pages(t, buf.Bytes())
	if got := decodeQR(t, ps[0]); got != it.OnlineURL {
		t.Errorf("QR = %q, want %q", got, it.OnlineURL)
	}
	keepScreen(t, ps[0], "pdf-guide.png")
}

func TestGuideInEnglish(t *testing.T) {
	it := demoItem(t, "CRJ001")
	o := opts()
	o.Lang = i18n.EN
	var buf bytes.Buffer
	if err := a4.WriteGuide(&buf, hall, it, o); err != nil {
		t.Fatal(err)
	}
	inOrder(t, pdftotext(t, buf.Bytes()), "Issuing an ordinary passport", "3. Required materials", "Resident ID card", "Fee: CNY 120.00", "2026-11-20")
}

func TestLongGuideSpansPagesAndRepeatsHeader(t *testing.T) {
	it := longItem(t)
	var buf bytes.Buffer
	if err := a4.WriteGuide(&buf, hall, it, opts()); err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, buf.Bytes())
	pgs := strings.Split(text, "\f")
	var nonEmpty []string
	for _, p := range pgs {
		if strings.TrimSpace(p) != "" {
			nonEmpty = append(nonEmpty, p)
		}
	}
	if len(nonEmpty) < 3 {
		t.Fatalf("%d pages, want the table to span several", len(nonEmpty))
	}
	headers := 0
	for i, p := range nonEmpty {
		if strings.Contains(p, "材料名称") && strings.Contains(p, "原件/复印件") {
			headers++
		}
		if !strings.Contains(squash(p), fmt.Sprintf("第%d页/共%d页", i+1, len(nonEmpty))) {
			t.Errorf("page %d has no page number of %d", i+1, len(nonEmpty))
		}
	}
	if headers < 2 {
		t.Errorf("table header appears on %d pages, want it repeated", headers)
	}
	// Every material, in order, whole: no row is lost at a page break.
	var want []string
	for _, m := range it.Materials {
		want = append(want, prefix(m.Name, 6))
	}
	inOrder(t, squash(text), squashAll(want)...)
	for i := 1; i <= 32; i++ {
		if !strings.Contains(text, fmt.Sprintf("ABC-%d", i)) {
			t.Errorf("notes of material %d cut off", i)
		}
	}
	ps := pages(t, buf.Bytes())
	keepScreen(t, ps[1], "pdf-guide-long-page2.png")
}

func TestMaterialsNotice(t *testing.T) {
	it := demoItem(t, "HZ005")
	var buf bytes.Buffer
	c := &a4.Case{Number: "XH2026112000042", Applicant: "张三 330102199001011234"}
	if err := a4.WriteMaterialsNotice(&buf, hall, it, []int{5, 2, 5}, c, opts()); err != nil { // ticked out of order, one twice
		t.Fatal(err)
	}
	text := squash(pdftotext(t, buf.Bytes()))
	inOrder(t, text, squashAll([]string{"缺补材料一次性告知书", "XH2026112000042", "3301**********1234", prefix(it.Materials[1].Name, 6), prefix(it.Materials[4].Name, 6), "窗口经办人（签字）", "申请人（签收）", hall.Phone})...)
	if strings.Contains(text, "330102199001011234") || strings.Contains(text, prefix(it.Materials[0].Name, 6)) {
		t.Error("full ID number printed, or an unticked material listed")
	}
	if err := a4.WriteMaterialsNotice(&bytes.Buffer{}, hall, it, []int{9}, c, opts()); err == nil {
		t.Error("material 9 of 5 accepted")
	}
	keepScreen(t, pages(t, buf.Bytes())[0], "pdf-notice-materials.png")
}

func TestDeadlineNotice(t *testing.T) {
	cal, err := calendar.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	it := demoItem(t, "HZ001") // promised 15 working days
	o := opts()
	o.Calendar = cal
	accepted := time.Date(2026, 9, 30, 10, 30, 0, 0, cal.Location())
	c := a4.Case{Number: "XH2026093000007", Applicant: "李四 13812345678", ItemCode: it.Code, Accepted: accepted}
	var buf bytes.Buffer
	if err := a4.WriteDeadlineNotice(&buf, hall, it, c, o); err != nil {
		t.Fatal(err)
	}
	text := squash(pdftotext(t, buf.Bytes()))
	// 15 working days after 30 September 2026: the National Day week does
	// not count and 10 October (Saturday) does.
	inOrder(t, text, squashAll([]string{"办结时限告知书", "XH2026093000007", "138****5678", it.Name.ZH, "受理日期：2026年9月30日", "承诺办结日期：2026年10月27日", "法律依据：" + it.Basis})...)
	if strings.Contains(text, "13812345678") {
		t.Error("full phone number printed")
	}
	keepScreen(t, pages(t, buf.Bytes())[0], "pdf-notice-deadline.png")
}

func TestRefusalNotice(t *testing.T) {
	it := demoItem(t, "MZ003")
	c := a4.Case{Number: "XH2026112000051", Applicant: "王五", Accepted: printed}
	var buf bytes.Buffer
	reasons := []string{"申请人户籍不在本区，应向户籍所在地乡镇（街道）提出申请。", "联系电话 13900001111 无法核实。"}
	if err := a4.WriteRefusalNotice(&buf, hall, it, c, reasons, opts()); err != nil {
		t.Fatal(err)
	}
	text := squash(pdftotext(t, buf.Bytes()))
	inOrder(t, text, squashAll([]string{"不予受理事项情况说明", "XH2026112000051", it.Name.ZH, "理由如下", reasons[0], "139****1111", "行政复议"})...)
	if err := a4.WriteRefusalNotice(&bytes.Buffer{}, hall, it, c, []string{" "}, opts()); err == nil {
		t.Error("refusal without reasons accepted")
	}
	keepScreen(t, pages(t, buf.Bytes())[0], "pdf-notice-refusal.png")
}

func TestEveryDemoGuideRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 65 PDFs")
	}
	c, _ := democat.Catalogue()
	for _, it := range c.Items() {
		if err := a4.WriteGuide(&bytes.Buffer{}, hall, it, opts()); err != nil {
			t.Errorf("%s: %v", it.Code, err)
		}
	}
}

var space = regexp.MustCompile(`\s+`)

// squash removes all white space: pdftotext -layout spreads wrapped
// Chinese over lines and columns.
func squash(s string) string { return space.ReplaceAllString(s, "") }

func squashAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = squash(s)
	}
	return out
}

// prefix is the start of a table cell that fits on the cell's first line;
// pdftotext -layout interleaves the wrapped lines of neighbouring cells.
func prefix(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

func BenchmarkGuide30Materials(b *testing.B) {
	it := longItem(b)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := a4.WriteGuide(&buf, hall, it, opts()); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
