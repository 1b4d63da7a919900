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

// queueOne puts one change notice for the demo mentor in the queue, due at now.
func queueOne(t *testing.T, db *gorm.DB, now time.Time) models.MailDelivery {
	t.Helper()
	var m models.Meeting
	if err := db.Where("kind = ?", models.KindIntervision).Order("id").First(&m).Error; err != nil {
		t.Fatal(err)
	}
	d := models.MailDelivery{Key: "fence:" + now.Format(time.RFC3339Nano), Kind: models.MailMeetingChanged,
		RecipientID: demoPerson(t, db, "mentor@demo.test"), SubjectType: "meeting", SubjectID: m.ID,
		Occurrence: time.Unix(int64(m.Sequence), 0), Status: models.DeliveryPending, NextAttemptAt: now}
	if err := db.Create(&d).Error; err != nil {
		t.Fatal(err)
	}
	return d
}

// TestClaimFencing: a runner whose claim ran out and was taken over can no
// longer hold, send, record, retry or withdraw the delivery; a sent mail
// never goes back to pending; an attempt is counted once.
func TestClaimFencing(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	lease := time.Minute
	status := func(id uint) (string, int) {
		var d models.MailDelivery
		if err := db.First(&d, id).Error; err != nil {
			t.Fatal(err)
		}
		return d.Status, d.Attempts
	}
	claim := func(at time.Time) models.MailDelivery {
		t.Helper()
		c, err := models.ClaimDeliveries(ctx, db, at, 10, lease)
		if err != nil || len(c) != 1 || c[0].ClaimToken == "" {
			t.Fatalf("claim at %s: %v, %d rows", at, err, len(c))
		}
		return c[0]
	}
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, id uint)
	}{
		{"a current claim is held and extended", func(t *testing.T, id uint) {
			a := claim(now)
			if ok, err := models.HoldClaim(ctx, db, a, now.Add(50*time.Second), lease); err != nil || !ok {
				t.Fatalf("hold: %v %v", ok, err)
			}
			// Extended: at 90 s nobody else can claim it.
			if c, _ := models.ClaimDeliveries(ctx, db, now.Add(90*time.Second), 10, lease); len(c) != 0 {
				t.Fatal("claimed again inside the extended lease")
			}
			if ok, err := models.MarkSent(ctx, db, a, now.Add(95*time.Second)); err != nil || !ok {
				t.Fatalf("mark sent: %v %v", ok, err)
			}
			if s, _ := status(id); s != models.DeliverySent {
				t.Fatalf("status %s", s)
			}
		}},
		{"a claim that ran out cannot be held", func(t *testing.T, id uint) {
			a := claim(now)
			if ok, _ := models.HoldClaim(ctx, db, a, now.Add(2*lease), lease); ok {
				t.Fatal("held a claim that ran out")
			}
		}},
		{"a taken-over claim records nothing", func(t *testing.T, id uint) {
			a := claim(now)
			b := claim(now.Add(2 * lease)) // a's claim ran out, b takes it
			if ok, _ := models.HoldClaim(ctx, db, a, now.Add(2*lease), lease); ok {
				t.Fatal("old holder held a claim taken over")
			}
			if ok, _ := models.MarkSent(ctx, db, a, now.Add(2*lease)); ok {
				t.Fatal("old holder recorded a send")
			}
			if err := models.MarkRetry(ctx, db, a, errors.New("timeout"), now.Add(2*lease)); err != nil {
				t.Fatal(err)
			}
			if err := models.MarkWithdrawn(ctx, db, a); err != nil {
				t.Fatal(err)
			}
			if s, n := status(id); s != models.DeliveryPending || n != 0 {
				t.Fatalf("after the old holder: %s, %d attempts", s, n)
			}
			if ok, err := models.MarkSent(ctx, db, b, now.Add(2*lease)); err != nil || !ok {
				t.Fatalf("new holder: %v %v", ok, err)
			}
		}},
		{"a sent mail never goes back to pending", func(t *testing.T, id uint) {
			a := claim(now)
			if ok, err := models.MarkSent(ctx, db, a, now); err != nil || !ok {
				t.Fatal(ok, err)
			}
			if err := models.MarkRetry(ctx, db, a, errors.New("late error"), now); err != nil {
				t.Fatal(err)
			}
			if s, n := status(id); s != models.DeliverySent || n != 0 {
				t.Fatalf("%s, %d attempts", s, n)
			}
		}},
		{"an attempt is counted once", func(t *testing.T, id uint) {
			a := claim(now)
			for i := 0; i < 2; i++ { // the same failure recorded twice
				if err := models.MarkRetry(ctx, db, a, errors.New("timeout"), now); err != nil {
					t.Fatal(err)
				}
			}
			if s, n := status(id); s != models.DeliveryPending || n != 1 {
				t.Fatalf("%s, %d attempts", s, n)
			}
		}},
		{"released claims go back at once, only the holder's", func(t *testing.T, id uint) {
			a := claim(now)
			b := claim(now.Add(2 * lease))
			if err := models.ReleaseClaims(ctx, db, []models.MailDelivery{a}); err != nil {
				t.Fatal(err)
			}
			if c, _ := models.ClaimDeliveries(ctx, db, now.Add(2*lease), 10, lease); len(c) != 0 {
				t.Fatal("the old holder released the new holder's claim")
			}
			if err := models.ReleaseClaims(ctx, db, []models.MailDelivery{b}); err != nil {
				t.Fatal(err)
			}
			claim(now.Add(2 * lease))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := db.Where("key LIKE 'fence:%' OR status = ?", models.DeliveryPending).Delete(&models.MailDelivery{}).Error; err != nil {
				t.Fatal(err)
			}
			d := queueOne(t, db, now)
			tc.run(t, d.ID)
		})
	}
}

// TestComposeFailedReadIsNotStale: a read that fails (here a cancelled
// context) is an error to retry; only a record that is gone is stale.
func TestComposeFailedReadIsNotStale(t *testing.T) {
	db := apptest.Demo(t)
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	d := queueOne(t, db, now)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := models.ComposeDelivery(ctx, db, d); err == nil || errors.Is(err, models.ErrStale) {
		t.Fatalf("failed read: %v, want an error that is not ErrStale", err)
	}
	if _, err := models.ComposeDelivery(context.Background(), db, d); err != nil {
		t.Fatalf("readable: %v", err)
	}
	gone := d
	gone.SubjectID = 1 << 30
	if _, err := models.ComposeDelivery(context.Background(), db, gone); !errors.Is(err, models.ErrStale) {
		t.Fatalf("meeting gone: %v, want ErrStale", err)
	}
}
