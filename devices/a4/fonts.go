package a4

import (
	"strings"
	"sync"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"hallq/assets"
)

// Droid Sans Fallback, the embedded CJK font, has no Latin letters or
// digits: codes, dates, amounts and English text would print as empty
// boxes. Latin text is therefore set in Go Regular (BSD licence, embedded
// through golang.org/x/image), and each line is drawn as runs of the two
// fonts. Both are embedded, so a page looks the same on every machine.
const latinFamily = "latin"

// glyphs records, for every character of the Basic Multilingual Plane,
// which of the two fonts can draw it; filled once, because asking the font
// files per character doubled the time to lay out a guide.
var glyphs struct {
	once  sync.Once
	table [0x10000]uint8 // bit 1: Go Regular has it; bit 2: the CJK font has it
}

const (
	inLatin = 1 << iota
	inCJK
)

func loadGlyphs() {
	latin, _ := sfnt.Parse(goregular.TTF)
	cjk, _ := sfnt.Parse(assets.CJKFont)
	var b sfnt.Buffer
	for _, f := range []struct {
		font *sfnt.Font
		bit  uint8
	}{{latin, inLatin}, {cjk, inCJK}} {
		if f.font == nil {
			continue
		}
		for r := rune(0x20); r < 0x10000; r++ {
			if i, err := f.font.GlyphIndex(&b, r); err == nil && i != 0 {
				glyphs.table[r] |= f.bit
			}
		}
	}
}

func glyphBits(r rune) uint8 {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	glyphs.once.Do(loadGlyphs)
	return glyphs.table[r]
}

// latinRune says which font draws r: below the CJK blocks, Go Regular
// whenever it has the glyph; otherwise the CJK font.
func latinRune(r rune) bool {
	return r < 0x2E80 && glyphBits(r)&inLatin != 0
}

// run is a piece of a line in one font.
type run struct {
	latin bool
	text  string
}

// missingGlyph stands in for a character neither font can draw: a rare
// hanzi outside the Basic Multilingual Plane (fpdf cannot embed those and
// panics), an emoji pasted from a phone. An empty box is what a reader
// would see anyway, and the document still prints.
const missingGlyph = '□'

// drawable replaces what cannot be drawn by missingGlyph.
func drawable(s string) string {
	ok := true
	for _, r := range s {
		if !canDraw(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if canDraw(r) {
			return r
		}
		return missingGlyph
	}, s)
}

func canDraw(r rune) bool {
	return r < 0x80 || glyphBits(r) != 0
}

func runsOf(s string) []run {
	s = drawable(s)
	var out []run
	start, cur := 0, false
	for i, r := range s {
		l := latinRune(r)
		if i == 0 {
			cur = l
			continue
		}
		if l != cur {
			out = append(out, run{cur, s[start:i]})
			start, cur = i, l
		}
	}
	if start < len(s) {
		out = append(out, run{cur, s[start:]})
	}
	return out
}
