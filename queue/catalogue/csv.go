package catalogue

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// column describes one CSV column: its canonical (English) name and the
// Chinese headers centres use for it in their exports.
type column struct {
	name     string
	aliases  []string
	required bool
}

var itemColumns = []column{
	{"code", []string{"事项编码", "事项代码", "编码"}, true},
	{"name", []string{"事项名称", "名称"}, true},
	{"name_en", []string{"英文名称", "事项英文名称"}, false},
	{"keywords", []string{"关键词", "别名"}, false},
	{"initials", []string{"拼音首字母", "拼音简码"}, false},
	{"department", []string{"实施部门", "部门", "实施主体"}, true},
	{"department_en", []string{"部门英文名称"}, false},
	{"joint_departments", []string{"联办部门", "协办部门"}, false},
	{"category", []string{"事项类型", "事项类别"}, true},
	{"kind", []string{"办件类型"}, true},
	{"summary", []string{"事项说明", "事项简介"}, true},
	{"eligibility", []string{"申请条件", "受理条件"}, true},
	{"basis", []string{"设定依据"}, false},
	{"steps", []string{"办理流程"}, true},
	{"legal_days", []string{"法定时限", "法定办结时限"}, true},
	{"promised_days", []string{"承诺时限", "承诺办结时限"}, true},
	{"fee", []string{"收费金额"}, false},
	{"fee_standard", []string{"收费标准"}, false},
	{"fee_basis", []string{"收费依据"}, false},
	{"service", []string{"取号业务", "排队业务", "业务代码"}, true},
	{"window", []string{"办理窗口", "窗口"}, false},
	{"online_url", []string{"网办地址", "在线办理地址"}, false},
	{"version", []string{"版本"}, false},
}

var materialColumns = []column{
	{"item_code", []string{"事项编码", "事项代码", "code"}, true},
	{"seq", []string{"序号"}, false},
	{"name", []string{"材料名称"}, true},
	{"name_en", []string{"英文名称", "材料英文名称"}, false},
	{"form", []string{"材料形式", "原件复印件", "原件/复印件"}, true},
	{"copies", []string{"份数"}, true},
	{"required", []string{"必要性", "是否必需", "是否必须"}, false},
	{"condition", []string{"提交条件", "适用情形"}, false},
	{"notes", []string{"备注", "说明"}, false},
}

// ItemColumns and MaterialColumns are the canonical header rows WriteCSV
// writes and docs/catalogue.md documents.
func ItemColumns() []string     { return names(itemColumns) }
func MaterialColumns() []string { return names(materialColumns) }

func names(cs []column) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.name
	}
	return out
}

var headerNoise = regexp.MustCompile(`[（(][^）)]*[）)]|\s+`)

// headerKey makes "法定时限（工作日）", " Legal_Days " and "legal_days" equal.
func headerKey(h string) string {
	h = strings.TrimPrefix(h, "\ufeff") // Excel writes a BOM before the first header
	h = headerNoise.ReplaceAllString(h, "")
	return strings.ToLower(h)
}

// table is a CSV file read into records with their line numbers.
type table struct {
	file  string
	index map[string]int // canonical name → column
	width int            // cells in the header
	rows  [][]string
	lines []int
}

func (t *table) get(row int, name string) string {
	i, ok := t.index[name]
	if !ok || i >= len(t.rows[row]) {
		return ""
	}
	return strings.TrimSpace(t.rows[row][i])
}

func (t *table) has(name string) bool { _, ok := t.index[name]; return ok }

// readTable reads a whole CSV file. A file that is not valid UTF-8 is read
// as GB18030, since Excel on Chinese Windows saves CSV that way.
func readTable(file string, r io.Reader, cols []column) (*table, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("catalogue: read %s: %w", file, err)
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("catalogue: read %s: larger than %d bytes: %w", file, maxInput, ErrFormat)
	}
	if !utf8.Valid(b) {
		if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil {
			b = d
		}
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("catalogue: read %s: empty file, want a header row: %w", file, ErrFormat)
	}
	if err != nil {
		return nil, fmt.Errorf("catalogue: read %s: %v: %w", file, err, ErrFormat)
	}
	keys := map[string]string{}
	for _, c := range cols {
		keys[c.name] = c.name
		for _, a := range c.aliases {
			keys[headerKey(a)] = c.name
		}
	}
	t := &table{file: file, index: map[string]int{}, width: len(header)}
	var unknown, dup []string
	for i, h := range header {
		k := headerKey(h)
		if k == "" || k == "#" || k == "序号" && file == "items" {
			continue // a numbering column from a spreadsheet
		}
		name, ok := keys[k]
		if !ok {
			unknown = append(unknown, strconv.Quote(h))
			continue
		}
		if _, seen := t.index[name]; seen {
			dup = append(dup, strconv.Quote(h))
			continue
		}
		t.index[name] = i
	}
	var missing []string
	for _, c := range cols {
		if _, ok := t.index[c.name]; c.required && !ok {
			missing = append(missing, c.name)
		}
	}
	if len(unknown)+len(dup)+len(missing) > 0 {
		var why []string
		if len(missing) > 0 {
			why = append(why, "missing columns "+strings.Join(missing, ", "))
		}
		if len(unknown) > 0 {
			why = append(why, "unknown columns "+strings.Join(unknown, ", "))
		}
		if len(dup) > 0 {
			why = append(why, "repeated columns "+strings.Join(dup, ", "))
		}
		return nil, fmt.Errorf("catalogue: read %s header: %s: %w", file, strings.Join(why, "; "), ErrFormat)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("catalogue: read %s: %v: %w", file, err, ErrFormat)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line at the end of a spreadsheet export
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

// ParseCSV reads a catalogue from the two files centres export: one row per
// item, and one row per material keyed by item code. Headers may be the
// English names (ItemColumns, MaterialColumns) or the usual Chinese ones, in
// any order; docs/catalogue.md lists them. The catalogue version is a digest
// of the content. The result is complete or a *ValidationError naming every
// bad row; a file that cannot be read as CSV at all wraps ErrFormat.
func ParseCSV(items, materials io.Reader) (*Catalogue, error) {
	it, err := readTable("items", items, itemColumns)
	if err != nil {
		return nil, err
	}
	mt, err := readTable("materials", materials, materialColumns)
	if err != nil {
		return nil, err
	}

	var ps []Problem
	out := make([]Item, len(it.rows))
	rows := make([]int, len(it.rows))
	checkers := make([]checker, len(it.rows))
	byCode := map[string]int{}
	for i := range it.rows {
		rows[i] = it.lines[i]
		c := &checkers[i]
		*c = checker{file: "items", row: it.lines[i], code: it.get(i, "code")}
		out[i] = itemFromRow(it, i, c)
		if _, dup := byCode[out[i].Code]; !dup && out[i].Code != "" {
			byCode[out[i].Code] = i
		}
	}

	type placed struct {
		m    Material
		seq  int
		line int
	}
	mats := make([][]placed, len(out))
	var matParsed []Problem
	for j := range mt.rows {
		c := checker{file: "materials", row: mt.lines[j], code: mt.get(j, "item_code")}
		m, seq := materialFromRow(mt, j, &c)
		i, ok := byCode[c.code]
		switch {
		case c.code == "":
			c.add("item_code", "required", "is empty")
		case !ok:
			c.add("item_code", "unknown", "no item with code %s in the items file", c.code)
		default:
			mats[i] = append(mats[i], placed{m, seq, mt.lines[j]})
		}
		matParsed = append(matParsed, c.ps...)
	}

	matShadow := shadows(matParsed)
	for i := range out {
		group := mats[i]
		if mt.has("seq") {
			sort.SliceStable(group, func(a, b int) bool { return group[a].seq < group[b].seq })
			for k := 1; k < len(group); k++ {
				if group[k].seq == group[k-1].seq && group[k].seq > 0 {
					ps = append(ps, Problem{File: "materials", Row: group[k].line, Code: out[i].Code, Field: "seq", Rule: "duplicate", Reason: fmt.Sprintf("number %d is also used in row %d", group[k].seq, group[k-1].line)})
				}
			}
		}
		lines := make([]int, len(group))
		for k, p := range group {
			out[i].Materials = append(out[i].Materials, p.m)
			lines[k] = p.line
		}
		c := &checkers[i]
		parsed := c.ps
		c.ps = nil
		normalize(&out[i])
		validateItem(&out[i], c, lines, "materials")
		ps = append(ps, parsed...)
		ps = append(ps, dropShadowed(parsed, matShadow, c.ps)...)
	}
	ps = append(ps, matParsed...)
	if len(out) == 0 {
		ps = append(ps, emptyImport("items"))
	}
	return build("", out, ps, rows, "items")
}

// emptyImport is a problem, not a valid empty catalogue: storing it would
// silently wipe every guide of the hall.
func emptyImport(file string) Problem {
	return Problem{File: file, Field: "items", Rule: "required", Reason: "the file has no items"}
}

type shadowKey struct {
	file  string
	row   int
	field string
}

// shadows indexes problems found while reading cells.
func shadows(parsed []Problem) map[shadowKey]bool {
	bad := make(map[shadowKey]bool, len(parsed))
	for _, p := range parsed {
		bad[shadowKey{p.File, p.Row, p.Field}] = true
		if p.Field == "legal_days" || p.Field == "promised_days" || p.Field == "kind" {
			bad[shadowKey{p.File, p.Row, "legal_days"}], bad[shadowKey{p.File, p.Row, "promised_days"}] = true, true
		}
	}
	return bad
}

// dropShadowed removes validation problems about fields whose cell already
// failed to parse: "legal_days: not a number" says it all, a following
// "promised 5 > legal 0" would only confuse. itemParsed are the item's own
// cell problems; matShadow indexes those of all material rows, built once
// so that a large file with many problems stays linear.
func dropShadowed(itemParsed []Problem, matShadow map[shadowKey]bool, validated []Problem) []Problem {
	bad := shadows(itemParsed)
	var out []Problem
	for _, p := range validated {
		k := shadowKey{p.File, p.Row, p.Field}
		if !bad[k] && !matShadow[k] {
			out = append(out, p)
		}
	}
	return out
}

func itemFromRow(t *table, i int, c *checker) Item {
	it := Item{
		Code:        t.get(i, "code"),
		Name:        Text{ZH: t.get(i, "name"), EN: t.get(i, "name_en")},
		Initials:    t.get(i, "initials"),
		Department:  Text{ZH: t.get(i, "department"), EN: t.get(i, "department_en")},
		Category:    t.get(i, "category"),
		Summary:     t.get(i, "summary"),
		Eligibility: t.get(i, "eligibility"),
		Basis:       t.get(i, "basis"),
		Steps:       splitSteps(t.get(i, "steps")),
		Service:     t.get(i, "service"),
		Window:      t.get(i, "window"),
		OnlineURL:   t.get(i, "online_url"),
		Fee: Fee{
			Standard: t.get(i, "fee_standard"),
			Basis:    t.get(i, "fee_basis"),
		},
	}
	if len(t.rows[i]) > t.width {
		// Cells beyond the header would be silently lost.
		c.add("row", "format", "has %d cells, the header has %d", len(t.rows[i]), t.width)
	}
	if kw := t.get(i, "keywords"); kw != "" {
		it.Keywords = splitList(kw)
	}
	if jd := t.get(i, "joint_departments"); jd != "" {
		it.JointDepartments = splitList(jd)
	}
	if s := t.get(i, "kind"); s != "" {
		k, err := ParseKind(s)
		if err != nil {
			c.add("kind", "unknown", "%v", err)
		}
		it.Kind = k
	}
	it.LegalDays = parseDays(t.get(i, "legal_days"), "legal_days", c)
	it.PromisedDays = parseDays(t.get(i, "promised_days"), "promised_days", c)
	if s := t.get(i, "fee"); s != "" {
		fen, err := ParseYuan(s)
		if err != nil {
			c.add("fee", "format", "%v", err)
		}
		it.Fee.AmountFen = fen
	}
	if s := t.get(i, "version"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			c.add("version", "format", "%q is not a positive whole number", s)
			v = 1
		}
		it.Version = v
	}
	return it
}

func materialFromRow(t *table, j int, c *checker) (Material, int) {
	m := Material{
		Name:      t.get(j, "name"),
		NameEN:    t.get(j, "name_en"),
		Condition: t.get(j, "condition"),
		Notes:     t.get(j, "notes"),
		Required:  true,
	}
	if s := t.get(j, "form"); s != "" {
		f, err := ParseForm(s)
		if err != nil {
			c.add("form", "unknown", "%v", err)
		}
		m.Form = f
	}
	if s := t.get(j, "copies"); s != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(s, "份"), " "))
		if err != nil {
			c.add("copies", "format", "%q is not a whole number", s)
		}
		m.Copies = n
	} else {
		c.add("copies", "required", "is empty")
		m.Copies = 1
	}
	if s := t.get(j, "required"); s != "" {
		req, err := parseRequired(s)
		if err != nil {
			c.add("required", "format", "%v", err)
		}
		m.Required = req
	}
	seq := 0
	if t.has("seq") {
		s := t.get(j, "seq")
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			c.add("seq", "format", "%q is not a positive whole number", s)
		}
		seq = n
	}
	// Problems found here are reported by the caller with the item; the
	// material's own validation runs later in validateItem.
	return m, seq
}

func parseRequired(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "yes", "y", "true", "1", "required", "是", "必需", "必要", "必须", "必交":
		return true, nil
	case "no", "n", "false", "0", "conditional", "否", "条件", "视情况", "非必需", "情形", "容缺":
		return false, nil
	}
	return true, fmt.Errorf("%q: want required/必需 or conditional/视情况", s)
}

var daysSuffix = regexp.MustCompile(`\s*(个)?(工作日|天|日)$`)

// parseDays reads a time limit: "20", "20个工作日", or 即办 / 当场办结 for 0.
func parseDays(s, field string, c *checker) int {
	switch s {
	case "":
		c.add(field, "required", "is empty")
		return 0
	case "即办", "当场办结", "即时办结", "立即办结":
		return 0
	}
	n, err := strconv.Atoi(daysSuffix.ReplaceAllString(s, ""))
	if err != nil {
		c.add(field, "format", "%q is not a number of working days", s)
		return 0
	}
	return n
}

var yuanRE = regexp.MustCompile(`^(\d{1,9})(?:\.(\d{1,2}))?$`)

// ParseYuan reads an amount of money in yuan ("10", "10.5", "10.00元",
// "免费") into fen, without going through floating point.
func ParseYuan(s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "¥")
	s = strings.TrimPrefix(s, "￥")
	s = strings.TrimSuffix(s, "元")
	switch s {
	case "免费", "不收费", "无":
		return 0, nil
	}
	m := yuanRE.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not an amount in yuan (e.g. 10 or 10.50)", s)
	}
	yuan, _ := strconv.ParseInt(m[1], 10, 64)
	frac := m[2]
	for len(frac) < 2 {
		frac += "0"
	}
	fen, _ := strconv.ParseInt(frac, 10, 64)
	return yuan*100 + fen, nil
}

var stepNumber = regexp.MustCompile(`^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[.、．)）:：]\s*`)

// splitSteps splits the procedure cell on new lines or '|', dropping the
// numbering people type, since guides number the steps themselves.
func splitSteps(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '|' || r == '\r' }) {
		part = strings.TrimSpace(stepNumber.ReplaceAllString(part, ""))
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(";；、,，|\n", r) }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// WriteCSV writes the catalogue as the two files ParseCSV reads, with the
// English headers. Reading them back gives an equal catalogue except the
// version, which CSV does not carry.
func (c *Catalogue) WriteCSV(items, materials io.Writer) error {
	iw := csv.NewWriter(items)
	mw := csv.NewWriter(materials)
	if err := iw.Write(ItemColumns()); err != nil {
		return fmt.Errorf("catalogue: write csv: %w", err)
	}
	if err := mw.Write(MaterialColumns()); err != nil {
		return fmt.Errorf("catalogue: write csv: %w", err)
	}
	for _, it := range c.items {
		fee := ""
		if it.Fee.AmountFen != 0 {
			fee = it.Fee.Yuan()
		}
		rec := []string{it.Code, it.Name.ZH, it.Name.EN, strings.Join(it.Keywords, ";"), it.Initials, it.Department.ZH, it.Department.EN,
			strings.Join(it.JointDepartments, ";"), it.Category, string(it.Kind), it.Summary, it.Eligibility, it.Basis,
			strings.Join(it.Steps, "\n"), strconv.Itoa(it.LegalDays), strconv.Itoa(it.PromisedDays), fee,
			it.Fee.Standard, it.Fee.Basis, it.Service, it.Window, it.OnlineURL, strconv.Itoa(it.Version)}
		if err := iw.Write(rec); err != nil {
			return fmt.Errorf("catalogue: write csv: %w", err)
		}
		for k, m := range it.Materials {
			req := "required"
			if !m.Required {
				req = "conditional"
			}
			rec := []string{it.Code, strconv.Itoa(k + 1), m.Name, m.NameEN, string(m.Form), strconv.Itoa(m.Copies), req, m.Condition, m.Notes}
			if err := mw.Write(rec); err != nil {
				return fmt.Errorf("catalogue: write csv: %w", err)
			}
		}
	}
	iw.Flush()
	mw.Flush()
	return errors.Join(iw.Error(), mw.Error())
}
