package kiosk

import (
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"hallq/queue/catalogue"
)

// Guides lists the departments of the catalogue and offers search.
func (k *Kiosk) Guides() {
	k.show(screen{name: "guides", build: func() fyne.CanvasObject {
		list := container.NewVBox()
		background(k, k.b.Catalogue, func(c *catalogue.Catalogue, err error) {
			if err != nil {
				list.Add(centred(k.errText("catalogue", err)))
				return
			}
			counts := map[string]int{}
			var depts []string
			names := map[string]string{}
			for _, it := range c.Items() {
				d := it.Department.ZH
				if counts[d] == 0 {
					depts = append(depts, d)
					names[d] = it.Department.In(string(k.lang))
				}
				counts[d]++
			}
			sort.Strings(depts)
			var tiles []fyne.CanvasObject
			for _, d := range depts {
				d := d
				dt := newTile(names[d], k.t("kiosk.guides.count", counts[d]), tileNormal, k.tap(func() { k.guidesIn(d, 0) }))
				dt.tall = true
				tiles = append(tiles, dt)
			}
			cols := 2
			if k.elder {
				cols = 1
			}
			list.Add(container.NewGridWithColumns(cols, tiles...))
		})
		search := newTile(k.t("kiosk.guides.search"), k.t("kiosk.guides.search.sub"), tilePrimary, k.tap(k.guideSearch))
		return container.NewBorder(container.NewVBox(heading(k.t("kiosk.guides.title")), search, centred(k.t("kiosk.guides.by_dept"))), nil, nil, nil,
			container.NewVScroll(list))
	}})
}

// guidesIn lists the items of one department.
func (k *Kiosk) guidesIn(dept string, page int) {
	k.show(screen{name: "guides.dept", build: func() fyne.CanvasObject {
		list := container.NewVBox()
		title := heading("")
		background(k, k.b.Catalogue, func(c *catalogue.Catalogue, err error) {
			if err != nil {
				list.Add(centred(k.errText("catalogue", err)))
				return
			}
			var tiles []fyne.CanvasObject
			for _, it := range c.Items() {
				if it.Department.ZH != dept {
					continue
				}
				setText(title, it.Department.In(string(k.lang)))
				tiles = append(tiles, k.itemTile(it))
			}
			per := 8
			if k.elder {
				per = 4
			}
			k.pagedList(list, tiles, page, per, func(p int) { k.guidesIn(dept, p) })
		})
		return container.NewBorder(title, nil, nil, nil, container.NewVScroll(list))
	}})
}

// pagedList is paged with one tile per row: item names are long.
func (k *Kiosk) pagedList(list *fyne.Container, tiles []fyne.CanvasObject, page, per int, goTo func(int)) {
	elder := k.elder
	k.elder = true // one column
	k.paged(list, tiles, page, per, goTo)
	k.elder = elder
}

func (k *Kiosk) itemTile(it catalogue.Item) fyne.CanvasObject {
	sub := it.Kind.Chinese()
	if k.lang != "zh-CN" {
		sub = k.t("kiosk.kind." + string(it.Kind))
	}
	return newTile(it.Name.In(string(k.lang)), sub, tileNormal, k.tap(func() { k.guide(it) }))
}

// guideSearch finds items by name, keyword or pinyin initials ("sbk").
func (k *Kiosk) guideSearch() {
	k.show(screen{name: "guides.search", form: true, build: func() fyne.CanvasObject {
		results := container.NewVBox()
		var cat *catalogue.Catalogue
		background(k, k.b.Catalogue, func(c *catalogue.Catalogue, err error) {
			if err != nil {
				results.Add(centred(k.errText("catalogue", err)))
				return
			}
			cat = c
		})
		max := 5
		if k.elder {
			max = 3
		}
		_, display, keys := k.newKeypad(keysAlnum, 12, false, func(q string) {
			results.RemoveAll()
			if cat == nil || q == "" {
				return
			}
			found := cat.Search(q)
			if len(found) == 0 {
				results.Add(centred(k.t("kiosk.guides.none")))
				return
			}
			for i, it := range found {
				if i == max {
					break
				}
				results.Add(k.itemTile(it))
			}
		})
		top := container.NewVBox(heading(k.t("kiosk.guides.search")), centred(k.t("kiosk.guides.search.hint")), display, results)
		return container.NewBorder(top, nil, nil, nil, keys)
	}})
}
