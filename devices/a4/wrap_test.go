package a4

import (
	"math/rand"
	"strings"
	"testing"
	"time"

	"hallq/assets/i18n"
	"hallq/queue/catalogue"
)

// Every wrapped line fits its width and no character is lost or invented:
// the two properties that keep text inside table cells.
func TestWrapFitsAndKeepsEveryCharacter(t *testing.T) {
	d := newDoc("t", Options{Now: time.Now()})
	d.addPage()
	pieces := []string{"居民身份证", "原件", "，", "。", "（", "）", "《中华人民共和国社会保险法》", "ABC-12", " ", "https://zwfw.hall.example/item/verylongpath/abcdefghijklmnopqrstuvwxyz0123456789", "8:30–12:00", "“一件事”", "Power of attorney", "、", "2026年10月8日", "　"}
	r := rand.New(rand.NewSource(7))
	for n := 0; n < 300; n++ {
		var b strings.Builder
		for k := 0; k < 1+r.Intn(25); k++ {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		s := b.String()
		for _, size := range []float64{9.5, 10.5, 17} {
			d.setFont(size)
			w := 12 + r.Float64()*150
			lines := d.wrap(s, w)
			for _, l := range lines {
				if lw := d.width(l); lw > w+0.01 && len([]rune(l)) > 1 {
					t.Fatalf("line %q is %.1f mm wide, cell %.1f mm", l, lw, w)
				}
			}
			strip := func(x string) string { return strings.NewReplacer(" ", "", "\n", "").Replace(x) }
			if got, want := strip(strings.Join(lines, "")), strip(s); got != want {
				t.Fatalf("wrap changed the text:\n got %q\nwant %q", got, want)
			}
		}
	}
}

// Characters outside the Basic Multilingual Plane (rare hanzi of names,
// emoji pasted from a phone) must not crash the PDF writer.
func TestRareCharactersDoNotCrash(t *testing.T) {
	it := catalogue.Item{Code: "X1", Name: catalogue.Text{ZH: "𠮷野家户口迁入😀"}, Kind: catalogue.Immediate, Department: catalogue.Text{ZH: "部门"},
		Summary: "说明𠀀", Eligibility: "条件", Steps: []string{"受理"}, Service: "A", Version: 1,
		Materials: []catalogue.Material{{Name: "材料😀", Form: catalogue.Original, Copies: 1, Required: true}}}
	var b strings.Builder
	if err := WriteGuide(&b, Hall{Name: "中心"}, it, Options{Lang: i18n.ZH}); err != nil {
		t.Fatal(err)
	}
}
