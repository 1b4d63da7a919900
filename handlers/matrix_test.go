package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

// The viewers of the authorisation matrix.
const (
	anon        = "anonymous"
	menteeA     = "mentee A"     // Sanne, in Groep Noord
	menteeB     = "mentee B"     // Ahmed, in Groep Noord
	otherMentee = "other mentee" // Noor, in Groep Zuid
	mentor      = "mentor"       // Marieke, mentor of Groep Noord
	otherMentor = "other mentor" // Pieter, mentor of Groep Zuid
	admin       = "admin"
	lineManager = "line manager" // Karin, Sanne's manager
	nobody      = "nobody"       // a manager of nobody, in no group
)

var viewerEmails = map[string]string{menteeA: "mentee@demo.test", menteeB: "ahmed.elamrani@demo.test",
	otherMentee: "noor.dekker@demo.test", mentor: "mentor@demo.test", otherMentor: "pieter.hendriks@demo.test",
	admin: "admin@demo.test", lineManager: "manager@demo.test", nobody: "nobody@demo.test"}

// Who may do what: signed-in viewers not listed get 404 (or 403 where the
// record is visible but the act is not theirs). public: everyone, anonymous
// included, gets the same treatment.
var (
	signedIn = []string{menteeA, menteeB, otherMentee, mentor, otherMentor, admin, lineManager, nobody}
	noord    = []string{menteeA, menteeB, mentor}
	noordL   = []string{menteeA, menteeB, mentor, admin} // with L&D (rosters, dates)
	mentorOf = []string{mentor}
	ldOnly   = []string{admin}
	talk     = []string{menteeA, mentor}
	members  = []string{menteeA, menteeB}
	public   = []string{"public"}
	// noteTaker: the mentor and Ahmed, the note-taker of the meeting with notes.
	noteTaker = []string{mentor, menteeB}
	// ldGate: L&D passes the gate (the record may not exist: any answer
	// but a refusal or a 5xx); everyone else is refused.
	ldGate = []string{admin, "gate"}
)

// matrix maps every route to the viewers allowed to use it.
var matrix = map[string][]string{
	"GET /healthz": public, "GET /readyz": public, "GET /static/:file": public, "GET /favicon.ico": public, "GET /metrics": public, "GET /api/v1/openapi.yaml": public,
	"GET /setup": public, "POST /setup": public, "GET /signin": public, "POST /signin": public, "GET /signin/oidc": public, "GET /signin/oidc/callback": public,
	"GET /invite/:token": public, "GET /calendar/:file": public, "HEAD /calendar/:file": public, "POST /account/calendar": signedIn,
	"GET /notices": signedIn, "GET /my-time": {mentor, otherMentor}, "GET /notices/:id": {menteeA}, "POST /notices/read": signedIn, "POST /account/notices": signedIn,
	"POST /account/calendar/revoke": signedIn, "POST /invite/:token": public,
	"GET /reset/:token": public, "POST /reset/:token": public, "GET /password/forgot": public, "POST /password/forgot": public,
	"POST /language": public, "GET /words": public, "POST /account/password": signedIn, "POST /people/:id/reset-access": ldOnly,
	"POST /api/v1/password/forgot": public, "PUT /api/v1/me/password": signedIn,
	"POST /api/v1/people/:id/invitation": ldOnly, "POST /api/v1/people/:id/reset-access": ldOnly,
	"GET /": signedIn, "POST /signout": signedIn, "GET /account": signedIn, "POST /account/tokens": signedIn,
	"POST /account/tokens/:id/revoke": ldOnly, "GET /account/export": signedIn, "POST /account/erase": signedIn,
	"GET /groups/:id": noordL, "POST /memberships/:id/status": {mentor, admin}, "POST /memberships/:id/intake/schedule": mentorOf, "POST /memberships/:id/intake/cancel": mentorOf, "POST /groups/:id/close": {mentor, admin},
	"GET /memberships/:id/intake": mentorOf, "POST /memberships/:id/intake": mentorOf,
	"GET /groups/:id/calendar": noordL, "GET /groups/:id/series": mentorOf,
	"POST /groups/:id/series/preview": mentorOf, "POST /groups/:id/series": mentorOf, "POST /groups/:id/series/extend": mentorOf,
	"POST /groups/:id/series/extend/preview": mentorOf,
	"GET /groups/:id/poll":                   noord, "POST /groups/:id/poll": mentorOf, "POST /groups/:id/poll/answers": noord,
	"POST /groups/:id/poll/pick": mentorOf, "GET /groups/:id/goals": noord, "POST /groups/:id/goals": members,
	"POST /groups/:id/one-on-ones": mentorOf, "POST /groups/:id/one-on-one-requests": members,
	"GET /one-on-one-requests/:id": talk, "POST /one-on-one-requests/:id": talk,
	"POST /meetings/:id/apologies": members, "POST /meetings/:id/apologies/withdraw": members,
	"GET /meetings/:id": noord, "GET /meetings/:id/print": noord, "POST /meetings/:id": mentorOf,
	"POST /meetings/:id/page": noord, "POST /meetings/:id/run/attendance": mentorOf, "POST /meetings/:id/run/actions": noord, "POST /meetings/:id/status": mentorOf, "POST /meetings/:id/agenda": mentorOf, "POST /meetings/:id/roles": mentorOf,
	"POST /meetings/:id/attendance": mentorOf, "POST /meetings/:id/notes": noteTaker, "POST /meetings/:id/actions": noord,
	"GET /meetings/:id/run": noord, "GET /meetings/:id/run/state": noord, "GET /meetings/:id/run/events": noord,
	"POST /meetings/:id/run": {mentor, menteeB} /* Ahmed has a running role there */, "POST /meetings/:id/run/notes": noteTaker,
	"POST /meetings/:id/entries/:person": talk, "POST /actions/:id/toggle": talk,
	"GET /one-on-ones": signedIn, "GET /one-on-ones/:id": talk, "POST /one-on-ones/:id": talk,
	"GET /groups/:id/cases": noord, "POST /groups/:id/cases": members, "GET /cases/:id": talk,
	"POST /cases/:id/place": mentorOf, "POST /cases/:id/status": talk, "POST /cases/:id/take-aways": {menteeA},
	"GET /api/v1/groups/:id/cases": noord, "POST /api/v1/groups/:id/cases": members, "GET /api/v1/cases/:id": talk,
	"GET /goals": signedIn, "GET /consents": signedIn, "POST /consents": signedIn, "POST /consents/:id/revoke": {menteeA},
	"GET /reports/participation": {admin, lineManager}, "GET /api/v1/reports/participation": {admin, lineManager},
	"GET /shared": signedIn, "GET /shared/:id": {lineManager}, "GET /shared/input/:id": {lineManager},
	"GET /input": signedIn, "POST /input": signedIn, "GET /input/:id": talk, "POST /input/:id/draft": mentorOf,
	"POST /input/:id/changes": {menteeA}, "POST /input/:id/approve": {menteeA}, "POST /input/:id/refuse": {menteeA},
	"POST /input/:id/withdraw": {menteeA}, "POST /input/:id/revoke": {menteeA}, "POST /goals/:id": {menteeA}, "POST /goals/:id/progress": talk,
	"GET /settings": ldOnly, "GET /audit": ldOnly, "GET /mentor-time": ldOnly, "GET /mailbox": ldOnly, "GET /jobs": ldOnly, "POST /jobs/:id/retry": ldGate, "POST /mailbox/:id/retry": ldOnly,
	"POST /account/reminders": signedIn, "POST /settings": ldOnly, "POST /settings/blackouts": ldOnly,
	"POST /settings/blackouts/:id/delete": ldOnly,
	"GET /people/import/runs/:id":         ldOnly,
	"GET /people":                         ldOnly, "GET /people/new": ldOnly, "GET /people/import": ldOnly, "POST /people/import": ldOnly,
	"POST /people/import/apply": ldOnly, "GET /people/export.csv": ldOnly, "GET /people/search": ldOnly, "POST /people": ldOnly, "GET /people/:id": ldOnly,
	"POST /people/:id": ldOnly, "POST /people/:id/invite": ldOnly, "POST /people/:id/assignments": ldOnly,
	"POST /people/:id/assignments/:assignment/delete": ldOnly,
	"GET /teams": ldOnly, "POST /teams": ldOnly, "GET /projects": ldOnly, "POST /projects": ldOnly,
	"GET /programmes": ldOnly, "GET /programmes/new": ldOnly, "POST /programmes": ldOnly, "GET /programmes/:id": ldOnly,
	"GET /programmes/:id/edit": ldOnly, "POST /programmes/:id": ldOnly, "POST /programmes/:id/groups": ldOnly,
	"POST /programmes/:id/series": ldOnly, "POST /groups/:id": ldOnly, "POST /groups/:id/members": ldOnly,
	"POST /groups/:group/members/:id/delete": ldOnly,
	"GET /dashboard":                         {admin, lineManager}, "GET /dashboard/print": {admin, lineManager},
	"GET /evaluations": signedIn, "POST /groups/:id/evaluations/:round": noord,
	"GET /apply": signedIn, "POST /apply": signedIn, "POST /applications/:id/withdraw": {menteeA},
	"GET /programmes/:id/pool": ldOnly, "GET /programmes/:id/proposal": ldOnly, "POST /programmes/:id/proposal": ldOnly,
	"POST /programmes/:id/proposal/move": ldOnly, "POST /programmes/:id/proposal/accept": ldOnly,

	"POST /api/v1/session": public, "DELETE /api/v1/session": signedIn, "GET /api/v1/me": signedIn,
	"GET /api/v1/people": ldOnly, "POST /api/v1/people": ldOnly, "GET /api/v1/people/:id": ldOnly, "PUT /api/v1/people/:id": ldOnly,
	"GET /api/v1/programmes": ldOnly, "POST /api/v1/programmes": ldOnly, "POST /api/v1/programmes/:id/groups": ldOnly,
	"GET /api/v1/groups/:id": noordL, "PUT /api/v1/groups/:id": ldOnly, "POST /api/v1/groups/:id/members": ldOnly,
	"PUT /api/v1/memberships/:id/status": {mentor, admin},
	"GET /api/v1/groups/:id/meetings":    noordL, "POST /api/v1/groups/:id/series/preview": mentorOf,
	"PUT /api/v1/groups/:id/series": mentorOf, "GET /api/v1/groups/:id/poll": noord, "PUT /api/v1/groups/:id/poll/answers": noord,
	"POST /api/v1/groups/:id/one-on-ones": mentorOf, "POST /api/v1/groups/:id/goals": members,
	"GET /api/v1/meetings/:id": noord, "PUT /api/v1/meetings/:id/roles": mentorOf, "PUT /api/v1/meetings/:id/attendance": mentorOf,
	"GET /api/v1/one-on-ones": signedIn, "GET /api/v1/one-on-ones/:id": talk, "GET /api/v1/goals": signedIn,
	"GET /api/v1/*": public, "POST /api/v1/*": public, "PUT /api/v1/*": public, "DELETE /api/v1/*": public,
	"PATCH /api/v1/*": public, "HEAD /api/v1/*": public, "OPTIONS /api/v1/*": public, "CONNECT /api/v1/*": public,
	"TRACE /api/v1/*": public, "PROPFIND /api/v1/*": public, "REPORT /api/v1/*": public,
}

// secrets are texts of the demo and who may read each (the columns of the
// roles table); no other viewer may find them in any body.
var secrets = map[string][]string{
	"Goed gesprek, duidelijke klik": mentorOf,                       // intake notes
	"liep vast":                     talk,                           // one-on-one notes
	"in drukke weken":               talk,                           // a learning goal Sanne keeps to herself
	"Nee kunnen zeggen":             noord,                          // a goal Sanne shares with the group
	"dashboard dat niemand":         noord,                          // group notes of a meeting
	"Infrastructuur":                {mentor, admin},                // a fellow member's team
	"ahmed.elamrani@demo.test":      {mentor, admin, menteeB},       // a fellow member's email
	"tijd te vragen voor ik ja zeg": {menteeA, lineManager},         // a text Sanne shares with her manager
	"Lastige leverancier":           talk,                           // a case Sanne shows her mentor only
	"Werkdruk rond de release":      talk,                           // the theme of Sanne's request for a one-on-one
	"bedenktijd werkt":              {menteeA},                      // Sanne's private take-aways
	"Stadskantoor":                  {menteeA, menteeB, mentor},     // the meetings' place (L&D: dates and kinds only)
	"Beter nee zeggen tegen losse":  ldOnly,                         // an applicant's learning need
	"vraagt vaker bedenktijd":       {menteeA, mentor, lineManager}, // the mentor's input Sanne approved for Karin
}

// matrixIDs are the records the routes are called with.
type matrixIDs map[string]string

func matrixFixture(t *testing.T) (*app.App, *gorm.DB, *httptest.Server, matrixIDs) {
	t.Helper()
	a, db, srv := demo(t)
	ctx := context.Background()
	nobodyP := models.Person{Name: "Niemand Speciaal", Email: "nobody@demo.test", Language: "nl", Manager: nil}
	if err := db.Create(&nobodyP).Error; err != nil {
		t.Fatal(err)
	}
	var hash string
	db.Model(&models.Person{}).Where("email = ?", "admin@demo.test").Pluck("password_hash", &hash)
	db.Model(&nobodyP).Update("password_hash", hash)
	// Nobody manages Noor's colleague Thijs: a manager of someone outside Noord.
	noordID := groupID(t, db, "Groep Noord")
	ms := meetingIDs(t, db, noordID)
	var withNotes models.Meeting
	db.Where("group_id = ? AND notes <> ''", noordID).Order("id").First(&withNotes)
	var noteTaker uint
	db.Model(&models.MeetingRoleAssignment{}).Where("meeting_id = ? AND role = ?", withNotes.ID, models.RoleNoteTaker).Pluck("person_id", &noteTaker)
	// Ahmed takes the notes of this meeting: the note-taker rule is in the matrix.
	db.Where("meeting_id = ? AND role = ?", withNotes.ID, models.RoleNoteTaker).Delete(&models.MeetingRoleAssignment{})
	if err := db.Create(&models.MeetingRoleAssignment{MeetingID: withNotes.ID, Role: models.RoleNoteTaker,
		PersonID: personID(t, db, "ahmed.elamrani@demo.test")}).Error; err != nil {
		t.Fatal(err)
	}
	// An open poll (the group has its first meeting, so it stands in as rows).
	openPoll(t, db, noordID)
	var talkRow models.OneOnOne
	db.Where("notes <> ''").First(&talkRow)
	var privateGoal models.LearningGoal
	db.Where("shared = ? AND person_id = ?", false, personID(t, db, "mentee@demo.test")).First(&privateGoal)
	var action models.ActionItem
	db.Where("holder_id = ?", personID(t, db, "mentee@demo.test")).First(&action)
	adminV := models.Viewer{PersonID: personID(t, db, "admin@demo.test"), Admin: true}
	token, _, err := models.CreateAPIToken(ctx, db, adminV, models.APITokenInput{Name: "matrix"})
	if err != nil {
		t.Fatal(err)
	}
	var blackout models.Blackout
	db.First(&blackout)
	var assignment models.Assignment
	db.Where("person_id = ?", personID(t, db, "mentee@demo.test")).First(&assignment)
	sanne := membershipOf(t, db, "mentee@demo.test")
	var consent models.Consent
	db.First(&consent)
	var input models.InputRequest
	db.First(&input)
	failed := models.MailDelivery{Key: "matrix", Kind: models.MailMeeting7d, RecipientID: sanne.PersonID, SubjectType: "meeting",
		SubjectID: withNotes.ID, Status: models.DeliveryFailed, NextAttemptAt: withNotes.StartsAt}
	if err := db.Create(&failed).Error; err != nil {
		t.Fatal(err)
	}
	var next models.Programme
	db.Where("status = ?", models.ProgrammePlanned).First(&next)
	application, err := models.Apply(ctx, db, models.Viewer{PersonID: sanne.PersonID}, models.ApplicationInput{ProgrammeID: next.ID,
		Role: models.ApplyAsMentee, LearningNeed: "Rustiger plannen"})
	if err != nil {
		t.Fatal(err)
	}
	run, err := models.StartImport(ctx, db, adminV, []byte("name,email\nA,a@demo.test\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var mentorOnly models.CaseQuestion
	db.Where("visibility = 'mentor'").First(&mentorOnly)
	var request models.OneOnOneRequest // Sanne's
	if err := db.Where("mentee_id = ?", sanne.PersonID).First(&request).Error; err != nil {
		t.Fatal(err)
	}
	var notice models.Notice // one of Sanne's
	if err := db.Where("recipient_id = ?", sanne.PersonID).First(&notice).Error; err != nil {
		t.Fatal(err)
	}
	ids := matrixIDs{
		"/notices/:id": fmt.Sprint(notice.ID), "/one-on-one-requests/:id": fmt.Sprint(request.ID),
		"/input/:id": fmt.Sprint(input.ID), "/mailbox/:id": fmt.Sprint(failed.ID), "/consents/:id": fmt.Sprint(consent.ID), "/cases/:id": fmt.Sprint(mentorOnly.ID), "/shared/:id": fmt.Sprint(consent.ID),
		"/groups/:id": fmt.Sprint(noordID), "/meetings/:id": fmt.Sprint(withNotes.ID), "/one-on-ones/:id": fmt.Sprint(talkRow.ID),
		"/goals/:id": fmt.Sprint(privateGoal.ID), "/memberships/:id": fmt.Sprint(sanne.ID), "/people/:id": fmt.Sprint(sanne.PersonID),
		"/programmes/:id": fmt.Sprint(next.ID), "/applications/:id": fmt.Sprint(application.ID), "/people/import/runs/:id": fmt.Sprint(run.ID), "/actions/:id": fmt.Sprint(action.ID), "/account/tokens/:id": fmt.Sprint(token.ID),
		"/settings/blackouts/:id": fmt.Sprint(blackout.ID), ":assignment": fmt.Sprint(assignment.ID), ":group": fmt.Sprint(noordID),
		":person": fmt.Sprint(sanne.PersonID), ":token": "not-a-token", ":file": "missing.css", "first": fmt.Sprint(ms[0].ID),
	}
	return a, db, srv, ids
}

// fill puts record ids into a route pattern.
func (ids matrixIDs) fill(method, pattern string) string {
	path := pattern
	if strings.HasSuffix(pattern, "/*") {
		return strings.TrimSuffix(pattern, "*") + "nothing-here"
	}
	if strings.Contains(pattern, "/entries/") {
		path = strings.Replace(path, ":id", ids["first"], 1)
	}
	for _, prefix := range []string{"/groups/:group/members/:id"} {
		if strings.Contains(path, prefix) {
			var m string
			path = strings.Replace(path, ":group", ids[":group"], 1)
			m = ids["/memberships/:id"]
			path = strings.Replace(path, ":id", m, 1)
		}
	}
	for key, id := range ids {
		if strings.HasPrefix(key, "/") {
			resource := strings.TrimSuffix(key, ":id")
			if strings.Contains(path, resource+":id") {
				path = strings.Replace(path, resource+":id", resource+id, 1)
			}
		} else {
			path = strings.Replace(path, key, id, 1)
		}
	}
	return path
}

// TestAuthorisationMatrix walks every route of the router for each viewer
// and checks the status against the matrix, and that no body shows a
// secret to a viewer outside its column. A route without an entry fails.
func TestAuthorisationMatrix(t *testing.T) {
	a, _, _, _ := matrixFixture(t)
	var routes []string
	seen := map[string]bool{}
	for _, r := range a.Echo.Routes() {
		key := r.Method + " " + r.Path
		if seen[key] || r.Method == echo.RouteNotFound {
			continue
		}
		seen[key] = true
		if _, ok := matrix[key]; !ok {
			t.Errorf("route %s has no entry in the authorisation matrix", key)
			continue
		}
		routes = append(routes, key)
	}
	// Reads first, then writes; signing out comes last.
	sort.SliceStable(routes, func(i, j int) bool { return rank(routes[i]) < rank(routes[j]) })
	for _, viewer := range append([]string{anon}, signedIn...) {
		t.Run(viewer, func(t *testing.T) {
			_, _, srv, ids := matrixFixture(t)
			c := apptest.NewClient(t, srv)
			if viewer != anon {
				c.SignIn(viewerEmails[viewer], app.DemoPassword)
			}
			for _, key := range routes {
				method, pattern, _ := strings.Cut(key, " ")
				path := ids.fill(method, pattern)
				var r apptest.Response
				api := strings.HasPrefix(path, "/api/")
				switch {
				case api:
					r = c.JSON(method, path, "", map[string]any{})
				case method == http.MethodGet:
					r = c.Get(path)
				default:
					r = c.PostForm(path, url.Values{})
				}
				checkMatrix(t, viewer, key, api, r)
			}
		})
	}
}

func rank(key string) int {
	switch {
	case strings.Contains(key, "signout"):
		return 4
	case strings.HasPrefix(key, "DELETE /api/v1/session"):
		return 3
	case strings.HasPrefix(key, "GET "):
		return 0
	case strings.Contains(key, "delete") || strings.Contains(key, "revoke"):
		return 2
	}
	return 1
}

func allowed(list []string, viewer string) bool {
	for _, v := range list {
		if v == viewer {
			return true
		}
	}
	return false
}

func checkMatrix(t *testing.T, viewer, key string, api bool, r apptest.Response) {
	t.Helper()
	who := matrix[key]
	if r.Status >= 500 {
		t.Errorf("%s: %d", key, r.Status)
		return
	}
	switch {
	case allowed(who, "public"):
	case viewer == anon:
		if api && r.Status != http.StatusUnauthorized {
			t.Errorf("%s anonymous: %d, want 401", key, r.Status)
		}
		if !api && !(r.Status == http.StatusSeeOther && strings.HasPrefix(r.Location, "/signin")) {
			t.Errorf("%s anonymous: %d %s, want the sign-in page", key, r.Status, r.Location)
		}
	case allowed(who, viewer) && allowed(who, "gate"):
	case allowed(who, viewer):
		if r.Status == http.StatusNotFound || r.Status == http.StatusForbidden || r.Status == http.StatusUnauthorized {
			t.Errorf("%s: %d, but %s may", key, r.Status, viewer)
		}
	default:
		if r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
			t.Errorf("%s: %d, want 404 or 403 for %s", key, r.Status, viewer)
		}
	}
	if r.Status == http.StatusOK {
		for secret, readers := range secrets {
			if strings.Contains(r.Body, secret) && !allowed(readers, viewer) {
				t.Errorf("%s shows %q to %s", key, secret, viewer)
			}
		}
	}
}
