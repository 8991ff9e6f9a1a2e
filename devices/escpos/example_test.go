package escpos_test

import (
	"bytes"
	"fmt"

	"hallq/devices/escpos"
)

// A job is built in memory and checked once; the driver sends the bytes
// after the ticket row has committed.
func ExampleEncoder() {
	var job bytes.Buffer
	e := escpos.New(&job, escpos.Generic80)
	e.Init()
	e.Align(escpos.Center)
	e.Size(2, 2)
	e.Line("A001")
	e.Size(1, 1)
	e.Line("过号无效\x1b@") // the ESC never reaches the printer
	e.QR("https://q.example.cn/t/A001", 6, escpos.QRLevelM)
	e.Cut(escpos.PartialCut, 0)
	e.EndOfJob()
	if err := e.Err(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(job.Len(), "bytes")
	// Output: 103 bytes
}

// A driver asks for the four real-time statuses and decides.
func ExampleStatus_CanPrint() {
	replies := map[escpos.StatusKind]byte{
		escpos.PrinterStatus: 0x1a, // offline
		escpos.OfflineStatus: 0x32, // stopped by paper end
		escpos.ErrorStatus:   0x12,
		escpos.PaperStatus:   0x72, // paper out
	}
	var s escpos.Status
	for k := escpos.PrinterStatus; k <= escpos.PaperStatus; k++ {
		if err := s.Apply(k, replies[k]); err != nil {
			fmt.Println(err)
		}
	}
	ok, why := s.CanPrint()
	fmt.Println(ok, why, why.MessageID())
	fmt.Println(s.Err())
	// Output:
	// false paper-out print.status.paper-out
	// escpos: status: paper out
}
