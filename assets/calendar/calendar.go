// Package calendar embeds the working-day calendars (cn-YYYY.json) that
// queue/workdays reads: public holidays and adjusted working weekends
// (调休上班) of each year, with the source of the schedule.
//
// The State Council publishes next year's schedule each November; the
// centre replaces or adds the file for that year (and a hall may load its
// own files from its data directory instead). A year marked "provisional"
// lists only the statutory holidays, so deadlines reaching into it may
// still move.
package calendar

import (
	"embed"
	"time"

	"hallq/queue/workdays"
)

// Files holds cn-*.json.
//
//go:embed cn-*.json
var Files embed.FS

// Load returns a calendar of the embedded years in loc (nil: Asia/Shanghai).
func Load(loc *time.Location) (*workdays.Calendar, error) {
	return workdays.LoadFS(Files, "cn-*.json", loc)
}
