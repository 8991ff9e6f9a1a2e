package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hallq/queue/hall/httpapi"
)

// The event stream a display or LED follows comes over the hall's network,
// so the client's reader gets whatever bytes arrive: it must end when the
// body ends (no panic, no hang), and a well-formed frame after any garbage
// must still come out whole, with its id as the resume point.
func FuzzClientEvents(f *testing.F) {
	f.Add([]byte(""), int64(7), "call", `{"seq":7,"type":"call","ticket":{"id":"20261130-A001","number":"A001"}}`)
	f.Add([]byte("id: 3\nevent: snapshot\ndata: {\"seq\":3}\n\n"), int64(4), "ticket", `{"seq":4}`)
	f.Add([]byte("event: heartbeat\ndata: {\"at\":\"2026-11-30T02:00:00Z\",\"seq\":9}\n\n"), int64(10), "window", `{}`)
	f.Add([]byte("id: x\nevent: call\ndata: \xff\xfe\n"), int64(0), "hall", "叫号 A001 请到 3 号窗口")
	f.Add([]byte(":comment\r\nid: 99999999999999999999\r\ndata:no-space\r\n\r\n"), int64(1<<62), "rating", `{"level":5}`)
	f.Add([]byte("data: "+strings.Repeat("x", 70<<10)), int64(2), "device", `{"ok":true}`)

	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write(body)
	}))
	f.Cleanup(srv.Close)
	c := &httpapi.Client{BaseURL: srv.URL, Token: "t"}

	f.Fuzz(func(t *testing.T, junk []byte, id int64, event, data string) {
		if id < 0 || event == "" || strings.ContainsAny(event+data, "\r\n") {
			return // the server never writes such a frame
		}
		var b bytes.Buffer
		b.Write(junk)
		b.WriteString("\n\n") // ends whatever frame the garbage left open
		frame := "id: " + strconv.FormatInt(id, 10) + "\nevent: " + event + "\ndata: " + data + "\n\n"
		b.WriteString(frame)
		body = b.Bytes() // the fuzz function runs one input at a time per process

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var got []httpapi.StreamMessage
		last, err := c.Events(ctx, -1, func(m httpapi.StreamMessage) error {
			got = append(got, httpapi.StreamMessage{ID: m.ID, Event: m.Event, Data: append([]byte(nil), m.Data...)})
			return nil
		})
		if ctx.Err() != nil {
			t.Fatal("the reader did not end when the stream ended")
		}
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			// Only an over-long line (8 MiB) may stop the reader early;
			// the fuzzer's inputs are far shorter.
			t.Fatalf("stream end reported as %v, want io.ErrUnexpectedEOF", err)
		}
		if len(got) == 0 {
			t.Fatal("the well-formed frame after the garbage was lost")
		}
		m := got[len(got)-1]
		if m.ID != strconv.FormatInt(id, 10) || m.Event != event || string(m.Data) != data {
			t.Fatalf("frame came out as id=%q event=%q data=%q, want %d %q %q", m.ID, m.Event, m.Data, id, event, data)
		}
		if last != id {
			t.Fatalf("resume point %d, want the last frame's id %d", last, id)
		}
	})
}

// The reader follows the SSE format, not only what this server writes: a
// proxy or a newer node may send "field:value" without the space, comments,
// and data over several lines (joined by line feeds).
func TestClientEventsReadsTheWholeFormat(t *testing.T) {
	body := ": keep-alive\n" +
		"id:5\nevent:call\ndata:{\"a\":1,\ndata: \"b\":2}\n\n" +
		"id: 6\r\nevent: ticket\r\ndata: x\r\n\r\n" +
		"id: 7\nevent: note\ndata:\ndata: y\n\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, body)
	}))
	defer srv.Close()
	var got []httpapi.StreamMessage
	last, _ := (&httpapi.Client{BaseURL: srv.URL, Token: "t"}).Events(context.Background(), -1, func(m httpapi.StreamMessage) error {
		got = append(got, httpapi.StreamMessage{ID: m.ID, Event: m.Event, Data: append([]byte(nil), m.Data...)})
		return nil
	})
	if len(got) != 3 || last != 7 {
		t.Fatalf("%d messages, last id %d: %+v", len(got), last, got)
	}
	if got[0].ID != "5" || got[0].Event != "call" || string(got[0].Data) != "{\"a\":1,\n\"b\":2}" {
		t.Fatalf("first message %q %q %q", got[0].ID, got[0].Event, got[0].Data)
	}
	if got[1].Event != "ticket" || string(got[1].Data) != "x" {
		t.Fatalf("second message %+v", got[1])
	}
	// An empty first data line is a line too.
	if string(got[2].Data) != "\ny" {
		t.Fatalf("third message's data %q", got[2].Data)
	}
}

// Follow resumes each new connection after the last id it saw, or, Fresh,
// starts each with a snapshot; a refused token waits the longest backoff
// before the next try instead of hammering the node.
func TestFollowResumesOrStartsFresh(t *testing.T) {
	var mu sync.Mutex
	for _, fresh := range []bool{false, true} {
		var asked []string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			asked = append(asked, r.Header.Get("Last-Event-ID"))
			mu.Unlock()
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, "id: 5\nevent: call\ndata: {}\n\n") // then the connection ends
		}))
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		(&httpapi.Client{BaseURL: srv.URL, Token: "t"}).Follow(ctx, -1, httpapi.FollowOptions{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, Fresh: fresh},
			func(httpapi.StreamMessage) error {
				if n++; n == 3 {
					cancel()
				}
				return nil
			})
		srv.Close()
		want := "[ 5 5]"
		if fresh {
			want = "[  ]"
		}
		if got := fmt.Sprint(asked); got != want {
			t.Errorf("fresh %v: Last-Event-ID of each connection %q, want %q", fresh, got, want)
		}
	}

	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":{"code":"unauthorized"}}`)
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	(&httpapi.Client{BaseURL: srv.URL, Token: "t"}).Follow(ctx, -1, httpapi.FollowOptions{MinBackoff: time.Millisecond, MaxBackoff: 400 * time.Millisecond}, func(httpapi.StreamMessage) error { return nil })
	srv.Close()
	// Half of MaxBackoff at least between tries: two in 500 ms, not hundreds.
	if len(times) < 1 || len(times) > 3 {
		t.Fatalf("%d tries in 500 ms with a refused token", len(times))
	}
	for i := 1; i < len(times); i++ {
		if d := times[i].Sub(times[i-1]); d < 200*time.Millisecond {
			t.Errorf("retry %d after %s with a refused token", i, d)
		}
	}
}

// Follow logs an outage once, however many retries it takes, and once
// when a connection brings something again.
func TestFollowLogsAnOutageOnce(t *testing.T) {
	var mu sync.Mutex
	tries := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tries++
		n := tries
		mu.Unlock()
		if n == 1 || n >= 5 { // up at first, down for three tries, then up again
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, "id: 5\nevent: call\ndata: {}\n\n")
			return
		}
		http.Error(w, "node restarting", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	var logged []string
	ctx, cancel := context.WithCancel(context.Background())
	received := 0
	(&httpapi.Client{BaseURL: srv.URL, Token: "t"}).Follow(ctx, -1, httpapi.FollowOptions{
		MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, Name: "display",
		Logf: func(format string, args ...any) {
			logged = append(logged, strings.SplitN(fmt.Sprintf(format, args...), " (", 2)[0])
		},
	}, func(httpapi.StreamMessage) error {
		if received++; received == 2 {
			cancel()
		}
		return nil
	})
	want := []string{
		"display: event stream from " + srv.URL + " ended", // after the first connection
		"display: event stream from " + srv.URL + " works again",
	}
	if fmt.Sprint(logged) != fmt.Sprint(want) {
		t.Errorf("logged %q over %d tries, want %q", logged, tries, want)
	}
}
