package receipt

import (
	"strings"

	"hallq/devices/escpos"
)

// noLineStart holds punctuation that must not begin a line (避头): it
// stays with the character before it.
const noLineStart = "，。、；：？！）》」』”’,.;:?!)%…·"

// Wrap sanitises text (escpos.Sanitize) and breaks it into lines of at most
// cols display columns, a Chinese character counting two. Chinese breaks
// between any two characters, Latin words only at spaces (a word longer
// than a line is split), and closing punctuation never starts a line.
// A character is never split. '\n' in text starts a new line.
func Wrap(text string, cols int) []string {
	cols = max(cols, 2)
	var out []string
	for _, para := range strings.Split(escpos.Sanitize(text), "\n") {
		out = append(out, wrapLine([]rune(para), cols)...)
	}
	return out
}

func wrapLine(r []rune, cols int) []string {
	var out []string
	start, w := 0, 0
	for i := 0; i < len(r); i++ {
		rw := escpos.RuneWidth(r[i])
		if w+rw <= cols || i == start {
			w += rw
			continue
		}
		brk := i
		if latin(r[i]) && latin(r[i-1]) {
			// Inside a word: go back to the last space, if the line has one.
			for k := i - 1; k > start; k-- {
				if r[k] == ' ' {
					brk = k + 1
					break
				}
				if !latin(r[k]) {
					brk = k + 1
					break
				}
			}
		}
		if brk == i && strings.ContainsRune(noLineStart, r[i]) && i-1 > start {
			brk = i - 1 // carry the previous character down with the punctuation
		}
		out = append(out, strings.TrimRight(string(r[start:brk]), " "))
		start = brk
		for start < len(r) && r[start] == ' ' {
			start++
		}
		i, w = start-1, 0
	}
	if start < len(r) || len(out) == 0 {
		out = append(out, string(r[start:]))
	}
	return out
}

func latin(r rune) bool { return r > ' ' && r < 0x80 }
