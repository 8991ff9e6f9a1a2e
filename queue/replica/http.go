package replica

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// HTTPClient is the Transport to a centre over HTTP(S).
type HTTPClient struct {
	Base   string // e.g. https://centre.example:8443
	Token  string // the node's credential from `central node add`
	Client *http.Client
}

// NewHTTPClient returns a client with sane timeouts; tlsConf may be nil.
func NewHTTPClient(base, token string, tlsConf *tls.Config) *HTTPClient {
	tr := &http.Transport{
		TLSClientConfig:       tlsConf,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
	}
	return &HTTPClient{Base: strings.TrimRight(base, "/"), Token: token, Client: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// Reset drops idle connections (the watchdog's remedy for a stuck one).
func (c *HTTPClient) Reset() { c.Client.CloseIdleConnections() }

func (c *HTTPClient) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		e := &Error{Status: resp.StatusCode}
		if json.Unmarshal(b, e) != nil || e.Code == "" {
			e.Code, e.Detail = CodeInternal, fmt.Sprintf("HTTP %d", resp.StatusCode)
		}
		return e
	}
	return json.Unmarshal(b, out)
}

// Push implements Transport.
func (c *HTTPClient) Push(ctx context.Context, req *PushRequest) (*PushResponse, error) {
	var out PushResponse
	return &out, c.do(ctx, http.MethodPost, "/api/v1/push", req, &out)
}

// Feed implements Transport.
func (c *HTTPClient) Feed(ctx context.Context, stream string, after int64, limit int) (*FeedResponse, error) {
	var out FeedResponse
	q := url.Values{"stream": {stream}, "after": {strconv.FormatInt(after, 10)}, "limit": {strconv.Itoa(limit)}}
	return &out, c.do(ctx, http.MethodGet, "/api/v1/feed?"+q.Encode(), nil, &out)
}

// Snapshot implements Transport.
func (c *HTTPClient) Snapshot(ctx context.Context, stream string) (*Snapshot, error) {
	var out Snapshot
	return &out, c.do(ctx, http.MethodGet, "/api/v1/snapshot?"+url.Values{"stream": {stream}}.Encode(), nil, &out)
}
