package escpos

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Placeholder replaces a character the printer cannot print. It is the
// two-byte GB18030 □ (A1 F5), visible on paper so that a missing character
// is noticed rather than silently dropped.
const Placeholder = '□'

// lookalikes maps characters that GB18030 encodes in four bytes, or that
// printers commonly lack (checked before the encoding), to what prints instead. Every replacement encodes
// in one or two bytes (TestLookalikesAreTwoByte).
var lookalikes = map[rune]string{
	'¥':      "￥",
	'•':      "·",
	'∙':      "·",
	'–':      "－", // A8 43 is GBK-only; many printers have only GB2312 glyphs
	'‐':      "-",
	'‑':      "-",
	'−':      "－",
	'©':      "(C)",
	'®':      "(R)",
	'™':      "TM",
	'\u00a0': " ",
	'\u2007': " ",
	'\u202f': " ",
	'\u2002': " ",
	'\u2003': " ",
	'\u2009': " ",
	'′':      "'",
	'″':      "\"",
	'‹':      "<",
	'›':      ">",
	'«':      "《",
	'»':      "》",
	'✓':      "√",
	'✔':      "√",
	'✗':      "×",
	'✘':      "×",
	'☎':      "Tel",
	'\u2028': "\n",
	'\u2029': "\n",
}

// printable reports whether r survives sanitising as itself: it encodes in
// one ASCII byte or two GBK bytes and is not a control or format character.
func printable(r rune, gb []byte) bool {
	switch {
	case r == '\n':
		return true
	case r < 0x20 || r == 0x7f:
		return false
	case r < 0x80:
		return true
	case r <= 0x9f: // C1 controls
		return false
	case r >= 0xe000 && r <= 0xf8ff: // GB18030 maps its user-defined areas here; printers have no glyphs
		return false
	}
	return len(gb) == 2 && gb[0] >= 0x81 && gb[0] <= 0xfe && gb[1] >= 0x40 && gb[1] != 0x7f
}

// gbRune encodes one rune in GB18030 into buf and returns the bytes.
func gbRune(t transform.Transformer, buf *[8]byte, r rune) []byte {
	if r < 0x80 {
		buf[0] = byte(r)
		return buf[:1]
	}
	var src [utf8.UTFMax]byte
	n := utf8.EncodeRune(src[:], r)
	t.Reset()
	nDst, _, err := t.Transform(buf[:], src[:n], true)
	if err != nil {
		return nil
	}
	return buf[:nDst]
}

// sanitizer turns arbitrary strings into printable GB18030. It is not safe
// for concurrent use because the GB18030 transformer keeps state.
type sanitizer struct {
	t   transform.Transformer
	buf [8]byte
}

func newSanitizer() *sanitizer { return &sanitizer{t: simplifiedchinese.GB18030.NewEncoder()} }

// appendRune appends the GB18030 bytes printed for r to dst (nothing for a
// dropped character) and, if out is not nil, the runes to out.
func (s *sanitizer) appendRune(dst []byte, out *strings.Builder, r rune) []byte {
	switch {
	case r == '\t':
		r = ' '
	case r == '\n':
		if out != nil {
			out.WriteByte('\n')
		}
		return append(dst, '\n')
	case r < 0x20 || (r >= 0x7f && r <= 0x9f):
		return dst
	case r >= 0x80 && unicode.Is(unicode.Cf, r):
		// Format characters (zero-width, bidi overrides, soft hyphen, BOM)
		// have no glyph; a bidi override could reorder a case number.
		return dst
	}
	if rep, ok := lookalikes[r]; ok {
		for _, rr := range rep {
			dst = s.appendRune(dst, out, rr)
		}
		return dst
	}
	if gb := gbRune(s.t, &s.buf, r); printable(r, gb) {
		if out != nil {
			out.WriteRune(r)
		}
		return append(dst, gb...)
	}
	// Try the compatibility decomposition without combining marks: ö → o,
	// ﬁ → fi, fullwidth and circled forms to their base.
	if d := norm.NFKD.String(string(r)); d != string(r) {
		start := len(dst)
		mark := 0
		if out != nil {
			mark = out.Len()
		}
		ok := false
		for _, rr := range d {
			if unicode.Is(unicode.Mn, rr) {
				continue
			}
			if rep, ok := lookalikes[rr]; ok && utf8.RuneCountInString(rep) == 1 && rep != "\n" {
				// Keep Sanitize idempotent: ‴ decomposes to ′′′, which maps on.
				rr, _ = utf8.DecodeRuneInString(rep)
			}
			gb := gbRune(s.t, &s.buf, rr)
			if !printable(rr, gb) || rr == '\n' {
				ok = false
				break
			}
			ok = true
			dst = append(dst, gb...)
			if out != nil {
				out.WriteRune(rr)
			}
		}
		if ok {
			return dst
		}
		dst = dst[:start]
		if out != nil {
			// strings.Builder cannot truncate; rebuild.
			keep := out.String()[:mark]
			out.Reset()
			out.WriteString(keep)
		}
	}
	if out != nil {
		out.WriteRune(Placeholder)
	}
	return append(dst, 0xa1, 0xf5)
}

func (s *sanitizer) appendText(dst []byte, out *strings.Builder, text string) []byte {
	for _, r := range text { // invalid UTF-8 arrives as U+FFFD and prints as the placeholder
		dst = s.appendRune(dst, out, r)
	}
	return dst
}

// Sanitize returns text as the printer will print it: controls dropped, tabs
// as spaces, unprintable characters replaced by a look-alike or by
// Placeholder. Encoding the result in GB18030 gives exactly the bytes that
// Encoder.Text sends.
func Sanitize(text string) string {
	var b strings.Builder
	newSanitizer().appendText(nil, &b, text)
	return b.String()
}

// AppendText appends the GB18030 bytes of Sanitize(text) to dst. The result
// holds no byte below 0x20 except '\n' and no four-byte sequence.
func AppendText(dst []byte, text string) []byte {
	return newSanitizer().appendText(dst, nil, text)
}

// Width returns the printed width of text in columns of the normal font:
// one per ASCII character, two per Chinese (two-byte) character. Line
// breaks count nothing; a multi-line text reports its widest line.
func Width(text string) int {
	b := AppendText(nil, text)
	w, max := 0, 0
	for _, c := range b {
		if c == '\n' {
			w = 0
			continue
		}
		w++
		if w > max {
			max = w
		}
	}
	return max
}

// RuneWidth returns the printed width in columns of a rune of sanitised
// text (the output of Sanitize): 0 for '\n', 1 for ASCII, 2 for anything
// else, since every non-ASCII rune left prints as a two-byte character.
func RuneWidth(r rune) int {
	switch {
	case r == '\n':
		return 0
	case r < 0x80:
		return 1
	}
	return 2
}
