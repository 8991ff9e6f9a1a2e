// Package voice announces calls in the hall: sentences become speech
// through a Speaker, and an Announcer says them one at a time, in the order
// they were asked for, so two calls never talk over each other.
//
// # Parts
//
// A Synth writes one sentence as a WAV file (espeak-ng), a Player plays a
// WAV file to the end (aplay). WAVSpeaker joins them: it renders a whole
// announcement (Mandarin, repeated, then English) into one WAV and plays
// it, so there is no start-up gap between the parts. Silent stands in when
// the machine has no sound device or no espeak-ng. Detect picks one.
package voice

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Lang is the language of an utterance; it chooses the voice.
type Lang string

const (
	Mandarin Lang = "zh"
	English  Lang = "en"
)

// Utterance is one sentence in one language.
type Utterance struct {
	Lang Lang
	Text string
}

// Speaker says an announcement (its utterances in order) and returns when
// it has been said.
type Speaker interface {
	Say(ctx context.Context, parts []Utterance) error
}

// Synth writes one utterance as a WAV file.
type Synth interface {
	Synthesize(ctx context.Context, u Utterance, wavPath string) error
}

// Player plays a WAV file to its end.
type Player interface {
	Play(ctx context.Context, wavPath string) error
}

// Gap is the silence between the parts of an announcement.
const Gap = 400 * time.Millisecond

// Render synthesizes parts and writes them, with Gap between them, as one
// WAV file at out.
func Render(ctx context.Context, s Synth, parts []Utterance, out string) error {
	dir, err := os.MkdirTemp("", "hallq-voice")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var files []string
	done := map[Utterance]string{} // an announcement repeats its Mandarin: synthesize it once
	for i, u := range parts {
		f, ok := done[u]
		if !ok {
			f = filepath.Join(dir, fmt.Sprintf("part%d.wav", i))
			if err := s.Synthesize(ctx, u, f); err != nil {
				return err
			}
			done[u] = f
		}
		files = append(files, f)
	}
	return ConcatWAV(out, Gap, files...)
}

// WAVSpeaker renders each announcement to one WAV file and plays it.
type WAVSpeaker struct {
	Synth  Synth
	Player Player
}

// Say renders parts and plays them.
func (w WAVSpeaker) Say(ctx context.Context, parts []Utterance) error {
	f, err := os.CreateTemp("", "hallq-announce-*.wav")
	if err != nil {
		return err
	}
	f.Close()
	defer os.Remove(f.Name())
	if err := Render(ctx, w.Synth, parts, f.Name()); err != nil {
		return err
	}
	return w.Player.Play(ctx, f.Name())
}

// Silent says nothing. It stands in for a speaker on a machine that cannot
// speak; why is logged once, when it is made, not at every call.
type Silent struct{}

// NewSilent logs reason once and returns a Silent speaker.
func NewSilent(logf func(string, ...any), reason string) Silent {
	if logf != nil {
		logf("voice: announcements are silent: %s", reason)
	}
	return Silent{}
}

// Say does nothing.
func (Silent) Say(context.Context, []Utterance) error { return nil }

// Announcer says announcements one at a time in the order Announce was
// called. Announce never blocks the caller (the display's event stream):
// the announcements wait in a queue. When more than Max wait, the oldest
// are dropped, since a hall is better served by the newest calls than by a
// backlog minutes late.
type Announcer struct {
	sp      Speaker
	logf    func(string, ...any)
	Max     int           // announcements waiting at most; 16 by default
	Timeout time.Duration // per announcement, so a stuck player cannot stop the queue; 60 s

	mu    sync.Mutex
	queue [][]Utterance
	wake  chan struct{}
}

// NewAnnouncer returns an announcer speaking through sp; run it with Run.
func NewAnnouncer(sp Speaker, logf func(string, ...any)) *Announcer {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Announcer{sp: sp, logf: logf, Max: 16, Timeout: 60 * time.Second, wake: make(chan struct{}, 1)}
}

// Announce queues one announcement.
func (a *Announcer) Announce(parts ...Utterance) {
	if len(parts) == 0 {
		return
	}
	a.mu.Lock()
	a.queue = append(a.queue, parts)
	if n := len(a.queue) - a.Max; a.Max > 0 && n > 0 {
		a.logf("voice: %d announcements behind; dropping the oldest %d", len(a.queue), n)
		a.queue = append([][]Utterance(nil), a.queue[n:]...)
	}
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// Pending returns how many announcements wait.
func (a *Announcer) Pending() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.queue)
}

// Run says queued announcements until ctx ends.
func (a *Announcer) Run(ctx context.Context) {
	for {
		a.mu.Lock()
		var next []Utterance
		if len(a.queue) > 0 {
			next = a.queue[0]
			a.queue = a.queue[1:]
		}
		a.mu.Unlock()
		if next == nil {
			select {
			case <-ctx.Done():
				return
			case <-a.wake:
			}
			continue
		}
		sctx, cancel := context.WithTimeout(ctx, a.Timeout)
		err := a.sp.Say(sctx, next)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			a.logf("voice: announcement %q: %v", next[0].Text, err)
		}
	}
}
