package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// CaseStatus is where a case question stands.
type CaseStatus string

// Case statuses, in order.
const (
	CaseSubmitted CaseStatus = "submitted"
	CasePlanned   CaseStatus = "planned"
	CaseDiscussed CaseStatus = "discussed"
	CaseClosed    CaseStatus = "closed"
)

// CaseStatuses lists the statuses in order.
var CaseStatuses = []CaseStatus{CaseSubmitted, CasePlanned, CaseDiscussed, CaseClosed}

// CaseQuestion is a work situation a mentee brings in for the group to
// work on, shared with the group or with the mentor only. The take-aways
// are the author's alone.
type CaseQuestion struct {
	ID         uint       `gorm:"primaryKey" json:"id"`
	GroupID    uint       `gorm:"not null" json:"group_id"`
	AuthorID   uint       `gorm:"not null" json:"author_id"`
	Title      string     `gorm:"type:text;not null" json:"title" sealed:"case_questions"`
	Situation  string     `gorm:"type:text;not null;default:''" json:"situation" sealed:"case_questions"`
	Question   string     `gorm:"type:text;not null;default:''" json:"question" sealed:"case_questions"`
	Tried      string     `gorm:"type:text;not null;default:''" json:"tried" sealed:"case_questions"`
	Hope       string     `gorm:"type:text;not null;default:''" json:"hope" sealed:"case_questions"`
	Visibility string     `gorm:"size:10;not null" json:"visibility"` // group or mentor
	Status     CaseStatus `gorm:"size:20;not null" json:"status"`
	MeetingID  *uint      `json:"meeting_id,omitempty"`
	TakeAways  string     `gorm:"type:text;not null;default:''" json:"take_aways,omitempty" sealed:"case_questions"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"-"`
}

// CaseRow is a case with its author's name and its meeting's start.
type CaseRow struct {
	CaseQuestion
	AuthorName     string     `json:"author_name"`
	MeetingStartAt *time.Time `json:"meeting_starts_at,omitempty"`
}

// CaseInput is the case form.
type CaseInput struct {
	Title      string `form:"title" json:"title" validate:"required,max=200"`
	Situation  string `form:"situation" json:"situation" validate:"max=5000"`
	Question   string `form:"question" json:"question" validate:"required,max=2000"`
	Tried      string `form:"tried" json:"tried" validate:"max=2000"`
	Hope       string `form:"hope" json:"hope" validate:"max=2000"`
	Visibility string `form:"visibility" json:"visibility" validate:"required,oneof=group mentor"`
}

// visibleCases is the only way cases are read: the viewer's own, those of
// the group they mentor and those shared with the group they are an admitted
// member of, each from the start of the viewer's role on (or still waiting
// to be placed). Take-aways are cleared for anyone but the author. It is
// the SQL form of the CaseRead rule in policy.go.
func visibleCases(tx *gorm.DB, v Viewer) *gorm.DB {
	inTenure := `(case_questions.status = 'submitted' OR case_questions.created_at >= COALESCE(` +
		tenureStart("case_questions.group_id") + `, case_questions.created_at))`
	return tx.Model(&CaseQuestion{}).Where(`(case_questions.author_id = @viewer
		OR (case_questions.group_id IN (SELECT id FROM mentor_groups WHERE mentor_id = @viewer) AND `+inTenure+`)
		OR (case_questions.visibility = 'group' AND case_questions.group_id IN
			(SELECT group_id FROM memberships WHERE person_id = @viewer AND status IN @admitted) AND `+inTenure+`))`,
		map[string]any{"viewer": v.PersonID, "admitted": AdmittedStatuses})
}

func listCases(tx *gorm.DB, v Viewer, groupID, caseID uint) ([]CaseRow, error) {
	q := visibleCases(tx, v).Select("case_questions.*, p.name AS author_name, m.starts_at AS meeting_start_at").
		Joins("JOIN people p ON p.id = case_questions.author_id").
		Joins("LEFT JOIN meetings m ON m.id = case_questions.meeting_id")
	if groupID != 0 {
		q = q.Where("case_questions.group_id = ?", groupID)
	}
	if caseID != 0 {
		q = q.Where("case_questions.id = ?", caseID)
	}
	var out []CaseRow
	if err := q.Order("case_questions.id DESC").Find(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].AuthorID != v.PersonID {
			out[i].TakeAways = ""
			if err := audit(tx, v.PersonID, AuditRead, "case", out[i].ID); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// GroupCases lists the cases of a group the viewer may see.
func GroupCases(ctx context.Context, db *gorm.DB, v Viewer, groupID uint) ([]CaseRow, error) {
	tx := db.WithContext(ctx)
	if _, err := requireGroup(tx, v, GroupContent, groupID); err != nil {
		return nil, err
	}
	return listCases(tx, v, groupID, 0)
}

// GetCase returns one case the viewer may see.
func GetCase(ctx context.Context, db *gorm.DB, v Viewer, id uint) (CaseRow, error) {
	rows, err := listCases(db.WithContext(ctx), v, 0, id)
	if err != nil {
		return CaseRow{}, err
	}
	if len(rows) == 0 {
		return CaseRow{}, ErrNotFound
	}
	return rows[0], nil
}

// nextOpenMeeting finds the first intervision meeting of a group whose case
// deadline has not passed at now.
func nextOpenMeeting(tx *gorm.DB, groupID uint, now time.Time) (*uint, error) {
	var ms []Meeting
	if err := tx.Select("id", "starts_at", "case_deadline_days").
		Where("group_id = ? AND kind = ? AND status = ? AND starts_at > ?", groupID, KindIntervision, MeetingPlanned, now).
		Order("starts_at").Limit(20).Find(&ms).Error; err != nil {
		return nil, err
	}
	for _, m := range ms {
		if now.Before(m.StartsAt.AddDate(0, 0, -m.CaseDeadlineDays)) {
			return &m.ID, nil
		}
	}
	return nil, nil
}

// SubmitCase adds a case of the viewer's to a group they are a mentee of.
// It is proposed for the next intervision meeting whose case deadline has
// not passed; the mentor places it on the agenda.
func SubmitCase(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, in CaseInput, now time.Time) (CaseQuestion, error) {
	var c CaseQuestion
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := requireGroup(tx, v, GroupMember, groupID); err != nil {
			return err
		}
		next, err := nextOpenMeeting(tx, groupID, now)
		if err != nil {
			return err
		}
		c = CaseQuestion{GroupID: groupID, AuthorID: v.PersonID, Title: CleanText(in.Title), Situation: CleanText(in.Situation),
			Question: CleanText(in.Question), Tried: CleanText(in.Tried), Hope: CleanText(in.Hope), Visibility: in.Visibility,
			Status: CaseSubmitted, MeetingID: next}
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		var mentor uint
		if err := tx.Model(&MentorGroup{}).Where("id = ?", groupID).Pluck("mentor_id", &mentor).Error; err != nil {
			return err
		}
		return Notify(tx, NoticeCaseSubmitted, NoticeAbout{Type: "case", ID: c.ID, GroupID: groupID, OtherID: v.PersonID,
			Path: "/cases/" + itoaU(c.ID), Occurrence: time.Unix(0, 0)}, without([]uint{mentor}, v.PersonID))
	})
	return c, err
}

// PlaceInput puts a case on a meeting's agenda.
type PlaceInput struct {
	MeetingID uint `form:"meeting_id" json:"meeting_id" validate:"required"`
}

// PlaceCase puts a case on an intervision meeting of its group, which
// makes its author a case-bringer there; the group's mentor only.
func PlaceCase(ctx context.Context, db *gorm.DB, v Viewer, id uint, in PlaceInput) (CaseQuestion, error) {
	var c CaseQuestion
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&c, id).Error; err != nil {
			return notFound(err)
		}
		if _, err := authorize(tx, v, CaseMentor, id); err != nil {
			return err
		}
		var m Meeting
		if err := tx.Select("id", "group_id", "kind", "starts_at").Where("group_id = ?", c.GroupID).First(&m, in.MeetingID).Error; err != nil {
			return fieldErr("meeting_id", "unknown_choice")
		}
		var from uint
		if c.MeetingID != nil {
			from = *c.MeetingID
		}
		if c.MeetingID != nil && *c.MeetingID != m.ID {
			if err := tx.Where("meeting_id = ? AND role = ? AND person_id = ?", *c.MeetingID, RoleCaseBringer, c.AuthorID).
				Delete(&MeetingRoleAssignment{}).Error; err != nil {
				return err
			}
		}
		c.MeetingID, c.Status = &m.ID, CasePlanned
		if err := tx.Model(&c).Select("meeting_id", "status").Updates(&CaseQuestion{MeetingID: c.MeetingID, Status: c.Status}).Error; err != nil {
			return err
		}
		if err := Notify(tx, NoticeCasePlaced, NoticeAbout{Type: "case", ID: c.ID, GroupID: c.GroupID, Path: "/cases/" + itoaU(c.ID),
			Occurrence: m.StartsAt}, without([]uint{c.AuthorID}, v.PersonID)); err != nil {
			return err
		}
		// The author brings the case: they take the place of a case-bringer
		// without a case placed here, and do not chair their own case.
		authors := tx.Model(&CaseQuestion{}).Select("author_id").Where("meeting_id = ? AND status = ?", m.ID, CasePlanned)
		if err := tx.Where("meeting_id = ? AND role = ? AND person_id NOT IN (?)", m.ID, RoleCaseBringer, authors).
			Delete(&MeetingRoleAssignment{}).Error; err != nil {
			return err
		}
		if err := tx.Where("meeting_id = ? AND role = ? AND person_id = ?", m.ID, RoleFacilitator, c.AuthorID).
			Delete(&MeetingRoleAssignment{}).Error; err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&MeetingRoleAssignment{}).Where("meeting_id = ? AND role = ? AND person_id = ?", m.ID, RoleCaseBringer, c.AuthorID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			if err := tx.Create(&MeetingRoleAssignment{MeetingID: m.ID, Role: RoleCaseBringer, PersonID: c.AuthorID}).Error; err != nil {
				return err
			}
		}
		// One method round per case presenter, here and where the case came from.
		if err := relayRounds(tx, m.ID); err != nil {
			return err
		}
		if from != 0 && from != m.ID {
			return relayRounds(tx, from)
		}
		return nil
	})
	return c, err
}

// CaseStatusInput moves a case on.
type CaseStatusInput struct {
	Status string `form:"status" json:"status" validate:"required,oneof=submitted planned discussed closed"`
}

// SetCaseStatus changes a case's status: the mentor any way; the author
// may close their own case.
func SetCaseStatus(ctx context.Context, db *gorm.DB, v Viewer, id uint, in CaseStatusInput) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c CaseQuestion
		if err := visibleCases(tx, v).Where("case_questions.id = ?", id).First(&c).Error; err != nil {
			return notFound(err)
		}
		a, err := authorize(tx, v, CaseStatusChange, id)
		if err != nil {
			return err
		}
		if !a.IsMentor() && in.Status != string(CaseClosed) {
			return fieldErr("status", "case_author_may_close_only")
		}
		return tx.Model(&CaseQuestion{}).Where("id = ?", id).Update("status", in.Status).Error
	})
}

// TakeAwaysInput is the author's private note of what they take away.
type TakeAwaysInput struct {
	TakeAways string `form:"take_aways" json:"take_aways" validate:"max=5000"`
}

// SaveTakeAways stores the author's take-aways; the author only.
func SaveTakeAways(ctx context.Context, db *gorm.DB, v Viewer, id uint, in TakeAwaysInput) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c CaseQuestion
		if err := tx.First(&c, id).Error; err != nil {
			return notFound(err)
		}
		if !Decide(Access{ViewerID: v.PersonID}, CaseAuthor, caseSubject(c)) {
			return ErrNotFound
		}
		return tx.Model(&c).Update("take_aways", CleanText(in.TakeAways)).Error
	})
}

// MeetingCases lists the cases on a meeting's agenda the viewer may see.
func MeetingCases(ctx context.Context, db *gorm.DB, v Viewer, meetingID uint) ([]CaseRow, error) {
	tx := db.WithContext(ctx)
	var out []CaseRow
	err := visibleCases(tx, v).Select("case_questions.*, p.name AS author_name").
		Joins("JOIN people p ON p.id = case_questions.author_id").
		Where("case_questions.meeting_id = ? AND case_questions.status <> ?", meetingID, CaseSubmitted).
		Order("case_questions.id").Find(&out).Error
	for i := range out {
		if out[i].AuthorID != v.PersonID {
			out[i].TakeAways = ""
		}
	}
	return out, err
}
