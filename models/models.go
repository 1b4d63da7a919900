// Package models holds the domain of crossmentor: the stored records, their
// invariants, every query of a resource in its own file, and pure planners
// such as the composition check. It knows nothing of HTTP.
package models

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// ErrNotFound is returned when a record does not exist or the viewer may not see it.
var ErrNotFound = errors.New("not found")

// ErrForbidden is returned when the viewer may see a record but not change it.
var ErrForbidden = errors.New("forbidden")

// ErrRateLimited is returned when too many sign-in attempts were made.
var ErrRateLimited = errors.New("too many attempts")

// FieldError is one problem with one input field. Code is a message id that
// the presentation layer translates; Args fill its placeholders.
type FieldError struct {
	Field string
	Code  string
	Args  map[string]any
}

// ValidationError lists the fields of an input that are not acceptable.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field + ":" + f.Code
	}
	return "invalid input: " + strings.Join(names, ", ")
}

// Add appends a field problem.
func (e *ValidationError) Add(field, code string, args map[string]any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Code: code, Args: args})
}

// OrNil returns the error when it holds problems, else nil.
func (e *ValidationError) OrNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// fieldErr builds a ValidationError for a single field.
func fieldErr(field, code string) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Code: code}}}
}

// Viewer is who is asking, with the roles they hold. Every read of personal
// data takes one and filters by it.
type Viewer struct {
	PersonID uint
	Name     string
	Admin    bool
	Mentor   bool
	Mentee   bool
	Manager  bool
	Language string
	Unread   int64 // unread notices when the viewer was read, for the header
}

// Roles lists the viewer's roles by name.
func (v Viewer) Roles() []string {
	roles := []string{}
	if v.Admin {
		roles = append(roles, "admin")
	}
	if v.Mentor {
		roles = append(roles, "mentor")
	}
	if v.Mentee {
		roles = append(roles, "mentee")
	}
	if v.Manager {
		roles = append(roles, "manager")
	}
	return roles
}

// Date is a calendar day without a time or zone, stored as a SQL date.
type Date struct {
	time.Time
}

// DateLayout is the one textual form of a Date.
const DateLayout = "2006-01-02"

// NewDate returns the Date of year, month, day.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// ErrDateRange refuses a date outside the years the app plans in.
var ErrDateRange = errors.New("date outside 1900–2999")

// ParseDate reads a Date in the form 2006-01-02, in the years 1900–2999
// (year 1 would be the zero Date, which means "no date").
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, strings.TrimSpace(s))
	if err != nil {
		return Date{}, err
	}
	if t.Year() < 1900 || t.Year() > 2999 {
		return Date{}, ErrDateRange
	}
	return Date{t}, nil
}

// DateOf returns the calendar day of t in its own zone.
func DateOf(t time.Time) Date {
	return NewDate(t.Year(), t.Month(), t.Day())
}

// String returns the date as 2006-01-02, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(DateLayout)
}

// AddMonths returns the date n months later.
func (d Date) AddMonths(n int) Date {
	return Date{d.AddDate(0, n, 0)}
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.Time.Before(o.Time) }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.Time.After(o.Time) }

// Value stores the date as text, which both databases read as a date.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date from a time or its text.
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = NewDate(x.Year(), x.Month(), x.Day())
	case string:
		return d.scanText(x)
	case []byte:
		return d.scanText(string(x))
	default:
		return fmt.Errorf("cannot scan %T into Date", v)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) >= 10 {
		s = s[:10]
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// GormDataType names the column type.
func (Date) GormDataType() string { return "date" }

// GormDBDataType gives the column type per database.
func (Date) GormDBDataType(db *gorm.DB, _ *schema.Field) string {
	if db.Dialector.Name() == "postgres" {
		return "date"
	}
	return "text"
}

// MarshalText writes the date as 2006-01-02.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads the date from 2006-01-02.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Page is a window onto a long list.
type Page struct {
	Number int
	Size   int
	Total  int64
}

// NewPage returns page number n (from 1) of the given size.
func NewPage(n, size int) Page {
	if n < 1 {
		n = 1
	}
	if size < 1 || size > 200 {
		size = 50
	}
	return Page{Number: n, Size: size}
}

// Offset is the number of rows before this page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// Pages is the number of pages in all.
func (p Page) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return int((p.Total + int64(p.Size) - 1) / int64(p.Size))
}

// HasPrev reports whether there is an earlier page.
func (p Page) HasPrev() bool { return p.Number > 1 }

// HasNext reports whether there is a later page.
func (p Page) HasNext() bool { return p.Number < p.Pages() }

// notFound maps gorm's missing-record error to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// SealedModels lists the models with confidential text fields (tagged
// `sealed`), for re-encryption under a new key.
func SealedModels() []any {
	return []any{&Intake{}, &LearningGoal{}, &GoalProgress{}, &Meeting{}, &OneOnOne{}, &FirstMeetingEntry{}, &Consent{}, &CaseQuestion{}, &CalendarFeed{}, &EvaluationAnswer{}, &Application{},
		&ActionItem{}, &Membership{}, &ImportRun{}, &Invitation{}, &InputRequest{}, &MembershipStatusChange{},
		&OneOnOneRequest{}, &Apology{}}
}
