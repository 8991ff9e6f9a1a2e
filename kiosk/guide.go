package kiosk

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"hallq/queue/catalogue"
)

// guide shows an item's five public things and prints the short guide or
// the materials list on the kiosk's thermal printer.
func (k *Kiosk) guide(it catalogue.Item) {
	k.show(screen{name: "guide", build: func() fyne.CanvasObject {
		lang := string(k.lang)
		section := func(title string, lines ...string) fyne.CanvasObject {
			return container.NewVBox(text(title, theme.SizeNameSubHeadingText, theme.ColorNamePrimary, fyne.TextAlignLeading),
				body(strings.Join(lines, "\n")))
		}
		var steps []string
		for i, s := range it.Steps {
			steps = append(steps, fmt.Sprintf("%d. %s", i+1, s))
		}
		var mats []string
		for i, m := range it.Materials {
			name := m.Name
			if lang == "en" && m.NameEN != "" {
				name = m.NameEN
			}
			line := fmt.Sprintf("%d. %s", i+1, name)
			if !m.Required && m.Condition != "" {
				line += k.t("kiosk.guide.if", m.Condition)
			}
			mats = append(mats, line+k.t("kiosk.guide.copies", m.Copies))
		}
		limit := k.t("kiosk.guide.onthespot")
		if it.PromisedDays > 0 {
			limit = k.t("kiosk.guide.days", it.LegalDays, it.PromisedDays)
		}
		fee := k.t("kiosk.guide.free")
		if !it.Fee.Free() {
			fee = k.t("kiosk.guide.fee", it.Fee.Yuan(), it.Fee.Standard)
		}
		where := it.Department.In(lang)
		if it.Window != "" {
			where += " · " + it.Window
		}
		doc := container.NewVBox(
			section(k.t("kiosk.guide.what"), it.Summary, k.t("kiosk.guide.who", it.Eligibility)),
			section(k.t("kiosk.guide.steps"), steps...),
			section(k.t("kiosk.guide.materials"), mats...),
			section(k.t("kiosk.guide.limit"), limit),
			section(k.t("kiosk.guide.feebasis"), fee, k.t("kiosk.guide.basis", it.Basis+" "+it.Fee.Basis)),
			section(k.t("kiosk.guide.where"), where),
		)
		status := text("", theme.SizeNameSubHeadingText, theme.ColorNameForeground, fyne.TextAlignCenter)
		var tiles []*tile
		print := func(what, done string, f func(ctx context.Context) error) func() {
			return k.tap(func() {
				setColour(status, theme.ColorNameForeground)
				setText(status, k.t("kiosk.printing"))
				for _, t := range tiles {
					t.setDisabled(true)
				}
				background(k, func(ctx context.Context) (struct{}, error) { return struct{}{}, f(ctx) }, func(_ struct{}, err error) {
					for _, t := range tiles {
						t.setDisabled(false)
					}
					if err != nil {
						setColour(status, theme.ColorNameError)
						setText(status, k.t("kiosk.print.failed", k.errText(what, err)))
						return
					}
					setColour(status, theme.ColorNameSuccess)
					setText(status, k.t(done))
				})
			})
		}
		lg := k.lang
		printGuide := newTile(k.t("kiosk.guide.print"), k.t("kiosk.guide.print.sub"), tilePrimary,
			print("print guide", "kiosk.print.done", func(ctx context.Context) error { return k.b.PrintGuide(ctx, it, lg) }))
		printMats := newTile(k.t("kiosk.guide.print_materials"), k.t("kiosk.guide.print_materials.sub"), tileNormal,
			print("print materials", "kiosk.print.done", func(ctx context.Context) error { return k.b.PrintMaterials(ctx, it, lg) }))
		tiles = append(tiles, printGuide, printMats)
		// The full guide only where the kiosk has an A4 printer.
		if a4, ok := k.b.(A4Guides); ok && a4.HasA4() {
			tiles = append(tiles, newTile(k.t("kiosk.guide.print_a4"), k.t("kiosk.guide.print_a4.sub"), tileNormal,
				print("print A4 guide", "kiosk.print.done_a4", func(ctx context.Context) error { return a4.PrintGuideA4(ctx, it, lg) })))
		}
		objs := make([]fyne.CanvasObject, len(tiles))
		for i, t := range tiles {
			t.tall = true
			objs[i] = t
		}
		cols := len(objs)
		if k.elder {
			cols = 1
		}
		buttons := container.NewGridWithColumns(cols, objs...)
		return container.NewBorder(heading(it.Name.In(lang)), container.NewVBox(status, buttons), nil, nil,
			container.NewVScroll(doc))
	}})
}
