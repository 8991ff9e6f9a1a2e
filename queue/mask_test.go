package queue_test

import (
	"regexp"
	"strings"
	"testing"

	"hallq/queue"
)

func TestMaskID(t *testing.T) {
	for in, want := range map[string]string{
		"330102199001011234":     "3301**********1234",
		"33010219900101123X":     "3301**********123X",
		"330102900101123":        "3301*******1123",
		"3301 0219 9001 0112 34": "3301**********1234",
		"E12345678":              "E1*****78",
		"12345":                  "*****",
		"":                       "",
	} {
		if got := queue.MaskID(in); got != want {
			t.Errorf("MaskID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"13812345678":   "138****5678",
		"138 1234 5678": "138****5678",
		"0571-88886666": "0571-****6666",
		"88886666":      "****6666",
		"12345":         "*****",
	} {
		if got := queue.MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{
		"张三":                   "张*",
		"欧阳娜娜":                 "欧***",
		"John Smith":           "J*** *****",
		"买买提·艾力":               "买**·**",
		"13812345678":          "***********",
		"王 330102199001011234": "王 ******************",
	} {
		if got := queue.MaskName(in); got != want {
			t.Errorf("MaskApplicant(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskSensitive(t *testing.T) {
	for in, want := range map[string]string{
		"身份证330102199001011234办理":   "身份证3301**********1234办理",
		"号码33010219900101123x":      "号码3301**********123x",
		"电话13812345678。":            "电话138****5678。",
		"热线12345，0571-88886666":     "热线12345，0571-88886666",
		"编号A330102199001011234":     "编号A330102199001011234", // part of a code, not an ID
		"金额 1000 元，2026-11-22":      "金额 1000 元，2026-11-22",
		"１３８１２３４５６７８":               "１３８****５６７８",
		"12812345678":               "12812345678",
		"手机 138 1234 5678 联系":       "手机 138 **** 5678 联系",
		"证件 3301-0219-9001-0112-34": "证件 3301-****-****-**12-34",
		"共 3 人 13812345678":         "共 3 人 138****5678",
		"2026-11-22 09:30":          "2026-11-22 09:30",
		"前面还有 12 人":                 "前面还有 12 人",
		"A001 13812345678":          "A001 138****5678",
	} {
		if got := queue.MaskSensitive(in); got != want {
			t.Errorf("MaskSensitive(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzMaskName(f *testing.F) {
	f.Add("张三 330102199001011234")
	f.Add("13812345678")
	f.Fuzz(func(t *testing.T, s string) {
		got := queue.MaskName(s)
		digits := 0
		for _, r := range got {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if digits > 0 {
			t.Errorf("MaskApplicant(%q) = %q keeps digits", s, got)
		}
		if strings.Count(got, "*") == 0 && len([]rune(strings.TrimSpace(s))) > 1 && !strings.ContainsAny(s, " ·•") {
			t.Errorf("MaskApplicant(%q) = %q masks nothing", s, got)
		}
	})
}

var bare = regexp.MustCompile(`(^|[^0-9A-Za-z])(1[3-9][0-9]{9}|[0-9]{17}[0-9Xx]|[0-9]{15})($|[^0-9A-Za-z])`)

func FuzzMaskSensitive(f *testing.F) {
	f.Add("电话13812345678，身份证330102199001011234")
	f.Add("138 1234 5678 / 3301-0219-9001-0112-34")
	f.Add("共 3 人 13812345678")
	f.Fuzz(func(t *testing.T, s string) {
		got := queue.MaskSensitive(s)
		if m := bare.FindString(got); m != "" {
			t.Fatalf("MaskSensitive(%q) = %q leaves %q", s, got, m)
		}
		// Masking again may hide more (a group can newly qualify), never less.
		again := []rune(queue.MaskSensitive(got))
		for i, r := range []rune(got) {
			if again[i] != r && again[i] != '*' {
				t.Fatalf("MaskSensitive(%q) then again: %q -> %q", s, got, string(again))
			}
		}
	})
}

// Cases from the A4 notices, where free text (reasons, applicant lines)
// passes through MaskSensitive before reaching paper.
func TestMaskSensitiveOnNotices(t *testing.T) {
	for in, want := range map[string]string{
		"330102199001011234":    "3301**********1234",
		"张三 33010219900101123X": "张三 3301**********123X",
		"13812345678":           "138****5678",
		"138 1234 5678":         "138 **** 5678",
		"330102900101123":       "3301*******1123",
		"6222021234567890123":   "6222***********0123",
		"3301**********1234":    "3301**********1234",
		"受理日期 2026-10-08":       "受理日期 2026-10-08",
		"咨询电话 0571-87654321":    "咨询电话 0571-87654321",
	} {
		if got := queue.MaskSensitive(in); got != want {
			t.Errorf("MaskSensitive(%q) = %q, want %q", in, got, want)
		}
	}
}
