package handlers

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// DefaultWindow is how many rows a list of the API returns without limit.
const DefaultWindow = 100

// window reads ?limit= and ?offset= of an API list (limit 1–500, default
// 100; offset from 0); anything else is a field error.
func window(c echo.Context) (models.Window, error) {
	w := models.Window{Limit: DefaultWindow}
	for _, f := range []struct {
		name string
		into *int
	}{{"limit", &w.Limit}, {"offset", &w.Offset}} {
		raw := c.QueryParam(f.name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return w, &models.ValidationError{Fields: []models.FieldError{{Field: f.name, Code: "invalid"}}}
		}
		*f.into = n
	}
	return w, nil
}

// windowOf cuts one window out of a list that is bounded by its owner (a
// group's meetings or cases, a person's one-on-ones, the programmes), read
// whole in its stable order; ?limit= and ?offset= as for window.
func windowOf[T any](c echo.Context, items []T) ([]T, error) {
	w, err := window(c)
	if err != nil {
		return nil, err
	}
	if w.Limit < 1 || w.Limit > models.MaxWindow {
		return nil, &models.ValidationError{Fields: []models.FieldError{{Field: "limit", Code: "out_of_range",
			Args: map[string]any{"Min": 1, "Max": models.MaxWindow}}}}
	}
	out := []T{}
	if w.Offset < len(items) {
		out = items[w.Offset:min(len(items), w.Offset+w.Limit)]
	}
	return out, nil
}
