package models

import (
	"context"
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
	InputAsked   []InputRow          `json:"input_asked"`
	Applications []Application       `json:"applications"`
	Evaluations  []EvaluationAnswer  `json:"evaluations"`
	// Notices are the person's notices in the app (what, about which
	// group, when, read or not) and their choice of delivery per kind.
	Notices       []NoticeRow       `json:"notices"`
	NoticeChoices map[string]string `json:"notice_choices"`
	Requests      []OneOnOneRequest `json:"one_on_one_requests"`
	Apologies     []Apology         `json:"apologies"`
	Exported      time.Time         `json:"exported_at"`
}

// exportNoticeLimit bounds the notices in an export; notices are purged
// after NoticeKeep, so a person has far fewer.
const exportNoticeLimit = 100000

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
		tx.Where("mentee_id = ?", v.PersonID).Order("id").Find(&out.Requests).Error,
		tx.Where("person_id = ?", v.PersonID).Order("id").Find(&out.Apologies).Error,
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
	lists, err := ListInputRequests(ctx, db, v)
	if err != nil {
		return out, err
	}
	out.InputAsked = lists.Mine
	if out.Notices, err = ListNotices(ctx, db, v, exportNoticeLimit); err != nil {
		return out, err
	}
	if out.NoticeChoices, err = NoticeModesOf(ctx, db, v); err != nil {
		return out, err
	}
	return out, audit(tx, v.PersonID, AuditExport, "person", v.PersonID)
}
