// Package web holds the hall node's browser pages, embedded with go:embed
// and served as they are (no build step): the window caller (caller/) and
// the window's rating pad (pad/). All visible text comes from the message
// catalogue through GET /api/v1/messages.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// FS returns the pages' files.
func FS() fs.FS {
	sub, _ := fs.Sub(static, "static")
	return sub
}

// Handler serves the pages; / goes to the window caller.
func Handler() http.Handler {
	files := http.FileServerFS(FS())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			http.Redirect(w, r, "/caller/", http.StatusFound)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
		files.ServeHTTP(w, r)
	})
}
