package jobs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// BenchmarkDeliver10000 delivers 10,000 due mails from the queue to an
// in-process SMTP server and reports mails per second.
func BenchmarkDeliver10000(b *testing.B) {
	db := apptest.Demo(b)
	sink := apptest.NewSMTPSink(b)
	var meetings []models.Meeting
	db.Where("kind = ?", models.KindIntervision).Find(&meetings)
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	const total = 10000
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db.Exec("DELETE FROM mail_deliveries")
		rows := make([]models.MailDelivery, 0, total)
		for n := 0; n < total; n++ {
			m := meetings[n%len(meetings)]
			rows = append(rows, models.MailDelivery{Key: fmt.Sprintf("bench:%d:%d", i, n), Kind: models.MailMeetingChanged,
				RecipientID: uint(1 + n%21), SubjectType: "meeting", SubjectID: m.ID, Occurrence: time.Unix(int64(n), 0),
				Status: models.DeliveryPending, NextAttemptAt: now})
		}
		if err := db.CreateInBatches(rows, 1000).Error; err != nil {
			b.Fatal(err)
		}
		job := runner(b, db, sink, func() time.Time { return now })
		job.Batch, job.Workers = 500, 8
		b.StartTimer()
		start := time.Now()
		sent, err := job.Deliver(context.Background())
		elapsed += time.Since(start)
		if err != nil || sent != total {
			b.Fatalf("sent %d of %d: %v", sent, total, err)
		}
	}
	b.ReportMetric(float64(total*b.N)/elapsed.Seconds(), "mails/s")
}
