package voice

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"time"
)

// wavFormat is the part of a WAV "fmt " chunk that must match to join files.
type wavFormat struct {
	Encoding   uint16 // 1: PCM
	Channels   uint16
	SampleRate uint32
	ByteRate   uint32
	BlockAlign uint16
	Bits       uint16
}

// readWAV returns a PCM WAV file's format and sample bytes.
func readWAV(b []byte) (wavFormat, []byte, error) {
	var f wavFormat
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return f, nil, errors.New("not a WAV file")
	}
	haveFmt := false
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:p+8]))
		body := b[p+8:]
		// A writer that could not seek back leaves the data size at a
		// placeholder; the samples then run to the end of the file.
		if size < 0 || size > len(body) {
			size = len(body)
		}
		body = body[:size]
		switch id {
		case "fmt ":
			if err := binary.Read(bytes.NewReader(body), binary.LittleEndian, &f); err != nil {
				return f, nil, fmt.Errorf("WAV fmt chunk: %w", err)
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return f, nil, errors.New("WAV data before fmt")
			}
			if f.Encoding != 1 {
				return f, nil, fmt.Errorf("WAV encoding %d is not PCM", f.Encoding)
			}
			return f, body[:len(body)-len(body)%max(1, int(f.BlockAlign))], nil
		}
		p += 8 + size + size%2
	}
	return f, nil, errors.New("WAV file without data")
}

// ConcatWAV writes the PCM WAV files in, with gap of silence between them,
// as one WAV file at out. The files must share one format (espeak-ng writes
// 22,050 Hz mono 16-bit for every voice).
func ConcatWAV(out string, gap time.Duration, in ...string) error {
	if len(in) == 0 {
		return errors.New("concat: no input")
	}
	var format wavFormat
	var pcm []byte
	for i, name := range in {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		f, data, err := readWAV(b)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if i == 0 {
			format = f
		} else {
			if f != format {
				return fmt.Errorf("%s: format %+v differs from %+v", name, f, format)
			}
			n := int(gap.Seconds()*float64(format.SampleRate)) * int(format.BlockAlign)
			pcm = append(pcm, make([]byte, n)...) // zero is silence in signed PCM
		}
		pcm = append(pcm, data...)
	}
	var buf bytes.Buffer
	buf.WriteString("RIFF")
	binary.Write(&buf, binary.LittleEndian, uint32(4+8+16+8+len(pcm)))
	buf.WriteString("WAVEfmt ")
	binary.Write(&buf, binary.LittleEndian, uint32(16))
	binary.Write(&buf, binary.LittleEndian, format)
	buf.WriteString("data")
	binary.Write(&buf, binary.LittleEndian, uint32(len(pcm)))
	buf.Write(pcm)
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
