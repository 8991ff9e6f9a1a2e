package a4

import (
	"regexp"
	"strings"
)

// digitRun finds runs of digits, possibly split by single spaces or
// hyphens ("138 1234 5678"), optionally ending in the X of an ID number.
var digitRun = regexp.MustCompile(`\d(?:[ -]?\d)*(?:[ -]?[Xx])?`)

// Mask hides ID, phone and card numbers in text that reaches paper, as a
// last line of defence: callers pass applicants already masked, but no
// full number may ever be printed (DESIGN.md, invariant 6). It keeps
//   - 18-digit IDs and longer numbers (bank cards): first 4 and last 4
//     (3301**********1234);
//   - 15-digit (old) IDs: first 4 and last 4;
//   - 11-digit mobile numbers: first 3 and last 4 (138****5678);
//   - other runs of 7 or more digits: first 2 and last 2.
//
// A run split by separators is masked only from 11 digits on, so that dates
// such as 2026-10-08 stay readable.
func Mask(s string) string {
	return digitRun.ReplaceAllStringFunc(s, func(run string) string {
		digits := strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' {
				return -1
			}
			return r
		}, run)
		n := len(digits)
		separated := n != len(run)
		switch {
		case n < 7, separated && n < 11:
			return run
		case n >= 15:
			return digits[:4] + strings.Repeat("*", n-8) + digits[n-4:]
		case n == 11 && digits[0] == '1':
			return digits[:3] + "****" + digits[7:]
		default:
			return digits[:2] + strings.Repeat("*", n-4) + digits[n-2:]
		}
	})
}
