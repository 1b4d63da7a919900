package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// pickerFields are the form fields that choose a person: "<field>_id" from
// a select list, or "<field>_email" typed in a larger organisation (the
// recipient of a shared text, for anyone not in its shorter list).
var pickerFields = []string{"mentor", "person", "manager", "recipient"}

// keyPickerError holds the field error of an email that names nobody.
const keyPickerError = "picker_error"

// personPicker is what the person_picker partial renders: a select list
// when Choices is set, else an email field with a search.
type personPicker struct {
	View     View
	Field    string // mentor, person or manager
	ID       uint   // the chosen person
	Email    string // their email, for the email field
	Choices  []models.PersonChoice
	Required bool
}

// picker builds a person picker for a template; email is the chosen
// person's address, or what was typed and refused.
func picker(v View, field string, id uint, email string, choices []models.PersonChoice, required bool) personPicker {
	return personPicker{View: v, Field: field, ID: id, Email: email, Choices: choices, Required: required}
}

// peopleChoices lists everyone for select lists, or nil when the
// organisation is larger than SelectLimit.
func (h *Handlers) peopleChoices(c echo.Context) ([]models.PersonChoice, error) {
	limit := h.SelectLimit
	if limit <= 0 {
		limit = models.DefaultSelectLimit
	}
	return models.PeopleChoices(c.Request().Context(), h.DB, mustViewer(c), limit)
}

// resolvePeople turns "<field>_email" of an admin's form into
// "<field>_id" before the form is bound; an email that names nobody
// becomes a field error that bind returns.
func (h *Handlers) resolvePeople(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEApplicationForm) {
			return next(c)
		}
		form, err := c.FormParams()
		if err != nil {
			return next(c) // bind reports the broken body
		}
		for _, field := range pickerFields {
			email := strings.TrimSpace(form.Get(field + "_email"))
			if email == "" || form.Get(field+"_id") != "" {
				continue
			}
			p, err := models.PersonByEmail(r.Context(), h.DB, email)
			switch {
			case err == nil:
				form.Set(field+"_id", itoa(p.ID))
			case errors.Is(err, models.ErrNotFound):
				c.Set(keyPickerError, &models.ValidationError{Fields: []models.FieldError{{Field: field + "_id", Code: "unknown_person"}}})
			default:
				return err
			}
		}
		return next(c)
	}
}

// searchPeople answers the search of an email field with at most ten
// people whose name or email contains ?q=; admins only.
func (h *Handlers) searchPeople(c echo.Context) error {
	people, err := models.SearchPeopleChoices(c.Request().Context(), h.DB, mustViewer(c), c.QueryParam("q"), 10)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, people)
}
