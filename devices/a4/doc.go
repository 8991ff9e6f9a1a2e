// Package a4 prints the hall's A4 documents as PDF: the service guide of an
// item (办事指南) and the written notices the rules require — the one-time
// notification of missing materials (《缺补材料一次性告知书》), the notice
// of the time limit (《办结时限告知书》) and the statement of reasons for
// not accepting an application (《不予受理事项情况说明》).
//
// # Output
//
// The Write functions take an io.Writer, so the same PDF goes to a file
// (hallq guide CODE --pdf FILE), an HTTP response or a Printer: CUPS via
// lp when the hall has an A4 printer, else a folder of timestamped PDFs.
//
// # Layout
//
// Text is placed by this package, not by fpdf's MultiCell: Chinese wraps
// between any two characters (fpdf's SplitText loses the character at such
// a break), closing punctuation never starts a line, table rows are sized
// to their tallest cell and never split, and a table's header row repeats
// on every page it continues on. Chinese is set in the embedded Droid Sans
// Fallback and Latin text in Go Regular, because the CJK font has no Latin
// glyphs. Documents are laid out twice so that "page n of m" is exact.
//
// # Privacy
//
// No full ID or phone number is printed: Mask is applied to applicants and
// free-text reasons even though callers are expected to pass them masked.
//
// All wording comes from hallq/assets/i18n (ids guide.* and notice.*).
package a4
