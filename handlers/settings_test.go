package handlers_test

import (
	"net/http"
	"net/url"
	"testing"

	"crossmentor/models"
)

// TestReminderSettings: the admin switches reminder kinds off for the whole
// organisation on the settings page; an unknown kind is refused with a
// message and changes nothing; a person sees the switched-off kind greyed
// out on their account page.
func TestReminderSettings(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	form := url.Values{"name": {"Gemeente Voorbeeldstad"}, "time_zone": {"Europe/Amsterdam"}, "default_language": {"nl"},
		"reminders_on": {"meeting_1d", "one_on_one_1d"}}
	if r := admin.PostForm("/settings", form); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	org, err := models.GetOrganisation(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	if on := org.RemindersOn(); len(on) != 2 || on[0] != "meeting_1d" || on[1] != "one_on_one_1d" {
		t.Fatalf("on after saving: %v (off: %q)", on, org.RemindersOff)
	}
	if r := admin.Get("/settings"); !contains(r.Body, `name="reminders_on" value="meeting_1d" checked`) || contains(r.Body, `value="meeting_7d" checked`) {
		t.Fatal("the settings page does not show what is on")
	}

	form["reminders_on"] = []string{"meeting_1d", "<b>spam</b>"}
	r := admin.PostForm("/settings", form)
	if r.Status != http.StatusUnprocessableEntity || contains(r.Body, "<b>spam") {
		t.Fatalf("unknown kind: %d", r.Status)
	}
	after, _ := models.GetOrganisation(t.Context(), db)
	if after.RemindersOff != org.RemindersOff {
		t.Fatalf("a refused form changed the settings: %q", after.RemindersOff)
	}

	sanne := as(t, srv, "mentee@demo.test")
	page := sanne.Get("/account")
	if !contains(page.Body, "uitgezet voor de hele organisatie") || !contains(page.Body, `name="on" value="meeting_1d" checked`) {
		t.Fatalf("account page: %.400s", page.Body)
	}
}
