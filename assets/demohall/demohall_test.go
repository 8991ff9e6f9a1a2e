package demohall

import "testing"

func TestDemoHallIsValid(t *testing.T) {
	c := Config()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(c.Services) < 8 || len(c.Windows) < 10 {
		t.Fatalf("demo hall too small: %d services, %d windows", len(c.Services), len(c.Windows))
	}
	served := map[string]bool{}
	for _, w := range c.Windows {
		for _, s := range w.Services {
			served[s.Code] = true
		}
	}
	for _, s := range c.Services {
		if !served[s.Code] {
			t.Errorf("service %s has no window", s.Code)
		}
	}
}
