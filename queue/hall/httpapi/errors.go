package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"hallq/assets/i18n"
	"hallq/queue"
)

// Codes of the API's own refusals, beside the domain's (queue.Code).
const (
	CodeUnauthorized queue.Code = "unauthorized" // no or bad credentials
	CodeForbidden    queue.Code = "forbidden"    // known, but not allowed to do this
	CodeTooLarge     queue.Code = "too_large"    // request body over the limit
	CodeRateLimited  queue.Code = "rate_limited" // too many failed logins
	CodeNotFound     queue.Code = "not_found"    // no such API path
)

// Status maps an error code to its HTTP status.
func Status(code queue.Code) int {
	switch code {
	case queue.CodeInvalid:
		return http.StatusBadRequest
	case CodeUnauthorized:
		return http.StatusUnauthorized
	case CodeForbidden:
		return http.StatusForbidden
	case queue.CodeUnknownService, queue.CodeUnknownWindow, queue.CodeUnknownTicket, CodeNotFound,
		queue.CodeUnknownCase, queue.CodeUnknownAppt:
		return http.StatusNotFound
	case queue.CodeInvalidTransition, queue.CodeWindowNotOpen, queue.CodeWindowBusy, queue.CodeWrongWindow,
		queue.CodeQueueEmpty, queue.CodeConflict, queue.CodeDuplicateCitizen, queue.CodeWindowTaken:
		return http.StatusConflict
	case CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case queue.CodeInvalidID, queue.CodeOutsideHours, queue.CodeDailyCap, queue.CodeSlotFull, queue.CodeServicePaused,
		queue.CodeApptUsed, queue.CodeApptTooEarly, queue.CodeApptMissed, queue.CodeApptOtherDay:
		return http.StatusUnprocessableEntity
	case CodeRateLimited, queue.CodeThrottled:
		return http.StatusTooManyRequests
	case "":
		return http.StatusOK
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON of every error answer.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is an error for machines (code), people (message, from the
// catalogue in the request's language) and operators (detail: ids, never
// personal data).
type ErrorDetail struct {
	Code    queue.Code `json:"code"`
	Message string     `json:"message"`
	Detail  string     `json:"detail,omitempty"`
}

// message returns the catalogue's sentence for a code.
func message(lang i18n.Lang, code queue.Code) string {
	if i18n.Has("error." + string(code)) {
		return i18n.T(lang, "error."+string(code))
	}
	if i18n.Has("web.error." + string(code)) {
		return i18n.T(lang, "web.error."+string(code))
	}
	return i18n.T(lang, "error.internal")
}

func langOf(r *http.Request) i18n.Lang {
	if l := r.URL.Query().Get("lang"); l != "" {
		return i18n.Parse(l)
	}
	if al := r.Header.Get("Accept-Language"); len(al) >= 2 && al[:2] == "en" {
		return i18n.EN
	}
	return i18n.ZH
}

// writeError answers with err's code, status and catalogue message.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := queue.ErrorCode(err)
	detail := err.Error()
	var qe *queue.Error
	if errors.As(err, &qe) {
		detail = qe.Detail
	}
	status := Status(code)
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		detail = "internal fault; see the hall node's log"
	}
	writeJSON(w, status, ErrorBody{ErrorDetail{Code: code, Message: message(langOf(r), code), Detail: detail}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshal(v)
	if err != nil {
		slog.Error("httpapi: encode", "err", err)
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"internal"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

func marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func apiErr(code queue.Code, format string, args ...any) error {
	return queue.Errorf(code, format, args...)
}
