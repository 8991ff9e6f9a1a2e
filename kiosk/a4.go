package kiosk

import (
	"bytes"
	"context"

	"hallq/assets/i18n"
	"hallq/devices/a4"
	"hallq/queue"
	"hallq/queue/catalogue"
)

// A4Guides is a Backend that may have an A4 printer for full service
// guides. The guide screen offers 打印完整指南(A4) only where HasA4 is true.
type A4Guides interface {
	HasA4() bool
	PrintGuideA4(ctx context.Context, item catalogue.Item, lang i18n.Lang) error
}

// printGuideA4 lays out an item's full guide (devices/a4) from src's hall
// and catalogue version (the embedded node, or a LAN kiosk's local copy),
// and hands it to the A4 printer p: lp for CUPS, a file for a folder of
// PDFs. Embedded and Remote both print through it.
func printGuideA4(ctx context.Context, p a4.Printer, src Node, it catalogue.Item, lang i18n.Lang) error {
	if p == nil {
		return queue.Errorf(queue.CodeInvalid, "this kiosk has no A4 printer")
	}
	cfg, loc, err := src.Config(ctx)
	if err != nil {
		return err
	}
	cat, err := src.Catalogue(ctx)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	h := a4.Hall{Name: cfg.NameZH, Address: cfg.Address, Hours: cfg.Hours, Phone: cfg.Phone}
	if lang == i18n.EN && cfg.NameEN != "" {
		h.Name = cfg.NameEN
	}
	opts := a4.Options{Lang: lang, Now: src.Now(), Location: loc, CatalogueVersion: cat.Version()}
	if err := a4.WriteGuide(&buf, h, it, opts); err != nil {
		return err
	}
	return p.Print(ctx, "guide-"+it.Code, buf.Bytes())
}

var _ A4Guides = (*Embedded)(nil)

// HasA4 reports whether the kiosk has an A4 printer.
func (e *Embedded) HasA4() bool { return e.A4 != nil }

// PrintGuideA4 prints the item's full guide on A4.
func (e *Embedded) PrintGuideA4(ctx context.Context, it catalogue.Item, lang i18n.Lang) error {
	return printGuideA4(ctx, e.A4, e.Node, it, lang)
}
