package receipt

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaskID masks an identity document number, keeping what lets a citizen
// recognise their own: 330102199001011234 → 3301**********1234. Shorter
// numbers (passports, permits) keep less; very short ones are all stars.
func MaskID(id string) string {
	id = strings.Join(strings.Fields(id), "")
	n := utf8.RuneCountInString(id)
	switch {
	case n >= 12:
		return keep(id, 4, 4)
	case n >= 6:
		return keep(id, 2, 2)
	}
	return strings.Repeat("*", n)
}

// MaskPhone masks a phone number: 13812345678 → 138****5678; landlines
// keep their last four digits: 0571-88886666 → 0571-****6666.
func MaskPhone(phone string) string {
	phone = strings.Join(strings.Fields(phone), "")
	if i := strings.LastIndexAny(phone, "-－"); i > 0 {
		head, tail := phone[:i+1], phone[i+1:]
		if len(tail) > 4 {
			tail = strings.Repeat("*", len(tail)-4) + tail[len(tail)-4:]
		} else {
			tail = strings.Repeat("*", len(tail))
		}
		return head + tail
	}
	n := utf8.RuneCountInString(phone)
	switch {
	case n >= 11:
		return keep(phone, 3, 4)
	case n >= 7:
		return keep(phone, 0, 4)
	}
	return strings.Repeat("*", n)
}

// keep returns s with all but head runes at the start and tail at the end
// replaced by '*'.
func keep(s string, head, tail int) string {
	r := []rune(s)
	for i := head; i < len(r)-tail; i++ {
		r[i] = '*'
	}
	return string(r)
}

// MaskApplicant masks a person's name as printed on slips: the first
// character stays, the rest become '*' (张三丰 → 张**, John Smith → J*** *****).
// Digits hidden in the field (an ID or phone typed into the name box) are
// masked too, and the result never shows a run of more than four digits.
func MaskApplicant(name string) string {
	name = strings.TrimSpace(name)
	var b strings.Builder
	first := true
	for _, r := range name {
		switch {
		case first && !unicode.IsDigit(r):
			b.WriteRune(r)
			first = false
		case unicode.IsSpace(r) || r == '·' || r == '•':
			b.WriteRune(r)
		default:
			b.WriteByte('*')
			first = false
		}
	}
	return b.String()
}

// MaskSensitive masks whatever in free text looks like a resident ID
// number (18 characters, 17 digits and a digit or X; or 15 digits) or a
// mainland mobile number (11 digits starting 13–19). It leaves other
// numbers alone, so hall hotlines (12345), dates and amounts still read.
func MaskSensitive(s string) string {
	if !strings.ContainsAny(s, "0123456789０１２３４５６７８９") {
		return s
	}
	r := []rune(s)
	for i := 0; i < len(r); {
		if !isDigit(r[i]) || (i > 0 && isAlnum(r[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(r) && isDigit(r[j]) {
			j++
		}
		n := j - i
		if n == 17 && j < len(r) && (r[j] == 'X' || r[j] == 'x' || r[j] == 'Ｘ') {
			j++
			n++
		}
		if j < len(r) && isAlnum(r[j]) {
			i = j
			continue
		}
		switch {
		case n == 18 || n == 15:
			mask(r[i:j], 4, 4)
		case n == 11 && digit(r[i]) == 1 && digit(r[i+1]) >= 3:
			mask(r[i:j], 3, 4)
		}
		i = j
	}
	return string(r)
}

func mask(r []rune, head, tail int) {
	for k := head; k < len(r)-tail; k++ {
		r[k] = '*'
	}
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

func digit(r rune) int {
	if r >= '０' {
		return int(r - '０')
	}
	return int(r - '0')
}

func isAlnum(r rune) bool {
	return isDigit(r) || r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
}
