package handlers

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// unstorableText is a request whose query or body holds text no database
// can store: a NUL byte (PostgreSQL refuses it in text) or bytes that are
// not UTF-8. Field names the parameter, when known.
type unstorableText struct{ Field string }

func (e *unstorableText) Error() string { return "unstorable text in " + e.Field }

// rejectUnstorableText answers 400 before any handler runs when the query
// string, a form body or a JSON body holds a NUL byte (also as \u0000 in
// JSON) or invalid UTF-8, so both databases refuse the same input the same
// way and nothing reaches PostgreSQL to fail there. File uploads
// (multipart) are checked by their own parsers.
func rejectUnstorableText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		for name, values := range req.URL.Query() {
			if !storable(name) {
				return &unstorableText{Field: "query"}
			}
			for _, v := range values {
				if !storable(v) {
					return &unstorableText{Field: name}
				}
			}
		}
		if !storable(req.URL.Path) {
			return &unstorableText{Field: "path"}
		}
		if req.Body == nil || req.ContentLength == 0 {
			return next(c)
		}
		ct, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
		if ct != echo.MIMEApplicationJSON && ct != echo.MIMEApplicationForm {
			return next(c)
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return err // the body limit's 413, or a broken connection
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		if ct == echo.MIMEApplicationJSON {
			if !utf8.Valid(body) || bytes.IndexByte(body, 0) >= 0 || bytes.Contains(bytes.ToLower(body), []byte(`\u0000`)) {
				return &unstorableText{Field: "body"}
			}
			return next(c)
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return next(c) // the handler's own binding reports it
		}
		for name, values := range form {
			for _, v := range values {
				if !storable(name) || !storable(v) {
					return &unstorableText{Field: name}
				}
			}
		}
		return next(c)
	}
}

// storable reports whether s is UTF-8 without NUL bytes.
func storable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// asUnstorable finds an unstorableText in err.
func asUnstorable(err error) (*unstorableText, bool) {
	var u *unstorableText
	return u, errors.As(err, &u)
}

func isUnstorable(err error) bool {
	_, ok := asUnstorable(err)
	return ok
}
