package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	democat "hallq/assets/catalogue"
)

func TestCatalogueGuideNoticeWorkdaysPrintCommands(t *testing.T) {
	data := t.TempDir()
	out := t.TempDir()
	if r := hallq(t, data, "init", "--demo", "--always-open"); r.code != 0 {
		t.Fatalf("init: %+v", r)
	}
	r := hallq(t, data, "catalogue", "list", "--search", "sbk", "--json")
	var items []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || len(items) == 0 {
		t.Fatalf("search sbk: %v %s", err, r.stdout)
	}
	code := items[0]["code"].(string)

	// Import: a good CSV pair replaces the catalogue; a bad one is refused
	// whole with a report, and the catalogue stays as it was.
	items1 := filepath.Join(out, "items.csv")
	mats := filepath.Join(out, "materials.csv")
	os.WriteFile(items1, democat.ItemsCSV, 0o644)
	os.WriteFile(mats, democat.MaterialsCSV, 0o644)
	if r := hallq(t, data, "catalogue", "import", items1, "--materials", mats); r.code != 0 || !strings.Contains(r.stdout, "已导入") {
		t.Fatalf("import: %+v", r)
	}
	bad := strings.Replace(string(democat.ItemsCSV), "\n", "\n,,,,\n", 1)
	os.WriteFile(items1, []byte(bad), 0o644)
	r = hallq(t, data, "catalogue", "import", items1, "--materials", mats)
	if r.code != exitUsage || !strings.Contains(r.stderr, "nothing was imported") {
		t.Fatalf("bad import: %+v", r)
	}
	if r := hallq(t, data, "catalogue", "list", "--json"); !strings.Contains(r.stdout, code) {
		t.Fatal("a refused import changed the catalogue")
	}

	guide := filepath.Join(out, "guide.pdf")
	if r := hallq(t, data, "guide", code, "--pdf", guide); r.code != 0 {
		t.Fatalf("guide: %+v", r)
	}
	if b, _ := os.ReadFile(guide); !strings.HasPrefix(string(b), "%PDF") {
		t.Fatal("guide is not a PDF")
	}
	if r := hallq(t, data, "notice", "materials", code, "--missing", "1,2", "--pdf", filepath.Join(out, "m.pdf")); r.code != 0 {
		t.Fatalf("materials notice: %+v", r)
	}
	if r := hallq(t, data, "notice", "materials", code, "--missing", "99", "--pdf", filepath.Join(out, "m.pdf")); r.code == 0 {
		t.Fatalf("missing material 99 accepted: %+v", r)
	}
	dl := filepath.Join(out, "deadline.pdf")
	if r := hallq(t, data, "notice", "deadline", "QS2026110002", "--pdf", dl); r.code != 0 {
		t.Fatalf("deadline notice: %+v", r)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command("pdftotext", "-layout", dl, "-").Output()
		if err != nil || !strings.Contains(string(txt), "QS2026110002") || !strings.Contains(string(txt), "李**") {
			t.Fatalf("deadline notice text: %v\n%s", err, txt)
		}
	}
	if r := hallq(t, data, "notice", "deadline", "NOPE", "--pdf", dl); r.code != exitNotFound {
		t.Fatalf("unknown case: %+v", r)
	}

	// National Day 2026: 1-7 October off, Saturday 10 October worked.
	if r := hallq(t, data, "workdays", "add", "2026-09-30", "3", "--json"); !strings.Contains(r.stdout, `"date": "2026-10-10"`) {
		t.Fatalf("workdays add: %+v", r)
	}
	if r := hallq(t, data, "workdays", "add", "2031-01-01", "3"); r.code != exitUsage || !strings.Contains(r.stderr, "does not cover") {
		t.Fatalf("workdays beyond the calendar: %+v", r)
	}

	hallq(t, data, "issue", "--service", "A")
	png := filepath.Join(out, "ticket.png")
	if r := hallq(t, data, "print", "ticket", "A001", "--png", png); r.code != 0 {
		t.Fatalf("print --png: %+v", r)
	}
	if b, _ := os.ReadFile(png); len(b) < 1000 || string(b[1:4]) != "PNG" {
		t.Fatal("no PNG")
	}
	bin := filepath.Join(out, "guide.bin")
	if r := hallq(t, data, "print", "guide", code, "--out", bin); r.code != 0 {
		t.Fatalf("print guide --out: %+v", r)
	}
	if r := hallq(t, data, "print", "ticket", "A001", "--png", png, "--out", bin); r.code != exitUsage {
		t.Fatalf("two targets: %+v", r)
	}
}
