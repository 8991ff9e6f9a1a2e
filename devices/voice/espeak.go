package voice

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Voices are the espeak-ng voices per language.
//
// Mandarin uses cmn-latn-pinyin, not cmn: in espeak-ng 1.51 (Debian 12)
// the cmn voice hands every third- and fourth-tone syllable to its English
// rules as pinyin with a tone digit, so 号 is read "h a o four" and 请
// "king three". cmn-latn-pinyin reads the same Chinese text correctly and
// reads the ticket's Latin letter as its Chinese letter name (A: "ei").
// TestMandarinStaysMandarin checks the phonemes.
var Voices = map[Lang]string{Mandarin: "cmn-latn-pinyin", English: "en"}

// Espeak synthesizes with the espeak-ng program.
type Espeak struct {
	Path  string // the program; "espeak-ng" from PATH by default
	Speed int    // words per minute; 150 by default, a little slower than espeak's 175 for a large hall
}

func (e Espeak) args(u Utterance) ([]string, error) {
	v, ok := Voices[u.Lang]
	if !ok {
		return nil, fmt.Errorf("voice: no voice for language %q", u.Lang)
	}
	speed := e.Speed
	if speed == 0 {
		speed = 150
	}
	// The text goes in on stdin so that nothing in it is read as an option.
	return []string{"-v", v, "-s", strconv.Itoa(speed), "--stdin"}, nil
}

func (e Espeak) path() string {
	if e.Path != "" {
		return e.Path
	}
	return "espeak-ng"
}

func (e Espeak) run(ctx context.Context, u Utterance, extra ...string) ([]byte, error) {
	args, err := e.args(u)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, e.path(), append(args, extra...)...)
	cmd.Stdin = strings.NewReader(u.Text)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = strings.TrimSpace(string(ee.Stderr))
		}
		return nil, fmt.Errorf("espeak-ng %s: %v %s", Voices[u.Lang], err, msg)
	}
	return out, nil
}

// Synthesize writes u as a WAV file.
func (e Espeak) Synthesize(ctx context.Context, u Utterance, wavPath string) error {
	_, err := e.run(ctx, u, "-w", wavPath)
	return err
}

// Phonemes returns espeak-ng's phoneme transcription of u (no sound); a
// "(en)" in it means the voice switched to English rules.
func (e Espeak) Phonemes(ctx context.Context, u Utterance) (string, error) {
	out, err := e.run(ctx, u, "-q", "-x")
	return strings.TrimSpace(string(out)), err
}

// Say speaks parts through espeak-ng's own audio output, for a machine
// with a sound device but without aplay.
func (e Espeak) Say(ctx context.Context, parts []Utterance) error {
	for _, u := range parts {
		if _, err := e.run(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// Aplay plays WAV files with ALSA's aplay.
type Aplay struct {
	Path   string // "aplay" from PATH by default
	Device string // ALSA device (-D); empty: the default
}

// Play plays wavPath to its end.
func (a Aplay) Play(ctx context.Context, wavPath string) error {
	p := a.Path
	if p == "" {
		p = "aplay"
	}
	args := []string{"-q"}
	if a.Device != "" {
		args = append(args, "-D", a.Device)
	}
	out, err := exec.CommandContext(ctx, p, append(args, wavPath)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("aplay: %v %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// HasPlayback reports whether the machine has an ALSA playback device
// (/dev/snd/pcmC*D*p). devDir is /dev/snd except in tests.
func HasPlayback(devDir string) bool {
	m, _ := filepath.Glob(filepath.Join(devDir, "pcmC*D*p"))
	return len(m) > 0
}

// Detect returns the speaker this machine can use: espeak-ng rendered to
// WAV and played with aplay, else espeak-ng's own output, else Silent (the
// reason logged once).
func Detect(logf func(string, ...any)) Speaker {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		return NewSilent(logf, "espeak-ng is not installed")
	}
	if !HasPlayback("/dev/snd") {
		return NewSilent(logf, "no sound playback device (/dev/snd/pcm*p)")
	}
	if _, err := exec.LookPath("aplay"); err == nil {
		return WAVSpeaker{Synth: Espeak{}, Player: Aplay{}}
	}
	return Espeak{}
}
