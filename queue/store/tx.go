package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"hallq/queue"
)

// Tx is a transaction on the hall database with the domain's vocabulary.
// A write transaction runs on the writer connection itself (conn, inside
// BEGIN IMMEDIATE, see DB.Write); a read transaction is a database/sql
// transaction on the reader pool (tx).
type Tx struct {
	conn  *sql.Conn
	tx    *sql.Tx
	stmts *stmtCache
	// meta holds the meta values this transaction has read or written.
	meta map[string]string
}

// stmtCache keeps the statements of one pool or connection prepared:
// parsing SQL costs more than running it on the issue path.
//
// The writer's statements are prepared on its connection (conn) when
// first used: only the one write transaction running uses it. A reader
// statement is prepared on the pool only between transactions, since
// preparing on the pool while the transaction holds the connection it
// needs could wait forever; until then the transaction runs it
// unprepared.
type stmtCache struct {
	mu      sync.Mutex
	db      *sql.DB
	conn    *sql.Conn
	m       map[string]*sql.Stmt
	pending map[string]bool
	closed  bool
}

func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[query]; ok {
		return s
	}
	if c.conn != nil {
		s, err := c.conn.PrepareContext(context.Background(), query)
		if err != nil {
			return nil // it fails again, with its error, where it is used
		}
		if c.m == nil {
			c.m = map[string]*sql.Stmt{}
		}
		c.m[query] = s
		return s
	}
	if c.pending == nil {
		c.pending = map[string]bool{}
	}
	c.pending[query] = true
	return nil
}

// prepare prepares the statements reader transactions asked for; call it
// with no transaction open on this goroutine. The lock is not held while
// preparing: preparing waits for a connection, and the transaction holding
// it may itself be waiting for the lock in get.
func (c *stmtCache) prepare() {
	c.mu.Lock()
	pending := c.pending
	c.pending = nil
	c.mu.Unlock()
	for q := range pending {
		s, err := c.db.Prepare(q)
		if err != nil {
			continue // it fails again, with its error, where it is used
		}
		c.mu.Lock()
		if _, dup := c.m[q]; dup || c.m == nil && c.closed {
			s.Close()
		} else {
			if c.m == nil {
				c.m = map[string]*sql.Stmt{}
			}
			c.m[q] = s
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.m {
		s.Close()
	}
	c.m, c.closed = nil, true
}

// row is what QueryRow returns, prepared or not.
type row interface{ Scan(...any) error }

// The statements of a transaction carry no context: a write transaction
// checks its context before it commits (DB.Write), and database/sql ends a
// read transaction whose context ends.

// stmt returns query's prepared statement for this transaction, nil while
// it is not prepared yet.
func (t *Tx) stmt(query string) *sql.Stmt {
	s := t.stmts.get(query)
	if s == nil || t.conn != nil {
		return s // the writer's statements are prepared on its connection
	}
	return t.tx.Stmt(s)
}

// run is what an unprepared statement runs on: the writer connection or
// the read transaction.
func (t *Tx) run() interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
} {
	if t.conn != nil {
		return t.conn
	}
	return t.tx
}

func (t *Tx) queryRow(query string, args ...any) row {
	if s := t.stmt(query); s != nil {
		return s.QueryRow(args...)
	}
	return t.run().QueryRowContext(context.Background(), query, args...)
}

func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	if s := t.stmt(query); s != nil {
		return s.Exec(args...)
	}
	return t.run().ExecContext(context.Background(), query, args...)
}

func (t *Tx) query(query string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(query); s != nil {
		return s.Query(args...)
	}
	return t.run().QueryContext(context.Background(), query, args...)
}

// Meta keys.
const (
	MetaNodeID      = "node_id"      // this database's node id, random at creation
	MetaEpoch       = "epoch"        // stream epoch of the outbox, random per database file
	MetaSalt        = "citizen_salt" // hex; salt of citizen ID hashes
	MetaLastDay     = "last_day"     // latest business day a ticket was issued on
	MetaInitalised  = "initialised_at"
	MetaConfigVer   = "config_version" // bumped on every change of services, windows or hall settings
	MetaOutboxFloor = "outbox_floor"   // every outbox row up to this sequence is acknowledged
)

// ConfigVersion returns the configuration's version; a cached
// configuration is good while it stays the same.
func (t *Tx) ConfigVersion() (string, error) { return t.Meta(MetaConfigVer) }

// Meta returns a meta value, "" when unset. The two keys every write
// reads (the configuration's version, and the business day an issue
// checks) come together in one narrow statement: reading the whole table
// instead cost 80 allocations per issue, most of the issue's garbage.
func (t *Tx) Meta(key string) (string, error) {
	if v, ok := t.meta[key]; ok {
		return v, nil
	}
	if t.meta == nil {
		t.meta = make(map[string]string, 2)
	}
	if key == MetaConfigVer || key == MetaLastDay {
		var ver, day string
		err := t.queryRow(`SELECT COALESCE((SELECT value FROM meta WHERE key = '`+MetaConfigVer+`'), ''),
			COALESCE((SELECT value FROM meta WHERE key = '`+MetaLastDay+`'), '')`).Scan(&ver, &day)
		if err != nil {
			return "", fmt.Errorf("store: meta: %w", err)
		}
		t.meta[MetaConfigVer], t.meta[MetaLastDay] = ver, day
		return t.meta[key], nil
	}
	var v string
	err := t.queryRow("SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: meta %s: %w", key, err)
	}
	t.meta[key] = v
	return v, nil
}

// SetMeta sets a meta value.
func (t *Tx) SetMeta(key, value string) error {
	_, err := t.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return fmt.Errorf("store: set meta %s: %w", key, err)
	}
	if t.meta == nil {
		t.meta = make(map[string]string, 2)
	}
	t.meta[key] = value
	return nil
}

// bumpConfigVersion moves the configuration's version on (MetaConfigVer),
// so cached configurations are read again.
func (t *Tx) bumpConfigVersion() error {
	var v int64
	err := t.queryRow(`INSERT INTO meta (key, value) VALUES (?, '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING CAST(value AS INTEGER)`, MetaConfigVer).Scan(&v)
	if err != nil {
		return fmt.Errorf("store: config version: %w", err)
	}
	if t.meta != nil {
		t.meta[MetaConfigVer] = strconv.FormatInt(v, 10)
	}
	return nil
}

// RandomID returns n random bytes as hex.
func RandomID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's randomness is gone; nothing is safe
	}
	return hex.EncodeToString(b)
}

// Init makes this database a hall: the node's identity and the hall's
// configuration. It refuses an already initialised database.
func (t *Tx) Init(cfg queue.HallConfig, now time.Time) error {
	if id, err := t.Meta(MetaNodeID); err != nil {
		return err
	} else if id != "" {
		return queue.Errorf(queue.CodeInvalid, "this data directory already holds hall %s", id)
	}
	for k, v := range map[string]string{
		MetaNodeID:     RandomID(8),
		MetaEpoch:      RandomID(8),
		MetaSalt:       RandomID(32),
		MetaInitalised: strconv.FormatInt(now.UnixMilli(), 10),
	} {
		if err := t.SetMeta(k, v); err != nil {
			return err
		}
	}
	return t.PutConfig(cfg)
}

// PutConfig stores the hall's configuration, its services and windows.
// Services and windows not in cfg are removed; window states in cfg win.
func (t *Tx) PutConfig(cfg queue.HallConfig) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	services, windows := cfg.Services, cfg.Windows
	cfg.Services, cfg.Windows = nil, nil
	body, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	if err := t.bumpConfigVersion(); err != nil {
		return err
	}
	if _, err := t.exec("INSERT INTO hall (id, config) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET config = excluded.config", string(body)); err != nil {
		return fmt.Errorf("store: put config: %w", err)
	}
	if _, err := t.exec("DELETE FROM services"); err != nil {
		return err
	}
	for _, s := range services {
		def, _ := json.Marshal(s)
		if _, err := t.exec("INSERT INTO services (code, def) VALUES (?, ?)", s.Code, string(def)); err != nil {
			return fmt.Errorf("store: put service %s: %w", s.Code, err)
		}
	}
	if _, err := t.exec("DELETE FROM windows"); err != nil {
		return err
	}
	for _, w := range windows {
		if err := t.PutWindow(w); err != nil {
			return err
		}
	}
	return nil
}

// PutWindow inserts or replaces a window's definition and state.
func (t *Tx) PutWindow(w queue.Window) error {
	if err := t.bumpConfigVersion(); err != nil {
		return err
	}
	svc, _ := json.Marshal(w.Services)
	_, err := t.exec(`INSERT INTO windows (number, name, services, state) VALUES (?, ?, ?, ?)
		ON CONFLICT (number) DO UPDATE SET name = excluded.name, services = excluded.services, state = excluded.state`,
		w.Number, w.Name, string(svc), string(w.State))
	if err != nil {
		return fmt.Errorf("store: put window %d: %w", w.Number, err)
	}
	return nil
}

// Config returns the hall's configuration with its services and windows;
// a database not initialised gives an error that says so.
func (t *Tx) Config() (queue.HallConfig, error) {
	var cfg queue.HallConfig
	var body string
	err := t.queryRow("SELECT config FROM hall WHERE id = 1").Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return cfg, ErrNotInitialised
	}
	if err != nil {
		return cfg, fmt.Errorf("store: config: %w", err)
	}
	if err := json.Unmarshal([]byte(body), &cfg); err != nil {
		return cfg, fmt.Errorf("store: config: %w", err)
	}
	if cfg.Services, err = t.Services(); err != nil {
		return cfg, err
	}
	if cfg.Windows, err = t.Windows(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// ErrNotInitialised is returned by Config before Init.
var ErrNotInitialised = &queue.Error{Code: queue.CodeInvalid, Detail: "the data directory holds no hall yet; run hallq init"}

// Services returns the hall's services ordered by code.
func (t *Tx) Services() ([]queue.Service, error) {
	rows, err := t.query("SELECT def FROM services ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("store: services: %w", err)
	}
	defer rows.Close()
	var out []queue.Service
	for rows.Next() {
		var def string
		if err := rows.Scan(&def); err != nil {
			return nil, err
		}
		var s queue.Service
		if err := json.Unmarshal([]byte(def), &s); err != nil {
			return nil, fmt.Errorf("store: service: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Windows returns the hall's windows ordered by number.
func (t *Tx) Windows() ([]queue.Window, error) {
	rows, err := t.query("SELECT number, name, services, state FROM windows ORDER BY number")
	if err != nil {
		return nil, fmt.Errorf("store: windows: %w", err)
	}
	defer rows.Close()
	var out []queue.Window
	for rows.Next() {
		var w queue.Window
		var svc, state string
		if err := rows.Scan(&w.Number, &w.Name, &svc, &state); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(svc), &w.Services); err != nil {
			return nil, fmt.Errorf("store: window %d: %w", w.Number, err)
		}
		w.State = queue.WindowState(state)
		out = append(out, w)
	}
	return out, rows.Err()
}

// numberRange is the range of ticket ids holding prefix's numbers on day:
// "day/A0" up to "day/A:", as a number is the prefix and three digits and
// ':' sorts right after '9'. Service codes are capital letters, so the
// range of A never holds AB's numbers.
func numberRange(day, prefix string) (from, to string) {
	return queue.TicketID(day, prefix+"0"), queue.TicketID(day, prefix+":")
}

// dayRange is the range of ticket ids of day: "day/" up to "day0" ('0'
// sorts right after '/').
func dayRange(day string) (from, to string) { return day + "/", day + "0" }

// Slot is the span of instants [From, To) today's slot quota covers.
type Slot struct{ From, To time.Time }

// DayCounts returns what admission control counts for a new ticket of
// service on day, but Issued: the issuing transaction knows that from the
// number it has just taken (IssueInputs). The slot count is read only
// under a slot quota, and the citizen's active tickets only for a citizen
// hash, so an ordinary issue reads nothing here.
func (t *Tx) DayCounts(day, service string, slot *Slot, citizenHash string) (queue.DayCounts, error) {
	var n queue.DayCounts
	if slot != nil {
		// Numbers the service issued, a range of the tickets' key; a ticket
		// transferred away keeps its number, so it still counts where it
		// was issued.
		from, to := numberRange(day, service)
		err := t.queryRow(`SELECT COUNT(*) FROM tickets WHERE id >= ? AND id < ? AND issued_at >= ? AND issued_at < ?`,
			from, to, slot.From.UnixMilli(), slot.To.UnixMilli()).Scan(&n.InSlot)
		if err != nil {
			return n, fmt.Errorf("store: slot count: %w", err)
		}
	}
	if citizenHash != "" {
		var c int
		err := t.queryRow(`SELECT COUNT(*) FROM tickets WHERE citizen_hash = ? AND service = ?
			AND `+inQueue, citizenHash, service).Scan(&c)
		if err != nil {
			return n, fmt.Errorf("store: citizen count: %w", err)
		}
		n.CitizenWaiting = c > 0
	}
	return n, nil
}

const ticketColumns = `id, day, service, number, seq, class, reason, state, queue_pos, issued_at, arrived_at,
	appointment_at, appointment_id, window, called_at, started_at, finished_at, recalls, transferred_from,
	citizen_hash, end_reason, print`

func ms(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func fromMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMilli(v.Int64).UTC()
	return &t
}

// InsertTicket inserts a new ticket; printBy is who prints it when its
// print is pending (PrintPending).
func (t *Tx) InsertTicket(k queue.Ticket, printBy string) error {
	var hash any
	if k.CitizenHash != "" {
		hash = k.CitizenHash
	}
	_, err := t.exec(`INSERT INTO tickets (`+ticketColumns+`, print_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		k.ID, k.Day, k.Service, k.Number, k.Seq, int(k.Priority.Class), k.Priority.Reason, string(k.State), k.QueuePos,
		k.IssuedAt.UnixMilli(), k.ArrivedAt.UnixMilli(), ms(k.AppointmentAt), k.AppointmentID, k.Window,
		ms(k.CalledAt), ms(k.StartedAt), ms(k.FinishedAt), k.Recalls, k.TransferredFrom, hash, k.Reason, string(k.Print), printBy)
	if err != nil {
		return fmt.Errorf("store: insert ticket %s: %w", k.ID, err)
	}
	return nil
}

// UpdateTicket writes every mutable field of a ticket.
func (t *Tx) UpdateTicket(k queue.Ticket) error {
	res, err := t.exec(`UPDATE tickets SET service = ?, state = ?, queue_pos = ?, arrived_at = ?, window = ?,
		called_at = ?, started_at = ?, finished_at = ?, recalls = ?, transferred_from = ?, end_reason = ?, print = ?
		WHERE id = ?`,
		k.Service, string(k.State), k.QueuePos, k.ArrivedAt.UnixMilli(), k.Window, ms(k.CalledAt), ms(k.StartedAt),
		ms(k.FinishedAt), k.Recalls, k.TransferredFrom, k.Reason, string(k.Print), k.ID)
	if err != nil {
		return fmt.Errorf("store: update ticket %s: %w", k.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return queue.Errorf(queue.CodeUnknownTicket, "no ticket %s", k.ID)
	}
	return nil
}

// SetPrint records the outcome of printing a ticket.
func (t *Tx) SetPrint(id string, state queue.PrintState, detail string) error {
	_, err := t.exec("UPDATE tickets SET print = ?, print_error = ? WHERE id = ?", string(state), detail, id)
	if err != nil {
		return fmt.Errorf("store: set print %s: %w", id, err)
	}
	return nil
}

type scanner interface{ Scan(...any) error }

func scanTicket(s scanner) (queue.Ticket, error) {
	var k queue.Ticket
	var class int
	var state, print string
	var issued, arrived int64
	var appt, called, started, finished sql.NullInt64
	var hash sql.NullString
	err := s.Scan(&k.ID, &k.Day, &k.Service, &k.Number, &k.Seq, &class, &k.Priority.Reason, &state, &k.QueuePos,
		&issued, &arrived, &appt, &k.AppointmentID, &k.Window, &called, &started, &finished, &k.Recalls,
		&k.TransferredFrom, &hash, &k.Reason, &print)
	if err != nil {
		return k, err
	}
	k.Priority.Class = queue.Class(class)
	k.State = queue.State(state)
	k.Print = queue.PrintState(print)
	k.IssuedAt = time.UnixMilli(issued).UTC()
	k.ArrivedAt = time.UnixMilli(arrived).UTC()
	k.AppointmentAt, k.CalledAt, k.StartedAt, k.FinishedAt = fromMS(appt), fromMS(called), fromMS(started), fromMS(finished)
	k.CitizenHash = hash.String
	return k, nil
}

func (t *Tx) queryTickets(where string, args ...any) ([]queue.Ticket, error) {
	rows, err := t.query("SELECT "+ticketColumns+" FROM tickets "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: tickets: %w", err)
	}
	defer rows.Close()
	var out []queue.Ticket
	for rows.Next() {
		k, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("store: tickets: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Ticket returns the ticket with the given id, or one on day with number.
func (t *Tx) Ticket(id string) (queue.Ticket, error) {
	ks, err := t.queryTickets("WHERE id = ?", id)
	if err != nil {
		return queue.Ticket{}, err
	}
	if len(ks) == 0 {
		return queue.Ticket{}, queue.Errorf(queue.CodeUnknownTicket, "no ticket %s", id)
	}
	return ks[0], nil
}

// Waiting returns the waiting tickets of the given services (all services
// when none are given), in queue order.
func (t *Tx) Waiting(services ...string) ([]queue.Ticket, error) {
	if len(services) == 0 {
		return t.queryTickets("WHERE state = 'waiting' ORDER BY queue_pos")
	}
	ph, args := inList(services)
	return t.queryTickets("WHERE state = 'waiting' AND service IN ("+ph+") ORDER BY queue_pos", args...)
}

// inList is the placeholders and arguments of an SQL IN list of values.
func inList[S ~string](values []S) (string, []any) {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = string(v)
	}
	return strings.TrimSuffix(strings.Repeat("?,", len(values)), ","), args
}

// CallCandidates returns the waiting tickets of services in queue order
// with only the fields a calling policy reads (queue.Policy.Pick): id,
// service, class, queue position, arrival and appointment time; the rest
// is zero. They come from the waiting index alone (migration 0008), where
// reading whole rows cost most of a call; read the chosen one with Ticket.
func (t *Tx) CallCandidates(services ...string) ([]queue.Ticket, error) {
	ph, args := inList(services)
	rows, err := t.query(`SELECT id, service, class, queue_pos, arrived_at, appointment_at FROM tickets
		WHERE state = 'waiting' AND service IN (`+ph+`) ORDER BY queue_pos`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: call candidates: %w", err)
	}
	defer rows.Close()
	var out []queue.Ticket
	for rows.Next() {
		k := queue.Ticket{State: queue.Waiting}
		var class int
		var arrived int64
		var appt sql.NullInt64
		if err := rows.Scan(&k.ID, &k.Service, &class, &k.QueuePos, &arrived, &appt); err != nil {
			return nil, fmt.Errorf("store: call candidates: %w", err)
		}
		k.Priority.Class, k.ArrivedAt, k.AppointmentAt = queue.Class(class), time.UnixMilli(arrived).UTC(), fromMS(appt)
		out = append(out, k)
	}
	return out, rows.Err()
}

// AtWindow returns the tickets called, served or parked at a window.
func (t *Tx) AtWindow(window int) ([]queue.Ticket, error) {
	return t.queryTickets("WHERE window = ? AND state IN ('called', 'serving', 'parked') ORDER BY called_at", window)
}

// Active returns every ticket still waiting, called, served or parked, on
// any day (the end-of-day sweep closes them).
func (t *Tx) Active() ([]queue.Ticket, error) {
	return t.queryTickets("WHERE " + inQueue + " ORDER BY queue_pos")
}

// TicketsOfDay returns a business day's tickets in issue order.
func (t *Tx) TicketsOfDay(day string) ([]queue.Ticket, error) {
	from, to := dayRange(day)
	return t.queryTickets("WHERE id >= ? AND id < ? ORDER BY issued_at, id", from, to)
}

// DayTally counts a business day's tickets: issued, waiting now, and
// still in the queue with a failed print (waiting for staff to reprint or
// void). Counted by SQLite over the day's key range, so staff mode does
// not read a busy day's thousand rows to show three numbers.
func (t *Tx) DayTally(day string) (issued, waiting, printFailed int, err error) {
	from, to := dayRange(day)
	err = t.queryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'waiting'),
		COUNT(*) FILTER (WHERE print = 'failed' AND `+inQueue+`) FROM tickets WHERE id >= ? AND id < ?`, from, to).
		Scan(&issued, &waiting, &printFailed)
	if err != nil {
		err = fmt.Errorf("store: day tally: %w", err)
	}
	return issued, waiting, printFailed, err
}

// PrintFailed returns tickets whose printing failed and that are still active.
func (t *Tx) PrintFailed() ([]queue.Ticket, error) {
	return t.queryTickets("WHERE print = 'failed' AND " + inQueue + " ORDER BY issued_at")
}

// inQueue selects tickets still in the queue: waiting, or at a window.
const inQueue = "state IN ('waiting', 'called', 'serving', 'parked')"

// PrintPending lists the tickets still in the queue whose print never got
// a result: those by prints (it issued them, or claimed them for a
// reprint), since by stopped between the commit and the printer's answer,
// and any issued before orIssuedBefore, whoever prints them (the zero time
// adds none). Another kiosk's recent ones are left out: it may be printing
// them right now.
func (t *Tx) PrintPending(by string, orIssuedBefore time.Time) ([]queue.Ticket, error) {
	return t.queryTickets("WHERE print = 'pending' AND "+inQueue+" AND (print_by = ? OR issued_at < ?) ORDER BY issued_at",
		by, orIssuedBefore.UnixMilli())
}

// CallRequest returns the ticket a call request id produced, "" if unseen.
func (t *Tx) CallRequest(requestID string) (window int, ticketID string, err error) {
	err = t.queryRow("SELECT window, ticket_id FROM call_requests WHERE request_id = ?", requestID).Scan(&window, &ticketID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("store: call request: %w", err)
	}
	return window, ticketID, nil
}

// PutCallRequest remembers which ticket a call request produced.
func (t *Tx) PutCallRequest(requestID string, window int, ticketID string, at time.Time) error {
	_, err := t.exec("INSERT INTO call_requests (request_id, window, ticket_id, at) VALUES (?, ?, ?, ?)",
		requestID, window, ticketID, at.UnixMilli())
	if err != nil {
		return fmt.Errorf("store: put call request: %w", err)
	}
	return nil
}

// ServiceStats returns the running average service time of a service and
// its number of samples.
func (t *Tx) ServiceStats(service string) (avg float64, samples int, err error) {
	err = t.queryRow("SELECT avg_seconds, samples FROM service_stats WHERE service = ?", service).Scan(&avg, &samples)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return avg, samples, err
}

// ServiceStat is a service's running average service time.
type ServiceStat struct {
	AvgSeconds float64
	Samples    int
}

// AllServiceStats returns the running averages of every service that has one.
func (t *Tx) AllServiceStats() (map[string]ServiceStat, error) {
	rows, err := t.query("SELECT service, avg_seconds, samples FROM service_stats")
	if err != nil {
		return nil, fmt.Errorf("store: service stats: %w", err)
	}
	defer rows.Close()
	out := map[string]ServiceStat{}
	for rows.Next() {
		var code string
		var st ServiceStat
		if err := rows.Scan(&code, &st.AvgSeconds, &st.Samples); err != nil {
			return nil, fmt.Errorf("store: service stats: %w", err)
		}
		out[code] = st
	}
	return out, rows.Err()
}

// PutServiceStats stores a service's running average.
func (t *Tx) PutServiceStats(service string, avg float64, samples int) error {
	_, err := t.exec(`INSERT INTO service_stats (service, avg_seconds, samples) VALUES (?, ?, ?)
		ON CONFLICT (service) DO UPDATE SET avg_seconds = excluded.avg_seconds, samples = excluded.samples`,
		service, avg, samples)
	return err
}

// countAheadSQL counts the waiting tickets of service (1st argument) called
// before a new ticket of effective class myClass (5th) at now, with dueBy
// (2nd and 3rd) now plus the appointment lead and the normal class (4th):
// queue.Ahead in SQL (TestCountAheadMatchesDomainRule in queue/hall holds
// them equal through IssueInputs).
const countAheadSQL = `SELECT COUNT(*) FROM tickets WHERE state = 'waiting' AND service = ? AND (
		(class = 0 AND appointment_at IS NOT NULL AND appointment_at <= ?)
		OR (CASE WHEN class = 0 AND (appointment_at IS NULL OR appointment_at > ?) THEN ? ELSE class END) <= ?)`

// busySQL selects the hall's services with someone waiting: one index
// probe per service, where a DISTINCT over the waiting tickets would read
// all of them on every issue.
const busySQL = `SELECT s.code FROM services s
		WHERE EXISTS (SELECT 1 FROM tickets WHERE state = 'waiting' AND service = s.code)`

// IssueInputs is everything an issue reads before it writes its ticket,
// read in one statement (one round trip instead of four on the issue
// path, whose latency is issue 2's target).
type IssueInputs struct {
	// Number is the service's next number on the day: 1 for the first
	// ticket, else the last ticket's + 1, read from the end of the
	// prefix's key range (numberRange). It is read inside the write
	// transaction that inserts the ticket, which holds the database's
	// only write lock, so no other issue takes the same number, and a
	// rollback or crash leaves no gap: the number is used only once its
	// ticket row commits.
	Number int
	// Seq is the sequence the transaction's next event gets (NextSeq).
	Seq int64
	// The wait estimate's inputs, for a ticket of the effective class and
	// due time given.
	Ahead      int             // waiting tickets of the service called before the new one (queue.Ahead)
	Busy       map[string]bool // services with someone waiting (absent: nobody)
	AvgSeconds float64         // ServiceStats
	Samples    int
}

// IssueInputs reads the next number of service on day, the next event
// sequence, and the people ahead of a new ticket of service with effective
// class myClass (dueBy is now plus the appointment lead), the busy
// services and the service's running average.
func (t *Tx) IssueInputs(day, service string, myClass queue.Class, dueBy time.Time) (IssueInputs, error) {
	var in IssueInputs
	from, to := numberRange(day, service)
	args := []any{from, to, service, dueBy.UnixMilli(), dueBy.UnixMilli(), int(queue.ClassNormal), int(myClass), service, service}
	var busy string
	err := t.queryRow(`SELECT COALESCE((SELECT seq FROM tickets WHERE id >= ? AND id < ? ORDER BY id DESC LIMIT 1), 0) + 1,
		(`+lastSeqSQL+`) + 1,
		(`+countAheadSQL+`),
		(SELECT COALESCE(group_concat(code, ','), '') FROM (`+busySQL+`)),
		COALESCE((SELECT avg_seconds FROM service_stats WHERE service = ?), 0),
		COALESCE((SELECT samples FROM service_stats WHERE service = ?), 0)`, args...).Scan(
		&in.Number, &in.Seq, &in.Ahead, &busy, &in.AvgSeconds, &in.Samples)
	if err != nil {
		return in, fmt.Errorf("store: issue inputs: %w", err)
	}
	// Service codes are capital letters (queue.Service.Validate): a comma
	// list needs no JSON.
	in.Busy = map[string]bool{}
	for c := range strings.SplitSeq(busy, ",") {
		if c != "" {
			in.Busy[c] = true
		}
	}
	return in, nil
}

// WaitingCounts returns how many wait per service.
func (t *Tx) WaitingCounts() (map[string]int, error) {
	rows, err := t.query("SELECT service, COUNT(*) FROM tickets WHERE state = 'waiting' GROUP BY service")
	if err != nil {
		return nil, fmt.Errorf("store: waiting counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// AllTickets returns every ticket of every day.
func (t *Tx) AllTickets() ([]queue.Ticket, error) {
	return t.queryTickets("ORDER BY id")
}

// ClaimPrint moves a ticket's print state from one of from to pending, to
// be printed by by, and reports whether it did: only one caller can claim
// a ticket for printing, so two staff pressing "reprint" print it once.
func (t *Tx) ClaimPrint(id, by string, from ...queue.PrintState) (bool, error) {
	ph, states := inList(from)
	args := append([]any{by, id}, states...)
	res, err := t.exec("UPDATE tickets SET print = 'pending', print_by = ? WHERE id = ? AND print IN ("+ph+")", args...)
	if err != nil {
		return false, fmt.Errorf("store: claim print %s: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
