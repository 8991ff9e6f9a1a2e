package central

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// CaseColumns are the columns of a case import, in this order or named in
// a header row (Chinese or English names).
var CaseColumns = []string{"number", "hall_id", "item_code", "kind", "applicant", "check_code", "accepted", "promised_date", "status", "finished"}

var caseHeaderZH = map[string]string{
	"受理编号": "number", "大厅": "hall_id", "事项编码": "item_code", "办件类型": "kind", "申请人": "applicant",
	"查询码": "check_code", "受理时间": "accepted", "承诺办结日期": "promised_date", "状态": "status", "办结时间": "finished",
}

// parseTime reads a time as RFC 3339 or "2006-01-02 15:04[:05]" in loc.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, l := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q is not RFC 3339 or YYYY-MM-DD hh:mm", s)
}

// ParseCasesCSV reads a case import (UTF-8, header row required). Times
// without a zone are in loc (the centre's zone, Asia/Shanghai by default).
// Every row is checked; the error lists every bad row.
func ParseCasesCSV(r io.Reader, loc *time.Location) ([]CaseIn, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("cases csv: %w", err)
	}
	if len(recs) < 2 {
		return nil, errors.New("cases csv: no rows after the header")
	}
	idx := map[string]int{}
	for i, h := range recs[0] {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if zh, ok := caseHeaderZH[h]; ok {
			h = zh
		}
		idx[strings.ToLower(h)] = i
	}
	for _, c := range []string{"number", "hall_id", "item_code", "kind", "accepted", "status"} {
		if _, ok := idx[c]; !ok {
			return nil, fmt.Errorf("cases csv: column %s is missing", c)
		}
	}
	get := func(rec []string, c string) string {
		if i, ok := idx[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var out []CaseIn
	var errs []error
	for n, rec := range recs[1:] {
		row := n + 2
		in := CaseIn{Number: get(rec, "number"), Hall: get(rec, "hall_id"), ItemCode: get(rec, "item_code"), Kind: get(rec, "kind"),
			Applicant: get(rec, "applicant"), CheckCode: get(rec, "check_code"), PromisedDate: get(rec, "promised_date"), Status: get(rec, "status")}
		t, err := parseTime(get(rec, "accepted"), loc)
		if err != nil {
			errs = append(errs, fmt.Errorf("row %d: accepted: %w", row, err))
			continue
		}
		in.Accepted = t
		if f := get(rec, "finished"); f != "" {
			t, err := parseTime(f, loc)
			if err != nil {
				errs = append(errs, fmt.Errorf("row %d: finished: %w", row, err))
				continue
			}
			in.Finished = &t
		}
		if _, err := in.Case(time.Now()); err != nil {
			errs = append(errs, fmt.Errorf("row %d: %w", row, err))
			continue
		}
		out = append(out, in)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
