package app_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/app/vault"
	"crossmentor/models"
)

// snapshot holds every row of every table with an id, as text, by table and id.
func snapshot(t *testing.T, db *gorm.DB) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	raw := db.Session(&gorm.Session{NewDB: true})
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		if strings.HasPrefix(table, "river_") {
			continue // the job queue's own bookkeeping
		}
		cols, err := db.Migrator().ColumnTypes(table)
		if err != nil {
			t.Fatal(err)
		}
		hasID := false
		for _, c := range cols {
			hasID = hasID || c.Name() == "id"
		}
		if !hasID {
			continue
		}
		var rows []map[string]any
		if err := raw.Table(table).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = map[string]string{}
		for _, r := range rows {
			keys := make([]string, 0, len(r))
			for k := range r {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var b strings.Builder
			for _, k := range keys {
				fmt.Fprintf(&b, "%s=%v;", k, r[k])
			}
			out[table][fmt.Sprint(r["id"])] = b.String()
		}
	}
	return out
}

// changedOutside fails for every row that changed, appeared or went
// between two snapshots and is not in allowed (table → ids); inserts are
// allowed only in the tables of inserts.
func changedOutside(t *testing.T, before, after map[string]map[string]string, allowed map[string][]uint, inserts ...string) {
	t.Helper()
	ok := map[string]bool{}
	for table, ids := range allowed {
		for _, id := range ids {
			ok[table+"/"+fmt.Sprint(id)] = true
		}
	}
	for table, rows := range before {
		for id, row := range rows {
			if now, still := after[table][id]; (!still || now != row) && !ok[table+"/"+id] {
				t.Errorf("%s row %s changed or went, though it is not the erased person's", table, id)
			}
		}
	}
	for table, rows := range after {
		for id := range rows {
			if _, was := before[table][id]; !was && !contains(inserts, table) {
				t.Errorf("%s row %s appeared", table, id)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// openedValues returns every value of the text columns, sealed ones opened.
func openedValues(t *testing.T, db *gorm.DB) map[string][]string {
	t.Helper()
	keys, _ := vault.KeysOf(db)
	raw := db.Session(&gorm.Session{NewDB: true})
	out := map[string][]string{}
	for _, c := range textColumns(t, db) {
		var rows []struct {
			ID    string
			Value string
		}
		cols, _ := db.Migrator().ColumnTypes(c.table)
		idExpr := "''"
		for _, col := range cols {
			if col.Name() == "id" {
				idExpr = "CAST(id AS TEXT)"
			}
		}
		q := fmt.Sprintf(`SELECT %s AS id, CAST(%q AS TEXT) AS value FROM %q WHERE %q IS NOT NULL`, idExpr, c.name, c.table, c.name)
		if err := raw.Raw(q).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			v := r.Value
			if vault.IsSealed(v) {
				plain, err := keys.Open(v, vault.AD(1, c.table, c.name, r.ID))
				if err != nil {
					t.Fatalf("%s.%s row %s does not open: %v", c.table, c.name, r.ID, err)
				}
				v = plain
			}
			out[c.table+"."+c.name] = append(out[c.table+"."+c.name], v)
		}
	}
	return out
}

// TestEraseDemoMentee: Sanne erases her data. Afterwards no column of any
// table (sealed ones opened) holds her name, email or any text she wrote
// or that was written about her; her memberships ended as "left", her
// feed, tokens, sessions and shares are gone; no other row changed.
func TestEraseDemoMentee(t *testing.T) {
	db := apptest.Demo(t)
	ctx := t.Context()
	sanne := person(t, db, "mentee@demo.test")
	v := models.Viewer{PersonID: sanne.ID, Mentee: true}
	if _, err := models.CalendarToken(ctx, db, v, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := models.CreateAPIToken(ctx, db, v, models.APITokenInput{Name: "laptop"}); err != nil {
		t.Fatal(err)
	}
	if _, err := models.StartSession(ctx, db, sanne.ID, models.SessionPolicy{Idle: time.Hour, Absolute: time.Hour}, time.Now()); err != nil {
		t.Fatal(err)
	}
	m := membershipOfEmail(t, db, "mentee@demo.test")
	mentor := models.Viewer{PersonID: person(t, db, "mentor@demo.test").ID, Mentor: true}
	if _, err := models.ChangeStatus(ctx, db, mentor, m.ID, models.StatusInput{Status: "frozen", Reason: "Sanne heeft het thuis zwaar (ziekte)"},
		models.NewDate(2026, 11, 2)); err != nil {
		t.Fatal(err)
	}

	// Her values: name, email, and every text of hers in the inventory.
	values := []string{sanne.Name, sanne.Email}
	for _, e := range models.Inventory() {
		if e.ByPerson == "" || e.Column == "" || e.Kind != models.Confidential {
			continue
		}
		var found []struct {
			ID    string
			Value string
		}
		if err := db.Table(e.Table).Select("CAST(id AS TEXT) AS id, "+e.Column+" AS value").Where(e.ByPerson, sanne.ID).Scan(&found).Error; err != nil {
			t.Fatal(err)
		}
		keys, _ := vault.KeysOf(db)
		for _, f := range found {
			plain, err := keys.Open(f.Value, vault.AD(1, e.Table, e.Column, f.ID))
			if err != nil {
				t.Fatalf("%s.%s: %v", e.Table, e.Column, err)
			}
			if strings.Contains(plain, " ") { // prose, not an enumeration such as a theme's key
				values = append(values, plain)
			}
		}
	}
	if len(values) < 8 {
		t.Fatalf("only %d values of Sanne's found before erasure: the test proves little", len(values))
	}
	allowed, err := models.ErasureRows(ctx, db, sanne.ID)
	if err != nil {
		t.Fatal(err)
	}
	allowed["people"] = append(allowed["people"], sanne.ID)
	before := snapshot(t, db)

	if err := models.EraseSelf(ctx, db, v); err != nil {
		t.Fatal(err)
	}

	for col, vals := range openedValues(t, db) {
		for _, val := range vals {
			for _, hers := range values {
				if strings.Contains(val, hers) {
					t.Errorf("%s still holds %.30q", col, hers)
				}
			}
		}
	}
	var statuses []string
	db.Model(&models.Membership{}).Where("person_id = ?", sanne.ID).Pluck("status", &statuses)
	for _, s := range statuses {
		if s != string(models.StatusLeft) {
			t.Errorf("membership after erasure: %s, want left", s)
		}
	}
	for _, table := range []string{"calendar_feeds", "api_tokens", "sessions"} {
		var n int64
		db.Table(table).Where("person_id = ?", sanne.ID).Count(&n)
		if n != 0 {
			t.Errorf("%d %s of hers left", n, table)
		}
	}
	var shared int64
	db.Model(&models.Consent{}).Where("owner_id = ?", sanne.ID).Count(&shared)
	if shared != 0 {
		t.Errorf("%d shares of hers left", shared)
	}
	// Each membership's history records that she left; nothing else is added.
	var left int64
	db.Model(&models.MembershipStatusChange{}).Where("status = ? AND reason = '' AND membership_id IN (SELECT id FROM memberships WHERE person_id = ?)",
		models.StatusLeft, sanne.ID).Count(&left)
	if left != int64(len(statuses)) {
		t.Errorf("%d histories record leaving, want %d", left, len(statuses))
	}
	changedOutside(t, before, snapshot(t, db), allowed, "audit_events", "membership_status_changes")
}

// TestRetentionPurgesClosedGroup: retention of a closed group removes all
// confidential text of the group (action items, reasons, themes, agendas
// included), and no row of another group changes.
func TestRetentionPurgesClosedGroup(t *testing.T) {
	db := apptest.Demo(t)
	ctx := t.Context()
	var noord models.MentorGroup
	db.Where("name = ?", "Groep Noord").First(&noord)
	mentor := models.Viewer{PersonID: person(t, db, "mentor@demo.test").ID, Mentor: true}
	m := membershipOfEmail(t, db, "ahmed.elamrani@demo.test")
	if _, err := models.ChangeStatus(ctx, db, mentor, m.ID, models.StatusInput{Status: "frozen", Reason: "Even pauze: verhuizing"},
		models.NewDate(2026, 11, 2)); err != nil {
		t.Fatal(err)
	}
	var meetings []models.Meeting
	db.Where("group_id = ?", noord.ID).Order("starts_at").Find(&meetings)
	if _, err := models.SetMeetingStatus(ctx, db, mentor, meetings[len(meetings)-1].ID, models.StatusChange{Status: "cancelled", Reason: "Zaal niet beschikbaar"}); err != nil {
		t.Fatal(err)
	}
	closed := time.Now().AddDate(0, -4, 0)
	if err := db.Model(&models.MentorGroup{}).Where("id = ?", noord.ID).
		Updates(map[string]any{"status": models.GroupClosed, "closed_on": models.DateOf(closed)}).Error; err != nil {
		t.Fatal(err)
	}
	var groups []uint
	db.Model(&models.MentorGroup{}).Where("status = ? AND closed_on IS NOT NULL AND closed_on < ?", models.GroupClosed,
		models.DateOf(time.Now()).AddMonths(-3)).Pluck("id", &groups)
	allowed := map[string][]uint{}
	for _, e := range models.Inventory() {
		if e.Kind != models.Confidential || e.ByGroup == "" {
			continue
		}
		var ids []uint
		db.Table(e.Table).Where(e.ByGroup, groups).Pluck("id", &ids)
		allowed[e.Table] = append(allowed[e.Table], ids...)
	}
	before := snapshot(t, db)
	res, err := models.PurgeClosedGroups(ctx, db, 3, models.DateOf(time.Now()))
	if err != nil || res.Groups != len(groups) || res.Texts == 0 {
		t.Fatalf("purge: %+v %v (groups %v)", res, err, groups)
	}
	for _, check := range []struct{ table, where string }{
		{"action_items", "group_id = ?"},
		{"memberships", "group_id = ? AND (status_reason <> '' OR discipline_exception <> '')"},
		{"meetings", "group_id = ? AND (status_reason <> '' OR notes <> '' OR agenda <> '' OR purpose <> '' OR topic <> '')"},
		{"one_on_ones", "group_id = ? AND (theme <> '' OR flags <> '' OR notes <> '')"},
		{"intakes", "membership_id IN (SELECT id FROM memberships WHERE group_id = ?) AND (kind <> '' OR notes <> '' OR assessment <> '')"},
		{"learning_goals", "group_id = ?"}, {"case_questions", "group_id = ?"},
	} {
		var n int64
		if err := db.Table(check.table).Where(check.where, noord.ID).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: %d rows of the closed group still hold confidential text", check.table, n)
		}
	}
	changedOutside(t, before, snapshot(t, db), allowed, "audit_events")
}
