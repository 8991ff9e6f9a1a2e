package catalogue_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"hallq/queue/catalogue"
)

func parseFiles(t *testing.T, items, materials string) (*catalogue.Catalogue, error) {
	t.Helper()
	i, err := os.Open("testdata/" + items)
	if err != nil {
		t.Fatal(err)
	}
	defer i.Close()
	m, err := os.Open("testdata/" + materials)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	return catalogue.ParseCSV(i, m)
}

func TestParseCSVChineseHeaders(t *testing.T) {
	c, err := parseFiles(t, "good_items.csv", "good_materials.csv")
	if err != nil {
		t.Fatal(err)
	}
	items := c.Items()
	if len(items) != 2 || items[0].Code != "T001" || items[1].Code != "T002" {
		t.Fatalf("items not sorted by code: %+v", items)
	}
	id, _ := c.Lookup("T002")
	if id.Kind != catalogue.Promised || id.LegalDays != 60 || id.PromisedDays != 15 || id.Fee.AmountFen != 2000 {
		t.Errorf("T002 fields: %+v", id)
	}
	if got := []string{id.Materials[0].Name, id.Materials[1].Name}; got[0] != "原居民身份证" || got[1] != "居民户口簿" {
		t.Errorf("materials not ordered by 序号: %v", got)
	}
	if !reflect.DeepEqual(id.Steps, []string{"受理", "采集", "制证"}) {
		t.Errorf("steps: numbering not stripped or lines not split: %q", id.Steps)
	}
	sb, _ := c.Lookup("T001")
	if !reflect.DeepEqual(sb.Steps, []string{"受理", "制卡", "领卡"}) || sb.Fee.AmountFen != 0 || sb.Version != 1 {
		t.Errorf("T001: %+v", sb)
	}
	if sb.Materials[1].Required || sb.Materials[1].Condition != "委托他人办理的" {
		t.Errorf("conditional material: %+v", sb.Materials[1])
	}
	if sb.Initials != "shbzksl" {
		t.Errorf("computed initials %q", sb.Initials)
	}
	if !strings.HasPrefix(c.Version(), "sha256-") {
		t.Errorf("version %q", c.Version())
	}
	if _, err := c.Lookup("nope"); !errors.Is(err, catalogue.ErrNotFound) {
		t.Errorf("lookup: %v", err)
	}
}

func TestParseCSVReportsEveryBadRow(t *testing.T) {
	_, err := parseFiles(t, "bad_items.csv", "bad_materials.csv")
	var ve *catalogue.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want ValidationError, got %v", err)
	}
	type key struct {
		file string
		row  int
		fld  string
		rule string
	}
	got := map[key]bool{}
	for _, p := range ve.Problems {
		got[key{p.File, p.Row, p.Field, p.Rule}] = true
	}
	want := []key{
		{"items", 2, "code", "required"},
		{"items", 2, "materials", "required"},  // its material row has no item code
		{"items", 13, "materials", "required"}, // materials of B011 go to the first B011
		{"items", 3, "name", "required"},
		{"items", 4, "kind", "unknown"},
		{"items", 5, "promised_days", "range"},
		{"items", 6, "promised_days", "conflict"},
		{"items", 7, "fee_basis", "required"},
		{"items", 8, "fee", "format"},
		{"items", 9, "service", "format"},
		{"items", 10, "online_url", "format"},
		{"items", 11, "legal_days", "format"},
		{"items", 12, "joint_departments", "required"},
		{"items", 13, "code", "duplicate"},
		{"items", 14, "materials", "required"},
		{"items", 15, "steps", "required"},
		{"materials", 2, "item_code", "required"},
		{"materials", 13, "form", "unknown"},
		{"materials", 14, "copies", "range"},
		{"materials", 15, "condition", "required"},
		{"materials", 16, "copies", "format"},
		{"materials", 16, "required", "format"},
		{"materials", 17, "item_code", "unknown"},
	}
	for _, k := range want {
		if !got[k] {
			t.Errorf("missing problem %+v", k)
		}
	}
	// Nothing else: a parse problem must not be followed by a confusing echo.
	if len(ve.Problems) != len(want) {
		for _, p := range ve.Problems {
			t.Log(p)
		}
		t.Errorf("%d problems, want %d", len(ve.Problems), len(want))
	}
	// The report is machine-readable.
	b, _ := json.Marshal(ve)
	if !bytes.Contains(b, []byte(`"rule":"duplicate"`)) {
		t.Errorf("json report: %s", b)
	}
	if n := strings.Count(ve.Report(), "\n"); n != len(ve.Problems) {
		t.Errorf("Report has %d lines for %d problems", n, len(ve.Problems))
	}
	if !strings.Contains(err.Error(), "items row 2") {
		t.Errorf("error text: %v", err)
	}
}

func TestParseCSVStructuralErrors(t *testing.T) {
	for name, tc := range map[string]struct{ items, materials string }{
		"empty":           {"", "item_code,name,form,copies\n"},
		"missing column":  {"code,name\nX,Y\n", "item_code,name,form,copies\n"},
		"unknown column":  {"code,name,department,category,kind,summary,eligibility,steps,legal_days,promised_days,service,promise_days\n", "item_code,name,form,copies\n"},
		"bare quote":      {"code,name,department,category,kind,summary,eligibility,steps,legal_days,promised_days,service\nA\"B,x,x,x,x,x,x,x,1,1,A\n", "item_code,name,form,copies\n"},
		"materials empty": {"code,name,department,category,kind,summary,eligibility,steps,legal_days,promised_days,service\n", ""},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := catalogue.ParseCSV(strings.NewReader(tc.items), strings.NewReader(tc.materials))
			if !errors.Is(err, catalogue.ErrFormat) {
				t.Fatalf("want ErrFormat, got %v", err)
			}
		})
	}
}

func TestEmptyImportIsRefused(t *testing.T) {
	var ve *catalogue.ValidationError
	_, err := catalogue.ParseCSV(strings.NewReader("code,name,department,category,kind,summary,eligibility,steps,legal_days,promised_days,service\n"), strings.NewReader("item_code,name,form,copies\n"))
	if !errors.As(err, &ve) {
		t.Errorf("empty CSV: %v", err)
	}
	if _, err := catalogue.ParseJSON(strings.NewReader(`{"version": "x", "items": []}`)); !errors.As(err, &ve) {
		t.Errorf("empty JSON: %v", err)
	}
}

func TestParseCSVReadsGB18030FromExcel(t *testing.T) {
	items, _ := os.ReadFile("testdata/good_items.csv")
	mats, _ := os.ReadFile("testdata/good_materials.csv")
	gb := func(b []byte) []byte {
		out, err := gb18030(b)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, err := catalogue.ParseCSV(bytes.NewReader(items), bytes.NewReader(mats))
	if err != nil {
		t.Fatal(err)
	}
	b, err := catalogue.ParseCSV(bytes.NewReader(gb(items)), bytes.NewReader(gb(mats)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Items(), b.Items()) {
		t.Error("GB18030 file reads differently")
	}
	bom, err := catalogue.ParseCSV(bytes.NewReader(append([]byte("\ufeff"), items...)), bytes.NewReader(mats))
	if err != nil || !reflect.DeepEqual(a.Items(), bom.Items()) {
		t.Errorf("UTF-8 file with BOM: %v", err)
	}
}

func TestJSONRoundTripIsLossless(t *testing.T) {
	c, err := parseFiles(t, "good_items.csv", "good_materials.csv")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back catalogue.Catalogue
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Version() != c.Version() || !reflect.DeepEqual(back.Items(), c.Items()) {
		t.Error("JSON round trip changed the catalogue")
	}
	b2, _ := json.Marshal(&back)
	if !bytes.Equal(b, b2) {
		t.Error("second marshal differs")
	}
	// And CSV → catalogue → CSV → catalogue.
	var ib, mb bytes.Buffer
	if err := c.WriteCSV(&ib, &mb); err != nil {
		t.Fatal(err)
	}
	c2, err := catalogue.ParseCSV(&ib, &mb)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c2.Items(), c.Items()) {
		t.Error("CSV round trip changed the catalogue")
	}
}

func TestParseJSONReportsPerItem(t *testing.T) {
	doc := `{"version": "v1", "items": [
	 {"code": "J1", "name": {"zh-CN": "甲"}, "department": {"zh-CN": "部门"}, "category": "公共服务", "kind": "即办件",
	  "summary": "说明", "eligibility": "条件", "steps": ["受理"], "materials": [{"name": "居民身份证", "form": "原件", "copies": 1, "required": true}],
	  "legal_days": 0, "promised_days": 0, "fee": {"amount_fen": 0}, "service": "A"},
	 {"code": "J2", "legal_days": "ten"},
	 {"code": "J3", "promise_days": 3},
	 {"code": "J1"}
	]}`
	_, err := catalogue.ParseJSON(strings.NewReader(doc))
	var ve *catalogue.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want ValidationError, got %v", err)
	}
	rows := map[int]bool{}
	for _, p := range ve.Problems {
		rows[p.Row] = true
		if p.File != "json" {
			t.Errorf("problem file %q", p.File)
		}
	}
	if rows[1] || !rows[2] || !rows[3] || !rows[4] {
		t.Errorf("rows with problems: %v (%v)", rows, ve)
	}
	if _, err := catalogue.ParseJSON(strings.NewReader(`{"items": [`)); !errors.Is(err, catalogue.ErrFormat) {
		t.Errorf("truncated: %v", err)
	}
	c, err := catalogue.ParseJSON(strings.NewReader(strings.Replace(doc[:strings.Index(doc, `,
	 {"code": "J2"`)]+"]}", "", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if c.Version() != "v1" || c.Items()[0].Kind != catalogue.Immediate || c.Items()[0].Materials[0].Form != catalogue.Original || c.Items()[0].Initials != "j" {
		t.Errorf("normalised: %+v", c.Items()[0])
	}
}

func TestInitials(t *testing.T) {
	for in, want := range map[string]string{"社保卡": "sbk", "城乡居民基本养老保险参保登记": "cxjmjbylbxcbdj", "A类12号": "al12h", "（护照）": "hz", "": ""} {
		if got := catalogue.Initials(in); got != want {
			t.Errorf("Initials(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaterialAt(t *testing.T) {
	c, _ := parseFiles(t, "good_items.csv", "good_materials.csv")
	it, _ := c.Lookup("T001")
	if m, err := it.MaterialAt(2); err != nil || m.Name != "授权委托书" {
		t.Errorf("MaterialAt(2) = %v, %v", m, err)
	}
	if _, err := it.MaterialAt(3); !errors.Is(err, catalogue.ErrNoMaterial) {
		t.Errorf("MaterialAt(3): %v", err)
	}
}

// generated writes n valid items with 5 materials each, in the CSV shape.
func generated(n int) (items, materials []byte) {
	var ib, mb bytes.Buffer
	ib.WriteString("code,name,name_en,department,category,kind,summary,eligibility,basis,steps,legal_days,promised_days,fee,fee_standard,fee_basis,service,window,online_url\n")
	mb.WriteString("item_code,seq,name,form,copies,required,condition,notes\n")
	kinds := []string{"immediate", "promised", "joint"}
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("G%05d", n-i) // reverse order: the import sorts
		kind := kinds[i%3]
		promised, joint := 0, ""
		if kind != "immediate" {
			promised = 1 + i%10
		}
		if kind == "joint" {
			joint = ""
		}
		_ = joint
		fmt.Fprintf(&ib, "%s,生成事项第%d号登记,Generated item %d,区第%d局,公共服务,%s,\"说明，第%d号。\",本区居民。,《中华人民共和国行政许可法》,\"受理\n审核\n办结\",20,%d,%s,%s,%s,%c,%d号窗口,https://zwfw.hall.example/item/%s\n",
			code, i, i, i%40, map[bool]string{true: "promised", false: kind}[kind == "joint"], i, promised,
			map[bool]string{true: "10", false: ""}[i%7 == 0], map[bool]string{true: "工本费10元", false: ""}[i%7 == 0], map[bool]string{true: "《某收费标准》", false: ""}[i%7 == 0],
			'A'+rune(i%8), i%20+1, strings.ToLower(code))
		for k := 1; k <= 5; k++ {
			req, cond := "required", ""
			if k == 5 {
				req, cond = "conditional", "委托他人办理的"
			}
			fmt.Fprintf(&mb, "%s,%d,材料%d,original+copy,%d,%s,%s,备注%d\n", code, k, k, k%3+1, req, cond, k)
		}
	}
	return ib.Bytes(), mb.Bytes()
}

func TestImportThousandItems(t *testing.T) {
	items, mats := generated(1000)
	c, err := catalogue.ParseCSV(bytes.NewReader(items), bytes.NewReader(mats))
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 1000 || c.Items()[0].Code != "G00001" || len(c.Items()[999].Materials) != 5 {
		t.Fatalf("len %d first %s", c.Len(), c.Items()[0].Code)
	}
	if got := c.Search("生成事项第42号"); len(got) == 0 || got[0].Name.ZH != "生成事项第42号登记" {
		t.Errorf("search: %d hits", len(got))
	}
	// One bad row among a thousand is found and named.
	bad := bytes.Replace(items, []byte("G00500,"), []byte("G00500 bad,"), 1)
	_, err = catalogue.ParseCSV(bytes.NewReader(bad), bytes.NewReader(mats))
	var ve *catalogue.ValidationError
	if !errors.As(err, &ve) || ve.Problems[0].Code != "G00500 bad" {
		t.Fatalf("want one bad code problem, got %v", err)
	}
}

func BenchmarkImportCSV1000(b *testing.B) {
	items, mats := generated(1000)
	b.SetBytes(int64(len(items) + len(mats)))
	for b.Loop() {
		if _, err := catalogue.ParseCSV(bytes.NewReader(items), bytes.NewReader(mats)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImportJSON1000(b *testing.B) {
	items, mats := generated(1000)
	c, err := catalogue.ParseCSV(bytes.NewReader(items), bytes.NewReader(mats))
	if err != nil {
		b.Fatal(err)
	}
	doc, _ := json.Marshal(c)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := catalogue.ParseJSON(bytes.NewReader(doc)); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzImportCSV(f *testing.F) {
	gi, _ := os.ReadFile("testdata/good_items.csv")
	gm, _ := os.ReadFile("testdata/good_materials.csv")
	bi, _ := os.ReadFile("testdata/bad_items.csv")
	bm, _ := os.ReadFile("testdata/bad_materials.csv")
	f.Add(gi, gm)
	f.Add(bi, bm)
	f.Add([]byte("code\n"), []byte(""))
	f.Fuzz(func(t *testing.T, items, materials []byte) {
		c, err := catalogue.ParseCSV(bytes.NewReader(items), bytes.NewReader(materials))
		if err != nil {
			var ve *catalogue.ValidationError
			if !errors.As(err, &ve) && !errors.Is(err, catalogue.ErrFormat) {
				t.Fatalf("error is neither a ValidationError nor ErrFormat: %v", err)
			}
			if ve != nil && len(ve.Problems) == 0 {
				t.Fatal("ValidationError without problems")
			}
			return
		}
		// A catalogue that imports must survive storage unchanged and be valid again.
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		back, err := catalogue.ParseJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("valid catalogue does not re-import: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(back.Items(), c.Items()) {
			t.Fatal("round trip changed items")
		}
	})
}
