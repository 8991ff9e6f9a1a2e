// Package receipt lays out what the kiosk prints on thermal paper: the
// queue ticket and the notices of the service hall (service guide,
// one-time notification of missing materials, case status slip,
// appointment confirmation).
//
// Every layout is a function from a plain struct to an escpos.Encoder, so
// it is tested byte for byte without a printer; the hall node adapts its
// domain types to these structs. All words come from the message
// catalogue (hallq/assets/i18n, ids "print.*"), Chinese first and English
// after where a line is short enough to be worth both.
//
// # Privacy
//
// Invariant 6 says no full ID or phone number is ever printed. Layouts do
// not trust their callers: applicant fields go through [queue.MaskName],
// ID and phone fields through [queue.MaskID] and [queue.MaskPhone], and every other
// line of text through [queue.MaskSensitive], which masks anything shaped like a
// resident ID or a mobile number. Only the ticket number, the case number
// and the QR link are printed as given.
//
// # Bytes
//
// A standard ticket is 405 bytes with native Chinese text and a
// native QR code (the target is 600: at 9600 baud that is 0.6 s, less than
// the mechanism needs to print it). The same ticket as raster is about 40
// times larger; see docs/bench-notes/printing-encoder.md.
package receipt
