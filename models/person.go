package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Person is someone in the organisation: a possible mentor, mentee, manager or admin.
// Roles other than admin follow from group membership and line management.
type Person struct {
	ID           uint   `gorm:"primaryKey"`
	Name         string `gorm:"size:200;not null"`
	Email        string `gorm:"size:254;not null;uniqueIndex"`
	TeamID       *uint  `gorm:"index"`
	Team         *Team
	Discipline   string `gorm:"size:100;not null;default:''"`
	ManagerID    *uint  `gorm:"index"`
	Manager      *Person
	Admin        bool   `gorm:"not null;default:false"`
	Language     string `gorm:"size:2;not null;default:'nl'"`
	PasswordHash string `gorm:"size:200;not null;default:''"`
	// OIDCIssuer and OIDCSubject link the person to their single sign-on
	// account from the first sign-in on; later sign-ins match on them.
	OIDCIssuer  *string `gorm:"column:oidc_issuer;size:300"`
	OIDCSubject *string `gorm:"column:oidc_subject;size:255"`
	// ReminderOptOuts lists the reminder kinds the person switched off, comma-separated.
	ReminderOptOuts string `gorm:"size:200;not null;default:''"`
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// PersonInput is the editable part of a person.
type PersonInput struct {
	Name       string `form:"name" json:"name" validate:"required,max=200"`
	Email      string `form:"email" json:"email" validate:"required,max=254,email"`
	TeamID     uint   `form:"team_id" json:"team_id"`
	Discipline string `form:"discipline" json:"discipline" validate:"max=100"`
	ManagerID  uint   `form:"manager_id" json:"manager_id"`
	Admin      bool   `form:"admin" json:"admin"`
	Language   string `form:"language" json:"language" validate:"omitempty,oneof=nl en"`
	// ConfirmBrokenRules lets a change of team or manager through that breaks
	// a composition rule of a group the person is placed in.
	ConfirmBrokenRules bool `form:"confirm_broken_rules" json:"confirm_broken_rules"`
}

// NormalizeEmail returns the stored form of an email address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ViewerFor loads the roles of a person.
func ViewerFor(ctx context.Context, db *gorm.DB, personID uint) (Viewer, error) {
	var row viewerRow
	err := db.WithContext(ctx).Raw(`SELECT `+viewerColumns+` FROM people p WHERE p.id = ?`, personID).Scan(&row).Error
	if err != nil {
		return Viewer{}, err
	}
	if row.PersonID == 0 {
		return Viewer{}, ErrNotFound
	}
	return row.viewer(), nil
}

// viewerColumns selects what a Viewer is made of from people p.
const viewerColumns = `p.id AS person_id, p.name, p.admin, p.language,
		EXISTS (SELECT 1 FROM mentor_groups g WHERE g.mentor_id = p.id) AS mentor,
		EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id) AS mentee,
		EXISTS (SELECT 1 FROM people r WHERE r.manager_id = p.id) AS manager,
		(SELECT count(*) FROM notices n WHERE n.recipient_id = p.id AND n.read_at IS NULL) AS unread`

// viewerRow is one row of viewerColumns, with the session's times when
// read together with the session (SignedIn).
type viewerRow struct {
	PersonID   uint
	Name       string
	Admin      bool
	Language   string
	Mentor     bool
	Mentee     bool
	Manager    bool
	Unread     int64
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

func (r viewerRow) viewer() Viewer {
	return Viewer{PersonID: r.PersonID, Name: r.Name, Admin: r.Admin, Mentor: r.Mentor, Mentee: r.Mentee,
		Manager: r.Manager, Language: r.Language, Unread: r.Unread}
}

// visiblePeople limits a query on people to those the viewer may see by name:
// admins see everyone; others see themselves, their groups' members and mentors.
func visiblePeople(db *gorm.DB, v Viewer) *gorm.DB {
	if v.Can(OrgManage) {
		return db
	}
	return db.Where(`people.id = ? OR people.id IN (
		SELECT m.person_id FROM memberships m JOIN mentor_groups g ON g.id = m.group_id
		WHERE g.mentor_id = ? OR g.id IN (SELECT group_id FROM memberships WHERE person_id = ? AND status IN ?)
		UNION SELECT g.mentor_id FROM mentor_groups g
		WHERE g.id IN (SELECT group_id FROM memberships WHERE person_id = ?))`,
		v.PersonID, v.PersonID, v.PersonID, AdmittedStatuses, v.PersonID)
}

// GetPerson returns one person the viewer may see.
func GetPerson(ctx context.Context, db *gorm.DB, v Viewer, id uint) (Person, error) {
	var p Person
	err := visiblePeople(db.WithContext(ctx), v).Preload("Team").Preload("Manager").First(&p, id).Error
	return p, notFound(err)
}

// PeopleFilter narrows a list of people.
type PeopleFilter struct {
	Query string
}

// likeEscaper makes LIKE's wildcards in a search term match themselves.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// ListPeople returns a page of the people an admin manages, by name.
func ListPeople(ctx context.Context, db *gorm.DB, v Viewer, f PeopleFilter, page *Page) ([]Person, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	q := db.WithContext(ctx).Model(&Person{})
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + likeEscaper.Replace(strings.ToLower(s)) + "%"
		q = q.Where(`LOWER(people.name) LIKE ? ESCAPE '\' OR people.email LIKE ? ESCAPE '\' OR LOWER(people.discipline) LIKE ? ESCAPE '\'`,
			like, like, like)
	}
	if err := q.Count(&page.Total).Error; err != nil {
		return nil, err
	}
	var people []Person
	err := q.Preload("Team").Preload("Manager").Order("people.name, people.id").
		Offset(page.Offset()).Limit(page.Size).Find(&people).Error
	return people, err
}

// PersonChoice is a person as an option in a select list.
type PersonChoice struct {
	ID         uint   `json:"id"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	Discipline string `json:"discipline"`
}

// DefaultSelectLimit is the most people a select list offers; forms of a
// larger organisation ask for an email address, with a search.
const DefaultSelectLimit = 500

// PeopleChoices lists every person for admin select lists, or nil when
// there are more than limit: a list that long is no help to choose from.
func PeopleChoices(ctx context.Context, db *gorm.DB, v Viewer, limit int) ([]PersonChoice, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	var out []PersonChoice
	err := db.WithContext(ctx).Model(&Person{}).Order("name, id").Limit(limit + 1).Find(&out).Error
	if len(out) > limit {
		return nil, err
	}
	return out, err
}

// SearchPeopleChoices finds at most limit people whose name or email
// contains q, for the search of the email fields; admins only.
func SearchPeopleChoices(ctx context.Context, db *gorm.DB, v Viewer, q string, limit int) ([]PersonChoice, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	out := []PersonChoice{}
	q = strings.ToLower(CleanText(q))
	if len([]rune(q)) < 2 {
		return out, nil
	}
	like := "%" + likeEscaper.Replace(q) + "%"
	err := db.WithContext(ctx).Model(&Person{}).
		Where(`LOWER(people.name) LIKE ? ESCAPE '\' OR people.email LIKE ? ESCAPE '\'`, like, like).
		Order("name, id").Limit(limit).Find(&out).Error
	return out, err
}

// CreatePerson adds a person; admins only.
func CreatePerson(ctx context.Context, db *gorm.DB, v Viewer, in PersonInput) (Person, error) {
	if !v.Can(OrgManage) {
		return Person{}, ErrNotFound
	}
	p := Person{}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := applyPersonInput(tx, &p, in); err != nil {
			return err
		}
		return duplicateEmail(tx.Create(&p).Error)
	})
	return p, err
}

// UpdatePerson changes a person; admins only.
func UpdatePerson(ctx context.Context, db *gorm.DB, v Viewer, id uint, in PersonInput) (Person, error) {
	if !v.Can(OrgManage) {
		return Person{}, ErrNotFound
	}
	var p Person
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&p, id).Error; err != nil {
			return notFound(err)
		}
		if p.ID == v.PersonID && !in.Admin {
			return fieldErr("admin", "cannot_drop_own_admin")
		}
		wasAdmin, oldEmail := p.Admin, p.Email
		placements, err := checkPlacementsOf(tx, p.ID)
		if err != nil {
			return err
		}
		if err := applyPersonInput(tx, &p, in); err != nil {
			return err
		}
		if wasAdmin != p.Admin {
			if err := audit(tx, v.PersonID, AuditRoleChange, "person", p.ID); err != nil {
				return err
			}
		}
		if err := duplicateEmail(tx.Model(&p).
			Select("name", "email", "team_id", "discipline", "manager_id", "admin", "language").
			Updates(&p).Error); err != nil {
			return err
		}
		if err := placements.verify(tx, in.ConfirmBrokenRules); err != nil {
			return err
		}
		if p.Email != oldEmail && !erasedEmail(oldEmail) {
			return notifyEmailChange(tx, v.PersonID, p, oldEmail, nowOf(tx))
		}
		return nil
	})
	return p, err
}

func applyPersonInput(tx *gorm.DB, p *Person, in PersonInput) error {
	ve := &ValidationError{}
	p.Name = CleanText(in.Name)
	p.Email = NormalizeEmail(in.Email)
	p.Discipline = CleanText(in.Discipline)
	p.Admin = in.Admin
	if in.Language != "" {
		p.Language = in.Language
	} else if p.Language == "" {
		p.Language = "nl"
	}
	p.TeamID, p.Team = nil, nil
	if in.TeamID != 0 {
		if err := tx.First(&Team{}, in.TeamID).Error; err != nil {
			ve.Add("team_id", "unknown_choice", nil)
		} else {
			p.TeamID = &in.TeamID
		}
	}
	p.ManagerID, p.Manager = nil, nil
	if in.ManagerID != 0 {
		switch {
		case p.ID != 0 && in.ManagerID == p.ID:
			ve.Add("manager_id", "own_manager", nil)
		case tx.First(&Person{}, in.ManagerID).Error != nil:
			ve.Add("manager_id", "unknown_choice", nil)
		default:
			p.ManagerID = &in.ManagerID
		}
	}
	return ve.OrNil()
}

func duplicateEmail(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return fieldErr("email", "email_taken")
	}
	return err
}

// SetLanguage stores a person's preferred language.
func SetLanguage(ctx context.Context, db *gorm.DB, v Viewer, lang string) error {
	if lang != "nl" && lang != "en" {
		return fieldErr("language", "unknown_choice")
	}
	return db.WithContext(ctx).Model(&Person{}).Where("id = ?", v.PersonID).Update("language", lang).Error
}

// CountPeople returns how many people exist.
func CountPeople(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&Person{}).Count(&n).Error
	return n, err
}

// PersonName is the name of the person with id.
func PersonName(ctx context.Context, db *gorm.DB, id uint) (string, error) {
	var p Person
	err := db.WithContext(ctx).Select("id, name").First(&p, id).Error
	return p.Name, notFound(err)
}

// PersonByEmail finds a person by email for single sign-on; erased people
// are not found.
func PersonByEmail(ctx context.Context, db *gorm.DB, email string) (Person, error) {
	var p Person
	err := db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).First(&p).Error
	return p, notFound(err)
}
