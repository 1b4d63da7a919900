package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DefaultRetentionMonths is how long confidential text is kept after a
// group closes.
const DefaultRetentionMonths = 3

// PurgeResult counts what a purge removed.
type PurgeResult struct {
	Groups int `json:"groups"`
	Texts  int `json:"texts"`
}

// PurgeClosedGroups deletes the confidential text of groups closed longer
// than months ago: intake notes, learning goals and progress, case
// questions, meeting notes, one-on-one notes and first-meeting entries.
// Memberships, meetings, attendance and one-on-ones stay, so the
// aggregate report is unchanged. It is safe to run again.
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
		steps := []*gorm.DB{
			tx.Model(&Intake{}).Where("membership_id IN (?) AND notes <> ''", tx.Model(&Membership{}).Select("id").Where("group_id IN ?", ids)).
				Update("notes", gorm.Expr("''")),
			tx.Where("goal_id IN (?)", tx.Model(&LearningGoal{}).Select("id").Where("group_id IN ?", ids)).Delete(&GoalProgress{}),
			tx.Where("group_id IN ?", ids).Delete(&LearningGoal{}),
			tx.Where("group_id IN ?", ids).Delete(&CaseQuestion{}),
			tx.Model(&Meeting{}).Where("group_id IN ? AND notes <> ''", ids).Update("notes", gorm.Expr("''")),
			tx.Model(&OneOnOne{}).Where("group_id IN ? AND (notes <> '' OR follow_ups <> '')", ids).
				Updates(map[string]any{"notes": gorm.Expr("''"), "follow_ups": gorm.Expr("''")}),
			tx.Where("meeting_id IN (?)", tx.Model(&Meeting{}).Select("id").Where("group_id IN ?", ids)).Delete(&FirstMeetingEntry{}),
			tx.Model(&EvaluationAnswer{}).Where("group_id IN ? AND open <> ''", ids).Update("open", gorm.Expr("''")),
		}
		for _, step := range steps {
			if step.Error != nil {
				return step.Error
			}
			res.Texts += int(step.RowsAffected)
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

// PersonalData is everything a person can download about themself.
type PersonalData struct {
	Person       Person              `json:"person"`
	Memberships  []Membership        `json:"memberships"`
	Goals        []GoalRow           `json:"learning_goals"`
	Cases        []CaseRow           `json:"cases"`
	OneOnOnes    []OneOnOneRow       `json:"one_on_ones"`
	Attendance   []Attendance        `json:"attendance"`
	Entries      []FirstMeetingEntry `json:"first_meeting_entries"`
	Consents     []ConsentRow        `json:"consents"`
	Applications []Application       `json:"applications"`
	Evaluations  []EvaluationAnswer  `json:"evaluations"`
	Exported     time.Time           `json:"exported_at"`
}

// ExportOwnData gathers the viewer's own data, without what other members
// wrote, and logs the export.
func ExportOwnData(ctx context.Context, db *gorm.DB, v Viewer, now time.Time) (PersonalData, error) {
	tx := db.WithContext(ctx)
	out := PersonalData{Exported: now.UTC()}
	if err := tx.First(&out.Person, v.PersonID).Error; err != nil {
		return out, notFound(err)
	}
	out.Person.PasswordHash = ""
	steps := []error{
		tx.Where("person_id = ?", v.PersonID).Find(&out.Memberships).Error,
		tx.Where("person_id = ?", v.PersonID).Find(&out.Attendance).Error,
		tx.Where("person_id = ?", v.PersonID).Find(&out.Entries).Error,
		tx.Where("person_id = ?", v.PersonID).Find(&out.Applications).Error,
		tx.Where("person_id = ?", v.PersonID).Find(&out.Evaluations).Error,
	}
	for _, err := range steps {
		if err != nil {
			return out, err
		}
	}
	goals, err := listGoals(tx, v, 0, 0, Window{})
	if err != nil {
		return out, err
	}
	for _, g := range goals {
		if g.Mine {
			out.Goals = append(out.Goals, g)
		}
	}
	cases, err := listCases(tx, v, 0, 0)
	if err != nil {
		return out, err
	}
	for _, c := range cases {
		if c.AuthorID == v.PersonID {
			out.Cases = append(out.Cases, c)
		}
	}
	talks, err := ListOneOnOnes(ctx, db, v)
	if err != nil {
		return out, err
	}
	for _, t := range talks {
		if t.MenteeID == v.PersonID {
			out.OneOnOnes = append(out.OneOnOnes, t)
		}
	}
	if out.Consents, err = OwnConsents(ctx, db, v); err != nil {
		return out, err
	}
	return out, audit(tx, v.PersonID, AuditExport, "person", v.PersonID)
}

// EraseSelf removes a mentee's own texts and identity: they remain only
// as an anonymous count in memberships and attendance. Admins and mentors
// of groups cannot erase themselves this way.
func EraseSelf(ctx context.Context, db *gorm.DB, v Viewer) error {
	if v.Admin || v.Mentor {
		return ErrForbidden
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		id := v.PersonID
		steps := []error{
			tx.Where("goal_id IN (?)", tx.Model(&LearningGoal{}).Select("id").Where("person_id = ?", id)).Delete(&GoalProgress{}).Error,
			tx.Where("person_id = ?", id).Delete(&LearningGoal{}).Error,
			tx.Where("author_id = ?", id).Delete(&CaseQuestion{}).Error,
			tx.Where("person_id = ?", id).Delete(&FirstMeetingEntry{}).Error,
			tx.Where("owner_id = ? OR recipient_id = ?", id, id).Delete(&Consent{}).Error,
			tx.Model(&OneOnOne{}).Where("mentee_id = ?", id).Updates(map[string]any{"notes": gorm.Expr("''"), "follow_ups": gorm.Expr("''")}).Error,
			tx.Model(&Intake{}).Where("membership_id IN (?)", tx.Model(&Membership{}).Select("id").Where("person_id = ?", id)).Update("notes", gorm.Expr("''")).Error,
			tx.Where("person_id = ?", id).Delete(&Application{}).Error,
			tx.Model(&EvaluationAnswer{}).Where("person_id = ?", id).Update("open", gorm.Expr("''")).Error,
			tx.Where("person_id = ?", id).Delete(&Session{}).Error,
			tx.Where("person_id = ?", id).Delete(&APIToken{}).Error,
			tx.Where("person_id = ?", id).Delete(&Invitation{}).Error,
			tx.Model(&Person{}).Where("id = ?", id).Updates(map[string]any{"name": "—", "email": fmt.Sprintf("erased-%d@invalid", id),
				"password_hash": "", "discipline": "", "manager_id": nil, "team_id": nil}).Error,
		}
		for _, err := range steps {
			if err != nil {
				return err
			}
		}
		return audit(tx, 0, AuditErasure, "person", id)
	})
}
