package handlers

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// viewerTTL is how long a replica trusts a session it has read before it
// reads it again, on reading requests (GET, HEAD) only.
//
// Why a cache is safe enough, and where it stops:
//   - Writes (POST, PUT, PATCH, DELETE) never use it: they read the session
//     and the viewer from the database, so nothing is changed on stale roles
//     or with a session that was ended.
//   - Every write that reaches this replica empties the whole cache when it
//     is done: a sign-out, a password change, a role change, an erasure, a
//     deactivation or reading a notice made here is seen by the next page
//     at once.
//   - Such a change made on another replica (or by a background job) is seen
//     here within viewerTTL: for that long an ended session may still read
//     pages on this replica, and the header's unread count may lag. That is
//     the price of not reading the session on every page; a revocation
//     marker would cost the same statement the cache saves.
//   - An entry is never used past the session's absolute end, nor once its
//     last-seen mark is a minute old: then the database is read, which marks
//     the session used again (SignedIn), so the idle limit counts exactly as
//     without the cache.
const viewerTTL = 30 * time.Second

// viewerCacheMax bounds the entries kept; when full the cache starts over.
const viewerCacheMax = 10000

// viewerCache keeps, per session token hash, the viewer read with it.
type viewerCache struct {
	mu      sync.Mutex
	entries map[string]viewerEntry
}

type viewerEntry struct {
	viewer  models.Viewer
	times   models.SessionTimes // the session's times as read (application clock)
	fetched time.Time           // when it was read (wall clock)
}

// get returns the cached viewer of a token hash when it is fresh and its
// session still live at now.
func (vc *viewerCache) get(hash string, now time.Time) (models.Viewer, bool) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	e, ok := vc.entries[hash]
	if !ok {
		return models.Viewer{}, false
	}
	if time.Since(e.fetched) >= viewerTTL || !now.Before(e.times.Expires) || now.Sub(e.times.LastSeen) > time.Minute {
		delete(vc.entries, hash)
		return models.Viewer{}, false
	}
	return e.viewer, true
}

func (vc *viewerCache) put(hash string, v models.Viewer, times models.SessionTimes) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if vc.entries == nil || len(vc.entries) >= viewerCacheMax {
		vc.entries = map[string]viewerEntry{}
	}
	vc.entries[hash] = viewerEntry{viewer: v, times: times, fetched: time.Now()}
}

// forgetsViewer marks a reading route that changes what the viewer's pages
// show (opening a notice marks it read): once it succeeds, this replica
// forgets the session's cached viewer, as after any write.
func (h *Handlers) forgetsViewer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if token, ok := c.Get(keyToken).(string); ok && err == nil {
			h.viewers.mu.Lock()
			delete(h.viewers.entries, models.HashToken(token))
			h.viewers.mu.Unlock()
		}
		return err
	}
}

// clear forgets every cached viewer.
func (vc *viewerCache) clear() {
	vc.mu.Lock()
	vc.entries = nil
	vc.mu.Unlock()
}

// reading reports whether a request method changes nothing.
func reading(method string) bool {
	return method == http.MethodGet || method == http.MethodHead
}

// signedIn returns the viewer of a session token: from the cache for a
// reading request, else from the database (and then cached).
func (h *Handlers) signedIn(ctx context.Context, method, token string) (models.Viewer, error) {
	hash := models.HashToken(token)
	now := h.Now()
	if reading(method) {
		if v, ok := h.viewers.get(hash, now); ok {
			return v, nil
		}
	}
	v, times, err := models.SignedInSession(ctx, h.DB, token, h.Sessions, now)
	if err != nil {
		return v, err
	}
	h.viewers.put(hash, v, times)
	return v, nil
}
