package central

import (
	"encoding/json"
	"testing"
)

// A device event's state is kept in every shape a hall sends: the word of
// an older driver, the summary word of the printer's and LED's objects,
// an object without one as its JSON text, nothing as nothing.
func TestDeviceState(t *testing.T) {
	for raw, want := range map[string]string{
		`"paper_out"`:                            "paper_out",
		`{"state":"paper_out","detail":"cover"}`: "paper_out",
		`{"paper_mm":80000}`:                     `{"paper_mm":80000}`,
		`null`:                                   "",
		``:                                       "",
	} {
		if got := deviceState(json.RawMessage(raw)); got != want {
			t.Errorf("%s: %q, want %q", raw, got, want)
		}
	}
}
