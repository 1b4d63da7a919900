package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"crossmentor/models"
)

// TestMailboxHidesMentoringExchange: L&D's outbox lists every mail, but a
// mentee's apologies and the exchange about a one-on-one request stay
// between mentee and mentor: the outbox neither names the kind (urgent,
// declined, apologies) nor previews the text, which names the mentee.
func TestMailboxHidesMentoringExchange(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	var coming models.Meeting
	if err := db.Where("group_id = ? AND status = ? AND starts_at > ?", noord, models.MeetingPlanned, time.Now()).Order("starts_at").First(&coming).Error; err != nil {
		t.Fatal(err)
	}
	sanne, admin := as(t, srv, "mentee@demo.test"), as(t, srv, "admin@demo.test")
	if r := sanne.PostForm(fmt.Sprintf("/meetings/%d/apologies", coming.ID), url.Values{"reason": {"Tandarts"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("apologies: %d", r.Status)
	}
	if r := sanne.PostForm(fmt.Sprintf("/groups/%d/one-on-one-requests", noord), url.Values{"asap": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("ask: %d", r.Status)
	}
	var mails []models.MailDelivery
	if err := db.Where("kind IN ?", []string{models.NoticeMeetingNote, models.NoticeOneOnOneRequest}).Find(&mails).Error; err != nil {
		t.Fatal(err)
	}
	if len(mails) != 2 {
		t.Fatalf("%d mails to the mentor, want 2", len(mails))
	}
	list := admin.Get("/mailbox")
	if list.Status != http.StatusOK {
		t.Fatalf("mailbox: %d", list.Status)
	}
	for _, bad := range []string{"Afmelding voor", "Dringend", "meldt zich af"} {
		if contains(list.Body, bad) {
			t.Errorf("the outbox says %q", bad)
		}
	}
	for _, m := range mails {
		r := admin.Get(fmt.Sprintf("/mailbox?view=%d", m.ID))
		if r.Status != http.StatusOK {
			t.Fatalf("view %s: %d", m.Kind, r.Status)
		}
		if contains(r.Body, "Sanne Bakker kan niet") || contains(r.Body, "meldt zich af") || contains(r.Body, "zo snel mogelijk") {
			t.Errorf("the outbox previews the %s mail", m.Kind)
		}
	}
	// Behind sign-in the mentor's own notices still say who and what.
	notices := as(t, srv, "mentor@demo.test").Get("/notices")
	if notices.Status != http.StatusOK {
		t.Fatalf("notices: %d", notices.Status)
	}
	for _, want := range []string{"Sanne Bakker vraagt zo snel mogelijk om een een-op-eengesprek", "Sanne Bakker meldt zich af voor een bijeenkomst"} {
		if !contains(notices.Body, want) {
			t.Errorf("the mentor's notices lack %q", want)
		}
	}
}
