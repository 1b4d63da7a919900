package models

import (
	"time"

	"gorm.io/gorm"
)

// Notice kinds of an intake appointment: planned (or moved) and called
// off. Both go to the candidate and the group's mentor, with an invitation
// for their calendars.
const (
	NoticeIntakePlanned   = "intake_planned"
	NoticeIntakeCancelled = "intake_cancelled"
)

// intakeParties are the two people of an intake appointment.
type intakeParties struct {
	GroupID, MentorID, MenteeID uint
}

func intakePartiesOf(tx *gorm.DB, membershipID uint) (intakeParties, error) {
	var r intakeParties
	err := tx.Table("memberships ms").Select("ms.group_id, g.mentor_id, ms.person_id AS mentee_id").
		Joins("JOIN mentor_groups g ON g.id = ms.group_id").Where("ms.id = ?", membershipID).Take(&r).Error
	return r, err
}

// notifyIntake tells the candidate and the group's mentor, in the
// transaction that changed it, that an intake was planned, moved or called
// off. The occurrence is the appointment's version, so each change
// notifies once; an intake already past tells no one.
func notifyIntake(tx *gorm.DB, a IntakeAppointment) error {
	if !a.StartsAt.After(nowOf(tx)) {
		return nil
	}
	r, err := intakePartiesOf(tx, a.MembershipID)
	if err != nil {
		return err
	}
	kind := NoticeIntakePlanned
	if a.Status == IntakeCancelled {
		kind = NoticeIntakeCancelled
	}
	about := NoticeAbout{Type: "intake", ID: a.ID, GroupID: r.GroupID, OtherID: r.MentorID,
		Path: "/groups/" + itoaU(r.GroupID), Occurrence: time.Unix(int64(a.Sequence), 0)}
	if err := Notify(tx, kind, about, []uint{r.MenteeID}); err != nil {
		return err
	}
	about.OtherID, about.Path = r.MenteeID, "/memberships/"+itoaU(a.MembershipID)+"/intake"
	return Notify(tx, kind, about, []uint{r.MentorID})
}

// composeIntakeMail fills an intake mail from the appointment as it is
// now: the other person, when and where, and the invitation (the same UID
// as the calendar feed, from the group's mentor). A later change, or a
// recipient who is no longer one of the two, makes it stale.
func composeIntakeMail(tx *gorm.DB, d MailDelivery, out OutgoingMail, recipient uint) (OutgoingMail, error) {
	var a IntakeAppointment
	if err := tx.Take(&a, d.SubjectID).Error; err != nil {
		return out, staleIfGone(err)
	}
	if int64(a.Sequence) != d.Occurrence.Unix() || (a.Status == IntakeCancelled) != (d.Kind == NoticeIntakeCancelled) {
		return out, ErrStale
	}
	r, err := intakePartiesOf(tx, a.MembershipID)
	if err != nil {
		return out, staleIfGone(err)
	}
	var people []Person
	if err := tx.Select("id", "name", "email").Where("id IN ?", []uint{r.MentorID, r.MenteeID}).Find(&people).Error; err != nil {
		return out, err
	}
	names, emails := map[uint]string{}, map[uint]string{}
	for _, p := range people {
		names[p.ID], emails[p.ID] = p.Name, p.Email
	}
	switch recipient {
	case r.MenteeID:
		out.With, out.Path = names[r.MentorID], "/groups/"+itoaU(r.GroupID)
	case r.MentorID:
		out.With, out.Path = names[r.MenteeID], "/memberships/"+itoaU(a.MembershipID)+"/intake"
	default:
		return out, ErrStale
	}
	out.Kind, out.GroupName = d.Kind+":intake", out.With // titled as in the feed: "Intake · the other"
	out.StartsAt, out.EndsAt, out.Location = a.StartsAt, a.EndsAt, a.Location
	out.UID, out.Sequence, out.Cancelled, out.Updated = "intake-"+itoaU(a.ID), a.Sequence, a.Status == IntakeCancelled, a.UpdatedAt
	out.OrganizerName, out.OrganizerEmail = names[r.MentorID], emails[r.MentorID]
	return out, nil
}
