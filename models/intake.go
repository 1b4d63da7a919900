package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MenteeKind is the mentor's reading of a mentee at intake.
type MenteeKind string

// Kinds of mentee.
const (
	KindNothingWrong  MenteeKind = "nothing_wrong"
	KindMustButWont   MenteeKind = "must_but_wont"
	KindShopper       MenteeKind = "shopper"
	KindNeedsReferral MenteeKind = "needs_referral"
)

// MenteeKinds lists the kinds in their natural order.
var MenteeKinds = []MenteeKind{KindShopper, KindNothingWrong, KindMustButWont, KindNeedsReferral}

// IntakeOutcome is what the intake decides.
type IntakeOutcome string

// Intake outcomes.
const (
	OutcomeAdmit  IntakeOutcome = "admit"
	OutcomeNotNow IntakeOutcome = "not_now"
	OutcomeStop   IntakeOutcome = "stop"
	OutcomeRefer  IntakeOutcome = "refer"
	OutcomeFreeze IntakeOutcome = "freeze" // taking part paused for a while
)

// IntakeOutcomes lists the outcomes in their natural order.
var IntakeOutcomes = []IntakeOutcome{OutcomeAdmit, OutcomeNotNow, OutcomeFreeze, OutcomeStop, OutcomeRefer}

// SuggestedOutcome is the outcome the handbook gives for a kind of mentee:
// a shopper is admitted; "nothing wrong" stops when a few talks bring no
// learning goal; "must but won't" is frozen for a while; someone who needs
// other help is referred. The mentor may choose otherwise.
func SuggestedOutcome(k MenteeKind) IntakeOutcome {
	switch k {
	case KindNothingWrong:
		return OutcomeStop
	case KindMustButWont:
		return OutcomeFreeze
	case KindNeedsReferral:
		return OutcomeRefer
	}
	return OutcomeAdmit
}

// Intake is the mentor's record of the intake talk with one mentee. It is
// visible to the group's mentor only.
type Intake struct {
	ID           uint          `gorm:"primaryKey"`
	MembershipID uint          `gorm:"not null;uniqueIndex"`
	HeldOn       Date          `gorm:"not null"`
	Click        bool          `gorm:"-"`
	Learnable    bool          `gorm:"-"`
	HasGoal      bool          `gorm:"-"`
	CanReflect   bool          `gorm:"-"`
	Assessment   string        `gorm:"type:text;not null;default:''" sealed:"intakes"` // the four yes/no answers, packed
	Kind         MenteeKind    `gorm:"type:text;not null" sealed:"intakes"`
	Outcome      IntakeOutcome `gorm:"type:text;not null" sealed:"intakes"`
	Notes        string        `gorm:"type:text;not null;default:''" sealed:"intakes"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// IntakeInput is the intake form.
type IntakeInput struct {
	HeldOn     string `form:"held_on" json:"held_on" validate:"required,date"`
	Click      bool   `form:"click" json:"click"`
	Learnable  bool   `form:"learnable" json:"learnable"`
	HasGoal    bool   `form:"has_goal" json:"has_goal"`
	CanReflect bool   `form:"can_reflect" json:"can_reflect"`
	Kind       string `form:"kind" json:"kind" validate:"required,oneof=nothing_wrong must_but_wont shopper needs_referral"`
	Outcome    string `form:"outcome" json:"outcome" validate:"omitempty,oneof=admit not_now freeze stop refer"` // empty: the kind's suggestion
	Notes      string `form:"notes" json:"notes" validate:"max=10000"`
}

// IntakePage is a membership with its intake, for the mentor.
type IntakePage struct {
	Membership Membership
	Group      MentorGroup
	MenteeName string
	Intake     Intake
	Recorded   bool
	Earlier    bool // recorded by a former mentor: its content is not shown
	// Appointment is when and where the intake is planned, if it is.
	Appointment *IntakeAppointment
}

// mentorsMembership finds a membership in a group the viewer mentors.
// L&D does not read intakes: they are the mentor's alone.
func mentorsMembership(tx *gorm.DB, v Viewer, membershipID uint) (Membership, Access, error) {
	var m Membership
	if err := tx.First(&m, membershipID).Error; err != nil {
		return m, Access{}, notFound(err)
	}
	a, err := authorize(tx, v, MembershipMentor, membershipID)
	return m, a, err
}

// GetIntake returns the intake page of a membership for its group's mentor.
// An intake a former mentor recorded shows that it exists, not what it says.
func GetIntake(ctx context.Context, db *gorm.DB, v Viewer, membershipID uint) (IntakePage, error) {
	tx := db.WithContext(ctx)
	m, a, err := mentorsMembership(tx, v, membershipID)
	if err != nil {
		return IntakePage{}, err
	}
	page := IntakePage{Membership: m, Group: a.Group}
	if err := tx.Model(&Person{}).Where("id = ?", m.PersonID).Pluck("name", &page.MenteeName).Error; err != nil {
		return page, err
	}
	if page.Appointment, err = intakeAppointmentOf(tx, m.ID); err != nil {
		return page, err
	}
	err = tx.Where("membership_id = ?", m.ID).First(&page.Intake).Error
	switch {
	case err == nil:
		page.Recorded = true
		if !Decide(a, IntakeNotesRead, Subject{At: page.Intake.CreatedAt}) {
			page.Earlier, page.Intake = true, Intake{ID: page.Intake.ID, MembershipID: m.ID}
		}
	case err == gorm.ErrRecordNotFound:
		err = nil
	}
	return page, err
}

// outcomeStatus maps an intake outcome to the membership status it leads to.
var outcomeStatus = map[IntakeOutcome]MembershipStatus{
	OutcomeAdmit: StatusActive, OutcomeNotNow: StatusIntake, OutcomeStop: StatusStopped, OutcomeRefer: StatusReferred,
	OutcomeFreeze: StatusFrozen,
}

// SaveIntake records the intake and applies its outcome to the membership.
// Admitting is refused when it breaks a composition rule; then nothing is saved.
func SaveIntake(ctx context.Context, db *gorm.DB, v Viewer, membershipID uint, in IntakeInput, today Date) (Intake, error) {
	var it Intake
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, acc, err := mentorsMembership(tx, v, membershipID)
		if err != nil {
			return err
		}
		held, err := ParseDate(in.HeldOn)
		if err != nil {
			return fieldErr("held_on", "date")
		}
		if err := tx.Where("membership_id = ?", m.ID).First(&it).Error; err != nil && err != gorm.ErrRecordNotFound {
			return err
		}
		if it.ID != 0 && !Decide(acc, IntakeNotesRead, Subject{At: it.CreatedAt}) {
			// A former mentor's intake: the new mentor records their own in its place.
			it = Intake{ID: it.ID, CreatedAt: nowOf(tx)}
		}
		it.MembershipID, it.HeldOn = m.ID, held
		it.Click, it.Learnable, it.HasGoal, it.CanReflect = in.Click, in.Learnable, in.HasGoal, in.CanReflect
		it.Kind, it.Outcome, it.Notes = MenteeKind(in.Kind), IntakeOutcome(in.Outcome), CleanText(in.Notes)
		if it.Outcome == "" {
			it.Outcome = SuggestedOutcome(it.Kind)
		}
		if err := tx.Save(&it).Error; err != nil {
			return err
		}
		status := outcomeStatus[it.Outcome]
		if status == m.Status || (m.Status == StatusFrozen && status == StatusActive) {
			return nil
		}
		_, err = changeStatus(tx, v, m.ID, StatusInput{Status: string(status), Since: held.String()}, today)
		return err
	})
	return it, err
}

// intakeAnswers names the yes/no answers in the packed Assessment.
var intakeAnswers = []string{"click", "learnable", "has_goal", "can_reflect"}

// PackSealed writes the yes/no answers into the sealed Assessment.
func (it *Intake) PackSealed() {
	var yes []string
	for i, v := range []bool{it.Click, it.Learnable, it.HasGoal, it.CanReflect} {
		if v {
			yes = append(yes, intakeAnswers[i])
		}
	}
	it.Assessment = strings.Join(yes, ",")
	if it.Assessment == "" {
		it.Assessment = "none" // sealed all the same, so "all no" is not visible either
	}
}

// UnpackSealed reads the yes/no answers back from the opened Assessment.
func (it *Intake) UnpackSealed() {
	yes := map[string]bool{}
	for _, a := range strings.Split(it.Assessment, ",") {
		yes[a] = true
	}
	it.Click, it.Learnable, it.HasGoal, it.CanReflect = yes["click"], yes["learnable"], yes["has_goal"], yes["can_reflect"]
}
