package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"crossmentor/models"
)

// Problem is an RFC 9457 problem document, with field errors and broken rules.
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Errors map[string]string `json:"errors,omitempty"`
	Rules  []RuleMessage     `json:"rules,omitempty"`
}

// isAPI reports whether a request is for the JSON API.
func isAPI(c echo.Context) bool {
	return strings.HasPrefix(c.Request().URL.Path, "/api/")
}

// isFeed reports whether the request is for a calendar feed: the token in
// its path is the key, and it gets no cookie.
func isFeed(c echo.Context) bool {
	return strings.HasPrefix(c.Request().URL.Path, "/calendar/")
}

// ErrorHandler is the one place errors become responses. It logs unexpected
// errors once, with the request id, and never a request body.
func (h *Handlers) ErrorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	l := lang(c)
	status, titleID := http.StatusInternalServerError, "error.internal"
	p := Problem{}
	var he *echo.HTTPError
	var ve *models.ValidationError
	var rv *models.RuleViolation
	switch {
	case errors.Is(err, models.ErrNotFound):
		status, titleID = http.StatusNotFound, "error.not_found"
	case errors.Is(err, models.ErrForbidden):
		status, titleID = http.StatusForbidden, "error.forbidden"
	case errors.Is(err, models.ErrRateLimited):
		status, titleID = http.StatusTooManyRequests, "error.rate_limited"
		retryAfter(c, err)
	case errors.Is(err, models.ErrBusy):
		status, titleID = http.StatusServiceUnavailable, "error.busy"
		retryAfter(c, err)
	case errors.Is(err, models.ErrBadCredentials):
		status, titleID = http.StatusUnauthorized, "error.bad_credentials"
	case errors.Is(err, models.ErrConflict), errors.Is(err, gorm.ErrDuplicatedKey):
		// Two identical requests at once: the first one's change stands.
		status, titleID = http.StatusConflict, "error.conflict"
	case isUnstorable(err):
		u, _ := asUnstorable(err)
		status, titleID = http.StatusBadRequest, "error.invalid_text"
		p.Errors = map[string]string{u.Field: h.Catalog.T(l, "error.invalid_text", nil)}
	case errors.As(err, &ve):
		status, titleID = http.StatusUnprocessableEntity, "error.invalid_input"
		p.Errors = h.fieldMessages(l, ve)
	case errors.As(err, &rv):
		status, titleID = http.StatusUnprocessableEntity, "error.rules_broken"
		p.Rules = h.violationMessages(l, rv)
	case diskFull(err):
		status, titleID = http.StatusInsufficientStorage, "error.storage_full"
	case databaseDown(err):
		status, titleID = http.StatusServiceUnavailable, "error.database_unavailable"
		c.Response().Header().Set("Retry-After", RetryAfterSeconds)
	case errors.As(err, &he):
		status = he.Code
		titleID = httpTitle(status)
	}
	if status >= 500 {
		h.Log.Error("request failed", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"method", c.Request().Method, "route", c.Path(), "error", err)
	}
	p.Type, p.Status, p.Title = "about:blank", status, h.Catalog.T(l, titleID, nil)
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if isAPI(c) {
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(status)
		_ = json.NewEncoder(c.Response()).Encode(p)
		return
	}
	v := h.view(c, titleID, p)
	if rerr := c.Render(status, "error", v); rerr != nil {
		h.Log.Error("render error page", "error", rerr)
		_ = c.String(status, p.Title)
	}
}

// httpTitle names the message of a plain HTTP status.
func httpTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "error.bad_request"
	case http.StatusUnauthorized:
		return "error.unauthorized"
	case http.StatusForbidden:
		return "error.forbidden"
	case http.StatusNotFound:
		return "error.not_found"
	case http.StatusMethodNotAllowed:
		return "error.method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "error.too_large"
	case http.StatusUnsupportedMediaType:
		return "error.unsupported_media_type"
	case http.StatusTooManyRequests:
		return "error.rate_limited"
	case http.StatusServiceUnavailable:
		return "error.unavailable"
	}
	if status >= 500 {
		return "error.internal"
	}
	return "error.bad_request"
}

// bind reads the request into in and validates it. A JSON value of the
// wrong type, or a failed validation, is a *models.ValidationError naming
// the field; malformed bodies are a 400.
func bind(c echo.Context, in any) error {
	if err := c.Bind(in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if i := strings.LastIndex(field, "."); i >= 0 {
				field = field[i+1:]
			}
			return &models.ValidationError{Fields: []models.FieldError{{Field: field, Code: "wrong_type",
				Args: map[string]any{"Type": te.Type.String()}}}}
		}
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	if ve, ok := c.Get(keyPickerError).(*models.ValidationError); ok {
		return ve
	}
	cleanStrings(in)
	return c.Validate(in)
}

// cleanStrings passes the text fields of a form struct through
// models.CleanText before validation, so "   " counts as empty and limits
// count what is stored. Passwords are kept as typed.
func cleanStrings(in any) {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return
	}
	v = v.Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if f.Kind() == reflect.String && f.CanSet() && !strings.HasPrefix(v.Type().Field(i).Name, "Password") {
			f.SetString(models.CleanText(f.String()))
		}
	}
}

// Validator checks form structs by their validate tags and reports problems
// as a *models.ValidationError with the form field names.
type Validator struct {
	v *validator.Validate
}

// NewValidator builds the one validator, with the date and timezone tags.
func NewValidator() *Validator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if name := strings.Split(f.Tag.Get("form"), ",")[0]; name != "" && name != "-" {
			return name
		}
		return strings.Split(f.Tag.Get("json"), ",")[0]
	})
	_ = v.RegisterValidation("date", func(fl validator.FieldLevel) bool {
		_, err := models.ParseDate(fl.Field().String())
		return err == nil
	})
	return &Validator{v: v}
}

// validationCodes maps validator tags to message codes.
var validationCodes = map[string]string{
	"required": "required", "max": "too_long", "min": "too_short", "email": "email",
	"oneof": "unknown_choice", "date": "date", "timezone": "timezone",
}

// Validate implements echo.Validator.
func (cv *Validator) Validate(i any) error {
	err := cv.v.Struct(i)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	ve := &models.ValidationError{}
	for _, fe := range verrs {
		code, ok := validationCodes[fe.Tag()]
		if !ok {
			code = "invalid"
		}
		if fe.Kind() != reflect.String && (fe.Tag() == "max" || fe.Tag() == "min") {
			code = "out_of_range"
		}
		ve.Add(fe.Field(), code, map[string]any{"Max": fe.Param(), "Min": fe.Param()})
	}
	return ve
}

// retryAfter tells the client when to try again: a refused sign-in after
// the limit's window has run a while, a busy server in a second.
func retryAfter(c echo.Context, err error) {
	secs := "60"
	if errors.Is(err, models.ErrBusy) {
		secs = "1"
	}
	c.Response().Header().Set("Retry-After", secs)
}
