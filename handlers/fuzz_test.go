package handlers

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// formInputs are fresh values of every form and JSON input the handlers bind.
var formInputs = []func() any{
	func() any { return &models.ActionInput{} }, func() any { return &models.APITokenInput{} },
	func() any { return &models.ApplicationInput{} }, func() any { return &models.BlackoutInput{} },
	func() any { return &models.CaseInput{} }, func() any { return &models.PlaceInput{} },
	func() any { return &models.CaseStatusInput{} }, func() any { return &models.TakeAwaysInput{} },
	func() any { return &models.ConsentInput{} }, func() any { return &models.EvaluationInput{} },
	func() any { return &models.InputAskInput{} }, func() any { return &models.InputDraftInput{} },
	func() any { return &models.InputReviewInput{} },
	func() any { return &models.EntryInput{} }, func() any { return &models.GoalInput{} },
	func() any { return &models.ProgressInput{} }, func() any { return &models.GroupInput{} },
	func() any { return &models.MoveInput{} }, func() any { return &models.IntakeInput{} },
	func() any { return &models.PasswordInput{} }, func() any { return &models.MeetingInput{} },
	func() any { return &models.AgendaInput{} }, func() any { return &models.RolesInput{} },
	func() any { return &models.NotesInput{} }, func() any { return &models.MemberInput{} },
	func() any { return &models.StatusInput{} }, func() any { return &models.OneOnOneInput{} },
	func() any { return &models.OrganisationInput{} }, func() any { return &models.PersonInput{} },
	func() any { return &models.PollInput{} }, func() any { return &models.ProgrammeInput{} },
	func() any { return &models.ProjectInput{} }, func() any { return &models.AssignmentInput{} },
	func() any { return &models.SeriesInput{} }, func() any { return &models.SetupInput{} },
	func() any { return &models.TeamInput{} }, func() any { return &models.ReportFilter{} },
	func() any { return &models.DashboardFilter{} },
}

// FuzzBind: any body, sent as JSON or as a form to any input, binds, or is
// refused as a field error or a 400; nothing panics and nothing else comes back.
func FuzzBind(f *testing.F) {
	for _, s := range []string{`{"title":"x","question":"y","visibility":"group"}`, `{"score1":"5"}`, `[1,2,3]`,
		strings.Repeat("[", 5000), `{"weekdays":[1,"2",null]}`, "title=x&question=y&visibility=mentor", "a=%zz&b", `{"person_id":-1}`} {
		f.Add(s, uint8(0), false)
	}
	e := echo.New()
	e.Validator = NewValidator()
	f.Fuzz(func(t *testing.T, body string, which uint8, asForm bool) {
		in := formInputs[int(which)%len(formInputs)]()
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		if asForm {
			req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
		} else {
			req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
		}
		err := bind(e.NewContext(req, httptest.NewRecorder()), in)
		var ve *models.ValidationError
		var he *echo.HTTPError
		switch {
		case err == nil, errors.As(err, &ve):
		case errors.As(err, &he) && he.Code == http.StatusBadRequest:
		default:
			t.Fatalf("%T: %v", in, err)
		}
	})
}
