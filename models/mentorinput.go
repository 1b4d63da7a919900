package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// The handbook's one exception: the mentor gives input about a mentee (for
// an appraisal, say) only because the mentee asks for it. The mentee names
// the recipient, the purpose and a date; the mentor drafts; the mentee
// reads, may ask for changes, and approves or refuses. Only the exact text
// the mentee approved reaches the recipient, until the date, and the mentee
// can revoke it at any time. The states and who may move them are in
// inputTransitions; every step is audited, never with content.

// InputRequest is a mentee's request for input from their mentor for one
// named recipient. Purpose, draft, comment and the shared text are sealed.
type InputRequest struct {
	ID          uint        `gorm:"primaryKey" json:"id"`
	GroupID     uint        `gorm:"not null" json:"group_id"`
	MenteeID    uint        `gorm:"not null" json:"mentee_id"`
	MentorID    uint        `gorm:"not null" json:"mentor_id"` // the group's mentor when asked; only they draft, while they mentor it
	RecipientID uint        `gorm:"not null" json:"recipient_id"`
	Purpose     string      `gorm:"type:text;not null" json:"purpose" sealed:"input_requests"`
	Until       Date        `gorm:"not null" json:"until"`
	Status      InputStatus `gorm:"size:20;not null" json:"status"`
	Draft       string      `gorm:"type:text;not null;default:''" json:"draft,omitempty" sealed:"input_requests"`
	Version     int         `gorm:"not null;default:0" json:"version"` // raised by every draft sent
	Comment     string      `gorm:"type:text;not null;default:''" json:"comment,omitempty" sealed:"input_requests"`
	// SharedText is a copy of the draft the mentee approved, the only text
	// the recipient ever reads; it is emptied when the sharing ends or the
	// mentor sends a new draft.
	SharedText      string     `gorm:"type:text;not null;default:''" json:"-" sealed:"input_requests"`
	ApprovedVersion int        `gorm:"not null;default:0" json:"approved_version"`
	ApprovedAt      *time.Time `json:"approved_at,omitempty"`
	EndedAt         *time.Time `json:"ended_at,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// InputRow is a request with the names of the people and the group.
type InputRow struct {
	InputRequest
	MenteeName    string `json:"mentee_name"`
	MentorName    string `json:"mentor_name"`
	RecipientName string `json:"recipient_name"`
	GroupName     string `json:"group_name"`
	// MentorChanged: the group has another mentor now, so this mentor can no
	// longer draft; the mentee may withdraw or refuse and ask the new one.
	MentorChanged bool `json:"mentor_changed"`
}

// Shared reports whether the recipient may read the approved text on day today.
func (r InputRequest) Shared(today Date) bool {
	return r.Status == InputApproved && !r.Until.Before(today)
}

// Audit actions of input requests.
const (
	AuditInputRequested = "input_requested"
	AuditInputDrafted   = "input_drafted"
	AuditInputChanges   = "input_changes_asked"
	AuditInputApproved  = "input_approved"
	AuditInputRefused   = "input_refused"
	AuditInputWithdrawn = "input_withdrawn"
	AuditInputRevoked   = "input_revoked"
	AuditInputExpired   = "input_expired"
	AuditInputDraftRead = "input_draft_read" // the mentee read the mentor's draft
	AuditInputViewed    = "input_viewed"     // the recipient read the approved text
)

var inputAudit = map[InputAction]string{StepDraft: AuditInputDrafted, StepAskChanges: AuditInputChanges,
	StepApprove: AuditInputApproved, StepRefuse: AuditInputRefused, StepWithdraw: AuditInputWithdrawn,
	StepRevoke: AuditInputRevoked, StepExpire: AuditInputExpired}

// Mail kinds of input requests: the mentor is asked, the mentee's draft is
// ready, the recipient can read a text. They hold a link, never the text.
const (
	MailInputAsked  = "input_asked"
	MailInputDraft  = "input_drafted"
	MailInputShared = "input_shared"
)

// InputAskInput is the mentee's request.
type InputAskInput struct {
	GroupID     uint   `form:"group_id" json:"group_id" validate:"required"`
	RecipientID uint   `form:"recipient_id" json:"recipient_id" validate:"required"`
	Purpose     string `form:"purpose" json:"purpose" validate:"required,max=500"`
	Until       string `form:"until" json:"until" validate:"required,date"`
}

// Limits of the mentor's text and the mentee's comment, in characters.
const (
	maxInputText    = 5000
	maxInputComment = 2000
)

// InputDraftInput is the mentor's draft. Version is the one the mentor
// started from, so two tabs cannot overwrite each other unseen.
type InputDraftInput struct {
	Text    string `form:"text" json:"text"` // checked in SendInputDraft, after who may draft
	Version int    `form:"version" json:"version"`
}

// InputReviewInput is the mentee's answer to a draft: the version they
// read, a comment when asking for changes, and the date for an approval.
type InputReviewInput struct {
	Version int    `form:"version" json:"version"`
	Comment string `form:"comment" json:"comment"` // checked in ReviewInput, after who may review
	Until   string `form:"until" json:"until"`
}

func inputRows(tx *gorm.DB) *gorm.DB {
	return tx.Model(&InputRequest{}).Select(`input_requests.*, me.name AS mentee_name, mr.name AS mentor_name,
		rc.name AS recipient_name, g.name AS group_name, (g.mentor_id <> input_requests.mentor_id) AS mentor_changed`).
		Joins("JOIN people me ON me.id = input_requests.mentee_id").Joins("JOIN people mr ON mr.id = input_requests.mentor_id").
		Joins("JOIN people rc ON rc.id = input_requests.recipient_id").Joins("JOIN mentor_groups g ON g.id = input_requests.group_id")
}

// InputMentorChoice is a group in which the viewer may ask their mentor for input.
type InputMentorChoice struct {
	GroupID    uint   `json:"group_id"`
	GroupName  string `json:"group_name"`
	MentorID   uint   `json:"mentor_id"`
	MentorName string `json:"mentor_name"`
}

// InputMentors lists the viewer's groups as an active (or frozen) mentee,
// with their current mentor.
func InputMentors(ctx context.Context, db *gorm.DB, v Viewer) ([]InputMentorChoice, error) {
	var out []InputMentorChoice
	err := db.WithContext(ctx).Model(&Membership{}).
		Select("g.id AS group_id, g.name AS group_name, g.mentor_id, p.name AS mentor_name").
		Joins("JOIN mentor_groups g ON g.id = memberships.group_id").Joins("JOIN people p ON p.id = g.mentor_id").
		Where("memberships.person_id = ? AND memberships.status IN ? AND g.status <> ? AND g.mentor_id <> ?",
			v.PersonID, AdmittedStatuses, GroupClosed, v.PersonID).
		Order("g.name, g.id").Scan(&out).Error
	return out, err
}

// AskForInput records the viewer's request to their current mentor in one
// of their groups, audits it and mails the mentor.
func AskForInput(ctx context.Context, db *gorm.DB, v Viewer, in InputAskInput, today Date) (InputRequest, error) {
	var r InputRequest
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ve := &ValidationError{}
		mentors, err := InputMentors(ctx, tx, v)
		if err != nil {
			return err
		}
		var mentorID uint
		for _, m := range mentors {
			if m.GroupID == in.GroupID {
				mentorID = m.MentorID
			}
		}
		if mentorID == 0 {
			ve.Add("group_id", "unknown_choice", nil)
		} else if _, err := requireGroup(tx, v, GroupMember, in.GroupID); err != nil {
			ve.Add("group_id", "unknown_choice", nil) // only an admitted member of the group asks
		}
		if in.RecipientID == v.PersonID || (mentorID != 0 && in.RecipientID == mentorID) {
			ve.Add("recipient_id", "input_recipient", nil)
		} else if err := tx.Select("id").Where("email NOT LIKE ?", "%@invalid").First(&Person{}, in.RecipientID).Error; err != nil {
			ve.Add("recipient_id", "unknown_choice", nil)
		}
		purpose := CleanText(in.Purpose)
		if purpose == "" {
			ve.Add("purpose", "required", nil)
		}
		until, err := ParseDate(in.Until)
		if err != nil {
			ve.Add("until", "date", nil)
		} else if until.Before(today) || until.After(today.AddMonths(MaxConsentMonths)) {
			ve.Add("until", "until_range", map[string]any{"Max": MaxConsentMonths})
		}
		if err := ve.OrNil(); err != nil {
			return err
		}
		r = InputRequest{GroupID: in.GroupID, MenteeID: v.PersonID, MentorID: mentorID, RecipientID: in.RecipientID,
			Purpose: purpose, Until: until, Status: InputRequested}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		if err := audit(tx, v.PersonID, AuditInputRequested, "input_request", r.ID); err != nil {
			return err
		}
		now := nowOf(tx)
		return enqueue(tx, MailInputAsked, "input", r.ID, time.Unix(0, 0), now, []uint{mentorID})
	})
	return r, err
}

// InputLists are the requests a viewer takes part in: asked by them, and
// asked of them as the current mentor of the group.
type InputLists struct {
	Mine  []InputRow `json:"mine"`
	ForMe []InputRow `json:"for_me"`
}

// ListInputRequests returns the viewer's own requests and those waiting for
// them as mentor (requests to a former mentor of a group are not listed).
func ListInputRequests(ctx context.Context, db *gorm.DB, v Viewer) (InputLists, error) {
	tx := db.WithContext(ctx)
	var out InputLists
	if err := inputRows(tx).Where("input_requests.mentee_id = ?", v.PersonID).Order("input_requests.id DESC").Find(&out.Mine).Error; err != nil {
		return out, err
	}
	err := inputRows(tx).Where("input_requests.mentor_id = ? AND g.mentor_id = ?", v.PersonID, v.PersonID).
		Order("input_requests.id DESC").Find(&out.ForMe).Error
	for i := range out.Mine {
		out.Mine[i].SharedText = ""
	}
	for i := range out.ForMe {
		out.ForMe[i].SharedText = ""
	}
	return out, err
}

// InputTodo lists the requests waiting for the viewer: as mentor, to draft
// (asked, or changes asked); as mentee, a draft to read. Names and group
// only, never the text.
func InputTodo(ctx context.Context, db *gorm.DB, v Viewer) ([]TodoItem, error) {
	var rows []struct {
		ID        uint
		MenteeID  uint
		Status    InputStatus
		Mentee    string
		Mentor    string
		GroupID   uint
		GroupName string
	}
	err := db.WithContext(ctx).Model(&InputRequest{}).
		Select("input_requests.id, input_requests.mentee_id, input_requests.status, me.name AS mentee, mr.name AS mentor, g.id AS group_id, g.name AS group_name").
		Joins("JOIN people me ON me.id = input_requests.mentee_id").Joins("JOIN people mr ON mr.id = input_requests.mentor_id").
		Joins("JOIN mentor_groups g ON g.id = input_requests.group_id").
		Where(`(input_requests.mentor_id = ? AND g.mentor_id = ? AND input_requests.status IN ?) OR
			(input_requests.mentee_id = ? AND input_requests.status = ?)`,
			v.PersonID, v.PersonID, inputWaitingStatuses, v.PersonID, InputDrafted).
		Order("input_requests.id").Scan(&rows).Error
	out := make([]TodoItem, 0, len(rows))
	for _, r := range rows {
		item := TodoItem{Kind: TodoInputWrite, GroupID: r.GroupID, GroupName: r.GroupName, Text: r.Mentee, Link: "/input/" + itoaU(r.ID)}
		if r.MenteeID == v.PersonID {
			item.Kind, item.Text = TodoInputReview, r.Mentor
		}
		out = append(out, item)
	}
	return out, err
}

// inputWaitingStatuses are the states of a request for input that wait for
// the mentor's text.
var inputWaitingStatuses = []InputStatus{InputRequested, InputChangesRequested}

// To-do kinds of input requests.
const (
	TodoInputWrite  TodoKind = "input_write"  // mentor: a mentee asked for input, or for changes
	TodoInputReview TodoKind = "input_review" // mentee: the mentor's draft waits
)

// InputView is one request as its mentee or its mentor sees it.
type InputView struct {
	InputRow
	Party InputParty      `json:"party"`
	Steps map[string]bool `json:"steps"`
	Today Date            `json:"-"`
}

// GetInputRequest returns a request to its mentee or to the mentor it was
// asked of while they mentor the group; anyone else gets ErrNotFound. The
// read is audited: the mentee reading a draft, the mentor reading the request.
func GetInputRequest(ctx context.Context, db *gorm.DB, v Viewer, id uint, today Date) (InputView, error) {
	var out InputView
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, party, err := inputFor(tx, v, InputRead, id)
		if err != nil {
			return err
		}
		r.SharedText = ""
		out = InputView{InputRow: r, Party: party, Steps: r.Status.Steps(party), Today: today}
		if party == PartyMentor && r.MentorChanged {
			out.Steps = map[string]bool{}
		}
		switch {
		case party == PartyMentee && r.Version > 0:
			return audit(tx, v.PersonID, AuditInputDraftRead, "input_request", id)
		case party == PartyMentor:
			return audit(tx, v.PersonID, AuditRead, "input_request", id)
		}
		return nil
	})
	return out, err
}

// inputFor checks permission p on a request (policy.go: its mentee, or the
// mentor it was asked of while they mentor the group), loads it and says
// which of the two the viewer is.
func inputFor(tx *gorm.DB, v Viewer, p Permission, id uint) (InputRow, InputParty, error) {
	if _, err := authorize(tx, v, p, id); err != nil {
		return InputRow{}, "", err
	}
	var r InputRow
	if err := inputRows(tx).Where("input_requests.id = ?", id).Take(&r).Error; err != nil {
		return r, "", notFound(err)
	}
	if r.MenteeID == v.PersonID {
		return r, PartyMentee, nil
	}
	return r, PartyMentor, nil
}

// SendInputDraft is the mentor's step: a new draft for the mentee, who is
// mailed. Sent for an approved text, it ends the sharing until the mentee
// approves the new version. A former mentor of the group gets ErrNotFound.
func SendInputDraft(ctx context.Context, db *gorm.DB, v Viewer, id uint, in InputDraftInput) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, party, err := inputFor(tx, v, InputDraft, id)
		if err != nil {
			return err
		}
		if party != PartyMentor || r.MentorChanged {
			return ErrNotFound
		}
		to, err := NextInputStatus(r.Status, StepDraft, party)
		if err != nil {
			return err
		}
		if in.Version != r.Version {
			return fieldErr("text", "input_stale")
		}
		text := CleanText(in.Text)
		if text == "" {
			return fieldErr("text", "required")
		}
		if len([]rune(text)) > maxInputText {
			return &ValidationError{Fields: []FieldError{{Field: "text", Code: "too_long", Args: map[string]any{"Max": maxInputText}}}}
		}
		row := InputRequest{ID: id}
		if err := tx.Model(&row).Updates(map[string]any{"status": to, "draft": text, "version": r.Version + 1,
			"shared_text": "", "approved_at": nil}).Error; err != nil {
			return err
		}
		if err := audit(tx, v.PersonID, AuditInputDrafted, "input_request", id); err != nil {
			return err
		}
		return enqueue(tx, MailInputDraft, "input", id, time.Unix(int64(r.Version+1), 0), nowOf(tx), []uint{r.MenteeID})
	})
}

// ReviewInput is the mentee's step on their own request: ask for changes,
// approve, refuse, withdraw or revoke. Approving copies the exact version
// the mentee read into the shared text and mails the recipient a link.
func ReviewInput(ctx context.Context, db *gorm.DB, v Viewer, id uint, act InputAction, in InputReviewInput, today Date) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, party, err := inputFor(tx, v, InputReview, id)
		if err != nil {
			return err
		}
		if party != PartyMentee {
			return ErrNotFound
		}
		to, err := NextInputStatus(r.Status, act, party)
		if err != nil {
			return err
		}
		now := nowOf(tx)
		set := map[string]any{"status": to}
		switch act {
		case StepAskChanges, StepApprove:
			if in.Version != r.Version {
				return fieldErr("_form", "input_stale")
			}
		}
		switch act {
		case StepAskChanges:
			comment := CleanText(in.Comment)
			if comment == "" {
				return fieldErr("comment", "required")
			}
			if len([]rune(comment)) > maxInputComment {
				return &ValidationError{Fields: []FieldError{{Field: "comment", Code: "too_long", Args: map[string]any{"Max": maxInputComment}}}}
			}
			set["comment"] = comment
		case StepApprove:
			until, err := ParseDate(in.Until)
			if err != nil {
				return fieldErr("until", "date")
			}
			if until.Before(today) || until.After(today.AddMonths(MaxConsentMonths)) {
				return &ValidationError{Fields: []FieldError{{Field: "until", Code: "until_range", Args: map[string]any{"Max": MaxConsentMonths}}}}
			}
			set["until"], set["shared_text"], set["approved_version"], set["approved_at"] = until, r.Draft, r.Version, now
		default: // refuse, withdraw, revoke: the request ends and nothing stays shared
			set["shared_text"], set["ended_at"] = "", now
		}
		row := InputRequest{ID: id}
		if err := tx.Model(&row).Updates(set).Error; err != nil {
			return err
		}
		if err := audit(tx, v.PersonID, inputAudit[act], "input_request", id); err != nil {
			return err
		}
		if act == StepApprove {
			return Notify(tx, MailInputShared, NoticeAbout{Type: "input", ID: id, OtherID: r.MenteeID, Path: "/shared/input/" + itoaU(id),
				Occurrence: time.Unix(int64(r.Version), 0)}, []uint{r.RecipientID})
		}
		return nil
	})
}

// SharedInput is an approved text as its recipient reads it.
type SharedInput struct {
	ID         uint   `json:"id"`
	MenteeName string `json:"mentee_name"`
	MentorName string `json:"mentor_name"`
	Purpose    string `json:"purpose"`
	Text       string `json:"text"`
	Until      Date   `json:"until"`
}

// InputSharedWithMe lists the approved texts shared with the viewer that
// are active today (id 0), or that one; each one shown is logged as viewed.
func InputSharedWithMe(ctx context.Context, db *gorm.DB, v Viewer, today Date, id uint) ([]SharedInput, error) {
	var out []SharedInput
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := inputRows(tx).Where("input_requests.recipient_id = ? AND input_requests.status = ? AND input_requests.until >= ?",
			v.PersonID, InputApproved, today)
		if id != 0 {
			q = q.Where("input_requests.id = ?", id)
		}
		var rows []InputRow
		if err := q.Order("input_requests.id DESC").Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			if r.SharedText == "" || r.ApprovedVersion == 0 {
				continue // never anything but an approved copy
			}
			out = append(out, SharedInput{ID: r.ID, MenteeName: r.MenteeName, MentorName: r.MentorName, Purpose: r.Purpose,
				Text: r.SharedText, Until: r.Until})
			if err := audit(tx, v.PersonID, AuditInputViewed, "input_request", r.ID); err != nil {
				return err
			}
		}
		if id != 0 && len(out) == 0 {
			return ErrNotFound
		}
		return nil
	})
	return out, err
}

// ExpireInputRequests ends the sharing of approved texts whose date has
// passed (the reads check the date too; this records it and audits it).
func ExpireInputRequests(ctx context.Context, db *gorm.DB, today Date) (int, error) {
	n := 0
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []uint
		if err := tx.Model(&InputRequest{}).Where("status = ? AND until < ?", InputApproved, today).Pluck("id", &ids).Error; err != nil {
			return err
		}
		now := nowOf(tx)
		for _, id := range ids {
			row := InputRequest{ID: id}
			if err := tx.Model(&row).Updates(map[string]any{"status": InputExpired, "shared_text": "", "ended_at": now}).Error; err != nil {
				return err
			}
			if err := audit(tx, 0, AuditInputExpired, "input_request", id); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// composeInputMail fills a mail of an input request, or ErrStale when the
// request has moved on: no text, only who and a link.
func composeInputMail(tx *gorm.DB, d MailDelivery, out OutgoingMail) (OutgoingMail, error) {
	var r InputRow
	if err := inputRows(tx).Where("input_requests.id = ?", d.SubjectID).Take(&r).Error; err != nil {
		return out, ErrStale
	}
	version := int(d.Occurrence.Unix())
	switch d.Kind {
	case MailInputAsked:
		if r.Status != InputRequested || r.MentorChanged || d.RecipientID != r.MentorID {
			return out, ErrStale
		}
		out.With, out.Path = r.MenteeName, "/input/"+itoaU(r.ID)
	case MailInputDraft:
		if r.Status != InputDrafted || r.Version != version || d.RecipientID != r.MenteeID {
			return out, ErrStale
		}
		out.With, out.Path = r.MentorName, "/input/"+itoaU(r.ID)
	case MailInputShared:
		if r.Status != InputApproved || r.ApprovedVersion != version || d.RecipientID != r.RecipientID || r.Until.Before(DateOf(nowOf(tx))) {
			return out, ErrStale
		}
		out.With, out.Path = r.MenteeName, "/shared/input/"+itoaU(r.ID)
	default:
		return out, ErrStale
	}
	return out, nil
}
