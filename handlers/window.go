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
