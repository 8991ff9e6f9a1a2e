package catalogue

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is how a case of the item is handled (五件制). Only the three kinds an
// item can be declared as are here; 补办件 and 退回件 are states of a case,
// not properties of an item.
type Kind string

const (
	Immediate Kind = "immediate" // 即办件: finished on the spot
	Promised  Kind = "promised"  // 承诺件: finished within PromisedDays working days
	Joint     Kind = "joint"     // 联办件: several departments, Department leads
)

// Kinds lists the kinds an item may have, in the order the halls name them.
var Kinds = []Kind{Immediate, Promised, Joint}

// Chinese returns the name the halls use for k.
func (k Kind) Chinese() string {
	switch k {
	case Immediate:
		return "即办件"
	case Promised:
		return "承诺件"
	case Joint:
		return "联办件"
	}
	return string(k)
}

// ParseKind accepts the English code or the Chinese name (with or without
// 件), because centres export either.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "immediate", "即办件", "即办":
		return Immediate, nil
	case "promised", "承诺件", "承诺":
		return Promised, nil
	case "joint", "联办件", "联办":
		return Joint, nil
	}
	return "", fmt.Errorf("unknown kind %q (want immediate/即办件, promised/承诺件 or joint/联办件)", s)
}

// Form says whether a material is brought as the original, a copy, or both
// (the original is checked and handed back, the copy is kept).
type Form string

const (
	Original        Form = "original"
	Copy            Form = "copy"
	OriginalAndCopy Form = "original+copy"
	Electronic      Form = "electronic" // 电子材料, e.g. a photo uploaded or scanned at the window
)

// Forms lists the valid forms.
var Forms = []Form{Original, Copy, OriginalAndCopy, Electronic}

// Chinese returns the wording printed on guides.
func (f Form) Chinese() string {
	switch f {
	case Original:
		return "原件"
	case Copy:
		return "复印件"
	case OriginalAndCopy:
		return "原件及复印件"
	case Electronic:
		return "电子材料"
	}
	return string(f)
}

// ParseForm accepts the English code or the usual Chinese wordings.
func ParseForm(s string) (Form, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "original", "原件":
		return Original, nil
	case "copy", "复印件", "复印":
		return Copy, nil
	case "original+copy", "original_and_copy", "both", "原件及复印件", "原件和复印件", "原件、复印件", "原件+复印件":
		return OriginalAndCopy, nil
	case "electronic", "电子", "电子材料", "电子版":
		return Electronic, nil
	}
	return "", fmt.Errorf("unknown form %q (want original/原件, copy/复印件, original+copy/原件及复印件 or electronic/电子材料)", s)
}

// Text is a piece of catalogue text in both languages. Chinese is the
// authoritative wording; English may be empty and then falls back to it.
type Text struct {
	ZH string `json:"zh-CN"`
	EN string `json:"en,omitempty"`
}

// In returns the text for a language tag ("en" or anything else for
// Chinese), falling back to Chinese when the English is missing.
func (t Text) In(lang string) string {
	if strings.HasPrefix(lang, "en") && t.EN != "" {
		return t.EN
	}
	return t.ZH
}

// Material is one required material (申请材料) of an item.
type Material struct {
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	Form   Form   `json:"form"`
	Copies int    `json:"copies"`
	// Required is false for a conditional material; Condition then says when
	// it must be brought (e.g. 委托他人办理的), so the one-time notification
	// can explain why it was asked for.
	Required  bool   `json:"required"`
	Condition string `json:"condition,omitempty"`
	Notes     string `json:"notes,omitempty"`
}

// Fee is the fee of an item and its legal basis. Amounts are integer fen
// (分) so that a price never drifts through float rounding on its way
// to a receipt; 0 means free (免费).
type Fee struct {
	AmountFen int64  `json:"amount_fen"`
	Standard  string `json:"standard,omitempty"` // e.g. 工本费10元/证
	Basis     string `json:"basis,omitempty"`    // e.g. 《不动产登记收费标准》(发改价格规〔2016〕2559号)
}

// Free reports whether the item costs nothing.
func (f Fee) Free() bool { return f.AmountFen == 0 }

// Yuan formats the amount as yuan with two decimals, e.g. "10.00".
func (f Fee) Yuan() string {
	return fmt.Sprintf("%d.%02d", f.AmountFen/100, f.AmountFen%100)
}

// Item is one service item (事项) with its five public things (五公开):
// what it is and who may apply (Summary, Eligibility), the procedure (Steps),
// the materials, the time limits, and the fee with its basis.
type Item struct {
	Code string `json:"code"`
	Name Text   `json:"name"`
	// Keywords are other names people search by (社保卡 for 社会保障卡申领).
	Keywords []string `json:"keywords,omitempty"`
	// Initials are the pinyin initials of the name and of each keyword,
	// lower case, separated by spaces ("shbzksl sbk"), for kiosk search.
	Initials   string `json:"initials,omitempty"`
	Department Text   `json:"department"`
	// JointDepartments are the co-operating departments of a joint item;
	// Department is the lead.
	JointDepartments []string `json:"joint_departments,omitempty"`
	Category         string   `json:"category"` // 事项类型: 行政许可, 公共服务, 行政确认, ...
	Kind             Kind     `json:"kind"`

	Summary     string `json:"summary"`         // 事项说明: what it is
	Eligibility string `json:"eligibility"`     // 申请条件: who may apply
	Basis       string `json:"basis,omitempty"` // 设定依据: the law the item rests on

	Steps     []string   `json:"steps"`
	Materials []Material `json:"materials"`

	// Time limits in working days; the day of acceptance does not count.
	// Immediate items have PromisedDays 0; otherwise 1 ≤ PromisedDays ≤ LegalDays.
	LegalDays    int `json:"legal_days"`
	PromisedDays int `json:"promised_days"`

	Fee Fee `json:"fee"`

	Service   string `json:"service"`              // queue service code, e.g. "A"
	Window    string `json:"window,omitempty"`     // window hint, e.g. 3-5号窗口
	OnlineURL string `json:"online_url,omitempty"` // where the item can be handled online
	Version   int    `json:"version"`              // revision of this item, bumped by the centre
}

// MaterialAt returns the material with 1-based index i, the numbering that
// guides print and clerks tick on the one-time notification.
func (it *Item) MaterialAt(i int) (Material, error) {
	if i < 1 || i > len(it.Materials) {
		return Material{}, fmt.Errorf("catalogue: material %d of %s: %w (item has %d)", i, it.Code, ErrNoMaterial, len(it.Materials))
	}
	return it.Materials[i-1], nil
}

// clone copies the slices so that callers cannot change a catalogue's item
// behind its back.
func (it Item) clone() Item {
	it.JointDepartments = append([]string(nil), it.JointDepartments...)
	it.Keywords = append([]string(nil), it.Keywords...)
	it.Steps = append([]string(nil), it.Steps...)
	it.Materials = append([]Material(nil), it.Materials...)
	return it
}

// Errors a caller may test with errors.Is.
var (
	ErrNotFound   = errors.New("no such item")
	ErrNoMaterial = errors.New("no such material")
	ErrFormat     = errors.New("malformed input") // the file is not CSV/JSON of the expected shape
)
