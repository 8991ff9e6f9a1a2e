package voice_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"hallq/devices/voice"
)

var (
	zh = voice.Utterance{Lang: voice.Mandarin, Text: "请 A 零零一 号到 3 号窗口办理"}
	en = voice.Utterance{Lang: voice.English, Text: "Number A001, please go to window 3"}
)

func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run packaging/setup-debian.sh", tool)
		}
	}
}

// seconds is the length of a WAV file as sox reads it.
func seconds(t *testing.T, wav string) float64 {
	t.Helper()
	out, err := exec.Command("soxi", "-D", wav).Output()
	if err != nil {
		t.Fatalf("soxi %s: %v", wav, err)
	}
	d, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A real espeak-ng announcement, written to WAV and measured by sox: the
// Mandarin sentence is a few seconds long, and the whole announcement
// (Mandarin twice, then English) is as long as its parts and the gaps.
func TestRenderWAVLength(t *testing.T) {
	needTools(t, "espeak-ng", "soxi")
	ctx := context.Background()
	dir := t.TempDir()
	render := func(name string, parts ...voice.Utterance) float64 {
		out := filepath.Join(dir, name+".wav")
		if err := voice.Render(ctx, voice.Espeak{}, parts, out); err != nil {
			t.Fatal(err)
		}
		d := seconds(t, out)
		t.Logf("%s: %.2f s", name, d)
		return d
	}
	zhOnly := render("zh", zh)
	enOnly := render("en", en)
	all := render("zh-zh-en", zh, zh, en)
	if zhOnly < 2.5 || enOnly < 1.5 {
		t.Fatalf("too short to be the sentences: zh %.2f s, en %.2f s", zhOnly, enOnly)
	}
	want := 2*zhOnly + enOnly + 2*voice.Gap.Seconds()
	if all < want-0.05 || all > want+0.05 {
		t.Fatalf("announcement %.2f s, want the parts and gaps %.2f s", all, want)
	}
	// The repeated Mandarin line is synthesized once.
	counted := &countingSynth{Synth: voice.Espeak{}}
	if err := voice.Render(ctx, counted, []voice.Utterance{zh, zh, en}, filepath.Join(dir, "counted.wav")); err != nil {
		t.Fatal(err)
	}
	if counted.n != 2 {
		t.Fatalf("%d syntheses for two distinct sentences", counted.n)
	}
}

type countingSynth struct {
	voice.Synth
	n int
}

func (c *countingSynth) Synthesize(ctx context.Context, u voice.Utterance, wav string) error {
	c.n++
	return c.Synth.Synthesize(ctx, u, wav)
}

// The Mandarin voice reads the whole call sentence with Mandarin rules.
// espeak-ng 1.51's plain cmn voice does not (see Voices); the log shows it.
func TestMandarinStaysMandarin(t *testing.T) {
	needTools(t, "espeak-ng")
	ctx := context.Background()
	for _, text := range []string{zh.Text, "请 H 一二三 号到 12 号窗口办理", "请 Z 九九九 号到 20 号窗口办理"} {
		ph, err := voice.Espeak{}.Phonemes(ctx, voice.Utterance{Lang: voice.Mandarin, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(ph, "(en)") {
			t.Fatalf("%s read with English rules: %s", text, ph)
		}
	}
	voice.Voices[voice.Mandarin] = "cmn"
	defer func() { voice.Voices[voice.Mandarin] = "cmn-latn-pinyin" }()
	ph, _ := voice.Espeak{}.Phonemes(ctx, zh)
	t.Logf("plain cmn voice: %s", ph)
}

// gate is a slow speaker: each Say waits until the test releases it, and
// it records the order and whether two announcements ever overlapped.
type gate struct {
	mu      sync.Mutex
	active  int
	overlap bool
	said    []string
	started chan string
	release chan struct{}
}

func (g *gate) Say(ctx context.Context, parts []voice.Utterance) error {
	g.mu.Lock()
	g.active++
	if g.active > 1 {
		g.overlap = true
	}
	g.mu.Unlock()
	g.started <- parts[0].Text
	<-g.release
	g.mu.Lock()
	g.active--
	g.said = append(g.said, parts[0].Text)
	g.mu.Unlock()
	return nil
}

// Calls made while one is being said wait their turn and are said in
// call order, one at a time; a recall of the same number is said again.
func TestAnnouncerOrderNoOverlap(t *testing.T) {
	g := &gate{started: make(chan string), release: make(chan struct{})}
	a := voice.NewAnnouncer(g, t.Logf)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.Run(ctx); close(done) }()
	calls := []string{"A001", "B001", "A002", "A001", "C001"} // A001 again: a recall
	a.Announce(voice.Utterance{Lang: voice.Mandarin, Text: calls[0]})
	if got := <-g.started; got != "A001" {
		t.Fatalf("first said %s", got)
	}
	// The rest arrive while A001 is still being said.
	for _, c := range calls[1:] {
		a.Announce(voice.Utterance{Lang: voice.Mandarin, Text: c}, voice.Utterance{Lang: voice.English, Text: c})
	}
	if n := a.Pending(); n != 4 {
		t.Fatalf("%d waiting, want 4", n)
	}
	for i := range calls[1:] {
		g.release <- struct{}{}
		if got := <-g.started; got != calls[i+1] {
			t.Fatalf("announcement %d: %s, want %s", i+1, got, calls[i+1])
		}
	}
	g.release <- struct{}{}
	cancel()
	<-done
	if g.overlap {
		t.Fatal("two announcements overlapped")
	}
	if strings.Join(g.said, ",") != strings.Join(calls, ",") {
		t.Fatalf("said %v, want %v", g.said, calls)
	}
}

// A backlog beyond Max drops the oldest waiting announcements, never the
// newest call.
func TestAnnouncerDropsOldestBacklog(t *testing.T) {
	g := &gate{started: make(chan string), release: make(chan struct{})}
	a := voice.NewAnnouncer(g, t.Logf)
	a.Max = 2
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.Run(ctx)
	a.Announce(voice.Utterance{Text: "A001"})
	<-g.started
	for _, c := range []string{"A002", "A003", "A004"} {
		a.Announce(voice.Utterance{Text: c})
	}
	var got []string
	for range 2 {
		g.release <- struct{}{}
		got = append(got, <-g.started)
	}
	if strings.Join(got, ",") != "A003,A004" {
		t.Fatalf("after the backlog said %v", got)
	}
	g.release <- struct{}{}
}

// recorder is a player that keeps a copy of every WAV it is given.
type recorder struct {
	dir   string
	mu    sync.Mutex
	files []string
}

func (r *recorder) Play(ctx context.Context, wav string) error {
	b, err := os.ReadFile(wav)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	f := filepath.Join(r.dir, strconv.Itoa(len(r.files))+".wav")
	r.files = append(r.files, f)
	return os.WriteFile(f, b, 0o644)
}

// The real speaker path without a sound card: espeak-ng renders each
// announcement to one WAV, which the player receives whole, one per call.
func TestWAVSpeakerPlaysWholeAnnouncements(t *testing.T) {
	needTools(t, "espeak-ng", "soxi")
	rec := &recorder{dir: t.TempDir()}
	sp := voice.WAVSpeaker{Synth: voice.Espeak{}, Player: rec}
	ctx := context.Background()
	if err := sp.Say(ctx, []voice.Utterance{zh}); err != nil {
		t.Fatal(err)
	}
	if err := sp.Say(ctx, []voice.Utterance{zh, en}); err != nil {
		t.Fatal(err)
	}
	if len(rec.files) != 2 {
		t.Fatalf("%d plays", len(rec.files))
	}
	one, two := seconds(t, rec.files[0]), seconds(t, rec.files[1])
	if two < one+1.5 {
		t.Fatalf("Mandarin+English %.2f s is not longer than Mandarin %.2f s by an English sentence", two, one)
	}
}

// Without a playback device the display stays silent and says why once.
func TestDetectPlayback(t *testing.T) {
	dir := t.TempDir()
	if voice.HasPlayback(dir) {
		t.Fatal("empty /dev/snd has playback")
	}
	os.WriteFile(filepath.Join(dir, "pcmC0D0c"), nil, 0o644) // capture only
	if voice.HasPlayback(dir) {
		t.Fatal("a capture device counted as playback")
	}
	os.WriteFile(filepath.Join(dir, "pcmC0D0p"), nil, 0o644)
	if !voice.HasPlayback(dir) {
		t.Fatal("playback device not seen")
	}
	var logs []string
	s := voice.NewSilent(func(f string, a ...any) { logs = append(logs, f) }, "no device")
	for range 3 {
		s.Say(context.Background(), []voice.Utterance{zh})
	}
	if len(logs) != 1 {
		t.Fatalf("logged %d times", len(logs))
	}
}
