package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestNotifyByChoice: Notify gives each recipient one notice and, by
// their choice for the kind, a mail at once, a place in the digest, or
// nothing more; calling it again for the same event adds nothing.
func TestNotifyByChoice(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	people := map[string]uint{}
	for _, e := range []string{"ahmed.elamrani@demo.test", "lotte.visser@demo.test", "daan.smit@demo.test"} {
		people[e] = demoPerson(t, db, e)
	}
	choices := map[string]string{"ahmed.elamrani@demo.test": "", "lotte.visser@demo.test": models.NoticeByDigest, "daan.smit@demo.test": models.NoticeInApp}
	for e, m := range choices {
		if m == "" {
			continue
		}
		if err := models.SetNoticeModes(ctx, db, models.Viewer{PersonID: people[e]}, map[string]string{models.NoticeCasePlaced: m}); err != nil {
			t.Fatal(err)
		}
	}
	about := models.NoticeAbout{Type: "case", ID: 4242, Path: "/cases/4242", Occurrence: time.Unix(7, 0)}
	for range 2 {
		if err := db.Transaction(func(tx *gorm.DB) error {
			return models.Notify(tx, models.NoticeCasePlaced, about, []uint{people["ahmed.elamrani@demo.test"], people["lotte.visser@demo.test"],
				people["daan.smit@demo.test"], people["daan.smit@demo.test"], 0})
		}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		email  string
		mails  int64
		digest bool
	}{
		{"ahmed.elamrani@demo.test", 1, false},
		{"lotte.visser@demo.test", 0, true},
		{"daan.smit@demo.test", 0, false},
	}
	for _, c := range cases {
		var ns []models.Notice
		db.Where("recipient_id = ? AND subject_type = 'case' AND subject_id = 4242", people[c.email]).Find(&ns)
		var mails int64
		db.Model(&models.MailDelivery{}).Where("recipient_id = ? AND subject_type = 'case' AND subject_id = 4242", people[c.email]).Count(&mails)
		if len(ns) != 1 || ns[0].Digest != c.digest || mails != c.mails {
			t.Errorf("%s: %d notices (digest %v), %d mails; want 1 (digest %v), %d", c.email, len(ns), len(ns) == 1 && ns[0].Digest,
				mails, c.digest, c.mails)
		}
	}
}

// TestNoticeModesRefused: an unknown kind or way of delivery is refused
// for that field, and nothing is stored.
func TestNoticeModesRefused(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	v := models.Viewer{PersonID: demoPerson(t, db, "mentee@demo.test")}
	for _, tc := range []struct {
		name  string
		modes map[string]string
		field string
	}{
		{"unknown kind", map[string]string{"payroll": models.NoticeInApp, models.NoticePollOpened: models.NoticeInApp}, "mode_payroll"},
		{"unknown mode", map[string]string{models.NoticeCasePlaced: "sms", models.NoticePollOpened: models.NoticeInApp}, "mode_case_placed"},
		{"reminder kind is no notice", map[string]string{models.MailMeeting7d: models.NoticeInApp}, "mode_meeting_7d"},
	} {
		err := models.SetNoticeModes(ctx, db, v, tc.modes)
		var ve *models.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != tc.field {
			t.Errorf("%s: %v, want a field error on %s", tc.name, err, tc.field)
		}
		modes, err := models.NoticeModesOf(ctx, db, v)
		if err != nil || modes[models.NoticePollOpened] != models.NoticeByMail {
			t.Errorf("%s: stored %v (%v)", tc.name, modes, err)
		}
	}
	if _, err := models.OpenNotice(ctx, db, v, 999999, time.Now()); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("opening a notice that is not the viewer's: %v, want ErrNotFound", err)
	}
}
