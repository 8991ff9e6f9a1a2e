package replica

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"time"

	"hallq/queue/store"
)

// Wire versions. Every event carries its own schema version (store.Event.Schema);
// the centre accepts SchemaMin..SchemaMax and upgrades old ones on arrival,
// so a node is never refused only for being older. Changes sent down carry
// their schema too; a node keeps what it does not understand.
const (
	SchemaMin = 0
	SchemaMax = store.EventSchema

	// MaxBatch is the most events one push may carry.
	MaxBatch = 1000
)

// Event is one outbox event on the wire: the store's event as written.
type Event = store.Event

// PushRequest carries a batch of one node's outbox stream: the events after
// what the centre acknowledged, in sequence order. The stream is keyed by
// (hall, node, epoch); the hall is the credential's, never the request's.
type PushRequest struct {
	Node     string    `json:"node"`
	Epoch    string    `json:"epoch"`
	StartSeq int64     `json:"start_seq"` // first sequence of this epoch's stream
	SentAt   time.Time `json:"sent_at"`   // node clock: only for measuring skew
	Skew     int64     `json:"skew_ms"`   // the node's last estimate of centre minus node clock (ms)
	Events   []Event   `json:"events"`
}

// PushResponse is the centre's answer: the gap-free high-water mark of the
// stream and the running checksum of everything up to it.
type PushResponse struct {
	HighWater int64 `json:"high_water"`
	// Expect is set when the batch began after a gap: the sequence the
	// centre needs next (HighWater+1). The node resends from there.
	Expect int64 `json:"expect,omitempty"`
	// Conflict is set when the centre already holds a different event under
	// the same (node, epoch, seq): this database is a copy (a restored
	// backup, a cloned disk) of one that went on writing. Nothing of the
	// batch was applied; the node moves its events from Conflict on to a
	// new epoch and sends them again (store.Tx.ForkEpoch).
	Conflict    int64         `json:"conflict,omitempty"`
	Count       int64         `json:"count"`
	Sum         uint32        `json:"sum"`
	Quarantined []Quarantined `json:"quarantined,omitempty"`
	ServerTime  time.Time     `json:"server_time"`
}

// Quarantined is an event the centre stored but could not apply to its
// derived tables; it counts as received and never blocks the stream.
type Quarantined struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

// Streams the centre sends down.
const GlobalStream = "global"

// HallStream names the download stream of a hall.
func HallStream(hall string) string { return "hall/" + hall }

// Change is one entry of a download stream. Count and Sum are the stream's
// running checksum after this change.
type Change struct {
	Seq    int64           `json:"seq"`
	Type   string          `json:"type"`
	Key    string          `json:"key"`
	Schema int             `json:"schema"`
	Data   json.RawMessage `json:"data"`
	Count  int64           `json:"count"`
	Sum    uint32          `json:"sum"`
}

// FeedResponse answers a pull of the changes after a cursor. Reset says the
// cursor can no longer be served (the stream was compacted past it, or the
// centre's stream is behind it): the node must fetch a snapshot.
type FeedResponse struct {
	Stream  string    `json:"stream"`
	Changes []Change  `json:"changes"`
	Head    int64     `json:"head"`
	Reset   bool      `json:"reset,omitempty"`
	Server  time.Time `json:"server_time"`
}

// Snapshot is the whole current state of a stream at Seq, as changes (one
// per key), with the running checksum at Seq.
type Snapshot struct {
	Stream  string   `json:"stream"`
	Seq     int64    `json:"seq"`
	Count   int64    `json:"count"`
	Sum     uint32   `json:"sum"`
	Changes []Change `json:"changes"`
}

// compact returns data without insignificant space, so a document hashes
// the same before and after a JSON round trip.
func compact(data []byte) []byte {
	var b bytes.Buffer
	if json.Compact(&b, data) != nil {
		return data
	}
	return b.Bytes()
}

// EventHash is the hash of an event in the upload checksum. Both sides
// compute it from the event as the node wrote it, before any upgrade.
func EventHash(e Event) uint32 {
	h := crc32.NewIEEE()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	h.Write([]byte(e.Type + "\x00" + e.TicketID + "\x00" + e.Actor + "\x00"))
	binary.BigEndian.PutUint64(n[:], uint64(e.Window))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(e.At.UnixMilli()))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(e.Schema))
	h.Write(n[:])
	h.Write(compact(e.Data))
	return h.Sum32()
}

// ChangeHash is the hash of a change in a download stream's checksum.
func ChangeHash(c Change) uint32 {
	h := crc32.NewIEEE()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(c.Seq))
	h.Write(n[:])
	h.Write([]byte(c.Type + "\x00" + c.Key + "\x00"))
	binary.BigEndian.PutUint64(n[:], uint64(c.Schema))
	h.Write(n[:])
	h.Write(compact(c.Data))
	return h.Sum32()
}

// Error is an error answer of the centre.
type Error struct {
	Status int    `json:"-"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

func (e *Error) Error() string { return "centre: " + e.Code + ": " + e.Detail }

// Error codes.
const (
	CodeUnauthorized = "unauthorized"
	CodeForbidden    = "forbidden"
	CodeInvalid      = "invalid"
	CodeInternal     = "internal"
)
