package display

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"hallq/assets"
)

// cjkFont is the embedded CJK font, as on the kiosk. Fyne falls back per
// glyph to its Noto Sans for Latin letters. No bold text anywhere: the
// font has no bold face and each text style costs a full parse of the
// font (about 25 MB).
var cjkFont = fyne.NewStaticResource(assets.CJKFontName, assets.CJKFont)

// The display's colours: light type on dark blue, the called number in
// amber, as hall screens are read from across the room.
var (
	colBackground = color.NRGBA{0x06, 0x1a, 0x33, 0xff}
	colPanel      = color.NRGBA{0x0c, 0x2a, 0x52, 0xff}
	colBar        = color.NRGBA{0x0b, 0x4f, 0x9c, 0xff}
	colText       = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	colMuted      = color.NRGBA{0xb8, 0xc8, 0xde, 0xff}
	colNumber     = color.NRGBA{0xff, 0xc8, 0x2e, 0xff}
	colLost       = color.NRGBA{0xc0, 0x10, 0x20, 0xff}
	colConnecting = color.NRGBA{0x8a, 0x4b, 0x00, 0xff}
	colNotice     = color.NRGBA{0x02, 0x10, 0x22, 0xff}
)

// displayTheme only changes the font and the colours Fyne itself draws;
// the display's text sizes are set on each canvas.Text for a 1920x1080
// screen (FYNE_SCALE scales them for others).
type displayTheme struct{}

func (displayTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground:
		return colBackground
	case theme.ColorNameForeground:
		return colText
	}
	return theme.DefaultTheme().Color(n, theme.VariantDark)
}

func (displayTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol {
		return theme.DefaultTheme().Font(s)
	}
	return cjkFont
}

func (displayTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (displayTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNamePadding {
		return 0
	}
	return theme.DefaultTheme().Size(n)
}
