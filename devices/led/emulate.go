package led

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"sort"

	"hallq/devices/pty"
)

// Display is what one virtual display shows.
type Display struct {
	Text string
	Mode byte
}

// Displays returns what every address that took a frame shows.
func (v *Virtual) Displays() map[byte]Display {
	v.mu.Lock()
	defer v.mu.Unlock()
	return maps.Clone(v.shown)
}

var modeNames = map[byte]string{Static: "static", Scroll: "scroll", Flash: "flash"}

// Emulate runs a bus of virtual displays on a new pseudo-terminal until
// ctx ends: the entry point of `hallq led emulate`. It writes the device
// path for `hallq serve --led` to out (and points link at it, if set),
// then one line per change: "LED 3: 请A001号 (flash)".
func Emulate(ctx context.Context, link string, out io.Writer) error {
	master, slave, err := pty.Open()
	if err != nil {
		return err
	}
	defer master.Close()
	if link != "" {
		os.Remove(link)
		if err := os.Symlink(slave, link); err != nil {
			return fmt.Errorf("led: link %s: %w", link, err)
		}
		defer os.Remove(link)
	}
	fmt.Fprintf(out, "device %s\n", slave)
	v := NewVirtual()
	go v.Serve(master)
	shown := map[byte]Display{}
	for {
		changed := v.Changed()
		now := v.Displays()
		addrs := make([]int, 0, len(now))
		for a := range now {
			addrs = append(addrs, int(a))
		}
		sort.Ints(addrs)
		for _, a := range addrs {
			d := now[byte(a)]
			if shown[byte(a)] != d {
				fmt.Fprintf(out, "LED %d: %s (%s)\n", a, d.Text, modeNames[d.Mode])
				shown[byte(a)] = d
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-changed:
		}
	}
}
