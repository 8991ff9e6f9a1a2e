package main

import (
	"flag"

	"hallq/devices/led"
)

func init() {
	var link string
	register(&command{
		name: "led", args: "emulate [--link PATH]", summary: "virtual window LED displays on a pseudo-terminal (for serve --led)",
		noHall: true,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&link, "link", "", "also make PATH a symlink to the displays' device")
		},
		run: func(e *env) error {
			if len(e.args) != 1 || e.args[0] != "emulate" {
				return usagef("led: want emulate")
			}
			return led.Emulate(e.ctx, link, e.out)
		},
	})
}
