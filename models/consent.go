package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Consent is the only way mentoring text reaches anyone outside the group:
// a mentee shares one text with one named person, for a stated purpose,
// until a date, in wording they agreed to. They can revoke it at any time.
type Consent struct {
	ID          uint       `gorm:"primaryKey" json:"id"`
	OwnerID     uint       `gorm:"not null" json:"owner_id"`
	RecipientID uint       `gorm:"not null" json:"recipient_id"`
	Purpose     string     `gorm:"type:text;not null" json:"purpose" sealed:"consents"`
	Text        string     `gorm:"type:text;not null" json:"text" sealed:"consents"`
	Wording     string     `gorm:"type:text;not null" json:"wording" sealed:"consents"`
	Until       Date       `gorm:"not null" json:"until"`
	RevokedAt   *time.Time `json:"revoked_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
}

// ConsentRow is a consent with the names of both people.
type ConsentRow struct {
	Consent
	OwnerName     string `json:"owner_name"`
	RecipientName string `json:"recipient_name"`
}

// Active reports whether the recipient may see the text on day today.
func (c Consent) Active(today Date) bool { return c.RevokedAt == nil && !c.Until.Before(today) }

// ConsentInput is the sharing form. FromGoal copies the text of one of the
// mentee's own goals (with its progress) instead of Text.
type ConsentInput struct {
	RecipientID uint   `form:"recipient_id" json:"recipient_id" validate:"required"`
	Text        string `form:"text" json:"text" validate:"max=5000"`
	FromGoal    uint   `form:"from_goal" json:"from_goal"`
	Purpose     string `form:"purpose" json:"purpose" validate:"required,max=500"`
	Until       string `form:"until" json:"until" validate:"required,date"`
	Agreed      bool   `form:"agreed" json:"agreed"`
}

// MaxConsentMonths is how far ahead a consent may run.
const MaxConsentMonths = 12

func consentRows(tx *gorm.DB) *gorm.DB {
	return tx.Model(&Consent{}).Select("consents.*, o.name AS owner_name, r.name AS recipient_name").
		Joins("JOIN people o ON o.id = consents.owner_id").Joins("JOIN people r ON r.id = consents.recipient_id")
}

// OwnConsents lists what the viewer has shared, newest first.
func OwnConsents(ctx context.Context, db *gorm.DB, v Viewer) ([]ConsentRow, error) {
	var out []ConsentRow
	err := consentRows(db.WithContext(ctx)).Where("consents.owner_id = ?", v.PersonID).Order("consents.id DESC").Find(&out).Error
	return out, err
}

// GrantConsent shares a text of the viewer's with one person. wording is
// the agreement text the viewer saw and confirmed; it is stored with it.
func GrantConsent(ctx context.Context, db *gorm.DB, v Viewer, in ConsentInput, wording string, today Date) (Consent, error) {
	var c Consent
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ve := &ValidationError{}
		if !in.Agreed {
			ve.Add("agreed", "must_agree", nil)
		}
		if in.RecipientID == v.PersonID {
			ve.Add("recipient_id", "unknown_choice", nil)
		} else if err := tx.Select("id").First(&Person{}, in.RecipientID).Error; err != nil {
			ve.Add("recipient_id", "unknown_choice", nil)
		}
		until, err := ParseDate(in.Until)
		if err != nil {
			ve.Add("until", "date", nil)
		} else if until.Before(today) || until.After(today.AddMonths(MaxConsentMonths)) {
			ve.Add("until", "until_range", map[string]any{"Max": MaxConsentMonths})
		}
		text := CleanText(in.Text)
		if in.FromGoal != 0 {
			goals, err := listGoals(tx, v, 0, in.FromGoal, Window{})
			if err != nil {
				return err
			}
			if len(goals) == 0 || !goals[0].Mine {
				ve.Add("from_goal", "unknown_choice", nil)
			} else {
				text = goals[0].What
				for _, p := range goals[0].Progress {
					text += "\n" + p.WrittenOn.String() + ": " + p.Text
				}
			}
		}
		if text == "" {
			ve.Add("text", "required", nil)
		}
		if err := ve.OrNil(); err != nil {
			return err
		}
		c = Consent{OwnerID: v.PersonID, RecipientID: in.RecipientID, Purpose: CleanText(in.Purpose), Text: text,
			Wording: wording, Until: until}
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		if err := Notify(tx, NoticeTextShared, NoticeAbout{Type: "consent", ID: c.ID, OtherID: v.PersonID,
			Path: "/shared/" + itoaU(c.ID), Occurrence: time.Unix(0, 0)}, []uint{in.RecipientID}); err != nil {
			return err
		}
		return audit(tx, v.PersonID, AuditConsentGrant, "consent", c.ID)
	})
	return c, err
}

// RevokeConsent ends a consent at once; its owner only.
func RevokeConsent(ctx context.Context, db *gorm.DB, v Viewer, id uint, now time.Time) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Consent
		if err := tx.Select("id", "owner_id", "revoked_at").Where("owner_id = ?", v.PersonID).First(&c, id).Error; err != nil {
			return notFound(err)
		}
		if c.RevokedAt != nil {
			return nil
		}
		if err := tx.Model(&Consent{}).Where("id = ?", id).Update("revoked_at", now).Error; err != nil {
			return err
		}
		return audit(tx, v.PersonID, AuditConsentRevoke, "consent", id)
	})
}

// SharedWithMe lists the texts shared with the viewer that are active
// today; each one shown is logged as viewed.
func SharedWithMe(ctx context.Context, db *gorm.DB, v Viewer, today Date) ([]ConsentRow, error) {
	return sharedWith(db.WithContext(ctx), v, today, 0)
}

// GetShared returns one text shared with the viewer, if still active.
func GetShared(ctx context.Context, db *gorm.DB, v Viewer, id uint, today Date) (ConsentRow, error) {
	rows, err := sharedWith(db.WithContext(ctx), v, today, id)
	if err != nil {
		return ConsentRow{}, err
	}
	if len(rows) == 0 {
		return ConsentRow{}, ErrNotFound
	}
	return rows[0], nil
}

func sharedWith(tx *gorm.DB, v Viewer, today Date, id uint) ([]ConsentRow, error) {
	q := consentRows(tx).Where("consents.recipient_id = ? AND consents.revoked_at IS NULL AND consents.until >= ?", v.PersonID, today)
	if id != 0 {
		q = q.Where("consents.id = ?", id)
	}
	var out []ConsentRow
	if err := q.Order("consents.id DESC").Find(&out).Error; err != nil {
		return nil, err
	}
	for _, c := range out {
		if err := audit(tx, v.PersonID, AuditConsentView, "consent", c.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ConsentRecipients lists whom the viewer may pick on the forms that
// share a text: everyone else when the organisation has at most limit other
// people; else only the people close to the viewer (their manager, and the
// mentors and members of their groups), with complete false, and the form
// asks for anyone else's email address instead of listing thousands.
func ConsentRecipients(ctx context.Context, db *gorm.DB, v Viewer, limit int) (people []PersonChoice, complete bool, err error) {
	q := db.WithContext(ctx).Model(&Person{}).Select("id, name").Where("id <> ?", v.PersonID).Order("name, id")
	if err = q.Limit(limit + 1).Scan(&people).Error; err != nil || len(people) <= limit {
		return people, true, err
	}
	people = nil
	groups := db.Model(&Membership{}).Select("group_id").Where("person_id = ?", v.PersonID)
	err = db.WithContext(ctx).Model(&Person{}).Select("id, name").Where("id <> ?", v.PersonID).
		Where("id IN (?) OR id IN (?) OR id IN (?)",
			db.Model(&Person{}).Select("manager_id").Where("id = ? AND manager_id IS NOT NULL", v.PersonID),
			db.Model(&MentorGroup{}).Select("mentor_id").Where("id IN (?)", groups),
			db.Model(&Membership{}).Select("person_id").Where("group_id IN (?)", groups)).
		Order("name, id").Limit(limit).Scan(&people).Error
	return people, false, err
}
