package kiosk

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"hallq/assets"
)

// Sizes the kiosk's theme adds to Fyne's.
const (
	sizeNameHuge   fyne.ThemeSizeName = "kioskHuge"   // the ticket number on screen
	sizeNameTarget fyne.ThemeSizeName = "kioskTarget" // minimum height of a touch target
)

// cjkFont is the embedded CJK font. It has no Latin letters; Fyne falls
// back per glyph to its default font (Noto Sans) for those, so mixed text
// such as "A012 社会保险" renders without boxes.
//
// The kiosk uses no bold text: the font has no bold face, and Fyne parses
// the whole font once per text style (about 25 MB of glyph tables for this
// one), so a bold style would cost memory for nothing.
var cjkFont = fyne.NewStaticResource(assets.CJKFontName, assets.CJKFont)

// kioskTheme is a light, high-contrast theme with large type and large
// touch targets; elder mode enlarges everything further.
type kioskTheme struct {
	elder bool
}

var (
	colInk       = color.NRGBA{0x10, 0x10, 0x10, 0xff}
	colPaper     = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	colPrimary   = color.NRGBA{0x0b, 0x4f, 0x9c, 0xff} // 8.1:1 against white
	colTile      = color.NRGBA{0xe3, 0xec, 0xf7, 0xff}
	colTileEdge  = color.NRGBA{0x0b, 0x4f, 0x9c, 0xff}
	colDisabled  = color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
	colMuted     = color.NRGBA{0x44, 0x44, 0x44, 0xff} // 9.7:1 against white
	colError     = color.NRGBA{0xb0, 0x00, 0x20, 0xff}
	colWarning   = color.NRGBA{0x8a, 0x4b, 0x00, 0xff}
	colSuccess   = color.NRGBA{0x0a, 0x6b, 0x2e, 0xff}
	colHeaderBar = color.NRGBA{0x0b, 0x4f, 0x9c, 0xff}
)

func (t kioskTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground, theme.ColorNameOverlayBackground:
		return colPaper
	case theme.ColorNameForeground:
		return colInk
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink:
		return colPrimary
	case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnError, theme.ColorNameForegroundOnSuccess, theme.ColorNameForegroundOnWarning:
		return colPaper
	case theme.ColorNameButton:
		return colTile
	case theme.ColorNameDisabledButton, theme.ColorNameInputBorder:
		return colDisabled
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		return colMuted
	case theme.ColorNameError:
		return colError
	case theme.ColorNameWarning:
		return colWarning
	case theme.ColorNameSuccess:
		return colSuccess
	case theme.ColorNameSeparator:
		return colDisabled
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

func (t kioskTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol {
		return theme.DefaultTheme().Font(s)
	}
	return cjkFont
}

func (t kioskTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	scale := float32(1)
	if t.elder {
		scale = 1.4 // 20 pt body text becomes 28 pt
	}
	switch n {
	case theme.SizeNameText:
		return 20 * scale
	case theme.SizeNameSubHeadingText:
		return 26 * scale
	case theme.SizeNameHeadingText:
		return 34 * scale
	case theme.SizeNameCaptionText:
		return 18 * scale // no text on the kiosk is smaller than 18 pt
	case sizeNameHuge:
		return 150 * scale
	case sizeNameTarget:
		if t.elder {
			return 96
		}
		return 72 // ≥ 64 px touch targets
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInnerPadding:
		return 12
	case theme.SizeNameScrollBar:
		return 20 // a finger can drag it
	case theme.SizeNameScrollBarSmall:
		return 8
	case theme.SizeNameInputBorder:
		return 2
	}
	return theme.DefaultTheme().Size(n)
}
