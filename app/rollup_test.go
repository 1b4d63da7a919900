package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/app/migrations"
	"crossmentor/models"
)

// rollupKey is one row of participation_months.
type rollupKey struct {
	Group, Person uint
	Month         string
}

// rollupCounts is what a participation_months row counts.
type rollupCounts struct{ Member, Present, Recorded, Talks int }

// groupMonth is one row of group_months.
type groupMonth struct {
	Group   uint
	Month   string
	Planned int
	Held    int
}

// stored reads the roll-ups, leaving out rows that count nothing.
func storedRollups(t *testing.T, db *gorm.DB) (map[rollupKey]rollupCounts, map[groupMonth]bool) {
	t.Helper()
	var rows []struct {
		GroupID, PersonID                uint
		Month                            string
		Member, Present, Recorded, Talks int
	}
	if err := db.Raw("SELECT group_id, person_id, month, member, present, recorded, talks FROM participation_months").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	pm := map[rollupKey]rollupCounts{}
	for _, r := range rows {
		c := rollupCounts{r.Member, r.Present, r.Recorded, r.Talks}
		if c != (rollupCounts{}) {
			pm[rollupKey{r.GroupID, r.PersonID, r.Month}] = c
		}
	}
	var gms []groupMonth
	if err := db.Raw("SELECT group_id AS \"group\", month, planned, held FROM group_months").Scan(&gms).Error; err != nil {
		t.Fatal(err)
	}
	gm := map[groupMonth]bool{}
	for _, g := range gms {
		if g.Planned != 0 || g.Held != 0 {
			gm[g] = true
		}
	}
	return pm, gm
}

// recomputedRollups counts the roll-ups from the raw rows, in Go.
func recomputedRollups(t *testing.T, db *gorm.DB) (map[rollupKey]rollupCounts, map[groupMonth]bool) {
	t.Helper()
	month := func(at time.Time) string { return at.UTC().Format("2006-01") }
	pm := map[rollupKey]rollupCounts{}
	var members []struct {
		GroupID, PersonID uint
		Status            string
		StatusSince       models.Date
		StartsOn, EndsOn  models.Date
		ClosedOn          *models.Date
	}
	if err := db.Raw(`SELECT ms.group_id, ms.person_id, ms.status, ms.status_since, p.starts_on, p.ends_on, g.closed_on
		FROM memberships ms JOIN mentor_groups g ON g.id = ms.group_id JOIN programmes p ON p.id = g.programme_id`).Scan(&members).Error; err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		end := m.EndsOn
		if m.ClosedOn != nil && m.ClosedOn.After(end) {
			end = *m.ClosedOn
		}
		switch m.Status {
		case "stopped", "referred", "left":
			end = m.StatusSince
		case "active", "frozen":
		default:
			continue
		}
		for d := m.StartsOn.AddDate(0, 0, 1-m.StartsOn.Day()); !d.After(end.Time); d = d.AddDate(0, 1, 0) {
			k := rollupKey{m.GroupID, m.PersonID, d.Format("2006-01")}
			c := pm[k]
			c.Member = 1
			pm[k] = c
		}
	}
	var att []struct {
		GroupID, PersonID uint
		Status            string
		StartsAt          time.Time
	}
	if err := db.Raw(`SELECT m.group_id, a.person_id, a.status, m.starts_at FROM attendances a JOIN meetings m ON m.id = a.meeting_id`).Scan(&att).Error; err != nil {
		t.Fatal(err)
	}
	for _, a := range att {
		k := rollupKey{a.GroupID, a.PersonID, month(a.StartsAt)}
		c := pm[k]
		c.Recorded++
		if a.Status == "present" {
			c.Present++
		}
		pm[k] = c
	}
	var talks []struct {
		GroupID, MenteeID uint
		StartsAt          time.Time
	}
	if err := db.Raw(`SELECT group_id, mentee_id, starts_at FROM one_on_ones WHERE status = 'held'`).Scan(&talks).Error; err != nil {
		t.Fatal(err)
	}
	for _, o := range talks {
		k := rollupKey{o.GroupID, o.MenteeID, month(o.StartsAt)}
		c := pm[k]
		c.Talks++
		pm[k] = c
	}
	var meetings []struct {
		GroupID  uint
		Status   string
		StartsAt time.Time
	}
	if err := db.Raw(`SELECT group_id, status, starts_at FROM meetings`).Scan(&meetings).Error; err != nil {
		t.Fatal(err)
	}
	type gk struct {
		g uint
		m string
	}
	counts := map[gk][2]int{}
	for _, m := range meetings {
		k := gk{m.GroupID, month(m.StartsAt)}
		c := counts[k]
		if m.Status != "cancelled" {
			c[0]++
		}
		if m.Status == "held" {
			c[1]++
		}
		counts[k] = c
	}
	gm := map[groupMonth]bool{}
	for k, c := range counts {
		if c != [2]int{} {
			gm[groupMonth{k.g, k.m, c[0], c[1]}] = true
		}
	}
	return pm, gm
}

// checkRollups fails when the stored roll-ups differ from a recount.
func checkRollups(t *testing.T, db *gorm.DB, after string) {
	t.Helper()
	pm, gm := storedRollups(t, db)
	wpm, wgm := recomputedRollups(t, db)
	n := 0
	for k, w := range wpm {
		if pm[k] != w && n < 5 {
			t.Errorf("after %s: participation %+v = %+v, recounted %+v", after, k, pm[k], w)
			n++
		}
	}
	for k, c := range pm {
		if _, ok := wpm[k]; !ok && n < 5 {
			t.Errorf("after %s: participation %+v = %+v, recounted nothing", after, k, c)
			n++
		}
	}
	for k := range wgm {
		if !gm[k] && n < 10 {
			t.Errorf("after %s: group month %+v missing", after, k)
			n++
		}
	}
	for k := range gm {
		if !wgm[k] && n < 10 {
			t.Errorf("after %s: group month %+v not recounted", after, k)
			n++
		}
	}
	if len(wpm) == 0 || len(wgm) == 0 {
		t.Fatalf("after %s: nothing to compare", after)
	}
}

// TestRollupsFollowEveryWrite makes each kind of write that changes the
// participation figures, each in its own transaction, and checks after
// each that the roll-ups equal a recount from the raw rows (SQLite, or
// PostgreSQL with TEST_DATABASE_URL). The migration's backfill is checked
// first, and its rollback and a second migration last.
func TestRollupsFollowEveryWrite(t *testing.T) {
	db := apptest.Demo(t)
	checkRollups(t, db, "the backfill")
	var held models.Meeting
	if err := db.Where("status = ?", models.MeetingHeld).Order("id").First(&held).Error; err != nil {
		t.Fatal(err)
	}
	var planned models.Meeting
	if err := db.Where("status = ? AND group_id = ?", models.MeetingPlanned, held.GroupID).Order("starts_at").First(&planned).Error; err != nil {
		t.Fatal(err)
	}
	var att models.Attendance
	if err := db.Where("meeting_id = ?", held.ID).First(&att).Error; err != nil {
		t.Fatal(err)
	}
	var member models.Membership
	if err := db.Where("group_id = ? AND status = ?", held.GroupID, models.StatusActive).Order("id").First(&member).Error; err != nil {
		t.Fatal(err)
	}
	var talk models.OneOnOne
	if err := db.Order("id").First(&talk).Error; err != nil {
		t.Fatal(err)
	}
	var g models.MentorGroup
	if err := db.First(&g, held.GroupID).Error; err != nil {
		t.Fatal(err)
	}
	var outsider models.Person
	if err := db.Where("id NOT IN (?)", db.Model(&models.Membership{}).Select("person_id")).Order("id").First(&outsider).Error; err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name  string
		write func(tx *gorm.DB) error
	}{
		{"attendance recorded", func(tx *gorm.DB) error {
			return tx.Create(&models.Attendance{MeetingID: planned.ID, PersonID: member.PersonID, Status: models.Present}).Error
		}},
		{"attendance changed", func(tx *gorm.DB) error {
			return tx.Model(&models.Attendance{}).Where("id = ?", att.ID).Update("status", "absent").Error
		}},
		{"attendance cleared", func(tx *gorm.DB) error {
			return tx.Where("meeting_id = ? AND person_id = ?", planned.ID, member.PersonID).Delete(&models.Attendance{}).Error
		}},
		{"meeting held", func(tx *gorm.DB) error {
			return tx.Model(&models.Meeting{}).Where("id = ?", planned.ID).Update("status", models.MeetingHeld).Error
		}},
		{"meeting cancelled", func(tx *gorm.DB) error {
			return tx.Model(&models.Meeting{}).Where("id = ?", planned.ID).Update("status", models.MeetingCancelled).Error
		}},
		{"held meeting moved a month", func(tx *gorm.DB) error {
			return tx.Model(&models.Meeting{}).Where("id = ?", held.ID).
				Updates(map[string]any{"starts_at": held.StartsAt.AddDate(0, 1, 0), "ends_at": held.EndsAt.AddDate(0, 1, 0)}).Error
		}},
		{"meeting added", func(tx *gorm.DB) error {
			m := planned
			m.ID, m.StartsAt, m.EndsAt = 0, planned.StartsAt.AddDate(0, 2, 3), planned.EndsAt.AddDate(0, 2, 3)
			return tx.Omit("Group").Create(&m).Error
		}},
		{"meetings added in one statement", func(tx *gorm.DB) error {
			batch := make([]models.Meeting, 5) // three in one month, two in the next; one cancelled
			for i := range batch {
				m := planned
				m.ID, m.Status = 0, models.MeetingPlanned
				m.StartsAt, m.EndsAt = planned.StartsAt.AddDate(0, 4+i/3, i), planned.EndsAt.AddDate(0, 4+i/3, i)
				batch[i] = m
			}
			batch[1].Status = models.MeetingCancelled
			return tx.Omit("Group").Create(&batch).Error
		}},
		{"held meeting deleted", func(tx *gorm.DB) error { return tx.Delete(&models.Meeting{}, held.ID).Error }},
		{"one-on-one held", func(tx *gorm.DB) error {
			return tx.Model(&models.OneOnOne{}).Where("id = ?", talk.ID).Update("status", "held").Error
		}},
		{"one-on-one moved", func(tx *gorm.DB) error {
			return tx.Model(&models.OneOnOne{}).Where("id = ?", talk.ID).Update("starts_at", talk.StartsAt.AddDate(0, -2, 0)).Error
		}},
		{"one-on-one deleted", func(tx *gorm.DB) error { return tx.Delete(&models.OneOnOne{}, talk.ID).Error }},
		{"member stopped", func(tx *gorm.DB) error {
			return tx.Model(&models.Membership{}).Where("id = ?", member.ID).
				Updates(map[string]any{"status": models.StatusStopped, "status_since": models.DateOf(planned.StartsAt)}).Error
		}},
		{"member added", func(tx *gorm.DB) error {
			return tx.Create(&models.Membership{GroupID: g.ID, PersonID: outsider.ID, Status: models.StatusActive, StatusSince: models.DateOf(time.Now())}).Error
		}},
		{"group closed late", func(tx *gorm.DB) error {
			return tx.Model(&models.MentorGroup{}).Where("id = ?", g.ID).Update("closed_on", models.DateOf(time.Now().AddDate(2, 0, 0))).Error
		}},
		{"programme dates", func(tx *gorm.DB) error {
			return tx.Model(&models.Programme{}).Where("id = ?", g.ProgrammeID).
				Update("starts_on", gorm.Expr("?", models.DateOf(time.Now().AddDate(-2, 0, 0)))).Error
		}},
		{"membership deleted", func(tx *gorm.DB) error { return tx.Delete(&models.Membership{}, member.ID).Error }},
		{"person erased", func(tx *gorm.DB) error {
			var p models.Membership
			if err := tx.Where("group_id = ? AND status = ?", g.ID, models.StatusActive).Order("id DESC").First(&p).Error; err != nil {
				return err
			}
			return models.EraseSelf(context.Background(), tx, models.Viewer{PersonID: p.PersonID, Mentee: true})
		}},
		{"group deleted", func(tx *gorm.DB) error { return tx.Exec("DELETE FROM mentor_groups WHERE id = ?", g.ID).Error }},
	}
	for _, s := range steps {
		if err := db.Transaction(s.write); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		checkRollups(t, db, s.name)
	}
	// The row trigger that 0029 replaces on PostgreSQL counts as well.
	for _, s := range migrations.All() {
		if s.ID == "0029_meeting_rollup_per_statement" {
			if err := migrations.New(db).RollbackMigration(s); err != nil {
				t.Fatalf("roll back 0029: %v", err)
			}
		}
	}
	var other models.MentorGroup // the planned meeting's group was deleted
	if err := db.Order("id").First(&other).Error; err != nil {
		t.Fatal(err)
	}
	again := []models.Meeting{planned, planned}
	for i := range again {
		again[i].ID, again[i].Status, again[i].GroupID = 0, models.MeetingPlanned, other.ID
		again[i].StartsAt, again[i].EndsAt = planned.StartsAt.AddDate(0, 7, i), planned.EndsAt.AddDate(0, 7, i)
	}
	if err := db.Omit("Group").Create(&again).Error; err != nil {
		t.Fatal(err)
	}
	checkRollups(t, db, "meetings added after rolling back 0029")
	for _, s := range migrations.All() {
		if s.ID == "0027_participation_rollups" {
			if err := migrations.New(db).RollbackMigration(s); err != nil {
				t.Fatalf("roll back: %v", err)
			}
		}
	}
	for _, table := range []string{"participation_months", "group_months", "report_months"} {
		if db.Migrator().HasTable(table) {
			t.Fatalf("%s still there after the rollback", table)
		}
	}
	// Without the triggers, writes go on; migrating again counts them in.
	if err := db.Exec("UPDATE meetings SET status = 'cancelled' WHERE id = ?", planned.ID).Error; err != nil {
		t.Fatal(fmt.Errorf("write without triggers: %w", err))
	}
	if err := migrations.New(db).Migrate(); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	checkRollups(t, db, "migrating again")
}
