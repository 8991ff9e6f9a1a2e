package hall_test

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"hallq/queue"
	"hallq/queue/hall"
)

// A hall's configuration arrives as JSON (hallq init, the centre's
// download stream). Whatever the bytes, reading and validating it does not
// panic; a configuration that validates survives a JSON round trip
// unchanged (so what the node stores is what was meant) and a fresh node
// accepts it and reads back the same hall.
func FuzzHallConfig(f *testing.F) {
	demo, err := os.ReadFile("../../assets/demohall/hall.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(demo)
	f.Add([]byte(`{"id":"330102-01","name_zh":"上城区市民中心","zone":"Asia/Shanghai","rejoin_grace":"10m","recall_limit":2,"policy":{"name":"aging","max_wait":"1h"},
		"services":[{"code":"A","name_zh":"社保","hours":{},"daily_cap":100}],
		"windows":[{"number":1,"name":"1号窗口","state":"open","services":[{"code":"A","weight":1}]}]}`))
	f.Add([]byte(`{"id":"H","name_zh":"大厅","zone":"Mars/Olympus"}`))
	f.Add([]byte(`{"id":"H","name_zh":"大厅","rejoin_grace":"-2562047h47m16.854775808s"}`))
	f.Add([]byte(`{"id":"H","name_zh":"大厅","services":[{"code":"a","name_zh":"x"}]}`))
	f.Add([]byte(`{"id":"H","name_zh":"大厅","services":[{"code":"A","name_zh":"x"},{"code":"A","name_zh":"y"}]}`))
	f.Add([]byte(`{"id":"H","name_zh":"大厅","windows":[{"number":1,"services":[{"code":"Z","weight":1}]}]}`))
	f.Add([]byte(`{"id":"H","name_zh":"大厅","policy":{"name":"weighted"},"rejoin_grace":10}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var cfg queue.HallConfig
		if err := json.Unmarshal(doc, &cfg); err != nil {
			return
		}
		if cfg.Validate() != nil {
			return
		}
		b, err := json.Marshal(cfg)
		if err != nil {
			t.Fatalf("a valid configuration does not encode: %v", err)
		}
		var back queue.HallConfig
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("a valid configuration does not read back: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(cfg, back) {
			t.Fatalf("round trip changed the configuration:\n%+v\n%+v", cfg, back)
		}
		if back.Validate() != nil {
			t.Fatalf("valid, then invalid after a round trip: %s", b)
		}
		ctx := context.Background()
		n, err := hall.Open(ctx, t.TempDir(), hall.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer n.Close()
		if err := n.Init(ctx, cfg); err != nil {
			t.Fatalf("a configuration that validates was refused by Init: %v\n%s", err, b)
		}
		got, _, err := n.Config(ctx)
		if err != nil {
			t.Fatalf("the node cannot read back its configuration: %v\n%s", err, b)
		}
		if got.ID != cfg.ID || got.NameZH != cfg.NameZH || len(got.Services) != len(cfg.Services) || len(got.Windows) != len(cfg.Windows) {
			t.Fatalf("the node holds another hall: %s %s %d services %d windows, want %s %s %d %d",
				got.ID, got.NameZH, len(got.Services), len(got.Windows), cfg.ID, cfg.NameZH, len(cfg.Services), len(cfg.Windows))
		}
	})
}
