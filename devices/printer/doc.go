// Package printer drives an ESC/POS thermal printer on a serial line.
//
// The driver works on an io.ReadWriter (periph style): serial.go opens the
// port through devices/serialport, the only package that knows
// github.com/tarm/serial, and the tests run the same code over a real
// pseudo-terminal against devices/vprinter.
//
// # A job
//
// PrintJob checks the printer first (DLE EOT 1–4, decoded by
// devices/escpos) and refuses with a typed error when it cannot print
// (ErrPaperOut, ErrCoverOpen, ErrOffline, ErrCutter, ErrUnplugged ...), so
// a ticket is never "printed" into a printer with no paper. It writes the
// job in chunks of about 10 ms of line time, no faster than the baud rate,
// pausing on XOFF. It ends with GS r 1: the printer answers it in order
// with the data, so the answer means the ticket is out; a printer out of
// paper does not answer, hence a timeout sized to the job; while it waits
// it polls DLE EOT 2 (answered in real time, and told apart from the GS r
// answer by its fixed bits), so paper running out or the cover opening
// mid-job fails the job at once rather than at the timeout. Paper near end
// prints and is returned as a warning.
//
// The reader takes XON/XOFF out of the stream and skips bytes it did not
// ask for: printers answer DLE EOT n found inside raster data. Jobs must
// not enable automatic status back (GS a): its bytes look like GS r
// answers.
//
// # Failures and reconnects
//
// A job that fails after its first byte is an interrupted job
// (JobError.Interrupted). It is never resent: the caller, who has the
// ticket in its database, decides to reprint or void it, and no ticket is
// printed twice by the driver. After an interrupted job and after every
// reconnect the driver sends DLE DC4 8 (clear buffers), so that neither the
// held rest of a job (printed headless after a refill, a known trap) nor a
// half-received image (which would swallow the next ticket as image data)
// survive. Config.NoClear turns this off for printers that misread it.
//
// When the line dies (read EOF, write EIO: a pulled USB cable or a closed
// pty), Open's driver calls its opener again with exponential backoff.
// With the virtual printer, open its Link path: the symlink is re-pointed
// at the new pseudo-terminal on replug, as udev rules give a USB printer a
// stable name.
//
// # Health
//
// Every status read (before jobs, by Monitor between jobs, after
// reconnects) goes through one change detector that emits Events (online,
// offline, unplugged, paper near end, paper out, cover open, cutter error,
// recovered) to Config.OnEvent, in order, from one goroutine.
//
// # Paper
//
// The driver counts millimetres since the last Restocked, from the
// caller's Job.LengthMM or measured from the bytes with the virtual
// printer's parser; the caller persists PaperState and restores it with
// SetPaper.
package printer
