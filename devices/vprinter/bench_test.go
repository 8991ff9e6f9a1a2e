package vprinter_test

import (
	"testing"

	"hallq/devices/vprinter"
)

func BenchmarkParseTicket(b *testing.B) {
	data := ticket(b, "https://hall.example/t/A012")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		p := &vprinter.Parser{}
		p.Feed(data)
	}
}

func BenchmarkRenderTicket(b *testing.B) {
	var job *vprinter.Job
	p := &vprinter.Parser{Done: func(j *vprinter.Job) { job = j }}
	p.Feed(ticket(b, "https://hall.example/t/A012"))
	r := &vprinter.Renderer{}
	for b.Loop() {
		if _, err := r.Render(job); err != nil {
			b.Fatal(err)
		}
	}
}
