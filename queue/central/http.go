package central

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"strings"

	"hallq/queue/replica"
)

// Handler serves the centre's API:
//
//	POST /api/v1/push      a node's outbox batch (replica.PushRequest)
//	GET  /api/v1/feed      ?stream=hall/H|global&after=N&limit=N
//	GET  /api/v1/snapshot  ?stream=...
//	POST /api/v1/cases     {"cases": [CaseIn...]}, approval-system credential
//	GET  /healthz
//
// Every API call carries "Authorization: Bearer CREDENTIAL".
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/push", func(w http.ResponseWriter, r *http.Request) {
		var req replica.PushRequest
		if !decode(w, r, &req) {
			return
		}
		resp, err := s.Push(r.Context(), bearer(r), &req)
		reply(w, resp, err)
	})
	mux.HandleFunc("GET /api/v1/feed", func(w http.ResponseWriter, r *http.Request) {
		after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		resp, err := s.Feed(r.Context(), bearer(r), r.URL.Query().Get("stream"), after, limit)
		reply(w, resp, err)
	})
	mux.HandleFunc("GET /api/v1/snapshot", func(w http.ResponseWriter, r *http.Request) {
		resp, err := s.Snapshot(r.Context(), bearer(r), r.URL.Query().Get("stream"))
		reply(w, resp, err)
	})
	mux.HandleFunc("POST /api/v1/cases", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Cases []CaseIn `json:"cases"`
		}
		if !decode(w, r, &req) {
			return
		}
		n, err := s.PutCases(r.Context(), bearer(r), req.Cases)
		reply(w, map[string]int{"accepted": n}, err)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	return mux
}

func bearer(r *http.Request) string {
	t, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return t
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 32<<20))
	if err := dec.Decode(v); err != nil {
		reply(w, nil, &replica.Error{Status: http.StatusBadRequest, Code: replica.CodeInvalid, Detail: "bad JSON: " + err.Error()})
		return false
	}
	return true
}

func reply(w http.ResponseWriter, v any, err error) {
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		var e *replica.Error
		if !errors.As(err, &e) {
			log.Printf("central: %v", err)
			e = &replica.Error{Status: http.StatusInternalServerError, Code: replica.CodeInternal, Detail: "internal error; see the centre's log"}
		}
		w.WriteHeader(e.Status)
		json.NewEncoder(w).Encode(e)
		return
	}
	json.NewEncoder(w).Encode(v)
}
