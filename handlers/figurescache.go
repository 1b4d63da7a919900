package handlers

import (
	"context"
	"sync"
	"time"

	"crossmentor/models"
)

// figuresTTL bounds how long a replica keeps a report. Published figures
// of a closed period never change (they are counted once and frozen), so
// this only limits what a replica holds on to.
const figuresTTL = 10 * time.Minute

// figuresKey names one cached report: its filter, whether the viewer sees
// the rows under the threshold, and the month it was asked in (a new
// month publishes new periods).
type figuresKey struct {
	by, period string
	detail     bool
	month      string
}

type figuresEntry struct {
	report  models.ParticipationReport
	fetched time.Time
}

// figuresCache keeps the organisation-wide participation reports per
// period, so that the home pages and the report page do not read the
// figures on every visit.
type figuresCache struct {
	mu      sync.Mutex
	entries map[figuresKey]figuresEntry
}

// participation returns the participation report for v, from the cache
// when this replica asked for the same report this month.
func (h *Handlers) participation(ctx context.Context, v models.Viewer, f models.ReportFilter, today models.Date) (models.ParticipationReport, error) {
	if f.From != "" || f.To != "" || !v.Can(models.FiguresRead) {
		return models.Participation(ctx, h.DB, v, f, today) // refused there
	}
	k := figuresKey{by: f.By, period: f.Period, detail: v.Can(models.FiguresDetail), month: today.Format("2006-01")}
	h.figures.mu.Lock()
	e, ok := h.figures.entries[k]
	h.figures.mu.Unlock()
	if ok && time.Since(e.fetched) < figuresTTL {
		return e.report, nil
	}
	r, err := models.Participation(ctx, h.DB, v, f, today)
	if err != nil {
		return r, err
	}
	h.figures.mu.Lock()
	if h.figures.entries == nil || len(h.figures.entries) > 256 {
		h.figures.entries = map[figuresKey]figuresEntry{}
	}
	h.figures.entries[k] = figuresEntry{report: r, fetched: time.Now()}
	h.figures.mu.Unlock()
	return r, nil
}

// forgetFigures empties the cache after a write that changes which
// periods are published (a programme's dates set the first one); other
// replicas see the change within figuresTTL.
func (h *Handlers) forgetFigures() {
	h.figures.mu.Lock()
	h.figures.entries = nil
	h.figures.mu.Unlock()
}

// peopleCount keeps the number of people for the admin's home page.
type peopleCount struct {
	mu      sync.Mutex
	n       int64
	fetched time.Time
}

// countPeople returns the number of people, read at most every orgTTL
// (people added by an import job show within that time; on this replica
// a person added through a page or the API shows at once).
func (h *Handlers) countPeople(ctx context.Context) (int64, error) {
	h.people.mu.Lock()
	defer h.people.mu.Unlock()
	if !h.people.fetched.IsZero() && time.Since(h.people.fetched) < orgTTL {
		return h.people.n, nil
	}
	n, err := models.CountPeople(ctx, h.DB)
	if err != nil {
		return n, err
	}
	h.people.n, h.people.fetched = n, time.Now()
	return n, nil
}

// forgetPeopleCount makes the next home page count the people again.
func (h *Handlers) forgetPeopleCount() {
	h.people.mu.Lock()
	h.people.fetched = time.Time{}
	h.people.mu.Unlock()
}
