package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// DataKind says why a column is protected.
type DataKind string

// The kinds of protected data.
const (
	Personal     DataKind = "personal"     // identifies a person (name, address, links)
	Confidential DataKind = "confidential" // what someone wrote or said in confidence
)

// EraseHow says how a value is removed.
type EraseHow string

// The ways of removing a value.
const (
	Clear     EraseHow = "clear"   // set to the empty text
	DeleteRow EraseHow = "delete"  // delete the whole row
	Replace   EraseHow = "replace" // replace by a neutral value (With; %d is the person's id)
	SetNull   EraseHow = "null"    // set to NULL
)

// InventoryEntry is one protected column: which table, what kind of data,
// how it is removed, and which rows belong to a person (ByPerson, one ?
// for the person's id) or to groups (ByGroup, one ? for the group ids).
// An entry without ByPerson is not the person's to erase (a group's notes);
// retention uses the confidential entries with ByGroup. Column is empty for
// an entry about a whole row (a session, a feed).
type InventoryEntry struct {
	Table    string
	Column   string
	Kind     DataKind
	How      EraseHow
	With     string
	ByPerson string
	ByGroup  string
}

// Row conditions shared by several entries.
const (
	ofPerson             = "person_id = ?"
	ofGroups             = "group_id IN ?"
	ofPersonsIntakes     = "membership_id IN (SELECT id FROM memberships WHERE person_id = ?)"
	ofGroupsIntakes      = "membership_id IN (SELECT id FROM memberships WHERE group_id IN ?)"
	ofPersonsMemberships = ofPersonsIntakes
	ofGroupsMemberships  = ofGroupsIntakes
	ofPersonsGoals       = "goal_id IN (SELECT id FROM learning_goals WHERE person_id = ?)"
	ofGroupsGoals        = "goal_id IN (SELECT id FROM learning_goals WHERE group_id IN ?)"
	ofGroupsMeetings     = "meeting_id IN (SELECT id FROM meetings WHERE group_id IN ?)"
	ofPlannedMeetings    = "person_id = ? AND meeting_id IN (SELECT id FROM meetings WHERE status = 'planned')"
)

// Inventory lists every personal and confidential column, in the order
// they are removed (rows that others refer to last). Erasure and retention
// both walk it; a new column holding such data belongs here.
func Inventory() []InventoryEntry {
	var out []InventoryEntry
	add := func(table string, cols []string, kind DataKind, how EraseHow, byPerson, byGroup string) {
		for _, c := range cols {
			out = append(out, InventoryEntry{Table: table, Column: c, Kind: kind, How: how, ByPerson: byPerson, ByGroup: byGroup})
		}
	}
	// What a mentee wrote, and what was written about them in confidence.
	add("goal_progresses", []string{"text"}, Confidential, DeleteRow, ofPersonsGoals, ofGroupsGoals)
	add("learning_goals", []string{"what", "why", "how_noticed"}, Confidential, DeleteRow, ofPerson, ofGroups)
	add("case_questions", []string{"title", "situation", "question", "tried", "hope", "take_aways"}, Confidential, DeleteRow, "author_id = ?", ofGroups)
	add("first_meeting_entries", []string{"goal", "needs", "questions"}, Confidential, DeleteRow, ofPerson, ofGroupsMeetings)
	add("action_items", []string{"text"}, Confidential, DeleteRow, "holder_id = ?", ofGroups)
	add("intakes", []string{"notes", "kind", "outcome", "assessment"}, Confidential, Clear, ofPersonsIntakes, ofGroupsIntakes)
	add("one_on_ones", []string{"notes", "follow_ups", "theme", "flags"}, Confidential, Clear, "mentee_id = ?", ofGroups)
	add("memberships", []string{"status_reason", "discipline_exception"}, Confidential, Clear, ofPerson, ofGroups)
	add("membership_status_changes", []string{"reason"}, Confidential, Clear, ofPersonsMemberships, ofGroupsMemberships)
	add("evaluation_answers", []string{"open"}, Confidential, Clear, ofPerson, ofGroups)
	add("applications", []string{"learning_need", "themes"}, Confidential, DeleteRow, ofPerson, ofGroups)
	add("consents", []string{"purpose", "text", "wording"}, Confidential, DeleteRow, "owner_id = ?", "")
	// A share with the person: its wording names them; the share itself is revoked.
	add("consents", []string{"wording"}, Confidential, Clear, "recipient_id = ?", "")
	// Input from the mentor at the mentee's request: about the mentee, so theirs to erase; a
	// recipient who is erased loses the shared copy.
	add("input_requests", []string{"purpose", "draft", "comment", "shared_text"}, Confidential, DeleteRow, "mentee_id = ?", ofGroups)
	add("input_requests", []string{"shared_text"}, Confidential, Clear, "recipient_id = ?", "")
	add("input_requests", []string{"purpose", "draft", "comment", "shared_text"}, Confidential, DeleteRow, "? IN (mentee_id, recipient_id)", ofGroups)
	add("import_runs", []string{"content"}, Confidential, Clear, "created_by_id = ?", "")
	// One-on-one requests and apologies: the mentee's or member's own.
	add("one_on_one_requests", []string{"theme", "message", "flags"}, Confidential, DeleteRow, "mentee_id = ?", ofGroups)
	add("apologies", []string{"reason"}, Confidential, DeleteRow, ofPerson, ofGroupsMeetings)
	// A group's own records: not one person's to erase, removed by retention.
	add("meetings", []string{"notes", "status_reason", "agenda", "purpose", "preparation", "practical", "topic", "working_form", "agreed_visits", "agreements"}, Confidential, Clear, "", ofGroups)
	// Links to the person: access, calendars, answers, mail.
	add("sessions", []string{""}, Personal, DeleteRow, ofPerson, "")
	add("api_tokens", []string{""}, Personal, DeleteRow, ofPerson, "")
	add("invitations", []string{""}, Personal, DeleteRow, ofPerson, "")
	add("calendar_feeds", []string{""}, Personal, DeleteRow, ofPerson, "")
	add("intake_appointments", []string{""}, Personal, DeleteRow, ofPersonsIntakes, "")
	add("poll_answers", []string{""}, Personal, DeleteRow, ofPerson, "")
	add("assignments", []string{""}, Personal, DeleteRow, ofPerson, "")
	add("meeting_roles", []string{""}, Personal, DeleteRow, ofPlannedMeetings, "")
	add("mail_deliveries", []string{""}, Personal, DeleteRow, "recipient_id = ?", "")
	add("notices", []string{""}, Personal, DeleteRow, "recipient_id = ?", "")
	add("notice_settings", []string{""}, Personal, DeleteRow, ofPerson, "")
	add("email_changes", []string{""}, Personal, DeleteRow, ofPerson, "")
	add("tenures", []string{""}, Personal, DeleteRow, ofPerson, "") // a left status ends the role by itself
	add("sign_in_counters", []string{"bucket"}, Personal, DeleteRow,
		"EXISTS (SELECT 1 FROM people p WHERE p.id = ? AND (sign_in_counters.bucket = 'account:' || p.email OR sign_in_counters.bucket LIKE 'pair:' || p.email || '|%'))", "")
	// The person's identity: the row stays, so counts and held meetings keep a former member.
	out = append(out,
		InventoryEntry{Table: "people", Column: "name", Kind: Personal, How: Replace, With: "—", ByPerson: "id = ?"},
		InventoryEntry{Table: "people", Column: "email", Kind: Personal, How: Replace, With: "erased-%d@invalid", ByPerson: "id = ?"},
		InventoryEntry{Table: "people", Column: "password_hash", Kind: Personal, How: Clear, ByPerson: "id = ?"},
		InventoryEntry{Table: "people", Column: "discipline", Kind: Personal, How: Clear, ByPerson: "id = ?"},
		InventoryEntry{Table: "people", Column: "manager_id", Kind: Personal, How: SetNull, ByPerson: "id = ?"},
		InventoryEntry{Table: "people", Column: "team_id", Kind: Personal, How: SetNull, ByPerson: "id = ?"},
		InventoryEntry{Table: "people", Column: "oidc_issuer", Kind: Personal, How: SetNull, ByPerson: "id = ?"},
		InventoryEntry{Table: "people", Column: "oidc_subject", Kind: Personal, How: SetNull, ByPerson: "id = ?"},
	)
	return out
}

// apply removes the entry's values in the rows that cond (with arg) selects.
func (e InventoryEntry) apply(tx *gorm.DB, cond string, arg any, personID uint) (int64, error) {
	var res *gorm.DB
	// Table, column and condition come from Inventory, never from input.
	switch e.How {
	case DeleteRow:
		res = tx.Exec("DELETE FROM "+e.Table+" WHERE "+cond, arg) // #nosec G202 -- names from Inventory
	case SetNull:
		res = tx.Exec("UPDATE "+e.Table+" SET "+e.Column+" = NULL WHERE "+cond+" AND "+e.Column+" IS NOT NULL", arg) // #nosec G202
	case Replace:
		with := e.With
		if strings.Contains(with, "%d") {
			with = fmt.Sprintf(with, personID)
		}
		res = tx.Exec("UPDATE "+e.Table+" SET "+e.Column+" = ? WHERE "+cond+" AND "+e.Column+" <> ?", with, arg, with) // #nosec G202
	default:
		res = tx.Exec("UPDATE "+e.Table+" SET "+e.Column+" = '' WHERE "+cond+" AND "+e.Column+" <> ''", arg) // #nosec G202
	}
	return res.RowsAffected, res.Error
}

// ErasureRows lists, per table, the ids of the rows erasing the person may
// change (the inventory's rows of the person, their memberships, and the
// shares with them); for checking that erasure touches nothing else.
func ErasureRows(ctx context.Context, db *gorm.DB, personID uint) (map[string][]uint, error) {
	out := map[string][]uint{}
	for _, e := range Inventory() {
		if e.ByPerson == "" || !hasIDColumn(db, e.Table) {
			continue // a row without an id (a session) is not compared
		}
		var ids []uint
		if err := db.WithContext(ctx).Table(e.Table).Where(e.ByPerson, personID).Pluck(e.Table+".id", &ids).Error; err != nil {
			return nil, fmt.Errorf("%s: %w", e.Table, err)
		}
		out[e.Table] = append(out[e.Table], ids...)
	}
	return out, nil
}

// EraseSelf removes a mentee's identity and everything they wrote or that
// was written about them in confidence, walking the inventory: their
// memberships end as "left" (held meetings keep a former member without a
// name), their sessions, tokens, calendar feeds and shares end. Admins and
// mentors of groups cannot erase themselves this way.
func EraseSelf(ctx context.Context, db *gorm.DB, v Viewer) error {
	if !v.Can(SelfErase) {
		return ErrForbidden
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		id := v.PersonID
		today := DateOf(nowOf(tx))
		var memberships []Membership
		if err := tx.Where("person_id = ? AND status <> ?", id, StatusLeft).Find(&memberships).Error; err != nil {
			return err
		}
		for i := range memberships {
			// Held meetings keep a former member; the ones to come lose them.
			if err := tx.Model(&MembershipStatusChange{}).Where("membership_id = ? AND applied_at IS NULL AND cancelled_at IS NULL",
				memberships[i].ID).Update("cancelled_at", nowOf(tx)).Error; err != nil {
				return err
			}
			if err := applyStatus(tx, &memberships[i], StatusLeft, today, "", id, 0); err != nil {
				return err
			}
		}
		if err := tx.Model(&Consent{}).Where("recipient_id = ? AND revoked_at IS NULL", id).
			Update("revoked_at", nowOf(tx)).Error; err != nil {
			return err
		}
		for _, e := range Inventory() {
			if e.ByPerson == "" {
				continue
			}
			if _, err := e.apply(tx, e.ByPerson, id, id); err != nil {
				return fmt.Errorf("erase %s.%s: %w", e.Table, e.Column, err)
			}
		}
		return audit(tx, 0, AuditErasure, "person", id)
	})
}

// PurgeClosedGroups deletes all confidential text of groups closed longer
// than months ago, walking the inventory: intake assessments and notes,
// goals and progress, cases, meeting notes, reasons and agendas, action
// items, one-on-one notes and themes, first-meeting entries, open
// evaluation answers, applications. Memberships, meetings, attendance and
// one-on-ones stay, so the aggregate report is unchanged. It is safe to
// run again.
func PurgeClosedGroups(ctx context.Context, db *gorm.DB, months int, today Date) (PurgeResult, error) {
	var res PurgeResult
	cutoff := today.AddMonths(-months)
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []uint
		if err := tx.Model(&MentorGroup{}).Where("status = ? AND closed_on IS NOT NULL AND closed_on < ?", GroupClosed, cutoff).
			Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		res.Groups = len(ids)
		for _, e := range Inventory() {
			if e.Kind != Confidential || e.ByGroup == "" {
				continue
			}
			n, err := e.apply(tx, e.ByGroup, ids, 0)
			if err != nil {
				return fmt.Errorf("purge %s.%s: %w", e.Table, e.Column, err)
			}
			res.Texts += int(n)
		}
		for _, id := range ids {
			if err := audit(tx, 0, AuditPurge, "mentor_group", id); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

// hasIDColumn reports whether a table has a column named id.
func hasIDColumn(db *gorm.DB, table string) bool {
	cols, err := db.Migrator().ColumnTypes(table)
	if err != nil {
		return false
	}
	for _, c := range cols {
		if c.Name() == "id" {
			return true
		}
	}
	return false
}
