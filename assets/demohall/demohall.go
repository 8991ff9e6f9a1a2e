// Package demohall is the demo hall: a believable county service centre
// with eight services and fourteen windows, used by `hallq init --demo`,
// the kiosk's demo mode and the tests.
package demohall

import (
	_ "embed"
	"encoding/json"

	"hallq/queue"
)

//go:embed hall.json
var hallJSON []byte

// Config returns the demo hall's configuration.
func Config() queue.HallConfig {
	var c queue.HallConfig
	if err := json.Unmarshal(hallJSON, &c); err != nil {
		panic("demohall: " + err.Error()) // embedded at build time; the test catches it
	}
	return c
}
