// Package escpostest reads back what an escpos.Encoder wrote, for tests:
// it splits a byte stream into commands, dumps them one per line for
// golden files a person can review against the Epson manual, and pulls out
// the text and the QR payloads.
//
// It knows the commands the encoder emits and the usual ones around them;
// it is a test helper, not the virtual printer's parser.
package escpostest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Cmd is one command, or one run of text, in a byte stream.
type Cmd struct {
	Name  string // "ESC @", "GS ( k", "text", "unknown" ...
	Bytes []byte // the whole command including its data
}

// IsText reports whether c is a run of printable text.
func (c Cmd) IsText() bool { return c.Name == "text" }

// Split cuts b into commands. Bytes it does not recognise come out one at
// a time as "unknown", so a broken stream still splits.
func Split(b []byte) []Cmd {
	var out []Cmd
	for len(b) > 0 {
		name, n := next(b)
		if n <= 0 || n > len(b) {
			name, n = "unknown", 1
		}
		out = append(out, Cmd{Name: name, Bytes: b[:n]})
		b = b[n:]
	}
	return out
}

func next(b []byte) (string, int) {
	at := func(i int) int {
		if i < len(b) {
			return int(b[i])
		}
		return -1
	}
	switch b[0] {
	case 0x0a:
		return "LF", 1
	case 0x10:
		if at(1) == 0x04 {
			return "DLE EOT", 3
		}
	case 0x1b:
		switch at(1) {
		case '@':
			return "ESC @", 2
		case 'a', 'E', 'd', '!', '-', '3', 'J', 't', 'M':
			return "ESC " + string(rune(at(1))), 3
		case '2':
			return "ESC 2", 2
		}
	case 0x1c:
		switch at(1) {
		case '&':
			return "FS &", 2
		case '.':
			return "FS .", 2
		case '!':
			return "FS !", 3
		case 'p':
			return "FS p", 4
		}
	case 0x1d:
		switch at(1) {
		case '!', 'h', 'w', 'H', 'a', 'r', 'f':
			return "GS " + string(rune(at(1))), 3
		case 'V':
			if m := at(2); m == 65 || m == 66 {
				return "GS V", 4
			}
			return "GS V", 3
		case '(':
			if at(4) < 0 {
				return "", 0
			}
			return "GS ( " + string(rune(at(2))), 5 + at(3) + at(4)<<8
		case 'k':
			if m := at(2); m >= 65 {
				return "GS k", 4 + at(3)
			}
			if i := bytes.IndexByte(b[3:], 0); i >= 0 {
				return "GS k", 3 + i + 1
			}
		case 'v':
			if at(2) == '0' && len(b) >= 8 {
				x := at(4) | at(5)<<8
				y := at(6) | at(7)<<8
				return "GS v 0", 8 + x*y
			}
		}
	}
	if b[0] >= 0x20 {
		n := 0
		for n < len(b) && b[n] >= 0x20 {
			if b[n] >= 0x81 && b[n] <= 0xfe && n+1 < len(b) && b[n+1] >= 0x40 {
				n += 2 // a GBK pair: its second byte may look like anything from 0x40
				continue
			}
			n++
		}
		return "text", n
	}
	return "", 0
}

// Text returns the printed text of b, GB18030 decoded, with '\n' for each
// line feed. Commands contribute nothing.
func Text(b []byte) string {
	var sb strings.Builder
	for _, c := range Split(b) {
		switch {
		case c.IsText():
			s, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(c.Bytes)
			sb.Write(s)
		case c.Name == "LF":
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

// QRPayloads returns the data of every QR store command (GS ( k, cn 49,
// fn 80) in b, checking that its length field matches.
func QRPayloads(b []byte) ([]string, error) {
	var out []string
	for _, c := range Split(b) {
		p := c.Bytes
		if c.Name != "GS ( k" || len(p) < 8 || p[5] != 49 || p[6] != 80 {
			continue
		}
		if n := int(p[3]) | int(p[4])<<8; n != len(p)-5 || p[7] != 48 {
			return out, fmt.Errorf("escpostest: QR store: pL pH = %d, m = %d, command holds %d", n, p[7], len(p)-5)
		}
		out = append(out, string(p[8:]))
	}
	return out, nil
}

// Find returns the commands named name.
func Find(b []byte, name string) []Cmd {
	var out []Cmd
	for _, c := range Split(b) {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// Dump writes b one command per line: hex bytes, then a comment saying
// what the command does. Small raster images are drawn with # and . so a
// reviewer can see them.
func Dump(b []byte) string {
	var sb strings.Builder
	for _, c := range Split(b) {
		p := c.Bytes
		switch {
		case c.IsText():
			s, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(p)
			fmt.Fprintf(&sb, "% X  ; text %q\n", p, s)
		case c.Name == "GS v 0":
			x := int(p[4]) | int(p[5])<<8
			y := int(p[6]) | int(p[7])<<8
			fmt.Fprintf(&sb, "% X  ; GS v 0 raster m=%d, %d bytes (%d dots) × %d rows, %d data bytes\n", p[:8], p[3], x, x*8, y, x*y)
			if x <= 16 {
				for r := 0; r < y; r++ {
					sb.WriteString(";   ")
					for _, d := range p[8+r*x : 8+(r+1)*x] {
						for bit := 7; bit >= 0; bit-- {
							if d&(1<<bit) != 0 {
								sb.WriteByte('#')
							} else {
								sb.WriteByte('.')
							}
						}
					}
					sb.WriteByte('\n')
				}
			}
		case c.Name == "GS ( k" && len(p) > 16:
			fmt.Fprintf(&sb, "% X  ; %s, data %q\n", p[:8], describe(c), p[8:])
		case c.Name == "GS k" && len(p) > 4:
			fmt.Fprintf(&sb, "% X  ; %s, data %q\n", p[:4], describe(c), p[4:])
		default:
			fmt.Fprintf(&sb, "% X  ; %s\n", p, describe(c))
		}
	}
	return sb.String()
}

func describe(c Cmd) string {
	p := c.Bytes
	arg := func(i int) int {
		if i < len(p) {
			return int(p[i])
		}
		return -1
	}
	switch c.Name {
	case "LF":
		return "LF print and feed one line"
	case "ESC @":
		return "ESC @ initialise"
	case "ESC a":
		return fmt.Sprintf("ESC a %d justification (%s)", arg(2), [...]string{"left", "centre", "right", "?"}[min(arg(2)&3, 3)])
	case "ESC E":
		return fmt.Sprintf("ESC E %d emphasis %s", arg(2), onOff(arg(2)&1))
	case "ESC d":
		return fmt.Sprintf("ESC d %d print and feed %d lines", arg(2), arg(2))
	case "FS &":
		return "FS & enter Chinese mode"
	case "FS .":
		return "FS . leave Chinese mode"
	case "FS p":
		return fmt.Sprintf("FS p %d %d print NV graphic %d, mode %d", arg(2), arg(3), arg(2), arg(3))
	case "GS !":
		return fmt.Sprintf("GS ! 0x%02X character size ×%d wide ×%d high", arg(2), arg(2)>>4+1, arg(2)&7+1)
	case "GS h":
		return fmt.Sprintf("GS h %d barcode height %d dots", arg(2), arg(2))
	case "GS w":
		return fmt.Sprintf("GS w %d barcode module width %d dots", arg(2), arg(2))
	case "GS H":
		return fmt.Sprintf("GS H %d HRI position", arg(2))
	case "GS k":
		return fmt.Sprintf("GS k %d barcode, n=%d", arg(2), arg(3))
	case "GS V":
		switch arg(2) {
		case 65:
			return fmt.Sprintf("GS V 65 %d feed %d and full cut", arg(3), arg(3))
		case 66:
			return fmt.Sprintf("GS V 66 %d feed %d and partial cut", arg(3), arg(3))
		}
		return fmt.Sprintf("GS V %d cut", arg(2))
	case "GS r":
		return fmt.Sprintf("GS r %d transmit status (end-of-job marker)", arg(2))
	case "GS a":
		return fmt.Sprintf("GS a %d automatic status back", arg(2))
	case "DLE EOT":
		return fmt.Sprintf("DLE EOT %d real-time status request", arg(2))
	case "GS ( k":
		size := arg(3) | arg(4)<<8
		if arg(5) != 49 {
			return fmt.Sprintf("GS ( k pL pH=%d cn=%d", size, arg(5))
		}
		switch arg(6) {
		case 65:
			return fmt.Sprintf("GS ( k QR fn65 (165) select model %d", arg(7)-48)
		case 67:
			return fmt.Sprintf("GS ( k QR fn67 (167) module size %d dots", arg(7))
		case 69:
			return fmt.Sprintf("GS ( k QR fn69 (169) error level %c", "LMQH?"[min(max(arg(7)-48, 0), 4)])
		case 80:
			return fmt.Sprintf("GS ( k QR fn80 (180) store, pL pH=%d = %d data + 3", size, size-3)
		case 81:
			return "GS ( k QR fn81 (181) print symbol"
		}
		return fmt.Sprintf("GS ( k QR fn%d", arg(6))
	}
	return c.Name
}

func onOff(n int) string {
	if n != 0 {
		return "on"
	}
	return "off"
}

// Raster stacks every GS v 0 image in b, top to bottom, into one picture
// with a white margin of margin dots all round, as the paper would show
// them (text and other commands are left out). It returns nil when b has
// no raster image.
func Raster(b []byte, margin int) *image.Gray {
	var rows [][]byte
	width := 0
	for _, c := range Split(b) {
		if c.Name != "GS v 0" {
			continue
		}
		p := c.Bytes
		x := int(p[4]) | int(p[5])<<8
		y := int(p[6]) | int(p[7])<<8
		width = max(width, x*8)
		for r := 0; r < y; r++ {
			rows = append(rows, p[8+r*x:8+(r+1)*x])
		}
	}
	if len(rows) == 0 {
		return nil
	}
	img := image.NewGray(image.Rect(0, 0, width+2*margin, len(rows)+2*margin))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y, row := range rows {
		for x := 0; x < len(row)*8; x++ {
			if row[x/8]&(0x80>>(x%8)) != 0 {
				img.SetGray(x+margin, y+margin, color.Gray{})
			}
		}
	}
	return img
}
