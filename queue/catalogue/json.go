package catalogue

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxInput bounds what an import reads, so a wrong file (a video, a disk
// image) fails fast instead of filling memory on a kiosk.
const maxInput = 64 << 20

// ParseJSON reads a catalogue document:
//
//	{"version": "2026-11", "items": [{"code": "...", "materials": [...], ...}]}
//
// Unknown fields are problems (a misspelt "promise_days" must not silently
// become 0). Every item is checked; the result is a complete catalogue or a
// *ValidationError with every problem (Row = 1-based position in items),
// or an error wrapping ErrFormat when the document is not JSON of this shape.
func ParseJSON(r io.Reader) (*Catalogue, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("catalogue: parse json: %w", err)
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("catalogue: parse json: larger than %d bytes: %w", maxInput, ErrFormat)
	}
	return parseJSON(b)
}

func parseJSON(b []byte) (*Catalogue, error) {
	var doc struct {
		Version *string           `json:"version"`
		Items   []json.RawMessage `json:"items"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("catalogue: parse json: %v: %w", err, ErrFormat)
	}
	if dec.More() {
		return nil, fmt.Errorf("catalogue: parse json: data after the document: %w", ErrFormat)
	}
	if doc.Items == nil {
		return nil, fmt.Errorf("catalogue: parse json: no \"items\" array: %w", ErrFormat)
	}
	version := ""
	if doc.Version != nil {
		version = strings.TrimSpace(*doc.Version)
	}
	items := make([]Item, len(doc.Items))
	var ps []Problem
	for i, raw := range doc.Items {
		c := checker{file: "json", row: i + 1}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		if err := d.Decode(&items[i]); err != nil {
			// The item is unusable; report why and still check the others.
			c.code = peekCode(raw)
			field, reason := "item", err.Error()
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				field, reason = te.Field, fmt.Sprintf("has a JSON %s where a %s is expected", te.Value, te.Type)
			}
			c.add(field, "format", "%s", reason)
			ps = append(ps, c.ps...)
			items[i] = Item{}
			continue
		}
		normalize(&items[i])
		c.code = items[i].Code
		validateItem(&items[i], &c, nil, "")
		ps = append(ps, c.ps...)
	}
	if len(items) == 0 {
		ps = append(ps, emptyImport("json"))
	}
	return build(version, items, ps, nil, "json")
}

// peekCode finds an item's code for the report even when the item as a
// whole does not decode.
func peekCode(raw json.RawMessage) string {
	var v struct {
		Code any `json:"code"`
	}
	if json.Unmarshal(raw, &v) == nil {
		if s, ok := v.Code.(string); ok && len(s) <= maxCode {
			return s
		}
	}
	return ""
}

// normalize applies the defaults and spellings both import formats share.
// It is idempotent, so a catalogue read back from storage is unchanged.
func normalize(it *Item) {
	it.Code = strings.TrimSpace(it.Code)
	it.Name.ZH = strings.TrimSpace(it.Name.ZH)
	it.Name.EN = strings.TrimSpace(it.Name.EN)
	it.Department.ZH = strings.TrimSpace(it.Department.ZH)
	it.Department.EN = strings.TrimSpace(it.Department.EN)
	it.Service = strings.TrimSpace(it.Service)
	if k, err := ParseKind(string(it.Kind)); err == nil {
		it.Kind = k
	}
	if it.Version == 0 {
		it.Version = 1
	}
	it.Initials = strings.Join(strings.Fields(strings.ToLower(it.Initials)), " ")
	if it.Initials == "" {
		it.Initials = SearchKeys(it.Name.ZH, it.Keywords)
	}
	for i := range it.Materials {
		m := &it.Materials[i]
		m.Name = strings.TrimSpace(m.Name)
		if f, err := ParseForm(string(m.Form)); err == nil {
			m.Form = f
		}
	}
}
