// Package escpos encodes print jobs for ESC/POS thermal printers and decodes
// what the printer says back about its health.
//
// # Encoding
//
// An [Encoder] writes commands to an io.Writer. Like bufio.Writer it keeps the
// first error and turns every later call into a no-op, so a layout writes a
// whole ticket and checks [Encoder.Err] once. The encoder never buffers
// commands of its own: pass a bytes.Buffer to build a job in memory (the
// usual case, so that a job reaches the port in one piece after the ticket
// row has committed) or a bufio.Writer around a port.
//
// # Text is never a command
//
// Text from the catalogue, from citizens and from the central server goes
// through one path, [Encoder.Text], which drops every C0 and C1 control
// character and DEL (a tab becomes a space; '\n' is the only control that
// survives, as LF). Whatever a catalogue entry contains, it cannot switch
// the printer into another mode, cut, open the drawer or start a status
// reply. This is invariant 5 of docs/DESIGN.md, and FuzzText checks it.
//
// # Chinese text
//
// Chinese printers print two-byte GB18030 (the GBK range) only after FS &
// (Chinese mode), so the encoder enters it by itself before the first
// non-ASCII character. Characters that GB18030 encodes in four bytes print
// as junk, so [Sanitize] maps them to a two-byte look-alike (¥ to ￥, • to ·,
// © to (C), accented letters to their base letter) or to the visible
// placeholder □. Every two-byte character prints two columns wide, so the
// width of a line in columns is simply its encoded length; [Width] reports it.
//
// A profile without a CJK font ([Profile.HasCJKFont] false) gets every text
// line rendered with the embedded CJK font and sent as a GS v 0 raster
// image. That costs 72 bytes per dot row on 80 mm paper, dozens of times
// the native text, and exists for printers that cannot do better.
//
// # Status
//
// [ParseStatus] decodes the one-byte replies to DLE EOT n (n = 1..4) and
// [ParseASB] the four-byte automatic status back of GS a. Both validate the
// fixed bits, so a stray XON/XOFF byte or a byte of raster echo is refused
// instead of being taken for "printer fine". [Status.CanPrint] says whether a
// job may start and, if not, a [Reason] with a message id for the screen.
package escpos
