package kiosk

import (
	"bytes"
	"context"
	"time"

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

// printGuideA4 lays out an item's full guide (devices/a4) and hands it to
// the A4 printer: lp for CUPS, a file for a folder of PDFs.
func printGuideA4(ctx context.Context, p a4.Printer, cfg queue.HallConfig, loc *time.Location, catVersion string, now time.Time, it catalogue.Item, lang i18n.Lang) error {
	var buf bytes.Buffer
	h := a4.Hall{Name: cfg.NameZH, Address: cfg.Address, Hours: cfg.Hours, Phone: cfg.Phone}
	if lang == i18n.EN && cfg.NameEN != "" {
		h.Name = cfg.NameEN
	}
	if err := a4.WriteGuide(&buf, h, it, a4.Options{Lang: lang, Now: now, Location: loc, CatalogueVersion: catVersion}); err != nil {
		return err
	}
	return p.Print(ctx, "guide-"+it.Code, buf.Bytes())
}

var _ A4Guides = (*Embedded)(nil)

// HasA4 reports whether the kiosk has an A4 printer.
func (e *Embedded) HasA4() bool { return e.A4 != nil }

// PrintGuideA4 prints the item's full guide on A4.
func (e *Embedded) PrintGuideA4(ctx context.Context, it catalogue.Item, lang i18n.Lang) error {
	if e.A4 == nil {
		return queue.Errorf(queue.CodeInvalid, "this kiosk has no A4 printer")
	}
	cfg, loc, err := e.Node.Config(ctx)
	if err != nil {
		return err
	}
	cat, err := e.Node.Catalogue(ctx)
	if err != nil {
		return err
	}
	return printGuideA4(ctx, e.A4, cfg, loc, cat.Version(), e.Node.Now(), it, lang)
}
