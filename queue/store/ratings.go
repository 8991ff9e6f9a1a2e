package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"hallq/queue"
)

// Rating is a citizen's evaluation of one finished ticket (好差评).
type Rating struct {
	TicketID string    `json:"ticket_id"`
	Day      string    `json:"day"`
	Window   int       `json:"window"`
	Clerk    string    `json:"clerk,omitempty"`
	Level    int       `json:"level"` // 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意
	Reasons  []string  `json:"reasons,omitempty"`
	Comment  string    `json:"comment,omitempty"`
	Flagged  bool      `json:"flagged,omitempty"` // low: the hall follows it up
	At       time.Time `json:"at"`
}

// InsertRating records a rating; a second rating of a ticket is a conflict.
func (t *Tx) InsertRating(r Rating) error {
	if _, ok, err := t.RatingOf(r.TicketID); err != nil {
		return err
	} else if ok {
		return queue.Errorf(queue.CodeConflict, "ticket %s is already rated", r.TicketID)
	}
	reasons, _ := json.Marshal(r.Reasons)
	if r.Reasons == nil {
		reasons = []byte("[]")
	}
	_, err := t.exec("INSERT INTO ratings (ticket_id, day, window, clerk, level, reasons, comment, flagged, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		r.TicketID, r.Day, r.Window, r.Clerk, r.Level, string(reasons), r.Comment, boolInt(r.Flagged), r.At.UnixMilli())
	if err != nil {
		return fmt.Errorf("store: insert rating: %w", err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const ratingColumns = "ticket_id, day, window, clerk, level, reasons, comment, flagged, at"

func scanRating(s scanner) (Rating, error) {
	var r Rating
	var reasons string
	var flagged int
	var at int64
	if err := s.Scan(&r.TicketID, &r.Day, &r.Window, &r.Clerk, &r.Level, &reasons, &r.Comment, &flagged, &at); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(reasons), &r.Reasons); err != nil {
		return r, fmt.Errorf("store: rating %s: %w", r.TicketID, err)
	}
	r.Flagged, r.At = flagged != 0, time.UnixMilli(at).UTC()
	return r, nil
}

// RatingOf returns the rating of a ticket; ok is false when it has none.
func (t *Tx) RatingOf(ticketID string) (Rating, bool, error) {
	r, err := scanRating(t.queryRow("SELECT "+ratingColumns+" FROM ratings WHERE ticket_id = ?", ticketID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("store: rating: %w", err)
	}
	return r, true, nil
}

// RatingsOfDay returns a business day's ratings by time.
func (t *Tx) RatingsOfDay(day string) ([]Rating, error) {
	rows, err := t.query("SELECT "+ratingColumns+" FROM ratings WHERE day = ? ORDER BY at, ticket_id", day)
	if err != nil {
		return nil, fmt.Errorf("store: ratings: %w", err)
	}
	defer rows.Close()
	var out []Rating
	for rows.Next() {
		r, err := scanRating(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// LastFinishedAt returns the ticket most recently finished at a window
// since a moment, for the window's rating pad; ok is false when none.
func (t *Tx) LastFinishedAt(window int, since time.Time) (queue.Ticket, bool, error) {
	ks, err := t.queryTickets("WHERE window = ? AND state = 'done' AND finished_at >= ? ORDER BY finished_at DESC LIMIT 1", window, since.UnixMilli())
	if err != nil || len(ks) == 0 {
		return queue.Ticket{}, false, err
	}
	return ks[0], true, nil
}
