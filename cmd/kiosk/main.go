// Command kiosk is the hallq self-service kiosk: a fullscreen Fyne window
// over an embedded hall node and the ticket printer (the virtual printer
// on a pseudo-terminal when no port is given). See docs/kiosk.md.
package main

import (
	"fmt"
	"os"
)

func main() {
	m, err := ParseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "kiosk:", err)
		os.Exit(2)
	}
	if err := m.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "kiosk:", err)
		os.Exit(1)
	}
}
