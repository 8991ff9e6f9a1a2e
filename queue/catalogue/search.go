package catalogue

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// gb2312Initials are the first GB2312 codes of each pinyin initial. The
// 3,755 level-1 hanzi of GB2312 (0xB0A1–0xD7F9) are ordered by pinyin, so
// the initial of such a character is the last boundary not above its code.
// That covers the everyday characters of item names with a 23-entry table
// instead of an embedded dictionary; level-2 hanzi (ordered by radical) and
// polyphones read the "wrong" way (银行 yínháng, not yínxíng) are what the
// explicit initials field in the data is for.
var gb2312Initials = []struct {
	code   uint16
	letter byte
}{
	{0xB0A1, 'a'}, {0xB0C5, 'b'}, {0xB2C1, 'c'}, {0xB4EE, 'd'}, {0xB6EA, 'e'},
	{0xB7A2, 'f'}, {0xB8C1, 'g'}, {0xB9FE, 'h'}, {0xBBF7, 'j'}, {0xBFA6, 'k'},
	{0xC0AC, 'l'}, {0xC2E8, 'm'}, {0xC4C3, 'n'}, {0xC5B6, 'o'}, {0xC5BE, 'p'},
	{0xC6DA, 'q'}, {0xC8BB, 'r'}, {0xC8F6, 's'}, {0xCBFA, 't'}, {0xCDDA, 'w'},
	{0xCEF4, 'x'}, {0xD1B9, 'y'}, {0xD4D1, 'z'},
}

const gb2312Level1End = 0xD7F9

// Initial returns the lower-case pinyin initial of a level-1 GB2312 hanzi,
// or 0 when the table does not know the character.
func Initial(r rune) byte {
	if r < 0x80 {
		return 0
	}
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(string(r)))
	if err != nil || len(b) != 2 {
		return 0
	}
	code := uint16(b[0])<<8 | uint16(b[1])
	if code < gb2312Initials[0].code || code > gb2312Level1End {
		return 0
	}
	i := sort.Search(len(gb2312Initials), func(i int) bool { return gb2312Initials[i].code > code }) - 1
	return gb2312Initials[i].letter
}

// Initials computes the search key of a Chinese name: the pinyin initial of
// every hanzi and every ASCII letter or digit, lower case; punctuation and
// characters the table does not know are skipped. 社保卡申领 → "sbksl".
func Initials(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Han, r):
			if c := Initial(r); c != 0 {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// SearchKeys computes the initials field of an item: the initials of its
// name and of each keyword, separated by spaces, without repeats.
func SearchKeys(name string, keywords []string) string {
	var keys []string
	seen := map[string]bool{}
	for _, s := range append([]string{name}, keywords...) {
		if k := Initials(s); k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return strings.Join(keys, " ")
}

// Search finds items for a kiosk search box. The query matches the code,
// the Chinese or English name or a keyword (substring, case-insensitive)
// or, when it is plain ASCII, the pinyin initials of the name or a keyword
// ("sbk" finds 社会保障卡申领 through its keyword 社保卡).
// Results are ranked: exact code, then names and initials that start with
// the query, then the rest; ties by code. An empty query returns nothing.
func (c *Catalogue) Search(query string) []Item {
	qz := strings.TrimSpace(query)
	q := strings.ToLower(qz)
	if q == "" {
		return nil
	}
	ascii := true
	for _, r := range q {
		if r >= 0x80 {
			ascii = false
			break
		}
	}
	type hit struct{ rank, i int }
	var hits []hit
	for i := range c.items {
		it := &c.items[i]
		rank := -1
		keyPrefix, keyContains := false, false
		if ascii {
			for _, k := range strings.Fields(it.Initials) {
				keyPrefix = keyPrefix || strings.HasPrefix(k, q)
				keyContains = keyContains || strings.Contains(k, q)
			}
		}
		kw := false
		for _, k := range it.Keywords {
			kw = kw || strings.Contains(k, qz)
		}
		switch {
		case strings.ToLower(it.Code) == q:
			rank = 0
		case strings.HasPrefix(it.Name.ZH, qz) || keyPrefix || ascii && strings.HasPrefix(strings.ToLower(it.Name.EN), q):
			rank = 1
		case strings.Contains(it.Name.ZH, qz) || kw || ascii && strings.Contains(strings.ToLower(it.Name.EN), q):
			rank = 2
		case keyContains:
			rank = 3
		case strings.HasPrefix(strings.ToLower(it.Code), q):
			rank = 4
		}
		if rank >= 0 {
			hits = append(hits, hit{rank, i})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].rank < hits[b].rank })
	out := make([]Item, len(hits))
	for k, h := range hits {
		out[k] = c.items[h.i].clone()
	}
	return out
}
