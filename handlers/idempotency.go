package handlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// idempotent makes a creating API request safe to retry: sent with an
// Idempotency-Key header, its first successful answer is kept for 24 hours
// per person, and a retry with the same key and the same request gets that
// answer again (header Idempotent-Replayed: true) and creates nothing. A
// retry while the first still runs is 409; the same key with another
// request is 422. Without the header nothing changes.
func (h *Handlers) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get("Idempotency-Key")
		if key == "" {
			return next(c)
		}
		if len(key) > 200 || !storable(key) {
			return &models.ValidationError{Fields: []models.FieldError{{Field: "Idempotency-Key", Code: "invalid"}}}
		}
		req := c.Request()
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(append([]byte(req.Method+" "+req.URL.RequestURI()+"\n"), body...))
		ctx := req.Context()
		first, id, err := models.BeginIdempotent(ctx, h.DB, mustViewer(c), key, hex.EncodeToString(sum[:]), h.Now())
		switch {
		case errors.Is(err, models.ErrIdempotencyReused):
			return &models.ValidationError{Fields: []models.FieldError{{Field: "Idempotency-Key", Code: "idempotency_reused"}}}
		case err != nil:
			return err
		case first != nil:
			c.Response().Header().Set("Idempotent-Replayed", "true")
			return c.Blob(first.Status, first.ContentType, first.Body)
		}
		rec := &recorder{ResponseWriter: c.Response().Writer}
		c.Response().Writer = rec
		err = next(c)
		status := c.Response().Status
		done := context.WithoutCancel(ctx)
		if err != nil || status < 200 || status >= 300 {
			if aerr := models.AbandonIdempotent(done, h.DB, id); aerr != nil {
				h.Log.Warn("idempotency key kept after a failed request", "error", aerr)
			}
			return err
		}
		if ferr := models.FinishIdempotent(done, h.DB, id, status, c.Response().Header().Get(echo.HeaderContentType), rec.body.Bytes()); ferr != nil {
			h.Log.Warn("idempotent answer not stored", "error", ferr)
		}
		return nil
	}
}

// recorder copies what a handler writes.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
