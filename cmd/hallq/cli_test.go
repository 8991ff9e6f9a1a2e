package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hallq/assets/demohall"
	"hallq/queue"
)

type result struct {
	code           int
	stdout, stderr string
}

func hallq(t *testing.T, data string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"--data", data}, args...), &out, &errOut)
	if strings.Contains(errOut.String(), "goroutine") || strings.Contains(errOut.String(), "panic") {
		t.Fatalf("hallq %v printed a Go trace:\n%s", args, errOut.String())
	}
	return result{code, out.String(), errOut.String()}
}

func TestCommandLine(t *testing.T) {
	data := t.TempDir()
	cfg := demohall.Config()
	for i := range cfg.Services {
		cfg.Services[i].Hours = queue.Hours{}
		cfg.Services[i].Slots = nil
	}
	cfg.Services[4].DailyCap = 1 // E: one ticket a day
	b, _ := json.Marshal(cfg)
	cfgPath := filepath.Join(t.TempDir(), "hall.json")
	os.WriteFile(cfgPath, b, 0o644)

	if r := hallq(t, data, "init", "--config", cfgPath); r.code != exitOK || !strings.Contains(r.stdout, "青山县政务服务中心") {
		t.Fatalf("init: %+v", r)
	}
	r := hallq(t, data, "issue", "--service", "A", "--priority", "elderly", "--json")
	var issued map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &issued); err != nil || r.code != 0 {
		t.Fatalf("issue --json: %v %+v", err, r)
	}
	for _, k := range []string{"id", "number", "service", "priority", "issued_at", "people_ahead", "estimated_wait_seconds"} {
		if _, ok := issued[k]; !ok {
			t.Errorf("issue --json lacks %s: %s", k, r.stdout)
		}
	}
	if issued["number"] != "A001" || issued["priority"] != "elderly" {
		t.Errorf("issued %v", issued)
	}

	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"issue", "--service", "Z"}, exitNotFound, "没有这项业务"},
		{[]string{"--lang", "en", "issue", "--service", "Z"}, exitNotFound, "No such service"},
		{[]string{"issue"}, exitUsage, "--service is required"},
		{[]string{"issue", "--service", "A", "--priority", "vip"}, exitUsage, "unknown priority"},
		{[]string{"issue", "--service", "C", "--id", "110105194912310021"}, exitUsage, "身份证号码不正确"},
		{[]string{"issue", "--service", "E"}, exitOK, "E001"},
		{[]string{"issue", "--service", "E"}, exitRefused, "今日号码已取完"},
		{[]string{"start", "--window", "1"}, exitNotFound, "no called or serving ticket"},
		{[]string{"call", "--window", "1", "--request-id", "r1"}, exitOK, "请 A001 号到 1 号窗口办理"},
		{[]string{"call", "--window", "1", "--request-id", "r1"}, exitOK, "A001"},
		{[]string{"call", "--window", "1"}, exitRefused, "窗口还有未办结的号码"},
		{[]string{"finish", "--window", "1"}, exitRefused, "cannot finish"},
		{[]string{"start", "--window", "1"}, exitOK, "办理中"},
		{[]string{"transfer", "--window", "1", "--to", "H"}, exitOK, "等候中"},
		{[]string{"window", "pause", "13"}, exitOK, "暂停服务"},
		{[]string{"call", "--window", "13"}, exitRefused, "窗口未开放"},
		{[]string{"window", "open", "13"}, exitOK, "开放"},
		{[]string{"call", "--window", "13"}, exitOK, "A001"},
		{[]string{"no-show", "--window", "13"}, exitOK, "过号"},
		{[]string{"rejoin", "--ticket", "A001"}, exitOK, "等候中"},
		{[]string{"window", "shut", "13"}, exitUsage, "not open, pause or close"},
		{[]string{"tickets", "--date", "yesterday"}, exitUsage, "YYYY-MM-DD"},
		{[]string{"frobnicate"}, exitUsage, "unknown command"},
		{[]string{"check"}, exitOK, "ok"},
	}
	for _, c := range cases {
		r := hallq(t, data, c.args...)
		if r.code != c.code || !strings.Contains(r.stdout+r.stderr, c.msg) {
			t.Errorf("hallq %s: exit %d (want %d), output %q %q (want %q)", strings.Join(c.args, " "), r.code, c.code, r.stdout, r.stderr, c.msg)
		}
	}

	r = hallq(t, data, "tickets", "--json")
	var ts []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &ts); err != nil || len(ts) != 2 {
		t.Fatalf("tickets --json: %v %s", err, r.stdout)
	}
	r = hallq(t, data, "events", "--after", "2", "--json")
	var evs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &evs); err != nil || len(evs) == 0 || evs[0]["seq"].(float64) != 3 {
		t.Fatalf("events --after 2: %v %s", err, r.stdout)
	}
	r = hallq(t, data, "--json", "issue", "--service", "Z")
	var e map[string]map[string]string
	if json.Unmarshal([]byte(r.stdout), &e); e["error"]["code"] != "unknown_service" {
		t.Fatalf("JSON error: %s", r.stdout)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if r := hallq(t, data, "backup", backup); r.code != 0 {
		t.Fatalf("backup: %+v", r)
	}
	if r := hallq(t, data, "init", "--demo"); r.code != exitUsage {
		t.Fatalf("second init: %+v", r)
	}
}
