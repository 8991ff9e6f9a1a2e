package queue

import "time"

// DefaultZone is the hall's time zone unless configured otherwise.
const DefaultZone = "Asia/Shanghai"

// DayLayout is the format of a business day.
const DayLayout = "2006-01-02"

// BusinessDay returns the business day of now in the hall's zone. It never
// returns a day before last, the latest day the hall has issued on: a clock
// that jumps back over midnight must not reopen yesterday's numbering, and
// days compare correctly as strings in DayLayout.
func BusinessDay(now time.Time, loc *time.Location, last string) string {
	day := now.In(loc).Format(DayLayout)
	if last > day {
		return last
	}
	return day
}

// LoadZone loads a time zone by name, defaulting to DefaultZone.
func LoadZone(name string) (*time.Location, error) {
	if name == "" {
		name = DefaultZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, &Error{Code: CodeInvalid, Detail: "time zone " + name, Err: err}
	}
	return loc, nil
}
