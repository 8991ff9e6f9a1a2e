// Command display is the hallq hall display: a fullscreen Fyne window
// following a hall node's event stream, showing and saying each call.
// See docs/display.md.
package main

import (
	"fmt"
	"os"
)

func main() {
	m, err := ParseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "display:", err)
		os.Exit(2)
	}
	if err := m.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "display:", err)
		os.Exit(1)
	}
}
