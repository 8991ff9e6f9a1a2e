package democat

import (
	"bytes"
	"reflect"
	"testing"

	"hallq/queue/catalogue"
)

func TestJSONAndCSVAreTheSameCatalogue(t *testing.T) {
	j, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalogue.ParseCSV(bytes.NewReader(ItemsCSV), bytes.NewReader(MaterialsCSV))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(j.Items(), c.Items()) {
		t.Fatal("demo.json and items.csv/materials.csv differ: run go generate's gen.go again (go run gen.go)")
	}
}

func TestDemoCoversTheHall(t *testing.T) {
	c, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() < 60 {
		t.Errorf("%d items, want at least 60", c.Len())
	}
	depts := map[string]bool{}
	services := map[string]int{}
	kinds := map[catalogue.Kind]int{}
	for _, it := range c.Items() {
		depts[it.Department.ZH] = true
		services[it.Service]++
		kinds[it.Kind]++
		if it.Service < "A" || it.Service > "H" || len(it.Service) != 1 {
			t.Errorf("%s: service %q is not one of the demo hall's A–H", it.Code, it.Service)
		}
		if it.Name.EN == "" || it.OnlineURL == "" {
			t.Errorf("%s: demo items have an English name and an online link", it.Code)
		}
	}
	if len(depts) < 10 {
		t.Errorf("%d departments, want at least 10", len(depts))
	}
	for _, s := range []string{"A", "B", "C", "D", "E", "F", "G", "H"} {
		if services[s] == 0 {
			t.Errorf("no item at service %s", s)
		}
	}
	for _, k := range catalogue.Kinds {
		if kinds[k] == 0 {
			t.Errorf("no %s item", k)
		}
	}
}

func TestSearchFindsEverydayNames(t *testing.T) {
	c, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"sbk": "RS006", "社保卡": "RS006", "hz": "CRJ001", "passport": "CRJ001", "低保": "MZ003", "gjjdk": "GJJ005", "bdc": "BDC001"} {
		got := c.Search(q)
		found := false
		for _, it := range got {
			found = found || it.Code == want
		}
		if !found {
			t.Errorf("Search(%q) does not find %s", q, want)
		}
	}
}
