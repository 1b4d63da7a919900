package models

import (
	"context"
	"errors"
	"slices"
	"sort"
	"time"

	"gorm.io/gorm"
)

// PollAnswerValue is a member's answer for one candidate date.
type PollAnswerValue string

// Poll answers.
const (
	AnswerYes    PollAnswerValue = "yes"
	AnswerMaybe  PollAnswerValue = "maybe"
	AnswerNo     PollAnswerValue = "no"
	pollMinDates                 = 2
	pollMaxDates                 = 8
)

// DatePoll asks the members of a group which candidate dates suit them for
// the first meeting.
type DatePoll struct {
	ID          uint   `gorm:"primaryKey"`
	GroupID     uint   `gorm:"not null"`
	DurationMin int    `gorm:"not null"`
	Location    string `gorm:"size:200;not null;default:''"`
	Status      string `gorm:"size:10;not null;default:'open'"`
	MeetingID   *uint
	CreatedAt   time.Time
}

// PollOption is one candidate date and time (UTC).
type PollOption struct {
	ID       uint      `gorm:"primaryKey" json:"id"`
	PollID   uint      `gorm:"not null" json:"-"`
	StartsAt time.Time `gorm:"not null" json:"starts_at"`
}

// PollAnswer is one member's answer for one option.
type PollAnswer struct {
	ID       uint            `gorm:"primaryKey"`
	OptionID uint            `gorm:"not null"`
	PersonID uint            `gorm:"not null"`
	Answer   PollAnswerValue `gorm:"size:10;not null"`
}

// PollInput proposes candidate dates: each "2027-01-18T14:00" local time.
// Replace asks for a new first meeting: the current one (not yet held) is
// cancelled; without it a group that has a first meeting gets no poll.
type PollInput struct {
	Options     []string `form:"option" json:"options"`
	DurationMin int      `form:"duration_min" json:"duration_min"`
	Location    string   `form:"location" json:"location" validate:"max=200"`
	Replace     bool     `form:"replace" json:"replace"`
}

// OptionTally is a candidate date with the group's answers.
type OptionTally struct {
	Option  PollOption               `json:"option"`
	Yes     int                      `json:"yes"`
	Maybe   int                      `json:"maybe"`
	No      int                      `json:"no"`
	Missing int                      `json:"missing"`
	Answers map[uint]PollAnswerValue `json:"-"`
	Mine    PollAnswerValue          `json:"mine,omitempty"`
	Names   map[string][]string      `json:"-"`
}

// AllCan reports whether everyone asked (the mentor and the active
// mentees) can make it: nobody said no or left it open. Some may have said
// "if need be" (IfNeedBe).
func (t OptionTally) AllCan() bool { return t.No == 0 && t.Missing == 0 }

// IfNeedBe reports whether everyone can make it, some only if need be.
func (t OptionTally) IfNeedBe() bool { return t.AllCan() && t.Maybe > 0 }

// PollPage is a group's open (or last) poll with its tallies, best first.
// Members counts everyone asked: the mentor and the active mentees (frozen
// ones are not asked); Answered how many of them answered.
type PollPage struct {
	Group    MentorGroup
	Access   Access
	Poll     *DatePoll
	Options  []OptionTally
	Members  int
	Answered int
	// NoneFits says that no date suits everyone who answered or is still
	// to answer; Best are then the options that come closest.
	NoneFits bool
	Best     []OptionTally
	// HasFirst says that the group has a first meeting (not cancelled): a
	// new poll replaces it.
	HasFirst bool
}

// pollPeople are the people a group's poll asks: the mentor and the active
// mentees, not the frozen ones.
func pollPeople(tx *gorm.DB, g MentorGroup) ([]uint, error) {
	ids, frozen, err := activeMembers(tx, g.ID)
	out := []uint{g.MentorID}
	for _, id := range ids {
		if !frozen[id] {
			out = append(out, id)
		}
	}
	return out, err
}

// firstMeetingOf returns the group's first meeting that is not cancelled.
func firstMeetingOf(tx *gorm.DB, groupID uint) (*Meeting, error) {
	var ms []Meeting
	if err := tx.Where("group_id = ? AND kind = ? AND status <> ?", groupID, KindFirstMeeting, MeetingCancelled).
		Order("starts_at").Limit(1).Find(&ms).Error; err != nil || len(ms) == 0 {
		return nil, err
	}
	return &ms[0], nil
}

// RankOptions orders candidate dates: those everyone can make first, then
// by fewest "no", fewest unanswered, most "yes", and earliest.
func RankOptions(ts []OptionTally) {
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i], ts[j]
		if a.AllCan() != b.AllCan() {
			return a.AllCan()
		}
		if a.No != b.No {
			return a.No < b.No
		}
		if a.Missing != b.Missing {
			return a.Missing < b.Missing
		}
		if a.Yes != b.Yes {
			return a.Yes > b.Yes
		}
		return a.Option.StartsAt.Before(b.Option.StartsAt)
	})
}

// GetPoll returns the group's latest poll for its mentor and members.
func GetPoll(ctx context.Context, db *gorm.DB, v Viewer, groupID uint) (PollPage, error) {
	tx := db.WithContext(ctx)
	a, err := requireGroup(tx, v, GroupContent, groupID)
	if err != nil {
		return PollPage{}, err
	}
	page := PollPage{Group: a.Group, Access: a}
	first, err := firstMeetingOf(tx, groupID)
	if err != nil {
		return page, err
	}
	page.HasFirst = first != nil
	var poll DatePoll
	if err := tx.Where("group_id = ?", groupID).Order("id DESC").First(&poll).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return page, nil
		}
		return page, err
	}
	page.Poll = &poll
	members, err := pollPeople(tx, a.Group)
	if err != nil {
		return page, err
	}
	page.Members = len(members)

	var options []PollOption
	if err := tx.Where("poll_id = ?", poll.ID).Order("starts_at").Find(&options).Error; err != nil {
		return page, err
	}
	var answers []struct {
		PollAnswer
		Name string
	}
	if err := tx.Model(&PollAnswer{}).Select("poll_answers.*, p.name").Joins("JOIN people p ON p.id = poll_answers.person_id").
		Where("option_id IN (?)", tx.Model(&PollOption{}).Select("id").Where("poll_id = ?", poll.ID)).Scan(&answers).Error; err != nil {
		return page, err
	}
	isMember := map[uint]bool{}
	for _, id := range members {
		isMember[id] = true
	}
	answered := map[uint]bool{}
	for _, o := range options {
		t := OptionTally{Option: o, Answers: map[uint]PollAnswerValue{}, Names: map[string][]string{}}
		for _, a := range answers {
			if a.OptionID != o.ID || !isMember[a.PersonID] {
				continue
			}
			t.Answers[a.PersonID] = a.Answer
			answered[a.PersonID] = true
			t.Names[string(a.Answer)] = append(t.Names[string(a.Answer)], a.Name)
			switch a.Answer {
			case AnswerYes:
				t.Yes++
			case AnswerMaybe:
				t.Maybe++
			case AnswerNo:
				t.No++
			}
		}
		t.Missing = len(members) - t.Yes - t.Maybe - t.No
		t.Mine = t.Answers[v.PersonID]
		page.Options = append(page.Options, t)
	}
	RankOptions(page.Options)
	page.Answered = len(answered)
	if len(page.Options) > 0 && !page.Options[0].AllCan() {
		page.NoneFits = true
		page.Best = page.Options[:min(2, len(page.Options))]
	}
	return page, nil
}

// CreatePoll proposes 2 to 8 candidate dates for the first meeting; the
// group's mentor only. An open poll of the group is closed.
func CreatePoll(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, in PollInput) (DatePoll, error) {
	var poll DatePoll
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		g, err := mentorsOpenGroup(tx, v, groupID)
		if err != nil {
			return err
		}
		first, err := firstMeetingOf(tx, g.ID)
		if err != nil {
			return err
		}
		if first != nil && !in.Replace {
			return fieldErr("option", "poll_has_first")
		}
		if first != nil && first.Status == MeetingHeld {
			return fieldErr("option", "poll_first_held")
		}
		org, err := GetOrganisation(ctx, tx)
		if err != nil {
			return err
		}
		now, zone := nowOf(tx), org.Location()
		seen := map[time.Time]bool{}
		var starts []time.Time
		for _, s := range in.Options {
			if CleanText(s) == "" {
				continue
			}
			t, err := time.ParseInLocation("2006-01-02T15:04", CleanText(s), zone)
			if err != nil {
				return fieldErr("option", "datetime")
			}
			if !t.After(now) {
				return fieldErr("option", "poll_past")
			}
			t = t.UTC() // one zone for every key: the same moment is the same date
			if seen[t] {
				return fieldErr("option", "poll_duplicate")
			}
			seen[t] = true
			starts = append(starts, t.UTC())
		}
		if len(starts) < pollMinDates || len(starts) > pollMaxDates {
			return &ValidationError{Fields: []FieldError{{Field: "option", Code: "poll_dates", Args: map[string]any{"Min": pollMinDates, "Max": pollMaxDates}}}}
		}
		if in.DurationMin == 0 {
			in.DurationMin = DefaultDurationMin
		}
		if in.DurationMin < MinDurationMin || in.DurationMin > MaxDurationMin {
			return &ValidationError{Fields: []FieldError{{Field: "duration_min", Code: "out_of_range", Args: map[string]any{"Min": MinDurationMin, "Max": MaxDurationMin}}}}
		}
		members, err := activeMentees(tx, g.ID)
		if err != nil {
			return err
		}
		var replaced []uint
		if err := tx.Model(&DatePoll{}).Where("group_id = ? AND status = 'open'", g.ID).Pluck("id", &replaced).Error; err != nil {
			return err
		}
		for _, id := range replaced {
			if err := tx.Model(&DatePoll{}).Where("id = ?", id).Update("status", "closed").Error; err != nil {
				return err
			}
			if err := notifyPoll(tx, NoticePollClosed, g.ID, id, members); err != nil {
				return err
			}
		}
		if first != nil {
			// The explicit replacement: the old first meeting is cancelled.
			first.Status, first.StatusReason, first.EditedByHand = MeetingCancelled, "", true
			first.Sequence++
			if err := tx.Model(first).Select("status", "status_reason", "edited_by_hand", "sequence").Updates(first).Error; err != nil {
				return err
			}
			if err := notifyMeetingChange(tx, *first, now); err != nil {
				return err
			}
		}
		poll = DatePoll{GroupID: g.ID, DurationMin: in.DurationMin, Location: CleanText(in.Location), Status: "open"}
		if err := tx.Create(&poll).Error; err != nil {
			return err
		}
		options := make([]PollOption, len(starts))
		for i, s := range starts {
			options[i] = PollOption{PollID: poll.ID, StartsAt: s}
		}
		if err := tx.Create(&options).Error; err != nil {
			return err
		}
		return notifyPoll(tx, NoticePollOpened, g.ID, poll.ID, members)
	})
	return poll, err
}

// AnswerPoll stores a member's answers (option id → yes, maybe or no) for
// the group's open poll; members of the group only (the mentor too).
func AnswerPoll(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, answers map[uint]string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := requireGroup(tx, v, GroupContent, groupID)
		if err != nil {
			return err
		}
		asked, err := pollPeople(tx, a.Group)
		if err != nil {
			return err
		}
		if !slices.Contains(asked, v.PersonID) {
			return fieldErr("answer", "poll_not_asked")
		}
		var poll DatePoll
		if err := tx.Where("group_id = ? AND status = 'open'", groupID).Order("id DESC").First(&poll).Error; err != nil {
			return notFound(err)
		}
		if err := lockRow(tx, "date_polls", poll.ID); err != nil {
			return err
		}
		var ids []uint
		if err := tx.Model(&PollOption{}).Where("poll_id = ?", poll.ID).Pluck("id", &ids).Error; err != nil {
			return err
		}
		valid := map[uint]bool{}
		for _, id := range ids {
			valid[id] = true
		}
		var rows []PollAnswer
		for oid, a := range answers {
			switch PollAnswerValue(a) {
			case AnswerYes, AnswerMaybe, AnswerNo:
			default:
				return fieldErr("answer", "unknown_choice")
			}
			if !valid[oid] {
				return fieldErr("answer", "unknown_choice")
			}
			rows = append(rows, PollAnswer{OptionID: oid, PersonID: v.PersonID, Answer: PollAnswerValue(a)})
		}
		if err := tx.Where("person_id = ? AND option_id IN ?", v.PersonID, append(ids, 0)).Delete(&PollAnswer{}).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		return tx.Create(&rows).Error
	})
}

// PickPollDate closes the poll and makes the chosen date the group's first
// meeting; the mentor only.
func PickPollDate(ctx context.Context, db *gorm.DB, v Viewer, groupID, optionID uint) (Meeting, error) {
	var m Meeting
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		g, err := mentorsOpenGroup(tx, v, groupID)
		if err != nil {
			return err
		}
		var poll DatePoll
		if err := tx.Where("group_id = ? AND status = 'open'", g.ID).Order("id DESC").First(&poll).Error; err != nil {
			return notFound(err)
		}
		if first, err := firstMeetingOf(tx, g.ID); err != nil {
			return err
		} else if first != nil {
			return fieldErr("option_id", "poll_has_first")
		}
		var o PollOption
		if err := tx.Where("poll_id = ?", poll.ID).First(&o, optionID).Error; err != nil {
			return fieldErr("option_id", "unknown_choice")
		}
		m = Meeting{GroupID: g.ID, Kind: KindFirstMeeting, StartsAt: o.StartsAt,
			EndsAt: o.StartsAt.Add(time.Duration(poll.DurationMin) * time.Minute), Location: poll.Location,
			Status: MeetingPlanned, IntroFormat: "round"}
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		if err := tx.Model(&poll).Updates(map[string]any{"status": "closed", "meeting_id": m.ID}).Error; err != nil {
			return err
		}
		recipients, err := meetingRecipients(tx, g.ID)
		if err != nil {
			return err
		}
		return Notify(tx, NoticeDateFixed, NoticeAbout{Type: "meeting", ID: m.ID, GroupID: g.ID, Path: "/meetings/" + itoaU(m.ID),
			Occurrence: time.Unix(0, 0)}, recipients)
	})
	return m, err
}

// notifyPoll tells a group's members that its date poll opened or closed.
func notifyPoll(tx *gorm.DB, kind string, groupID, pollID uint, members []uint) error {
	return Notify(tx, kind, NoticeAbout{Type: "poll", ID: pollID, GroupID: groupID, Path: "/groups/" + itoaU(groupID) + "/poll",
		Occurrence: time.Unix(0, 0)}, members)
}
