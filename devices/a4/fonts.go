package a4

import (
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

var glyphs struct {
	once  sync.Once
	latin *sfnt.Font
	cjk   *sfnt.Font
}

func loadGlyphs() {
	glyphs.latin, _ = sfnt.Parse(goregular.TTF)
	glyphs.cjk, _ = sfnt.Parse(assets.CJKFont)
}

func has(f *sfnt.Font, r rune) bool {
	if f == nil {
		return false
	}
	var b sfnt.Buffer
	i, err := f.GlyphIndex(&b, r)
	return err == nil && i != 0
}

// latinRune says which font draws r: below the CJK blocks, Go Regular
// whenever it has the glyph; otherwise the CJK font.
func latinRune(r rune) bool {
	glyphs.once.Do(loadGlyphs)
	if r >= 0x2E80 {
		return false
	}
	return has(glyphs.latin, r)
}

// run is a piece of a line in one font.
type run struct {
	latin bool
	text  string
}

func runsOf(s string) []run {
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
