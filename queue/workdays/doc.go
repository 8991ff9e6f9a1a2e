// Package workdays is the working-day calendar of a hall and the deadline
// arithmetic built on it. Time limits of service items are in working days
// (工作日): weekends and public holidays do not count, and the adjusted
// working weekends around the holidays (调休上班) do.
//
// # Rules
//
// The day a case is accepted does not count; the deadline is the n-th
// working day after it, and the hall has the whole of that day. Dates are
// taken in the calendar's time zone (Asia/Shanghai unless the hall says
// otherwise), never the machine's.
//
// # Data
//
// The calendar knows only the years it has loaded, one file per year in
// the format of assets/calendar/cn-YYYY.json (holidays, adjusted workdays,
// source, and whether the year is official or provisional). A date outside
// them is an ErrOutOfRange error, not a guess: a deadline that silently
// ignores next year's Spring Festival is wrong by a week. Centres replace
// the files each November when the State Council publishes the schedule,
// and add local closures with Add (hallq workdays).
//
// The package is pure Go and imports nothing of the outside.
package workdays
