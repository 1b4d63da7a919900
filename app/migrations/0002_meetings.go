package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"crossmentor/models"
)

// meetings adds the year of a group: holiday settings and blackouts, the
// series settings, meetings with roles and attendance, the date poll, the
// first meeting's agenda, action items, one-on-ones and learning goals.
func meetings() *gormigrate.Migration {
	type organisation struct {
		ID               uint `gorm:"primaryKey"`
		GoodFridayOff    bool `gorm:"not null;default:false"`
		LiberationDayOff bool `gorm:"not null;default:false"`
	}
	type person struct{ ID uint }
	type mentorGroup struct{ ID uint }
	type blackout struct {
		ID        uint        `gorm:"primaryKey"`
		Name      string      `gorm:"size:100;not null"`
		StartsOn  models.Date `gorm:"not null"`
		EndsOn    models.Date `gorm:"not null"`
		CreatedAt time.Time
	}
	type groupSeries struct {
		ID           uint        `gorm:"primaryKey"`
		GroupID      uint        `gorm:"not null;uniqueIndex"`
		Group        mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		Weekday      int         `gorm:"not null"`
		StartTime    string      `gorm:"size:5;not null"`
		DurationMin  int         `gorm:"not null"`
		CadenceWeeks int         `gorm:"not null"`
		Location     string      `gorm:"size:200;not null;default:''"`
		Policy       string      `gorm:"size:10;not null"`
		FirstOn      models.Date `gorm:"not null"`
		Until        models.Date `gorm:"not null"`
		VisitsWanted bool        `gorm:"not null;default:false"`
		VisitsWith   string      `gorm:"size:500;not null;default:''"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type meeting struct {
		ID           uint        `gorm:"primaryKey"`
		GroupID      uint        `gorm:"not null;index:idx_meeting_group_start"`
		Group        mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		Seq          int         `gorm:"not null;default:0"`
		Kind         string      `gorm:"size:20;not null"`
		StartsAt     time.Time   `gorm:"not null;index:idx_meeting_group_start;index"`
		EndsAt       time.Time   `gorm:"not null"`
		Location     string      `gorm:"size:200;not null;default:''"`
		Status       string      `gorm:"size:20;not null;default:'planned'"`
		StatusReason string      `gorm:"size:500;not null;default:''"`
		EditedByHand bool        `gorm:"not null;default:false"`
		MethodKey    string      `gorm:"size:30;not null;default:''"`
		Agenda       string      `gorm:"type:text;not null;default:''"`
		Notes        string      `gorm:"type:text;not null;default:''"`
		IntroFormat  string      `gorm:"size:20;not null;default:''"`
		Host         string      `gorm:"size:200;not null;default:''"`
		Address      string      `gorm:"size:300;not null;default:''"`
		Contact      string      `gorm:"size:200;not null;default:''"`
		Purpose      string      `gorm:"size:1000;not null;default:''"`
		Preparation  string      `gorm:"size:2000;not null;default:''"`
		Practical    string      `gorm:"size:2000;not null;default:''"`
		GuestName    string      `gorm:"size:200;not null;default:''"`
		GuestRole    string      `gorm:"size:200;not null;default:''"`
		Topic        string      `gorm:"size:500;not null;default:''"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type meetingRole struct {
		ID        uint    `gorm:"primaryKey"`
		MeetingID uint    `gorm:"not null;uniqueIndex:idx_meeting_role_person"`
		Meeting   meeting `gorm:"constraint:OnDelete:CASCADE"`
		Role      string  `gorm:"size:20;not null;uniqueIndex:idx_meeting_role_person"`
		PersonID  uint    `gorm:"not null;uniqueIndex:idx_meeting_role_person;index"`
		Person    person  `gorm:"constraint:OnDelete:CASCADE"`
	}
	type attendance struct {
		ID        uint    `gorm:"primaryKey"`
		MeetingID uint    `gorm:"not null;uniqueIndex:idx_attendance_meeting_person"`
		Meeting   meeting `gorm:"constraint:OnDelete:CASCADE"`
		PersonID  uint    `gorm:"not null;uniqueIndex:idx_attendance_meeting_person;index"`
		Person    person  `gorm:"constraint:OnDelete:CASCADE"`
		Status    string  `gorm:"size:10;not null"`
		UpdatedAt time.Time
	}
	type datePoll struct {
		ID          uint        `gorm:"primaryKey"`
		GroupID     uint        `gorm:"not null;index"`
		Group       mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		DurationMin int         `gorm:"not null"`
		Location    string      `gorm:"size:200;not null;default:''"`
		Status      string      `gorm:"size:10;not null;default:'open'"`
		MeetingID   *uint
		CreatedAt   time.Time
	}
	type pollOption struct {
		ID       uint      `gorm:"primaryKey"`
		PollID   uint      `gorm:"not null;index"`
		Poll     datePoll  `gorm:"constraint:OnDelete:CASCADE"`
		StartsAt time.Time `gorm:"not null"`
	}
	type pollAnswer struct {
		ID       uint       `gorm:"primaryKey"`
		OptionID uint       `gorm:"not null;uniqueIndex:idx_poll_answer_option_person"`
		Option   pollOption `gorm:"constraint:OnDelete:CASCADE"`
		PersonID uint       `gorm:"not null;uniqueIndex:idx_poll_answer_option_person"`
		Person   person     `gorm:"constraint:OnDelete:CASCADE"`
		Answer   string     `gorm:"size:10;not null"`
	}
	type firstMeetingEntry struct {
		ID            uint    `gorm:"primaryKey"`
		MeetingID     uint    `gorm:"not null;uniqueIndex:idx_first_entry_meeting_person"`
		Meeting       meeting `gorm:"constraint:OnDelete:CASCADE"`
		PersonID      uint    `gorm:"not null;uniqueIndex:idx_first_entry_meeting_person"`
		Person        person  `gorm:"constraint:OnDelete:CASCADE"`
		Goal          string  `gorm:"type:text;not null;default:''"`
		Needs         string  `gorm:"type:text;not null;default:''"`
		Questions     string  `gorm:"type:text;not null;default:''"`
		ConductAgreed bool    `gorm:"not null;default:false"`
	}
	type actionItem struct {
		ID        uint        `gorm:"primaryKey"`
		GroupID   uint        `gorm:"not null;index"`
		Group     mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		MeetingID *uint       `gorm:"index"`
		Meeting   *meeting    `gorm:"constraint:OnDelete:SET NULL"`
		HolderID  uint        `gorm:"not null;index"`
		Holder    person      `gorm:"constraint:OnDelete:CASCADE"`
		Text      string      `gorm:"size:500;not null"`
		DueOn     models.Date
		DoneAt    *time.Time
		CreatedAt time.Time
	}
	type oneOnOne struct {
		ID        uint        `gorm:"primaryKey"`
		GroupID   uint        `gorm:"not null;index"`
		Group     mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		MentorID  uint        `gorm:"not null;index"`
		Mentor    person      `gorm:"constraint:OnDelete:CASCADE"`
		MenteeID  uint        `gorm:"not null;index"`
		Mentee    person      `gorm:"constraint:OnDelete:CASCADE"`
		StartsAt  time.Time   `gorm:"not null"`
		EndsAt    time.Time   `gorm:"not null"`
		AdHoc     bool        `gorm:"not null;default:false"`
		Theme     string      `gorm:"size:30;not null"`
		Urgent    bool        `gorm:"not null;default:false"`
		Notes     string      `gorm:"type:text;not null;default:''"`
		FollowUps string      `gorm:"type:text;not null;default:''"`
		Status    string      `gorm:"size:20;not null;default:'planned'"`
		CreatedAt time.Time
		UpdatedAt time.Time
	}
	type learningGoal struct {
		ID         uint        `gorm:"primaryKey"`
		PersonID   uint        `gorm:"not null;index"`
		Person     person      `gorm:"constraint:OnDelete:CASCADE"`
		GroupID    uint        `gorm:"not null;index"`
		Group      mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		What       string      `gorm:"type:text;not null"`
		Why        string      `gorm:"type:text;not null;default:''"`
		HowNoticed string      `gorm:"type:text;not null;default:''"`
		ByWhen     models.Date
		Shared     bool `gorm:"not null;default:false"`
		Done       bool `gorm:"not null;default:false"`
		CreatedAt  time.Time
		UpdatedAt  time.Time
	}
	type goalProgress struct {
		ID        uint         `gorm:"primaryKey"`
		GoalID    uint         `gorm:"not null;index"`
		Goal      learningGoal `gorm:"constraint:OnDelete:CASCADE"`
		WrittenOn models.Date  `gorm:"not null"`
		Text      string       `gorm:"type:text;not null"`
		CreatedAt time.Time
	}
	tables := []any{&blackout{}, &groupSeries{}, &meeting{}, &meetingRole{}, &attendance{}, &datePoll{},
		&pollOption{}, &pollAnswer{}, &firstMeetingEntry{}, &actionItem{}, &oneOnOne{}, &learningGoal{}, &goalProgress{}}
	names := []string{"blackouts", "group_series", "meetings", "meeting_roles", "attendances", "date_polls",
		"poll_options", "poll_answers", "first_meeting_entries", "action_items", "one_on_ones", "learning_goals", "goal_progresses"}
	return &gormigrate.Migration{
		ID: "0002_meetings",
		Migrate: func(tx *gorm.DB) error {
			for _, col := range []string{"GoodFridayOff", "LiberationDayOff"} {
				if err := tx.Migrator().AddColumn(&organisation{}, col); err != nil {
					return err
				}
			}
			return tx.AutoMigrate(tables...)
		},
		Rollback: func(tx *gorm.DB) error {
			for i := len(names) - 1; i >= 0; i-- {
				if err := tx.Migrator().DropTable(names[i]); err != nil {
					return err
				}
			}
			for _, col := range []string{"GoodFridayOff", "LiberationDayOff"} {
				if err := tx.Migrator().DropColumn(&organisation{}, col); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
