package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/app/mailer"
	"crossmentor/models"
)

// TestInputOverHTTP: the mentee asks, the mentor drafts, the mentee asks
// for changes and approves, the recipient reads exactly the approved text;
// nobody else ever reads a draft or an unapproved, revoked or expired text
// (404), the mentor cannot share it himself, and the mails hold links only.
func TestInputOverHTTP(t *testing.T) {
	a, db, srv := demo(t)
	ctx := context.Background()
	sanne, marieke, karin := as(t, srv, "mentee@demo.test"), as(t, srv, "mentor@demo.test"), as(t, srv, "manager@demo.test")
	others := map[string]*apptest.Client{"ahmed": as(t, srv, "ahmed.elamrani@demo.test"), "admin": as(t, srv, "admin@demo.test"),
		"pieter": as(t, srv, "pieter.hendriks@demo.test"), "karin": karin}
	noord := groupID(t, db, "Groep Noord")
	karinID, mariekeID := personID(t, db, "manager@demo.test"), personID(t, db, "mentor@demo.test")
	today := models.DateOf(time.Now())
	ask := url.Values{"group_id": {fmt.Sprint(noord)}, "recipient_id": {fmt.Sprint(karinID)},
		"purpose": {"Jaargesprek in maart"}, "until": {today.AddMonths(2).String()}}

	sink := apptest.NewSMTPSink(t)
	m := a.Mail
	smtp, err := mailer.ParseSMTP(sink.URL, "crossmentor <noreply@localhost>")
	if err != nil {
		t.Fatal(err)
	}
	m.Sender = smtp
	mailed := map[string]bool{} // "to link"
	deliver := func() {
		t.Helper()
		if _, err := m.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		for _, msg := range sink.Messages() {
			for _, secret := range []string{"Eerste versie", "lastige gesprekken", "Derde versie", "Jaargesprek", "leverancier"} {
				if strings.Contains(msg.Data, secret) {
					t.Errorf("a mail to %v holds %q", msg.To, secret)
				}
			}
			for _, to := range msg.To {
				for _, link := range []string{"/shared/input/", "/input/"} {
					if i := strings.Index(msg.Data, link); i >= 0 {
						rest := msg.Data[i:]
						end := strings.IndexAny(rest, "\r\n\"<> ")
						if end < 0 {
							end = len(rest)
						}
						mailed[to+" "+rest[:end]] = true
					}
				}
			}
		}
	}
	if r := sanne.Get("/input"); r.Status != http.StatusOK || !contains(r.Body, `action="/input"`) {
		t.Fatalf("input page: %d", r.Status)
	}
	before := count(t, db, &models.InputRequest{})
	for field, bad := range map[string]string{"recipient_id": fmt.Sprint(mariekeID), "group_id": "99999", "until": "2020-01-01", "purpose": " "} {
		f := url.Values{}
		for k, v := range ask {
			f[k] = append([]string(nil), v...)
		}
		f.Set(field, bad)
		if r := sanne.PostForm("/input", f); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `href="#`+field+`"`) {
			t.Errorf("ask with bad %s: %d", field, r.Status)
		}
	}
	if count(t, db, &models.InputRequest{}) != before {
		t.Fatal("a refused request was stored")
	}
	r := sanne.PostForm("/input", ask)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/input/") {
		t.Fatalf("ask: %d %s", r.Status, r.Location)
	}
	path := r.Location
	id := strings.TrimPrefix(path, "/input/")
	shared := "/shared/input/" + id
	if r := marieke.Get("/"); !contains(r.Body, path) || !contains(r.Body, "vraagt je om inbreng") {
		t.Error("the request is not on the mentor's to-do list")
	}
	if r := marieke.Get("/input"); !contains(r.Body, path) {
		t.Error("the request is not on the mentor's list")
	}
	nobodyReads := func(step, secret string) {
		t.Helper()
		for name, c := range others {
			if r := c.Get(path); r.Status != http.StatusNotFound || contains(r.Body, secret) {
				t.Errorf("%s: %s reads the request: %d", step, name, r.Status)
			}
			if name != "karin" {
				if r := c.Get(shared); r.Status != http.StatusNotFound {
					t.Errorf("%s: %s opens the shared text: %d", step, name, r.Status)
				}
			}
		}
	}
	nobodyReads("asked", "Jaargesprek in maart")
	deliver()

	// The mentor drafts; an empty draft is refused at its field.
	if r := marieke.PostForm(path+"/draft", url.Values{"version": {"0"}}); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `href="#text"`) {
		t.Errorf("empty draft: %d", r.Status)
	}
	if r := marieke.PostForm(path+"/draft", url.Values{"version": {"0"}, "text": {strings.Repeat("a", 5001)}}); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `href="#text"`) {
		t.Errorf("a draft too long: %d", r.Status)
	}
	const v1, v2, v3 = "Eerste versie van Marieke.", "Sanne bereidt lastige gesprekken nu goed voor.", "Derde versie, na goedkeuring."
	if r := marieke.PostForm(path+"/draft", url.Values{"version": {"0"}, "text": {v1}}); r.Status != http.StatusSeeOther {
		t.Fatalf("draft: %d", r.Status)
	}
	deliver()
	// The draft waits on the mentee's home page, read only when the
	// groups' statement counts one; a mentee no longer placed in any group
	// (no row to carry the count) still finds it there.
	if r := sanne.Get("/"); !contains(r.Body, `href="`+path+`"`) {
		t.Error("the draft to review is not on the mentee's home page")
	}
	sanneID := personID(t, db, "mentee@demo.test")
	var placed []models.Membership
	if err := db.Where("person_id = ?", sanneID).Find(&placed).Error; err != nil || len(placed) == 0 {
		t.Fatalf("memberships: %v", err)
	}
	if err := db.Model(&models.Membership{}).Where("person_id = ?", sanneID).Update("status", models.StatusStopped).Error; err != nil {
		t.Fatal(err)
	}
	if r := sanne.Get("/"); !contains(r.Body, `href="`+path+`"`) {
		t.Error("the draft to review is not on the home page of a mentee placed in no group")
	}
	for _, m := range placed {
		if err := db.Model(&m).Update("status", m.Status).Error; err != nil {
			t.Fatal(err)
		}
	}
	// The mentor cannot share it himself, nor speak for the mentee.
	for _, step := range []string{"approve", "changes", "refuse", "withdraw", "revoke"} {
		if r := marieke.PostForm(path+"/"+step, url.Values{"version": {"1"}, "until": {today.AddMonths(1).String()}, "comment": {"x"}}); r.Status != http.StatusNotFound {
			t.Errorf("mentor %s: %d", step, r.Status)
		}
	}
	nobodyReads("drafted", v1)
	if r := karin.Get("/shared"); contains(r.Body, v1) {
		t.Fatal("a draft is on the recipient's shared page")
	}
	// The mentee reads it and asks for changes; the mentor sees the comment.
	if r := sanne.Get(path); r.Status != http.StatusOK || !contains(r.Body, v1) {
		t.Fatalf("mentee reads the draft: %d", r.Status)
	}
	if r := sanne.PostForm(path+"/changes", url.Values{"version": {"1"}}); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `href="#comment"`) {
		t.Errorf("changes without a comment: %d", r.Status)
	}
	if r := sanne.PostForm(path+"/changes", url.Values{"version": {"1"}, "comment": {"Noem het voorbeeld van de leverancier niet."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("changes: %d", r.Status)
	}
	if r := marieke.Get(path); !contains(r.Body, "Noem het voorbeeld van de leverancier niet.") {
		t.Error("the mentor does not see the comment")
	}
	if r := marieke.PostForm(path+"/draft", url.Values{"version": {"1"}, "text": {v2}}); r.Status != http.StatusSeeOther {
		t.Fatalf("second draft: %d", r.Status)
	}
	// Approving an older version than the current one is refused.
	if r := sanne.PostForm(path+"/approve", url.Values{"version": {"1"}, "until": {today.AddMonths(1).String()}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("approve an old version: %d", r.Status)
	}
	nobodyReads("second draft", v2)
	if r := sanne.PostForm(path+"/approve", url.Values{"version": {"2"}, "until": {today.AddMonths(1).String()}}); r.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.Status)
	}
	if r := karin.Get(shared); r.Status != http.StatusOK || !contains(r.Body, v2) || contains(r.Body, v1) || contains(r.Body, "leverancier niet") {
		t.Fatalf("recipient reads: %d", r.Status)
	}
	if r := karin.Get("/shared"); !contains(r.Body, v2) {
		t.Error("the approved text is not on the recipient's shared page")
	}
	nobodyReads("approved", v2)
	// An edit after approval hides it until approved again.
	if r := marieke.PostForm(path+"/draft", url.Values{"version": {"2"}, "text": {v3}}); r.Status != http.StatusSeeOther {
		t.Fatalf("edit after approval: %d", r.Status)
	}
	if r := karin.Get(shared); r.Status != http.StatusNotFound || contains(r.Body, v3) || contains(r.Body, v2) {
		t.Fatalf("recipient reads an edited, unapproved text: %d", r.Status)
	}
	if r := sanne.PostForm(path+"/approve", url.Values{"version": {"3"}, "until": {today.AddMonths(1).String()}}); r.Status != http.StatusSeeOther {
		t.Fatalf("approve again: %d", r.Status)
	}
	if r := karin.Get(shared); r.Status != http.StatusOK || !contains(r.Body, v3) {
		t.Fatalf("recipient after the new approval: %d", r.Status)
	}
	deliver()

	// The mails: mentor, mentee, recipient; a link each, never the text or purpose.
	for to, link := range map[string]string{"mentor@demo.test": path, "mentee@demo.test": path, "manager@demo.test": shared} {
		if !mailed[to+" "+link] {
			t.Errorf("no mail with a link %s to %s", link, to)
		}
	}

	// Revoked: gone for the recipient.
	if r := sanne.PostForm(path+"/revoke", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.Status)
	}
	if r := karin.Get(shared); r.Status != http.StatusNotFound || contains(r.Body, v3) {
		t.Fatalf("recipient after revocation: %d", r.Status)
	}
	if r := karin.Get("/shared"); contains(r.Body, v3) {
		t.Fatal("a revoked text is on the shared page")
	}
	for _, action := range []string{models.AuditInputRequested, models.AuditInputDrafted, models.AuditInputChanges, models.AuditInputApproved,
		models.AuditInputViewed, models.AuditInputRevoked, models.AuditInputDraftRead} {
		var n int64
		db.Model(&models.AuditEvent{}).Where("action = ? AND subject_id = ?", action, id).Count(&n)
		if n == 0 {
			t.Errorf("no audit row %s", action)
		}
	}
}

// TestInputExpiredAndFormerMentor: a shared text is a 404 the day after its
// date; a former mentor (the group got a new one) can no longer draft.
func TestInputExpiredAndFormerMentor(t *testing.T) {
	_, db, srv := demo(t)
	sanne, marieke, karin := as(t, srv, "mentee@demo.test"), as(t, srv, "mentor@demo.test"), as(t, srv, "manager@demo.test")
	noord := groupID(t, db, "Groep Noord")
	today := models.DateOf(time.Now())
	ask := func(purpose string) string {
		r := sanne.PostForm("/input", url.Values{"group_id": {fmt.Sprint(noord)}, "recipient_id": {fmt.Sprint(personID(t, db, "manager@demo.test"))},
			"purpose": {purpose}, "until": {today.AddMonths(1).String()}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("ask: %d", r.Status)
		}
		return r.Location
	}
	path := ask("Kort gedeeld")
	if r := marieke.PostForm(path+"/draft", url.Values{"version": {"0"}, "text": {"Tot vandaag."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("draft: %d", r.Status)
	}
	if r := sanne.PostForm(path+"/approve", url.Values{"version": {"1"}, "until": {today.String()}}); r.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.Status)
	}
	shared := "/shared/input/" + strings.TrimPrefix(path, "/input/")
	if r := karin.Get(shared); r.Status != http.StatusOK {
		t.Fatalf("on its last day: %d", r.Status)
	}
	// The day after (the date moved back a day rather than the clock on,
	// which would end the sessions too).
	if err := db.Model(&models.InputRequest{}).Where("id = ?", strings.TrimPrefix(path, "/input/")).
		Update("until", models.DateOf(today.AddDate(0, 0, -1))).Error; err != nil {
		t.Fatal(err)
	}
	if r := karin.Get(shared); r.Status != http.StatusNotFound || contains(r.Body, "Tot vandaag.") {
		t.Fatalf("after its date: %d", r.Status)
	}

	second := ask("Na de wissel")
	pieter := personID(t, db, "pieter.hendriks@demo.test")
	if err := db.Model(&models.MentorGroup{}).Where("id = ?", noord).Update("mentor_id", pieter).Error; err != nil {
		t.Fatal(err)
	}
	if r := marieke.PostForm(second+"/draft", url.Values{"version": {"0"}, "text": {"Toch nog."}}); r.Status != http.StatusNotFound {
		t.Errorf("former mentor drafts: %d", r.Status)
	}
	if r := marieke.Get(second); r.Status != http.StatusNotFound || contains(r.Body, "Na de wissel") {
		t.Errorf("former mentor reads: %d", r.Status)
	}
	var after models.InputRequest
	db.First(&after, strings.TrimPrefix(second, "/input/"))
	if after.Status != models.InputRequested || after.Version != 0 {
		t.Errorf("after the former mentor's try: %s v%d", after.Status, after.Version)
	}
	if r := sanne.Get(second); !contains(r.Body, "andere mentor") {
		t.Error("the mentee is not told that the mentor changed")
	}
}
