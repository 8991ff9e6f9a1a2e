package central_test

import (
	"strings"
	"testing"
	"time"

	"hallq/queue/central"
)

// An approval system's export is taken whole or refused with the rows that
// are wrong; whatever it holds, the parser does not panic, and every case it
// does accept would be accepted by the centre (it makes a valid case).
func FuzzParseCasesCSV(f *testing.F) {
	header := "受理编号,大厅,事项编码,办件类型,申请人,查询码,受理时间,承诺办结日期,状态,办结时间\n"
	f.Add(header + "SP1,A,I1,promised,张三,1234,2026-11-20 09:30,2026-11-27,processing,\n")
	f.Add(header + "SP2,A,I1,sometimes,李四,1,2026-11-20 09:30,,accepted,\n")
	f.Add("number,hall_id,item_code,kind,accepted,status\nX,H,I,immediate,2026-11-20T09:30:00+08:00,finished\n")
	f.Add("\ufeffnumber,hall_id\n\"unterminated,\n")
	f.Fuzz(func(t *testing.T, data string) {
		cases, err := central.ParseCasesCSV(strings.NewReader(data), time.UTC)
		if err != nil {
			if cases != nil {
				t.Fatalf("an error and %d cases: import is all or nothing", len(cases))
			}
			return
		}
		if len(cases) == 0 {
			t.Fatal("no error and no cases")
		}
		for _, in := range cases {
			if _, err := in.Case(time.Now()); err != nil {
				t.Fatalf("accepted a case the centre refuses: %+v: %v", in, err)
			}
		}
	})
}
