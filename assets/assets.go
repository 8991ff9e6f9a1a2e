// Package assets holds what the product ships inside its binaries: the CJK
// font, the demo catalogue and the working-day calendar. Everything is
// embedded so that a kiosk never depends on what the machine has installed.
package assets

import _ "embed"

// CJKFont is Droid Sans Fallback (Apache-2.0, see fonts/LICENSE-DroidSansFallback.txt),
// a TrueType font with the full GB18030 repertoire. The kiosk screen, the A4
// PDFs and the virtual printer's renderer all use it, so every Chinese
// character the catalogue can hold is drawn the same way everywhere.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var CJKFont []byte

// CJKFontName is the file name of CJKFont, for libraries that want one.
const CJKFontName = "DroidSansFallbackFull.ttf"
