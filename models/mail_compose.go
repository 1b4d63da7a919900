package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// OutgoingMail is what a delivery says, made from the current state. It
// holds no confidential text: the kind, the group, date, time, place and a link.
type OutgoingMail struct {
	To        string
	Name      string
	Language  string
	Kind      string
	GroupName string
	With      string // the other person of a one-on-one
	StartsAt  time.Time
	EndsAt    time.Time
	Location  string
	Path      string // link into the app
	UID       string
	Sequence  int
	Cancelled bool
	Personal  bool        // an account link for the addressee alone
	Expires   time.Time   // when that link stops working
	Items     []NoticeRow // the notices of a daily digest
	// The organiser of a meeting's invitation: the group's mentor, or the
	// mentor of a one-on-one.
	OrganizerName, OrganizerEmail string
	Updated                       time.Time // when the meeting last changed
	// RecurrenceID names the instance of a series (UID) that a meeting
	// mail is about; zero for a meeting outside a series.
	RecurrenceID time.Time
	// Series is the whole series of a series mail: one invitation with
	// every meeting in it.
	Series *SeriesInvitation
}

// ErrStale means a delivery no longer applies and is withdrawn.
var ErrStale = errors.New("the delivery no longer applies")

// ComposeDelivery looks up what a delivery is about, now. A reminder for a
// meeting that moved, was cancelled or held, was deleted, or a reminder the
// recipient switched off, is ErrStale. Any other failed read is returned as
// it is: the delivery stays in the queue and is tried again.
func ComposeDelivery(ctx context.Context, db *gorm.DB, d MailDelivery) (OutgoingMail, error) {
	return composeDelivery(ctx, db, d, false, time.Time{})
}

// ComposeDeliveryAt is ComposeDelivery for a mail that goes out at now
// (the mail job's clock): a reminder says what is true then ("today",
// "tomorrow", "in a week"), or is ErrStale when nothing true is left to
// say, or when the recipient was invited to the meeting or told of its
// change in the last InvitationQuiet.
func ComposeDeliveryAt(ctx context.Context, db *gorm.DB, d MailDelivery, now time.Time) (OutgoingMail, error) {
	return composeDelivery(ctx, db, d, false, now)
}

// ComposePreview is ComposeDelivery for the admins' mailbox page: an
// account link is left out, so only its addressee ever sees it.
func ComposePreview(ctx context.Context, db *gorm.DB, d MailDelivery) (OutgoingMail, error) {
	return composeDelivery(ctx, db, d, true, time.Time{})
}

func composeDelivery(ctx context.Context, db *gorm.DB, d MailDelivery, preview bool, now time.Time) (OutgoingMail, error) {
	tx := db.WithContext(ctx)
	if now.IsZero() {
		now = nowOf(tx)
	}
	var p struct {
		ID                                     uint
		Name, Email, Language, ReminderOptOuts string
		OrganisationOff                        string // the kinds switched off for everyone
	}
	if err := tx.Model(&Person{}).Select(`id, name, email, language, reminder_opt_outs,
		(SELECT reminders_off FROM organisations WHERE id = ?) AS organisation_off`, OrganisationID).
		Where("id = ?", d.RecipientID).Take(&p).Error; err != nil {
		return OutgoingMail{}, staleIfGone(err)
	}
	if strings.HasSuffix(p.Email, "@invalid") {
		return OutgoingMail{}, ErrStale
	}
	if reminderOff(p.ReminderOptOuts, d.Kind) || reminderOff(p.OrganisationOff, d.Kind) {
		return OutgoingMail{}, ErrStale
	}
	atOnce, err := urgentAsk(tx, d)
	if err != nil {
		return OutgoingMail{}, err
	}
	if off, err := noticeMailOff(tx, d.Kind, p.ID); !atOnce && (err != nil || off) {
		return OutgoingMail{}, staleUnless(err)
	}
	out := OutgoingMail{To: p.Email, Name: p.Name, Language: p.Language, Kind: d.Kind}
	if isAccountMail(d.Kind) {
		return composeAccountMail(tx, d, out, nowOf(tx), preview)
	}
	if privateNotice(d.Kind) {
		return composePrivateNotice(tx, d, out)
	}
	switch d.SubjectType {
	case "meeting":
		var m struct {
			MeetingWithGroup
			MentorName, MentorEmail string
		}
		if err := tx.Model(&Meeting{}).Select("meetings.*, g.name AS group_name, mp.name AS mentor_name, mp.email AS mentor_email").
			Joins("JOIN mentor_groups g ON g.id = meetings.group_id").Joins("JOIN people mp ON mp.id = g.mentor_id").
			Where("meetings.id = ?", d.SubjectID).Take(&m).Error; err != nil {
			return out, staleIfGone(err)
		}
		out.OrganizerName, out.OrganizerEmail, out.Updated = m.MentorName, m.MentorEmail, m.UpdatedAt
		reminder := d.Kind == MailMeeting7d || d.Kind == MailMeeting1d || d.Kind == MailCallForCases
		if reminder && (m.Status != MeetingPlanned || !m.StartsAt.Equal(d.Occurrence)) {
			return out, ErrStale
		}
		out.GroupName, out.StartsAt, out.EndsAt, out.Location = m.GroupName, m.StartsAt, m.EndsAt, m.Location
		out.Path, out.UID, out.Sequence = "/meetings/"+itoaU(m.ID), "meeting-"+itoaU(m.ID), m.Sequence
		if d.Kind == MailCallForCases {
			out.Path, out.UID = "/groups/"+itoaU(m.GroupID)+"/cases", ""
		}
		out.Cancelled = m.Status == MeetingCancelled
		out.Kind = d.Kind + ":" + string(m.Kind)
		if d.Kind == MailCalendarWithdrawn {
			// A former mentor's coming meeting leaves their calendar.
			if m.Status != MeetingPlanned || !m.StartsAt.After(now) {
				return out, ErrStale
			}
			out.Cancelled, out.OrganizerName, out.OrganizerEmail = true, out.Name, out.To
			return out, nil
		}
		if d.Kind == MailMeeting7d || d.Kind == MailMeeting1d {
			says, err := truthfulReminder(tx, d, p.ID, m.Meeting, now)
			if err != nil {
				return out, err
			}
			out.Kind = says + ":" + string(m.Kind)
		}
		if m.SeriesUID != "" && m.RecurrenceAt != nil && out.UID != "" {
			if reminder {
				// The series invitation put it in the calendar already.
				out.UID = ""
				break
			}
			seq, err := seriesSequence(tx, m.GroupID, m.SeriesUID)
			if err != nil {
				return out, err
			}
			out.UID, out.RecurrenceID, out.Sequence = m.SeriesUID, *m.RecurrenceAt, seq
		}
	case "one_on_one":
		var o struct {
			OneOnOneRow
			MentorEmail string
		}
		if err := tx.Model(&OneOnOne{}).Select("one_on_ones.id, one_on_ones.mentor_id, one_on_ones.mentee_id, one_on_ones.starts_at, one_on_ones.ends_at, one_on_ones.status, one_on_ones.sequence, one_on_ones.updated_at, mr.name AS mentor_name, mr.email AS mentor_email, me.name AS mentee_name").
			Joins("JOIN people mr ON mr.id = one_on_ones.mentor_id").Joins("JOIN people me ON me.id = one_on_ones.mentee_id").
			Where("one_on_ones.id = ?", d.SubjectID).Take(&o).Error; err != nil {
			return out, staleIfGone(err)
		}
		if o.Status != "planned" || !o.StartsAt.Equal(d.Occurrence) {
			return out, ErrStale
		}
		if d.Kind == MailOneOnOne1d {
			loc, err := organisationZone(tx)
			if err != nil {
				return out, err
			}
			says, ok := reminderSays(d.Kind, o.StartsAt, now, loc)
			if !ok {
				return out, ErrStale
			}
			out.Kind = says
		}
		out.With = o.MentorName
		if o.MentorID == p.ID {
			out.With = o.MenteeName
		}
		out.StartsAt, out.EndsAt, out.Path = o.StartsAt, o.EndsAt, "/one-on-ones/"+itoaU(o.ID)
		out.OrganizerName, out.OrganizerEmail, out.Updated = o.MentorName, o.MentorEmail, o.UpdatedAt
		out.UID, out.Sequence = "one-on-one-"+itoaU(o.ID), o.Sequence
		if d.Kind == NoticeOneOnOneAgreed {
			out.Kind = d.Kind + ":one_on_one" // titled as the one-on-one it invites to
		}
	case "poll":
		var p DatePoll
		if err := tx.First(&p, d.SubjectID).Error; err != nil {
			return out, staleIfGone(err)
		}
		if d.Kind == NoticePollClosed {
			return composeNotice(tx, d, out)
		}
		if p.Status != "open" {
			return out, ErrStale
		}
		var answered int64
		if err := tx.Model(&PollAnswer{}).Where("person_id = ? AND option_id IN (?)", d.RecipientID,
			tx.Model(&PollOption{}).Select("id").Where("poll_id = ?", p.ID)).Count(&answered).Error; err != nil {
			return out, err
		}
		if answered > 0 {
			return out, ErrStale
		}
		out.Path = "/groups/" + itoaU(p.GroupID) + "/poll"
		var err error
		if out.GroupName, err = groupName(tx, p.GroupID); err != nil {
			return out, err
		}
	case "group":
		var err error
		if out.GroupName, err = groupName(tx, d.SubjectID); err != nil {
			return out, err
		}
		if d.Kind == MailMentorChanged {
			if err := tx.Model(&Person{}).Where("id = (SELECT mentor_id FROM mentor_groups WHERE id = ?)", d.SubjectID).
				Pluck("name", &out.With).Error; err != nil {
				return out, err
			}
			out.Path = "/groups/" + itoaU(d.SubjectID)
			// The series, if any, comes along: the new mentor's calendar
			// gets it, and the members' names the new organiser.
			return composeSeriesMail(tx, d.SubjectID, out)
		}
		out.Path = "/groups/" + itoaU(d.SubjectID) + "/calendar"
		if d.Kind == NoticeSeriesPlanned {
			return composeSeriesMail(tx, d.SubjectID, out)
		}
		if d.Kind == MailCalendarWithdrawn {
			return composeWithdrawal(tx, d, out)
		}
		if d.Kind == MailEvaluation {
			// The form opened on the occurrence and takes answers for a
			// month: the mail says it is open, and goes no more once closed.
			out.Path, out.Kind = "/evaluations", MailEvaluationOpen
			loc, err := organisationZone(tx)
			if err != nil {
				return out, err
			}
			if !DateOf(now.In(loc)).Before(DateOf(d.Occurrence).AddMonths(1)) {
				return out, ErrStale
			}
		}
	case "action":
		var a ActionItem
		if err := tx.First(&a, d.SubjectID).Error; err != nil {
			return out, staleIfGone(err)
		}
		if a.DoneAt != nil {
			return out, ErrStale
		}
		out.Path = "/groups/" + itoaU(a.GroupID) + "/calendar"
	case "input":
		return composeInputMail(tx, d, out)
	case "intake":
		return composeIntakeMail(tx, d, out, p.ID)
	case "case", "consent":
		return composeNotice(tx, d, out)
	case "person":
		if d.Kind == NoticeDigest {
			return composeDigest(tx, d, out)
		}
		return out, ErrStale
	default:
		return out, ErrStale
	}
	return out, nil
}

// groupName is a group's name; a group that is gone is ErrStale.
func groupName(tx *gorm.DB, id uint) (string, error) {
	var g MentorGroup
	if err := tx.Select("id", "name").Take(&g, id).Error; err != nil {
		return "", staleIfGone(err)
	}
	return g.Name, nil
}

// staleUnless is err, or ErrStale when there is none.
func staleUnless(err error) error {
	if err != nil {
		return err
	}
	return ErrStale
}

// staleIfGone: a record that no longer exists makes the delivery stale;
// any other error is a failed read, tried again later.
func staleIfGone(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrStale
	}
	return err
}

// composeSeriesMail adds the whole series to a series notice: one
// invitation with every meeting, from the group's mentor. A series planned
// before series invitations goes without.
func composeSeriesMail(tx *gorm.DB, groupID uint, out OutgoingMail) (OutgoingMail, error) {
	inv, ok, err := loadSeriesInvitation(tx, groupID, out.GroupName)
	if err != nil || !ok {
		return out, err
	}
	var mentor struct{ Name, Email string }
	if err := tx.Model(&Person{}).Select("name, email").Where("id = (SELECT mentor_id FROM mentor_groups WHERE id = ?)", groupID).
		Take(&mentor).Error; err != nil {
		return out, staleIfGone(err)
	}
	out.Series, out.OrganizerName, out.OrganizerEmail = &inv, mentor.Name, mentor.Email
	out.UID, out.Sequence, out.Updated = inv.Events[0].UID, inv.Events[0].Sequence, inv.Events[0].Updated
	return out, nil
}

// truthfulReminder is what a meeting reminder says at now, or ErrStale:
// see reminderSays and invitedLately.
func truthfulReminder(tx *gorm.DB, d MailDelivery, recipient uint, m Meeting, now time.Time) (string, error) {
	loc, err := organisationZone(tx)
	if err != nil {
		return "", err
	}
	says, ok := reminderSays(d.Kind, m.StartsAt, now, loc)
	if !ok {
		return "", ErrStale
	}
	recent, err := invitedLately(tx, recipient, m, now)
	if err != nil {
		return "", err
	}
	if recent {
		return "", ErrStale
	}
	return says, nil
}
