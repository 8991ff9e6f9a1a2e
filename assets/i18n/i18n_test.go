package i18n

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

// Every message must read in both languages and take the same arguments in
// the same order, or a translation would print "%!d(MISSING)" to a citizen.
func TestEveryMessageHasBothLanguagesAndSameVerbs(t *testing.T) {
	for _, id := range IDs() {
		tr := catalogue[id]
		for _, l := range Langs {
			if strings.TrimSpace(tr[l]) == "" {
				t.Errorf("%s: no %s text", id, l)
			}
		}
		zh := strings.Join(verb.FindAllString(tr[ZH], -1), " ")
		en := strings.Join(verb.FindAllString(tr[EN], -1), " ")
		if zh != en {
			t.Errorf("%s: verbs differ: zh-CN %q, en %q", id, zh, en)
		}
	}
}

func TestDuplicateIDAcrossFilesIsRefused(t *testing.T) {
	fsys := fstest.MapFS{
		"messages/a.json": {Data: []byte(`{"x": {"zh-CN": "甲", "en": "A"}}`)},
		"messages/b.json": {Data: []byte(`{"x": {"zh-CN": "乙", "en": "B"}}`)},
	}
	if _, err := load(fsys); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Fatalf("want duplicate error naming x, got %v", err)
	}
}

func TestTFallsBackAndFormats(t *testing.T) {
	if got := T(ZH, "no.such.message"); got != "no.such.message" {
		t.Errorf("unknown id: got %q", got)
	}
	if got := T(EN, "common.minutes", 5); got != "5 min" {
		t.Errorf("en: got %q", got)
	}
	if got := T(ZH, "common.minutes", 5); got != "5 分钟" {
		t.Errorf("zh: got %q", got)
	}
	if got := T(Lang("fr"), "common.minutes", 5); got != "5 分钟" {
		t.Errorf("fallback: got %q", got)
	}
}
