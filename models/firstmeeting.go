package models

import (
	"context"

	"gorm.io/gorm"
)

// IntroFormats are the ways members can introduce themselves at the first meeting.
var IntroFormats = []string{"object", "interview", "round"}

// FirstMeetingEntry is what the first meeting's agenda holds per mentee:
// their learning goal, development needs and questions as they brought them
// in, and whether they agreed to the conduct agreements.
type FirstMeetingEntry struct {
	ID            uint   `gorm:"primaryKey" json:"-"`
	MeetingID     uint   `gorm:"not null" json:"-"`
	PersonID      uint   `gorm:"not null" json:"person_id"`
	Name          string `gorm:"-" json:"name"`
	Goal          string `gorm:"type:text;not null;default:''" json:"goal" sealed:"first_meeting_entries"`
	Needs         string `gorm:"type:text;not null;default:''" json:"needs" sealed:"first_meeting_entries"`
	Questions     string `gorm:"type:text;not null;default:''" json:"questions" sealed:"first_meeting_entries"`
	ConductAgreed bool   `gorm:"not null;default:false" json:"conduct_agreed"`
	// GoalID is the learning goal the entry's goal became, once written.
	GoalID *uint `json:"-"`
}

// firstMeetingEntries returns an entry per member (empty where none is saved).
func firstMeetingEntries(tx *gorm.DB, meetingID uint, members []uint) ([]FirstMeetingEntry, error) {
	var saved []FirstMeetingEntry
	if err := tx.Where("meeting_id = ?", meetingID).Find(&saved).Error; err != nil {
		return nil, err
	}
	byPerson := map[uint]FirstMeetingEntry{}
	for _, e := range saved {
		byPerson[e.PersonID] = e
	}
	var people []PersonChoice
	if err := tx.Model(&Person{}).Select("id, name").Where("id IN ?", append(members, 0)).Order("name").Scan(&people).Error; err != nil {
		return nil, err
	}
	out := make([]FirstMeetingEntry, len(people))
	for i, p := range people {
		e, ok := byPerson[p.ID]
		if !ok {
			e = FirstMeetingEntry{MeetingID: meetingID, PersonID: p.ID}
		}
		e.Name = p.Name
		out[i] = e
	}
	return out, nil
}

// EntryInput is one mentee's part of the first meeting's agenda.
type EntryInput struct {
	Goal          string `form:"goal" json:"goal" validate:"max=2000"`
	Needs         string `form:"needs" json:"needs" validate:"max=2000"`
	Questions     string `form:"questions" json:"questions" validate:"max=2000"`
	ConductAgreed bool   `form:"conduct_agreed" json:"conduct_agreed"`
}

// SaveEntry stores a mentee's part of the first meeting's agenda: the
// mentee themself or the mentor may.
func SaveEntry(ctx context.Context, db *gorm.DB, v Viewer, meetingID, personID uint, in EntryInput) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockRow(tx, "meetings", meetingID); err != nil {
			return err
		}
		m, a, err := meetingFor(tx, v, MeetingRead, meetingID)
		if err != nil {
			return err
		}
		if m.Kind != KindFirstMeeting || !Decide(a, MeetingEntryWrite, Subject{OwnerID: personID}) {
			return ErrNotFound
		}
		g := a.Group
		ids, _, err := activeMembers(tx, g.ID)
		if err != nil {
			return err
		}
		found := false
		for _, id := range ids {
			found = found || id == personID
		}
		if !found {
			return ErrNotFound
		}
		var e FirstMeetingEntry
		if err := tx.Where("meeting_id = ? AND person_id = ?", meetingID, personID).Limit(1).Find(&e).Error; err != nil {
			return err
		}
		e.MeetingID, e.PersonID = meetingID, personID
		e.Goal, e.Needs, e.Questions, e.ConductAgreed = CleanText(in.Goal), CleanText(in.Needs), CleanText(in.Questions), in.ConductAgreed
		if e.Goal != "" && e.GoalID == nil {
			// The goal written here becomes the mentee's learning goal, theirs
			// to edit under Learning goals from now on.
			goal := LearningGoal{PersonID: personID, GroupID: g.ID, What: e.Goal}
			if err := tx.Create(&goal).Error; err != nil {
				return err
			}
			e.GoalID = &goal.ID
		}
		return tx.Save(&e).Error
	})
}
