package queue

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

// MaskName masks an applicant's name as the hall shows it: the first
// character stays, the rest become '*' (张三丰 → 张**, John Smith → J*** *****).
// Digits hidden in the field (an ID or phone typed into the name box) are
// masked too, and the result never shows a run of more than four digits.
func MaskName(name string) string {
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
// number (18 characters, 17 digits and a digit or X; or 15 digits), a
// mainland mobile number (11 digits starting 13–19) or a bank card (16–19
// digits), also when written in groups ("138 1234 5678", "3301-0219-...").
// It leaves other numbers alone, so hall hotlines (12345, 0571-88886666),
// dates and amounts read. It is the last line of defence of invariant 6 on
// every output path: the thermal printer, A4 notices and the screens.
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
		// The digits of one number, allowing single spaces or hyphens
		// between groups; a trailing X counts as the 18th ID character.
		var pos []int
		j := i
		for j < len(r) {
			if isDigit(r[j]) {
				pos = append(pos, j)
				j++
				continue
			}
			if len(pos) == 17 && (r[j] == 'X' || r[j] == 'x' || r[j] == 'Ｘ') {
				pos = append(pos, j)
				j++
				break
			}
			if (r[j] == ' ' || r[j] == '-' || r[j] == '－') && j+1 < len(r) && isDigit(r[j+1]) {
				j++
				continue
			}
			break
		}
		if j < len(r) && isAlnum(r[j]) {
			// The last run is part of a longer code (a case number with
			// letters); the runs before it still count on their own.
			k := len(pos) - 1
			for k > 0 && pos[k-1] == pos[k]-1 {
				k--
			}
			pos = pos[:k]
		}
		if !maskNumber(r, pos) {
			// Not sensitive as a whole: look at each unbroken run alone
			// ("共 3 人 13812345678").
			for a := 0; a < len(pos); {
				b := a + 1
				for b < len(pos) && pos[b] == pos[b-1]+1 {
					b++
				}
				if b == len(pos) || pos[b] > pos[b-1]+1 {
					if end := pos[b-1] + 1; end >= len(r) || !isAlnum(r[end]) {
						maskNumber(r, pos[a:b])
					}
				}
				a = b
			}
		}
		i = j
	}
	return string(r)
}

// maskNumber masks the digits at pos in r if they form an ID or a mobile
// number, and reports whether it did.
func maskNumber(r []rune, pos []int) bool {
	n := len(pos)
	switch {
	case n == 18 || n == 15:
		for _, p := range pos[4 : n-4] {
			r[p] = '*'
		}
		return true
	case n == 11 && digit(r[pos[0]]) == 1 && digit(r[pos[1]]) >= 3:
		for _, p := range pos[3 : n-4] {
			r[p] = '*'
		}
		return true
	case n >= 16 && n <= 19:
		// A bank card number: first and last four, as banks print them.
		for _, p := range pos[4 : n-4] {
			r[p] = '*'
		}
		return true
	}
	return false
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
