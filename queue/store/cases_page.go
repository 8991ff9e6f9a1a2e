package store

import (
	"encoding/json"
	"fmt"

	"hallq/queue"
)

// CasesAfter returns up to limit cases whose number sorts after the given
// one, in number order: a page of the hall's case copies for a kiosk that
// keeps its own copy to answer progress queries while the hall node is
// unreachable. The documents hold the masked applicant and the check
// code's hash only.
func (t *Tx) CasesAfter(after string, limit int) ([]queue.Case, error) {
	rows, err := t.query("SELECT doc FROM cases WHERE number > ? ORDER BY number LIMIT ?", after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: cases: %w", err)
	}
	defer rows.Close()
	var out []queue.Case
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("store: cases: %w", err)
		}
		var c queue.Case
		if err := json.Unmarshal([]byte(doc), &c); err != nil {
			return nil, fmt.Errorf("store: cases: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
