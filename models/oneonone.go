package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// OneOnOneThemes are the usual theme families of one-on-ones, and "other".
var OneOnOneThemes = []string{"work_discipline", "balance", "influence", "assertiveness", "other"}

// OneOnOne is a talk between a mentor and one mentee. Its notes and
// follow-ups are for those two only.
type OneOnOne struct {
	ID        uint      `gorm:"primaryKey" json:"id"`
	GroupID   uint      `gorm:"not null" json:"group_id"`
	MentorID  uint      `gorm:"not null" json:"mentor_id"`
	MenteeID  uint      `gorm:"not null" json:"mentee_id"`
	StartsAt  time.Time `gorm:"not null" json:"starts_at"`
	EndsAt    time.Time `gorm:"not null" json:"ends_at"`
	AdHoc     bool      `gorm:"not null;default:false" json:"ad_hoc"`
	Theme     string    `gorm:"type:text;not null" json:"theme" sealed:"one_on_ones"`
	Urgent    bool      `gorm:"-" json:"urgent"`
	Flags     string    `gorm:"type:text;not null;default:''" json:"-" sealed:"one_on_ones"` // "urgent" or empty, sealed
	Notes     string    `gorm:"type:text;not null;default:''" json:"notes" sealed:"one_on_ones"`
	FollowUps string    `gorm:"type:text;not null;default:''" json:"follow_ups" sealed:"one_on_ones"`
	Status    string    `gorm:"size:20;not null;default:'planned'" json:"status"`
	Sequence  int       `gorm:"not null;default:0" json:"sequence"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// OneOnOneRow is a one-on-one with the names of both sides.
type OneOnOneRow struct {
	OneOnOne
	MentorName string `json:"mentor_name"`
	MenteeName string `json:"mentee_name"`
}

// OneOnOneInput plans or records a one-on-one.
type OneOnOneInput struct {
	MenteeID    uint   `form:"mentee_id" json:"mentee_id"`
	Date        string `form:"date" json:"date" validate:"required,date"`
	StartTime   string `form:"start_time" json:"start_time" validate:"required,max=5"`
	DurationMin int    `form:"duration_min" json:"duration_min" validate:"omitempty,min=15,max=240"`
	AdHoc       bool   `form:"ad_hoc" json:"ad_hoc"`
	Theme       string `form:"theme" json:"theme" validate:"required,oneof=work_discipline balance influence assertiveness other"`
	Urgent      bool   `form:"urgent" json:"urgent"`
	Notes       string `form:"notes" json:"notes" validate:"max=20000"`
	FollowUps   string `form:"follow_ups" json:"follow_ups" validate:"max=5000"`
	Status      string `form:"status" json:"status" validate:"omitempty,oneof=planned held cancelled"`
}

// visibleOneOnOnes is the only way one-on-ones are read: the viewer's own as
// mentee (theirs, also after leaving the group), and those the viewer holds
// as mentor while they mentor the group, from their term on. It is the SQL
// form of the OneOnOneRead rule in policy.go.
func visibleOneOnOnes(tx *gorm.DB, v Viewer) *gorm.DB {
	return tx.Model(&OneOnOne{}).Where(`(one_on_ones.mentee_id = @viewer
		OR (one_on_ones.mentor_id = @viewer
			AND one_on_ones.group_id IN (SELECT id FROM mentor_groups WHERE mentor_id = @viewer)
			AND one_on_ones.created_at >= COALESCE(`+tenureStart("one_on_ones.group_id")+`, one_on_ones.created_at)))`,
		map[string]any{"viewer": v.PersonID})
}

// ListOneOnOnes returns the viewer's one-on-ones, newest first.
func ListOneOnOnes(ctx context.Context, db *gorm.DB, v Viewer) ([]OneOnOneRow, error) {
	var out []OneOnOneRow
	err := visibleOneOnOnes(db.WithContext(ctx), v).
		Select("one_on_ones.*, mr.name AS mentor_name, me.name AS mentee_name").
		Joins("JOIN people mr ON mr.id = one_on_ones.mentor_id").
		Joins("JOIN people me ON me.id = one_on_ones.mentee_id").
		Order("one_on_ones.starts_at DESC").Find(&out).Error
	return out, err
}

// GetOneOnOne returns one of the viewer's one-on-ones; anyone else gets ErrNotFound.
func GetOneOnOne(ctx context.Context, db *gorm.DB, v Viewer, id uint) (OneOnOneRow, error) {
	var out OneOnOneRow
	res := visibleOneOnOnes(db.WithContext(ctx), v).
		Select("one_on_ones.*, mr.name AS mentor_name, me.name AS mentee_name").
		Joins("JOIN people mr ON mr.id = one_on_ones.mentor_id").
		Joins("JOIN people me ON me.id = one_on_ones.mentee_id").
		Where("one_on_ones.id = ?", id).Limit(1).Find(&out)
	if res.Error != nil {
		return out, res.Error
	}
	if res.RowsAffected == 0 {
		return out, ErrNotFound
	}
	// Both write in a one-on-one; the mentee reading the mentor's notes is logged.
	if v.PersonID == out.MenteeID && out.Notes != "" {
		return out, audit(db.WithContext(ctx), v.PersonID, AuditRead, "one_on_one", out.ID)
	}
	return out, nil
}

// applyOneOnOne fills a one-on-one from the form.
func applyOneOnOne(tx *gorm.DB, o *OneOnOne, in OneOnOneInput) error {
	start, err := localStart(tx, in.Date, in.StartTime)
	if err != nil {
		return err
	}
	if in.DurationMin == 0 {
		in.DurationMin = 60
	}
	end := start.Add(time.Duration(in.DurationMin) * time.Minute)
	if o.ID != 0 && (!start.Equal(o.StartsAt) || !end.Equal(o.EndsAt) || (in.Status != "" && in.Status != o.Status)) {
		o.Sequence++
	}
	o.StartsAt, o.EndsAt = start, end
	o.AdHoc, o.Theme, o.Urgent = in.AdHoc, in.Theme, in.Urgent
	o.Notes, o.FollowUps = CleanText(in.Notes), CleanText(in.FollowUps)
	if in.Status != "" {
		o.Status = in.Status
	}
	return nil
}

// CreateOneOnOne plans a one-on-one: the mentor plans it with a mentee of
// their group. A mentee asks for one instead (AskOneOnOne).
func CreateOneOnOne(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, in OneOnOneInput) (OneOnOne, error) {
	var o OneOnOne
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := requireGroup(tx, v, GroupMentor, groupID)
		if err != nil {
			return err
		}
		g, mentee := a.Group, in.MenteeID
		if g.Status == GroupClosed {
			return errGroupClosed
		}
		ids, _, err := activeMembers(tx, g.ID)
		if err != nil {
			return err
		}
		ok := false
		for _, id := range ids {
			ok = ok || id == mentee
		}
		if !ok {
			return fieldErr("mentee_id", "unknown_choice")
		}
		o = OneOnOne{GroupID: g.ID, MentorID: g.MentorID, MenteeID: mentee, Status: "planned"}
		if err := applyOneOnOne(tx, &o, in); err != nil {
			return err
		}
		return tx.Create(&o).Error
	})
	return o, err
}

// UpdateOneOnOne saves a one-on-one; its mentor or its mentee may.
func UpdateOneOnOne(ctx context.Context, db *gorm.DB, v Viewer, id uint, in OneOnOneInput) (OneOnOne, error) {
	var o OneOnOne
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&o, id).Error; err != nil {
			return notFound(err)
		}
		if _, err := authorize(tx, v, OneOnOneWrite, id); err != nil {
			return err
		}
		if err := applyOneOnOne(tx, &o, in); err != nil {
			return err
		}
		return tx.Save(&o).Error
	})
	return o, err
}

// PackSealed writes whether the one-on-one is urgent into the sealed Flags
// (always a value, so an empty column gives nothing away).
func (o *OneOnOne) PackSealed() {
	o.Flags = "normal"
	if o.Urgent {
		o.Flags = "urgent"
	}
}

// UnpackSealed reads Urgent back from the opened Flags.
func (o *OneOnOne) UnpackSealed() { o.Urgent = o.Flags == "urgent" }
