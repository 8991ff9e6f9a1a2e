// Package kiosk is the touch UI of a hallq self-service kiosk: take a
// number, read and print service guides, check a case's progress, check in
// for an appointment, and a staff mode behind a hidden gesture and a PIN.
//
// # Shape
//
// One window, one file per screen. Navigation swaps the window's content
// (Kiosk.show); every screen is rebuilt from its builder, so switching the
// language or elder mode re-renders the screen in place. The UI talks to the
// hall only through Backend, declared here: the embedded adapter (Embedded)
// wraps an in-process hall node and its print service, and a LAN client can
// implement the same interface without the screens knowing.
//
// # Threads
//
// Backend calls run off the UI goroutine (Kiosk.background) and their
// results reach widgets only through fyne.Do. A navigation generation
// counter drops results that arrive after the citizen left the screen (or
// the idle timer took them home).
//
// # Text
//
// Every sentence comes from the message catalogue (hallq/assets/i18n, ids
// kiosk.* and error.*); errors become the catalogue sentence for their
// code and their detail goes to the log only.
//
// # Never stuck
//
// The idle timer returns home from any screen after Options.Idle without a
// touch; form screens show the countdown. The window cannot be closed from
// the UI (cmd/kiosk intercepts close); staff leave the kiosk from staff mode.
package kiosk
