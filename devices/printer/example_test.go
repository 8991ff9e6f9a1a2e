package printer_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"hallq/devices/escpos"
	"hallq/devices/printer"
	"hallq/devices/vprinter"
)

// The kiosk with no printer configured: the virtual printer in-process on
// a pseudo-terminal, the real driver on its symlink.
func Example() {
	dir, _ := os.MkdirTemp("", "hallq-printer")
	defer os.RemoveAll(dir)
	vp, err := vprinter.New(vprinter.Config{Dir: dir, Link: filepath.Join(dir, "ttyPrinter"), Speedup: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer vp.Close()

	drv := printer.Open(printer.SerialOpener(printer.SerialConfig{Name: vp.Path(), Baud: 9600}),
		printer.Config{Baud: 96000, OnEvent: func(e printer.Event) { /* to the outbox */ }})
	defer drv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go drv.Monitor(ctx, 10*time.Second)

	var job bytes.Buffer
	e := escpos.New(&job, escpos.Generic80)
	e.Init()
	e.Line("A012 社保卡办理")
	e.QR("https://hall.example/t/A012", 6, escpos.QRLevelM)
	e.Cut(escpos.PartialCut, 0)
	if err := drv.Print(ctx, job.Bytes()); err != nil {
		fmt.Println(err)
		return
	}
	j := vp.Jobs()[0]
	fmt.Println(j.Text(), j.QRs(), filepath.Base(j.File))
	// Output: A012 社保卡办理 [https://hall.example/t/A012] job-0001.png
}
