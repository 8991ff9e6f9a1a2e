package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"hallq/devices/led"
)

// ledFlags are serve's window LED display (条屏) settings.
type ledFlags struct {
	port    string
	windows string
	baud    int
}

func (l *ledFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.port, "led", "", "serial port of the window LED displays' RS485 bus (e.g. /dev/ttyUSB1); none when empty")
	fs.StringVar(&l.windows, "led-windows", "", "window=address pairs, e.g. 1=1,2=2 (default: every window at its own number)")
	fs.IntVar(&l.baud, "led-baud", 9600, "baud rate of the LED bus")
}

// parseLEDWindows reads "1=1,2=2,...": window number → display address.
func parseLEDWindows(s string) (map[int]byte, error) {
	out := map[int]byte{}
	for _, pair := range strings.Split(s, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		w, a, ok := strings.Cut(pair, "=")
		win, err1 := strconv.Atoi(strings.TrimSpace(w))
		addr, err2 := strconv.Atoi(strings.TrimSpace(a))
		if !ok || err1 != nil || err2 != nil || win <= 0 || addr < 1 || addr > 254 {
			return nil, usagef("serve: --led-windows %q: want window=address pairs, addresses 1-254", pair)
		}
		out[win] = byte(addr)
	}
	return out, nil
}

// startLED opens the LED bus and starts following the hall; it returns a
// function that stops it. A display or an adapter that does not answer
// becomes a device-health event (device "led-<window>"), once per change,
// as the printer's are; the node keeps serving either way.
func startLED(e *env, l ledFlags, log *slog.Logger) (stop func(), err error) {
	if l.port == "" {
		if l.windows != "" {
			return nil, usagef("serve: --led-windows without --led")
		}
		return func() {}, nil
	}
	addr, err := parseLEDWindows(l.windows)
	if err != nil {
		return nil, err
	}
	if len(addr) == 0 {
		cfg, _, err := e.node.Config(e.ctx)
		if err != nil {
			return nil, err
		}
		for _, w := range cfg.Windows {
			if w.Number >= 1 && w.Number <= 254 {
				addr[w.Number] = byte(w.Number)
			}
		}
	}
	bus := led.OpenBus(func() (io.ReadWriteCloser, error) { return led.OpenSerial(l.port, l.baud) })
	f := &led.Follower{Node: e.node, Bus: bus, Addr: addr,
		OnHealth: func(window int, a byte, err error) {
			kind, state, detail := "online", "ok", ""
			if err != nil {
				kind, state, detail = "offline", "offline", err.Error()
				if errors.Is(err, led.ErrUnplugged) {
					kind, state = "unplugged", "unplugged"
				}
				log.Warn("LED display not answering", "window", window, "address", a, "port", l.port, "err", err)
			}
			e.node.DeviceEvent(context.WithoutCancel(e.ctx), fmt.Sprintf("led-%d", window), kind, map[string]any{
				"state": state, "window": window, "address": a, "port": l.port, "detail": detail})
		}}
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx) }()
	return func() { cancel(); <-done; bus.Close() }, nil
}
