package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crossmentor/models"
)

// TestFirstMeetingRecordPrint: the mentor saves the first meeting's
// working form and agreements from the meeting page; the print shows what
// was agreed instead of blanks and ticks the conduct box of who agreed.
func TestFirstMeetingRecordPrint(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	var first models.Meeting
	if err := db.Where("group_id = ? AND kind = ?", noord, models.KindFirstMeeting).First(&first).Error; err != nil {
		t.Fatal(err)
	}
	mentor := as(t, srv, "mentor@demo.test")
	path := fmt.Sprintf("/meetings/%d", first.ID)
	before := mentor.Get(path + "/print")
	if !strings.Contains(before.Body, "______") {
		t.Fatal("the print of an unrecorded first meeting has no blanks to fill in")
	}
	r := mentor.PostForm(path+"/page", url.Values{"part": {"first_record"}, "at": {"first-record"}, "working_form": {"Intervisie met vaste methode"},
		"agreed_cadence_weeks": {"6"}, "agreed_duration_min": {"120"}, "agreed_visits": {"Datacenter Zwolle"}, "agreements": {"We beginnen op tijd."}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, r.Header.Get("Location"))
	}
	r = mentor.PostForm(path+"/page", url.Values{"part": {"first_record"}, "at": {"first-record"}, "agreed_cadence_weeks": {"60"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("60 weeks: %d", r.Status)
	}
	var agreed []models.FirstMeetingEntry
	db.Where("meeting_id = ? AND conduct_agreed = ?", first.ID, true).Find(&agreed)
	p := mentor.Get(path + "/print")
	for _, want := range []string{"Intervisie met vaste methode", "elke 6 weken", "120 minuten", "Datacenter Zwolle", "We beginnen op tijd."} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("the print lacks %q", want)
		}
	}
	if strings.Contains(p.Body, "______") {
		t.Error("the print still shows blanks for what was agreed")
	}
	if strings.Count(p.Body, "☑") != len(agreed) || len(agreed) == 0 {
		t.Errorf("%d ticked conduct boxes for %d who agreed", strings.Count(p.Body, "☑"), len(agreed))
	}
	if page := mentor.Get(path); !strings.Contains(page.Body, `id="agreed"`) || !strings.Contains(page.Body, "elke 6 weken") {
		t.Error("the meeting page does not show the agreements")
	}
}
