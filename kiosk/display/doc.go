// Package display is the hall display: the number being called and its
// window in large type, the last calls, the people waiting per service, a
// scrolling notice line, and a clear banner when the link to the hall node
// is lost. cmd/display runs it fullscreen and says each call aloud.
//
// # Shape
//
// Model (model.go) is the state, built from the hall node's event stream:
// the snapshot every connection starts with, then call and ticket events.
// It knows no Fyne and no network. Feed (feed.go) keeps a Model following
// a hall node through httpapi.Client, reconnecting with backoff and
// resuming after the last event seen. Display (display.go) draws a State;
// it is only ever given whole states, so a reconnect that brings a fresh
// snapshot is drawn right at once.
//
// # Threads
//
// The feed calls back from its own goroutines; cmd/display hands each
// state to the UI with fyne.Do. The notice line and the clock move only
// when Animate runs (cmd/display starts it), so tests render a fixed frame.
//
// # Text and voice
//
// Every sentence comes from the message catalogue (display.*). Announcement
// (speech.go) builds what hallq/devices/voice says for a call.
package display
