package display

import (
	"strings"

	"hallq/assets/i18n"
	"hallq/devices/voice"
)

// zhDigits are the digits as a Mandarin voice should read them in a
// ticket number: one by one, 零 for 0 and 一 for 1 (not 幺, which
// halls do not use).
var zhDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// SpokenNumberZH spells a ticket number for Mandarin speech: the letter
// apart, then each digit as a Chinese numeral, so "A001" is read
// "A 零零一" and not "A 一" (a number) or "A 零零幺".
func SpokenNumberZH(number string) string {
	var b strings.Builder
	prevDigit := false
	for _, r := range number {
		if r >= '0' && r <= '9' {
			if !prevDigit && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(zhDigits[r-'0'])
			prevDigit = true
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prevDigit = false
	}
	return b.String()
}

// Announcement is what the hall hears for c: the Mandarin sentence said
// repeat times (at least once), then, when english, the English one.
// English reads "A001" as "A zero zero one" without help.
func Announcement(c Call, repeat int, english bool) []voice.Utterance {
	zh := voice.Utterance{Lang: voice.Mandarin, Text: i18n.T(i18n.ZH, "display.voice.call", SpokenNumberZH(c.Number), c.Window)}
	var out []voice.Utterance
	for range max(1, repeat) {
		out = append(out, zh)
	}
	if english {
		out = append(out, voice.Utterance{Lang: voice.English, Text: i18n.T(i18n.EN, "display.voice.call", c.Number, c.Window)})
	}
	return out
}
