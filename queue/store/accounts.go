package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hallq/queue"
)

// Account is a staff account: a window clerk, a hall manager or a
// maintainer. PasswordHash is a bcrypt hash; the password is never stored.
type Account struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	Disabled     bool      `json:"disabled,omitempty"`
}

// Device is a kiosk, display, LED controller or rating pad with a token.
type Device struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Window    int       `json:"window,omitempty"`
	TokenHash string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	Revoked   bool      `json:"revoked,omitempty"`
}

// Session is a signed-in staff member's session.
type Session struct {
	TokenHash string
	AccountID int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SignIn is a clerk signed in at a window.
type SignIn struct {
	Window    int       `json:"window"`
	AccountID int64     `json:"account_id"`
	Name      string    `json:"name"`
	Since     time.Time `json:"since"`
}

const accountColumns = "id, name, role, password_hash, created_at, disabled"

func scanAccount(s scanner) (Account, error) {
	var a Account
	var created int64
	var disabled int
	if err := s.Scan(&a.ID, &a.Name, &a.Role, &a.PasswordHash, &created, &disabled); err != nil {
		return a, err
	}
	a.CreatedAt, a.Disabled = time.UnixMilli(created).UTC(), disabled != 0
	return a, nil
}

// InsertAccount adds a staff account and returns its id; a taken name is a
// conflict.
func (t *Tx) InsertAccount(a Account) (int64, error) {
	if _, err := t.AccountByName(a.Name); err == nil {
		return 0, queue.Errorf(queue.CodeConflict, "account %q exists", a.Name)
	}
	res, err := t.exec("INSERT INTO staff_accounts (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
		a.Name, a.Role, a.PasswordHash, a.CreatedAt.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store: insert account: %w", err)
	}
	return res.LastInsertId()
}

// SetPassword replaces an account's password hash and ends its sessions.
func (t *Tx) SetPassword(id int64, hash string) error {
	if _, err := t.exec("UPDATE staff_accounts SET password_hash = ? WHERE id = ?", hash, id); err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	_, err := t.exec("DELETE FROM staff_sessions WHERE account_id = ?", id)
	return err
}

// AccountByName returns the account with that name.
func (t *Tx) AccountByName(name string) (Account, error) {
	a, err := scanAccount(t.queryRow("SELECT "+accountColumns+" FROM staff_accounts WHERE name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return a, queue.Errorf(queue.CodeInvalid, "no account %q", name)
	}
	if err != nil {
		return a, fmt.Errorf("store: account: %w", err)
	}
	return a, nil
}

// AccountByID returns the account with that id.
func (t *Tx) AccountByID(id int64) (Account, error) {
	a, err := scanAccount(t.queryRow("SELECT "+accountColumns+" FROM staff_accounts WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, queue.Errorf(queue.CodeInvalid, "no account %d", id)
	}
	if err != nil {
		return a, fmt.Errorf("store: account: %w", err)
	}
	return a, nil
}

// Accounts returns every account by name.
func (t *Tx) Accounts() ([]Account, error) {
	rows, err := t.query("SELECT " + accountColumns + " FROM staff_accounts ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// InsertSession records a new session.
func (t *Tx) InsertSession(s Session) error {
	// Expired sessions go as new ones come, so the table stays small.
	if _, err := t.exec("DELETE FROM staff_sessions WHERE expires_at < ?", s.CreatedAt.UnixMilli()); err != nil {
		return fmt.Errorf("store: expire sessions: %w", err)
	}
	_, err := t.exec("INSERT INTO staff_sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		s.TokenHash, s.AccountID, s.CreatedAt.UnixMilli(), s.ExpiresAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("store: insert session: %w", err)
	}
	return nil
}

// SessionByHash returns the session with that token hash and its account;
// ok is false when there is none.
func (t *Tx) SessionByHash(hash string) (s Session, a Account, ok bool, err error) {
	var created, expires int64
	err = t.queryRow("SELECT token_hash, account_id, created_at, expires_at FROM staff_sessions WHERE token_hash = ?", hash).
		Scan(&s.TokenHash, &s.AccountID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return s, a, false, nil
	}
	if err != nil {
		return s, a, false, fmt.Errorf("store: session: %w", err)
	}
	s.CreatedAt, s.ExpiresAt = time.UnixMilli(created).UTC(), time.UnixMilli(expires).UTC()
	a, err = t.AccountByID(s.AccountID)
	if err != nil {
		return s, a, false, err
	}
	return s, a, true, nil
}

// DeleteSession ends a session.
func (t *Tx) DeleteSession(hash string) error {
	_, err := t.exec("DELETE FROM staff_sessions WHERE token_hash = ?", hash)
	return err
}

// InsertDevice adds a device and returns its id.
func (t *Tx) InsertDevice(d Device) (int64, error) {
	res, err := t.exec("INSERT INTO device_tokens (kind, name, window, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
		d.Kind, d.Name, d.Window, d.TokenHash, d.CreatedAt.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store: insert device: %w", err)
	}
	return res.LastInsertId()
}

// DeviceByHash returns the device with that token hash; ok is false when
// there is none or it was revoked.
func (t *Tx) DeviceByHash(hash string) (d Device, ok bool, err error) {
	var created int64
	var revoked sql.NullInt64
	err = t.queryRow("SELECT id, kind, name, window, token_hash, created_at, revoked_at FROM device_tokens WHERE token_hash = ?", hash).
		Scan(&d.ID, &d.Kind, &d.Name, &d.Window, &d.TokenHash, &created, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("store: device: %w", err)
	}
	d.CreatedAt, d.Revoked = time.UnixMilli(created).UTC(), revoked.Valid
	return d, !d.Revoked, nil
}

// RevokeDevice revokes a device's token.
func (t *Tx) RevokeDevice(id int64, at time.Time) error {
	_, err := t.exec("UPDATE device_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at.UnixMilli(), id)
	return err
}

// PutSignIn signs an account in at a window, replacing whoever was there.
func (t *Tx) PutSignIn(window int, accountID int64, at time.Time) error {
	_, err := t.exec(`INSERT INTO window_signins (window, account_id, since) VALUES (?, ?, ?)
		ON CONFLICT (window) DO UPDATE SET account_id = excluded.account_id, since = excluded.since`, window, accountID, at.UnixMilli())
	if err != nil {
		return fmt.Errorf("store: sign in: %w", err)
	}
	return nil
}

// DeleteSignIn signs whoever is at a window out.
func (t *Tx) DeleteSignIn(window int) error {
	_, err := t.exec("DELETE FROM window_signins WHERE window = ?", window)
	return err
}

// SignIns returns who is signed in where, by window.
func (t *Tx) SignIns() ([]SignIn, error) {
	rows, err := t.query(`SELECT s.window, s.account_id, a.name, s.since FROM window_signins s
		JOIN staff_accounts a ON a.id = s.account_id ORDER BY s.window`)
	if err != nil {
		return nil, fmt.Errorf("store: sign-ins: %w", err)
	}
	defer rows.Close()
	var out []SignIn
	for rows.Next() {
		var s SignIn
		var since int64
		if err := rows.Scan(&s.Window, &s.AccountID, &s.Name, &since); err != nil {
			return nil, err
		}
		s.Since = time.UnixMilli(since).UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// APIRequest returns the stored answer of an API request id; ok is false
// when the id is new.
func (t *Tx) APIRequest(id string) (fingerprint string, status int, response []byte, ok bool, err error) {
	var resp string
	err = t.queryRow("SELECT fingerprint, status, response FROM api_requests WHERE request_id = ?", id).Scan(&fingerprint, &status, &resp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil, false, nil
	}
	if err != nil {
		return "", 0, nil, false, fmt.Errorf("store: api request: %w", err)
	}
	return fingerprint, status, []byte(resp), true, nil
}

// PutAPIRequest stores the answer to an API request id.
func (t *Tx) PutAPIRequest(id, fingerprint string, status int, response []byte, at time.Time) error {
	_, err := t.exec("INSERT INTO api_requests (request_id, fingerprint, status, response, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
		id, fingerprint, status, string(response), at.UnixMilli())
	if err != nil {
		return fmt.Errorf("store: put api request: %w", err)
	}
	return nil
}
