package printer

import "time"

// Paper is the paper counter: what has been printed since the last restock.
// The driver keeps it in memory; the caller persists it (PaperState after
// each job, SetPaper at start) since only the caller has the database.
type Paper struct {
	UsedMM      float64
	RollMM      float64
	LeftMM      float64 // RollMM - UsedMM, never below 0
	RestockedAt time.Time
}

func (p *Printer) countPaper(mm float64) {
	p.mu.Lock()
	p.usedMM += mm
	p.mu.Unlock()
}

// PaperState returns the paper counter.
func (p *Printer) PaperState() Paper {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Paper{UsedMM: p.usedMM, RollMM: p.cfg.RollMM, LeftMM: max(0, p.cfg.RollMM-p.usedMM), RestockedAt: p.restock}
}

// SetPaper restores a persisted counter.
func (p *Printer) SetPaper(usedMM float64, restockedAt time.Time) {
	p.mu.Lock()
	p.usedMM, p.restock = usedMM, restockedAt
	p.mu.Unlock()
}

// Restocked records a new roll.
func (p *Printer) Restocked() {
	p.mu.Lock()
	p.usedMM, p.restock = 0, p.cfg.Now()
	p.mu.Unlock()
}
