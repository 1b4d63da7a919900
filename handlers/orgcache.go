package handlers

import (
	"context"
	"sync"
	"time"

	"crossmentor/models"
)

// orgTTL is how long a replica keeps the organisation's settings before
// reading them again; a change made on this replica is seen at once, on
// another within this time.
const orgTTL = 10 * time.Second

// orgCache keeps the organisation's settings (name, time zone, language),
// which nearly every request needs and which seldom change.
type orgCache struct {
	mu      sync.Mutex
	org     models.Organisation
	fetched time.Time
}

// organisation returns the organisation's settings, read at most every orgTTL.
func (h *Handlers) organisation(ctx context.Context) (models.Organisation, error) {
	h.org.mu.Lock()
	defer h.org.mu.Unlock()
	if !h.org.fetched.IsZero() && time.Since(h.org.fetched) < orgTTL {
		return h.org.org, nil
	}
	org, err := models.GetOrganisation(ctx, h.DB)
	if err != nil {
		return org, err
	}
	h.org.org, h.org.fetched = org, time.Now()
	return org, nil
}

// forgetOrganisation makes the next request read the settings again.
func (h *Handlers) forgetOrganisation() {
	h.org.mu.Lock()
	h.org.fetched = time.Time{}
	h.org.mu.Unlock()
}
