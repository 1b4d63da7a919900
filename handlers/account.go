package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// accountData is the person's own account page.
type accountData struct {
	Tokens      []models.APIToken
	NewToken    string
	CalendarURL string
	Kinds       []string
	OrgOff      map[string]bool // kinds the organisation switched off for everyone
	Off         map[string]bool
	NoticeKinds []string          // the kinds of notice to choose a delivery for
	NoticeModes []string          // mail at once, daily digest, app only
	Modes       map[string]string // the person's delivery per notice kind
}

func (h *Handlers) accountPage(c echo.Context, status int, newToken string, form any, err error) error {
	tokens, lerr := models.ListAPITokens(c.Request().Context(), h.DB, mustViewer(c))
	if lerr != nil {
		return lerr
	}
	data := accountData{Tokens: tokens, NewToken: newToken, Kinds: models.PersonalReminderKinds(),
		NoticeKinds: models.NoticeKinds, NoticeModes: models.NoticeModes}
	if data.Modes, lerr = models.NoticeModesOf(c.Request().Context(), h.DB, mustViewer(c)); lerr != nil {
		return lerr
	}
	if data.Off, lerr = models.ReminderOptOuts(c.Request().Context(), h.DB, mustViewer(c)); lerr != nil {
		return lerr
	}
	org, lerr := h.organisation(c.Request().Context())
	if lerr != nil {
		return lerr
	}
	data.OrgOff = org.RemindersOffForAll()
	feed, lerr := models.CalendarToken(c.Request().Context(), h.DB, mustViewer(c), false)
	if lerr != nil {
		return lerr
	}
	if feed != "" {
		data.CalendarURL = h.calendarURL(feed)
	}
	if err != nil {
		return h.formFailed(c, err, "account", "account.title", form, data)
	}
	v := h.view(c, "account.title", data)
	v.Form = form
	return c.Render(status, "account", v)
}

// showAccount shows the language choice and personal API tokens.
func (h *Handlers) showAccount(c echo.Context) error {
	return h.accountPage(c, http.StatusOK, "", models.APITokenInput{}, nil)
}

// createToken makes a personal API token and shows it once.
func (h *Handlers) createToken(c echo.Context) error {
	var in models.APITokenInput
	if err := bind(c, &in); err != nil {
		return h.accountPage(c, 0, "", in, err)
	}
	_, token, err := models.CreateAPIToken(c.Request().Context(), h.DB, mustViewer(c), in)
	if err != nil {
		return err
	}
	return h.accountPage(c, http.StatusCreated, token, models.APITokenInput{}, nil)
}

// revokeToken deletes a personal API token.
func (h *Handlers) revokeToken(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := models.RevokeAPIToken(c.Request().Context(), h.DB, mustViewer(c), id); err != nil {
		return err
	}
	return h.redirect(c, "/account", "flash.token_revoked")
}

// exportOwnData downloads the viewer's own data as JSON.
func (h *Handlers) exportOwnData(c echo.Context) error {
	data, err := models.ExportOwnData(c.Request().Context(), h.DB, mustViewer(c), h.Now())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="crossmentor-my-data.json"`)
	return c.JSONPretty(http.StatusOK, data, "  ")
}

// eraseForm asks the person to type a word, so erasure is never an accident.
type eraseForm struct {
	Confirm string `form:"confirm" validate:"required,max=20"`
}

// eraseSelf removes the viewer's own texts and identity, and signs them out.
func (h *Handlers) eraseSelf(c echo.Context) error {
	var in eraseForm
	err := bind(c, &in)
	word := h.Catalog.T(lang(c), "account.erase_word", nil)
	if err == nil && in.Confirm != word {
		err = &models.ValidationError{Fields: []models.FieldError{{Field: "confirm", Code: "erase_word", Args: map[string]any{"Word": word}}}}
	}
	if err == nil {
		err = models.EraseSelf(c.Request().Context(), h.DB, mustViewer(c))
	}
	if err != nil {
		return h.accountPage(c, 0, "", nil, err)
	}
	h.clearSessionCookie(c)
	return h.redirect(c, "/signin", "flash.erased")
}

// remindersForm lists the reminder kinds the person keeps on.
type remindersForm struct {
	On []string `form:"on"`
}

// saveReminders stores which reminders the person wants.
func (h *Handlers) saveReminders(c echo.Context) error {
	var in remindersForm
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := models.SetReminderOptOuts(c.Request().Context(), h.DB, mustViewer(c), in.On); err != nil {
		return h.accountPage(c, 0, "", nil, err)
	}
	return h.redirect(c, "/account", "flash.saved")
}
