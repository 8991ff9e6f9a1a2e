// Package i18n is the one catalogue of user-facing text: every sentence a
// citizen, a clerk or a maintainer reads on a screen, a ticket or a notice
// comes from here, in Simplified Chinese first and English second.
//
// Messages live in messages/*.json, one file per area (kiosk, printer,
// errors, ...), so that areas can grow independently; ids must be unique
// across files, and every message must exist in both languages with the
// same fmt verbs in the same order. The package test enforces this.
//
// A message file maps ids to translations:
//
//	{"ticket.people_ahead": {"zh-CN": "前面还有 %d 人", "en": "%d people ahead"}}
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

// Lang is a language tag the catalogue knows.
type Lang string

const (
	ZH Lang = "zh-CN" // Simplified Chinese, the default
	EN Lang = "en"    // English
)

// Langs lists the catalogue's languages, the default first.
var Langs = []Lang{ZH, EN}

//go:embed messages/*.json
var files embed.FS

// catalogue maps message id to language to format string.
var catalogue map[string]map[Lang]string

func init() {
	c, err := load(files)
	if err != nil {
		// The catalogue is embedded at build time; a broken file is a
		// programming error that the package test also catches.
		panic(err)
	}
	catalogue = c
}

func load(fsys fs.FS) (map[string]map[Lang]string, error) {
	names, err := fs.Glob(fsys, "messages/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := map[string]map[Lang]string{}
	origin := map[string]string{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var m map[string]map[Lang]string
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		for id, tr := range m {
			if prev, dup := origin[id]; dup {
				return nil, fmt.Errorf("i18n: message %q is in both %s and %s", id, prev, path.Base(name))
			}
			origin[id] = path.Base(name)
			out[id] = tr
		}
	}
	return out, nil
}

// T returns message id in lang, formatted with args. A language the message
// lacks falls back to Chinese; an unknown id returns the id itself, so a
// missing message shows up visibly instead of as an empty label.
func T(lang Lang, id string, args ...any) string {
	tr, ok := catalogue[id]
	if !ok {
		return id
	}
	format, ok := tr[lang]
	if !ok {
		format = tr[ZH]
	}
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// Has reports whether id is in the catalogue.
func Has(id string) bool {
	_, ok := catalogue[id]
	return ok
}

// IDs returns every message id, sorted.
func IDs() []string {
	ids := make([]string, 0, len(catalogue))
	for id := range catalogue {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Parse maps a language tag to a Lang, defaulting to Chinese.
func Parse(tag string) Lang {
	switch tag {
	case "en", "en-US", "en-GB", "EN":
		return EN
	}
	return ZH
}
