// Package vprinter is a virtual ESC/POS thermal printer, real enough to
// catch the bugs that reach a government service hall: a missing FS &,
// four-byte GB18030, a QR size sent as its error level, a barcode without
// its code set, NV writes per ticket, a driver that reports success into a
// printer with no paper or prints a stale job after the refill.
//
// # Parts
//
//   - Parser interprets a byte stream of any split with exact command
//     lengths and builds Jobs (the paper between cuts): styled text lines,
//     QR codes, barcodes, raster images, NV logos, feeds and the cut.
//     Unknown or malformed commands are recorded in Job.Errors; it never
//     panics and always progresses (FuzzParse).
//   - Renderer draws a Job to PNG with the embedded CJK font (and Go Mono
//     for Latin, which the CJK font lacks), honouring sizes; QR codes are
//     real symbols a phone (or gozxing) reads back.
//   - Printer serves on the master side of a pseudo-terminal (and
//     optionally loopback TCP). A driver opens the slave like /dev/ttyUSB0.
//
// # Behaviour modelled
//
// The line is read at Baud/10 bytes per second (times Speedup) into a
// finite receive buffer; overflow is lost and recorded. The mechanism
// takes whole commands from the buffer and, with MMPerSecond, spends the
// time the paper takes to come out. Real-time commands
// (DLE EOT n, DLE ENQ n, DLE DC4 8) are answered as they arrive, even when
// the mechanism is stopped — also when they occur inside image data, as on
// real printers. GS r is answered when the mechanism reaches it, so never
// while the paper is out.
//
// Paper out, cover open, offline and cutter error stop the mechanism; the
// data not yet printed is held and prints when the fault clears (what a
// real printer does, and why drivers must clear the buffer: DLE DC4 8 or
// DLE ENQ 2 drop it). With RollMM set, the paper really runs out mid-job.
//
// Unplug closes the master, so the driver's reads return EOF and writes
// EIO. Replug creates a new pseudo-terminal (a new /dev/pts/N) and
// re-points Config.Link at it: drivers reopen the link path, as they would
// reopen a udev symlink after a USB printer comes back.
package vprinter
