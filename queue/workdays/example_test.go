package workdays_test

import (
	"fmt"

	"hallq/assets/calendar"
)

// A case accepted the day before National Day with a promised limit of 3
// working days: the holiday week does not count, the adjusted Saturday does.
func ExampleCalendar_AddWorkdays() {
	cal, err := calendar.Load(nil) // Asia/Shanghai
	if err != nil {
		panic(err)
	}
	accepted, _ := cal.ParseDate("2026-09-30")
	due, _ := cal.AddWorkdays(accepted, 3)
	fmt.Println(due.Format("2006-01-02 Mon"))
	// Output: 2026-10-10 Sat
}
