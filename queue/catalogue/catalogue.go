package catalogue

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Catalogue is a complete, validated set of items, sorted by code. It is
// immutable once built: a new import builds a new Catalogue, so readers
// (kiosk screens, printers) never see half an update.
type Catalogue struct {
	version string
	items   []Item
	byCode  map[string]int
}

// New validates items and builds a catalogue. An empty version is replaced
// by a digest of the content ("sha256-" and 12 hex digits), so two halls
// holding the same items agree on the version without coordination.
// Problems come back as a *ValidationError with Row = position in items.
func New(version string, items []Item) (*Catalogue, error) {
	var ps []Problem
	for i := range items {
		c := checker{file: "", row: i + 1, code: items[i].Code}
		validateItem(&items[i], &c, nil, "")
		ps = append(ps, c.ps...)
	}
	return build(version, items, ps, nil, "")
}

// build finishes an import: it adds duplicate-code problems, and returns
// either every problem or the catalogue. rows maps item position to the row
// to report (nil: position+1); file names the source in problems.
func build(version string, items []Item, ps []Problem, rows []int, file string) (*Catalogue, error) {
	if !utf8.ValidString(version) || len(version) > 100 || strings.ContainsFunc(version, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		ps = append(ps, Problem{Field: "version", Rule: "format", Reason: "catalogue version must be printable UTF-8, at most 100 bytes"})
	}
	first := map[string]int{}
	for i := range items {
		code := items[i].Code
		if code == "" {
			continue
		}
		row := i + 1
		if rows != nil {
			row = rows[i]
		}
		if j, dup := first[code]; dup {
			ps = append(ps, Problem{File: file, Row: row, Code: code, Field: "code", Rule: "duplicate", Reason: fmt.Sprintf("code %s is already used in row %d", code, j)})
			continue
		}
		first[code] = row
	}
	if len(ps) > 0 {
		sortProblems(ps)
		return nil, &ValidationError{Problems: ps}
	}
	c := &Catalogue{items: make([]Item, len(items)), byCode: make(map[string]int, len(items))}
	for i := range items {
		c.items[i] = items[i].clone()
	}
	sort.Slice(c.items, func(i, j int) bool { return c.items[i].Code < c.items[j].Code })
	for i := range c.items {
		c.byCode[c.items[i].Code] = i
	}
	if version == "" {
		version = c.digest()
	}
	c.version = version
	return c, nil
}

// digest hashes the items' JSON; the items are sorted, so equal content
// gives an equal digest.
func (c *Catalogue) digest() string {
	b, _ := json.Marshal(c.items) // plain structs: cannot fail
	sum := sha256.Sum256(b)
	return "sha256-" + hex.EncodeToString(sum[:6])
}

// Version identifies this catalogue: the one the file gave, or a content digest.
func (c *Catalogue) Version() string { return c.version }

// Len is the number of items.
func (c *Catalogue) Len() int { return len(c.items) }

// Items returns copies of all items, sorted by code.
func (c *Catalogue) Items() []Item {
	out := make([]Item, len(c.items))
	for i := range c.items {
		out[i] = c.items[i].clone()
	}
	return out
}

// Lookup returns a copy of the item with the given code.
func (c *Catalogue) Lookup(code string) (Item, error) {
	i, ok := c.byCode[code]
	if !ok {
		return Item{}, fmt.Errorf("catalogue: lookup %q: %w", code, ErrNotFound)
	}
	return c.items[i].clone(), nil
}

// ByService returns the items handled at a queue service, sorted by code;
// the kiosk uses it to show "what can I do at A".
func (c *Catalogue) ByService(service string) []Item {
	var out []Item
	for i := range c.items {
		if c.items[i].Service == service {
			out = append(out, c.items[i].clone())
		}
	}
	return out
}

// document is the JSON shape of a catalogue, in files and in storage.
type document struct {
	Version string `json:"version"`
	Items   []Item `json:"items"`
}

// MarshalJSON writes the same document ParseJSON reads, so a catalogue
// survives storage and replication unchanged.
func (c *Catalogue) MarshalJSON() ([]byte, error) {
	items := c.items
	if items == nil {
		items = []Item{}
	}
	return json.Marshal(document{Version: c.version, Items: items})
}

// UnmarshalJSON reads and validates a document, like ParseJSON.
func (c *Catalogue) UnmarshalJSON(b []byte) error {
	nc, err := parseJSON(b)
	if err != nil {
		return err
	}
	*c = *nc
	return nil
}
