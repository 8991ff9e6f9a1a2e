// Package appliance holds what the kiosk and the hall display share as
// programs that run unattended for months on one screen: their memory
// budget and their window.
package appliance

import (
	"os"
	"runtime/debug"

	"fyne.io/fyne/v2"
)

// MemoryBudget keeps the heap near its live size (about 30 MB, most of it
// the parsed CJK font) with a soft memory limit and a lower GC target,
// instead of letting it double between collections over months
// (docs/bench-notes/kiosk.md). GOMEMLIMIT and GOGC in the environment win.
func MemoryBudget() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(64 << 20)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
}

// Screen makes w the appliance's screen: full screen, or a window of size
// for a desk; no padding; the window manager's close button does nothing
// but call closeIgnored (staff or the service manager stop the program).
func Screen(w fyne.Window, windowed bool, size fyne.Size, closeIgnored func()) {
	w.SetCloseIntercept(closeIgnored)
	w.SetPadded(false)
	if windowed {
		w.Resize(size)
	} else {
		w.SetFullScreen(true)
	}
}
