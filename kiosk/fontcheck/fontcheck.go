// Package fontcheck finds catalogue messages with characters that neither
// of the screens' fonts has: the embedded CJK font (hallq/assets) and
// Fyne's Noto Sans. For any other character Fyne searches and parses the
// system's fonts (20 MB of heap for one keypad symbol, measured on the
// kiosk) and may draw a box. The kiosk's and the display's tests use it.
package fontcheck

import (
	"bytes"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/theme"
	gofont "github.com/go-text/typesetting/font"

	"hallq/assets"
	"hallq/assets/i18n"
)

// Missing lists, for every message whose id starts with one of prefixes,
// in every language, each character in neither font.
func Missing(prefixes ...string) ([]string, error) {
	cjk, err := gofont.ParseTTF(bytes.NewReader(assets.CJKFont))
	if err != nil {
		return nil, err
	}
	noto, err := gofont.ParseTTF(bytes.NewReader(theme.DefaultTextFont().Content()))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, id := range i18n.IDs() {
		if !hasAnyPrefix(id, prefixes) {
			continue
		}
		for _, l := range i18n.Langs {
			for _, r := range i18n.T(l, id) {
				_, a := cjk.NominalGlyph(r)
				_, b := noto.NominalGlyph(r)
				if !a && !b {
					out = append(out, fmt.Sprintf("%s (%s): %q U+%04X is in neither font", id, l, r, r))
				}
			}
		}
	}
	return out, nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
