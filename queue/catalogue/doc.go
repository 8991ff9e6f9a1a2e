// Package catalogue is the service catalogue of a hall: the service items
// (事项) citizens come for, each with the five public things (五公开) the
// guide must show — what it is and who may apply, the procedure, the
// materials, the time limits, the fee and its legal basis — and the queue
// service where it is handled.
//
// # Import
//
// Centres export their item lists as two CSV files (items, and materials
// keyed by item code) or as one JSON document; ParseCSV and ParseJSON read
// them. An import is all or nothing: every row is checked and either a
// complete Catalogue comes back or a *ValidationError listing every problem
// with file, row, item code, field and a machine-readable rule, so a centre
// fixes its export in one round instead of one error at a time. The formats
// are documented in docs/catalogue.md.
//
// # Storage
//
// A Catalogue marshals to the same JSON document ParseJSON reads, so it
// survives storage and replication to and from central unchanged.
//
// # Search
//
// Kiosk users type Chinese, English or pinyin initials ("sbk" for
// 社保卡). Initials are stored per item: the data may give them (the demo
// catalogue does, checked by hand for polyphones such as 银行), and when it
// does not, import computes them from the pinyin order of GB2312 level-1
// hanzi — a 23-entry table instead of a dictionary; see Initials.
//
// The package is pure Go: no SQL, HTTP, UI or device imports.
package catalogue
