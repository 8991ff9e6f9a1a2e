package central

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"hallq/queue"
	"hallq/queue/replica"
	"hallq/queue/store"
)

// Service is the centre: authorisation in front of a Store. The HTTP
// handler and the in-process transport of the simulation both call it.
type Service struct {
	Store Store
	Now   func() time.Time // the centre's clock; the only clock anything depends on

	skews sync.Map // client hall/id -> skewSeen: the last skew recorded
	auths sync.Map // sha256 of a credential -> authSeen
}

// skewSeen is a client's last recorded skew. A push records the skew only
// when it moved by more than skewStep or skewEvery has passed, so a busy
// hall does not pay a second committed write on every push.
type skewSeen struct {
	ms int64
	at time.Time
}

const (
	skewStep  = 500 // ms
	skewEvery = time.Minute
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func errUnauthorized() error {
	return &replica.Error{Status: http.StatusUnauthorized, Code: replica.CodeUnauthorized, Detail: "unknown credential"}
}

// authTTL is how long a checked credential is believed without asking the
// store again: a thousand halls pushing every second would otherwise cost
// a thousand lookups a second.
const authTTL = 30 * time.Second

type authSeen struct {
	c  Client
	at time.Time
}

func (s *Service) auth(ctx context.Context, token, kind string) (Client, error) {
	key := sha256.Sum256([]byte(token)) // the cache never holds a credential in clear
	now := s.now()
	var c Client
	if v, ok := s.auths.Load(key); ok && now.Sub(v.(authSeen).at) < authTTL && now.Sub(v.(authSeen).at) >= 0 {
		c = v.(authSeen).c
	} else {
		var err error
		c, err = s.Store.Authenticate(ctx, token, now)
		if errors.Is(err, ErrUnauthorized) {
			s.auths.Delete(key)
			return c, errUnauthorized()
		}
		if err != nil {
			return c, err
		}
		s.auths.Store(key, authSeen{c: c, at: now})
	}
	if c.Kind != kind {
		return c, &replica.Error{Status: http.StatusForbidden, Code: replica.CodeForbidden, Detail: "this credential may not do that"}
	}
	return c, nil
}

// Push ingests a node's batch into its own hall's stream and records the
// node's clock skew (centre minus node).
func (s *Service) Push(ctx context.Context, token string, req *replica.PushRequest) (*replica.PushResponse, error) {
	c, err := s.auth(ctx, token, KindNode)
	if err != nil {
		return nil, err
	}
	now := s.now()
	skew := req.Skew
	if skew == 0 && !req.SentAt.IsZero() {
		skew = now.Sub(req.SentAt).Milliseconds()
	}
	if skew != 0 || !req.SentAt.IsZero() {
		key := c.Hall + "/" + c.ID
		last, ok := s.skews.Load(key)
		if l, _ := last.(skewSeen); !ok || now.Sub(l.at) >= skewEvery || l.ms-skew > skewStep || skew-l.ms > skewStep {
			if err := s.Store.RecordSkew(ctx, c, skew, now); err != nil {
				return nil, err
			}
			s.skews.Store(key, skewSeen{ms: skew, at: now})
		}
	}
	resp, err := s.Store.Ingest(ctx, c.Hall, req, now)
	if err != nil {
		return nil, err
	}
	return &resp, nil
}

// streamHall maps a stream name to its hall key, refusing other halls'.
func streamHall(c Client, stream string) (string, error) {
	if stream == replica.GlobalStream {
		return "", nil
	}
	if h, ok := strings.CutPrefix(stream, "hall/"); ok && h == c.Hall {
		return h, nil
	}
	return "", &replica.Error{Status: http.StatusForbidden, Code: replica.CodeForbidden, Detail: "a node reads only its own hall's stream and the global one"}
}

// Feed returns changes of a stream the node may read.
func (s *Service) Feed(ctx context.Context, token, stream string, after int64, limit int) (*replica.FeedResponse, error) {
	c, err := s.auth(ctx, token, KindNode)
	if err != nil {
		return nil, err
	}
	h, err := streamHall(c, stream)
	if err != nil {
		return nil, err
	}
	resp, err := s.Store.Feed(ctx, h, after, limit)
	if err != nil {
		return nil, err
	}
	resp.Server = s.now()
	return &resp, nil
}

// Snapshot returns a stream's current state.
func (s *Service) Snapshot(ctx context.Context, token, stream string) (*replica.Snapshot, error) {
	c, err := s.auth(ctx, token, KindNode)
	if err != nil {
		return nil, err
	}
	h, err := streamHall(c, stream)
	if err != nil {
		return nil, err
	}
	snap, err := s.Store.Snapshot(ctx, h)
	if err != nil {
		return nil, err
	}
	return &snap, nil
}

// CaseIn is a case as the approval system sends it. Personal data is
// masked or hashed before anything is stored.
type CaseIn struct {
	Number       string     `json:"number"`
	Hall         string     `json:"hall_id"`
	ItemCode     string     `json:"item_code"`
	ItemName     string     `json:"item_name,omitempty"`
	Kind         string     `json:"kind"`
	Applicant    string     `json:"applicant"`
	CheckCode    string     `json:"check_code"`
	Accepted     time.Time  `json:"accepted"`
	PromisedDate string     `json:"promised_date,omitempty"`
	Status       string     `json:"status"`
	Finished     *time.Time `json:"finished,omitempty"`
	Note         string     `json:"note,omitempty"`
}

var caseKinds = map[string]bool{"immediate": true, "promised": true, "joint": true, "supplement": true, "returned": true}
var caseStatuses = map[string]bool{"accepted": true, "processing": true, "supplement": true, "finished": true, "refused": true}

// Case validates and converts an incoming case: the applicant masked, the
// check code kept only as its hash.
func (in CaseIn) Case(now time.Time) (queue.Case, error) {
	var bad []string
	if strings.TrimSpace(in.Number) == "" {
		bad = append(bad, "number is empty")
	}
	if in.Hall == "" || strings.Contains(in.Hall, "/") {
		bad = append(bad, "hall_id is empty or has a /")
	}
	if in.ItemCode == "" {
		bad = append(bad, "item_code is empty")
	}
	if !caseKinds[in.Kind] {
		bad = append(bad, fmt.Sprintf("kind %q is not immediate, promised, joint, supplement or returned", in.Kind))
	}
	if !caseStatuses[in.Status] {
		bad = append(bad, fmt.Sprintf("status %q is not accepted, processing, supplement, finished or refused", in.Status))
	}
	if in.PromisedDate != "" {
		if _, err := time.Parse(queue.DayLayout, in.PromisedDate); err != nil {
			bad = append(bad, "promised_date is not YYYY-MM-DD")
		}
	}
	if in.Accepted.IsZero() {
		bad = append(bad, "accepted is missing")
	}
	if len(bad) > 0 {
		return queue.Case{}, fmt.Errorf("case %q: %s", in.Number, strings.Join(bad, "; "))
	}
	num := strings.TrimSpace(in.Number)
	c := queue.Case{
		Number: num, HallID: in.Hall, ItemCode: in.ItemCode, ItemName: in.ItemName, Kind: queue.CaseKind(in.Kind),
		ApplicantMasked: maskApplicant(in.Applicant), Status: queue.CaseStatus(in.Status),
		AcceptedAt: in.Accepted.UTC(), PromisedDate: in.PromisedDate, Note: in.Note, UpdatedAt: now.UTC(),
	}
	if in.CheckCode != "" {
		c.CheckHash = queue.CheckCodeHash(num, in.CheckCode)
	}
	if in.Finished != nil {
		f := in.Finished.UTC()
		c.FinishedAt = &f
	}
	return c, nil
}

// maskApplicant masks a person's name (张**) or an ID number
// (3301**********1234); a company name keeps its first characters only
// the way MaskName does.
func maskApplicant(s string) string {
	s = strings.TrimSpace(s)
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' || r == 'X' || r == 'x' {
			digits++
		}
	}
	if digits >= 8 && digits == len([]rune(s)) {
		return queue.MaskID(s)
	}
	return queue.MaskName(s)
}

// PutCases publishes cases to their halls' streams. Only the approval
// system's credential may.
func (s *Service) PutCases(ctx context.Context, token string, in []CaseIn) (int, error) {
	if _, err := s.auth(ctx, token, KindApproval); err != nil {
		return 0, err
	}
	return PublishCases(ctx, s.Store, in, s.now())
}

// PublishCases validates every case first (all or nothing), then appends
// them to their halls' streams.
func PublishCases(ctx context.Context, st Store, in []CaseIn, now time.Time) (int, error) {
	byHall := map[string][]Put{}
	var halls []string
	var errs []error
	for _, ci := range in {
		c, err := ci.Case(now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		data, _ := json.Marshal(c)
		if _, ok := byHall[c.HallID]; !ok {
			halls = append(halls, c.HallID)
		}
		byHall[c.HallID] = append(byHall[c.HallID], Put{Type: store.ChangeCase, Key: "case/" + c.Number, Data: data, UpdatedAt: now})
	}
	if len(errs) > 0 {
		return 0, &replica.Error{Status: http.StatusBadRequest, Code: replica.CodeInvalid, Detail: errors.Join(errs...).Error()}
	}
	for _, h := range halls {
		if _, err := st.Publish(ctx, h, byHall[h]); err != nil {
			return 0, err
		}
	}
	return len(in), nil
}

// PublishCatalogue publishes a catalogue document on the global stream.
func PublishCatalogue(ctx context.Context, st Store, version string, doc []byte, now time.Time) (int64, error) {
	data, err := json.Marshal(store.CatalogueChange{Version: version, Doc: doc})
	if err != nil {
		return 0, err
	}
	return st.Publish(ctx, "", []Put{{Type: store.ChangeCatalogue, Key: "catalogue", Data: data, UpdatedAt: now}})
}

// PublishHallConfig publishes a hall's configuration (services, windows,
// opening rules) on that hall's stream; the node applies it as it comes.
// It is validated here, so a bad file never reaches a hall.
func PublishHallConfig(ctx context.Context, st Store, doc []byte, now time.Time) (hall string, head int64, err error) {
	var cfg queue.HallConfig
	if err := json.Unmarshal(doc, &cfg); err != nil {
		return "", 0, fmt.Errorf("central: hall configuration: %w", err)
	}
	if cfg.ID == "" || strings.Contains(cfg.ID, "/") {
		return "", 0, fmt.Errorf("central: hall configuration: id %q must be the hall's id, without /", cfg.ID)
	}
	if err := cfg.Validate(); err != nil {
		return "", 0, fmt.Errorf("central: hall configuration: %w", err)
	}
	data, err := json.Marshal(cfg)
	if err != nil {
		return "", 0, err
	}
	head, err = st.Publish(ctx, cfg.ID, []Put{{Type: store.ChangeHallConfig, Key: "hall_config", Data: data, UpdatedAt: now}})
	return cfg.ID, head, err
}

// Local is an in-process Transport for one node credential.
type Local struct {
	S     *Service
	Token string
}

func (l Local) Push(ctx context.Context, req *replica.PushRequest) (*replica.PushResponse, error) {
	// Through JSON, as over the network, so hashes see the wire form.
	b, _ := json.Marshal(req)
	var r replica.PushRequest
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	return l.S.Push(ctx, l.Token, &r)
}

func (l Local) Feed(ctx context.Context, stream string, after int64, limit int) (*replica.FeedResponse, error) {
	return l.S.Feed(ctx, l.Token, stream, after, limit)
}

func (l Local) Snapshot(ctx context.Context, stream string) (*replica.Snapshot, error) {
	return l.S.Snapshot(ctx, l.Token, stream)
}
