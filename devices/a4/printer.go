package a4

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Printer prints a finished PDF. name says what it is (e.g.
// "guide-BDC002"); implementations use it for a job title or a file name.
type Printer interface {
	Print(ctx context.Context, name string, pdf []byte) error
}

// New returns the A4 output a hall is configured for: CUPS when a printer
// (queue) name is set, else a folder of PDFs — the default, so an
// appliance without an A4 printer still keeps every document.
func New(cupsPrinter, folder string) Printer {
	if cupsPrinter != "" {
		return &CUPS{Destination: cupsPrinter}
	}
	return &Folder{Dir: folder}
}

// CUPS prints through the lp command (lp -d Destination -t name file).
// Going through lp rather than IPP keeps the printer's setup — drivers,
// duplex, default tray — where the operating system manages it.
type CUPS struct {
	Destination string
	Command     string // default "lp"; tests put a fake first on PATH
	TempDir     string // default os.TempDir()
}

var _ Printer = (*CUPS)(nil)

// Print hands the PDF to the spooler. lp copies the file into the spool
// before it returns, so the temporary file is removed afterwards.
func (p *CUPS) Print(ctx context.Context, name string, pdf []byte) error {
	if p.Destination == "" {
		return errors.New("a4: print: no CUPS destination")
	}
	cmd := p.Command
	if cmd == "" {
		cmd = "lp"
	}
	f, err := os.CreateTemp(p.TempDir, "hallq-*.pdf")
	if err != nil {
		return fmt.Errorf("a4: print %s: %w", name, err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(pdf); err != nil {
		f.Close()
		return fmt.Errorf("a4: print %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("a4: print %s: %w", name, err)
	}
	out, err := exec.CommandContext(ctx, cmd, "-d", p.Destination, "-t", safeName(name), f.Name()).CombinedOutput()
	if err != nil {
		return fmt.Errorf("a4: print %s: %s -d %s: %w: %s", name, cmd, p.Destination, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Folder writes each document as a timestamped PDF in Dir, e.g.
// 20261120-100000.123-guide-BDC002.pdf. Files appear atomically (written
// to a temporary file, synced, then linked into place), so a reader such as
// a sync job never sees half a PDF, and no file is ever overwritten.
type Folder struct {
	Dir string
	Now func() time.Time // default time.Now
}

var _ Printer = (*Folder)(nil)

// Print writes the PDF; see Save.
func (p *Folder) Print(ctx context.Context, name string, pdf []byte) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("a4: print %s: %w", name, err)
	}
	_, err := p.Save(name, pdf)
	return err
}

// Save writes the PDF and returns its path.
func (p *Folder) Save(name string, pdf []byte) (string, error) {
	if p.Dir == "" {
		return "", errors.New("a4: save: no folder")
	}
	if err := os.MkdirAll(p.Dir, 0o755); err != nil {
		return "", fmt.Errorf("a4: save %s: %w", name, err)
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	base := now().Format("20060102-150405.000") + "-" + safeName(name)
	tmp, err := os.CreateTemp(p.Dir, ".hallq-*.tmp")
	if err != nil {
		return "", fmt.Errorf("a4: save %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(pdf); err != nil {
		tmp.Close()
		return "", fmt.Errorf("a4: save %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("a4: save %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("a4: save %s: %w", name, err)
	}
	for i := 1; i < 1000; i++ {
		path := filepath.Join(p.Dir, base+".pdf")
		if i > 1 {
			path = filepath.Join(p.Dir, fmt.Sprintf("%s-%d.pdf", base, i))
		}
		// Link, unlike rename, refuses to replace an existing file.
		err := os.Link(tmp.Name(), path)
		if err == nil {
			syncDir(p.Dir)
			return path, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("a4: save %s: %w", name, err)
		}
	}
	return "", fmt.Errorf("a4: save %s: too many files named %s", name, base)
}

// syncDir makes the new directory entry durable across a power cut, which
// is how kiosks are often switched off.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

var unsafeChars = regexp.MustCompile(`[^\p{L}\p{N}._-]+`)

// safeName keeps a job name usable as a file name and an lp title.
func safeName(name string) string {
	s := strings.Trim(unsafeChars.ReplaceAllString(name, "_"), "._")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60])
	}
	if s == "" {
		s = "document"
	}
	return s
}
