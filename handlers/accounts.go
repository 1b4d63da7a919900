package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// linkPageData is what the page behind an invitation or reset link shows.
type linkPageData struct {
	Name    string
	Purpose string
}

// linkTitle is the page title of an account link.
func linkTitle(purpose string) string {
	if purpose == models.LinkReset {
		return "reset.title"
	}
	return "invite.title"
}

// linkPage lets the person behind an invitation or reset link choose a password.
func (h *Handlers) linkPage(purpose string) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := models.LinkPerson(c.Request().Context(), h.DB, purpose, c.Param("token"), h.Now())
		if err != nil {
			return err
		}
		return h.page(c, "invite", linkTitle(purpose), linkPageData{Name: p.Name, Purpose: purpose})
	}
}

// useLink sets the password, uses the link up and signs the person in.
func (h *Handlers) useLink(purpose string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		token := c.Param("token")
		linked, err := models.LinkPerson(ctx, h.DB, purpose, token, h.Now())
		if err != nil {
			return err
		}
		data := linkPageData{Name: linked.Name, Purpose: purpose}
		var in models.PasswordInput
		if err := bind(c, &in); err != nil {
			return h.formFailed(c, err, "invite", linkTitle(purpose), nil, data)
		}
		p, err := models.UseLink(ctx, h.DB, h.PasswordGate, purpose, token, in, h.Now())
		if err != nil {
			return h.formFailed(c, err, "invite", linkTitle(purpose), nil, data)
		}
		if err := h.startSession(c, p.ID); err != nil {
			return err
		}
		flash := "flash.welcome"
		if purpose == models.LinkReset {
			flash = "flash.password_reset"
		}
		return h.redirect(c, "/", flash)
	}
}

// invite mails an invitation to a person without a password; the admin
// sees that it was sent, never the link.
func (h *Handlers) invite(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	err = models.Invite(c.Request().Context(), h.DB, mustViewer(c), id, h.Now())
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return h.personPage(c, id, http.StatusUnprocessableEntity, ve)
	}
	if err != nil {
		return err
	}
	return h.redirect(c, "/people/"+c.Param("id"), "flash.invite_sent")
}

// resetAccess ends a person's sessions and mails them a reset link.
func (h *Handlers) resetAccess(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := models.ResetAccess(c.Request().Context(), h.DB, mustViewer(c), id, h.Now()); err != nil {
		return err
	}
	return h.redirect(c, "/people/"+c.Param("id"), "flash.reset_sent")
}

// forgotForm asks for the address to send a reset link to.
type forgotForm struct {
	Email string `form:"email" json:"email" validate:"required,max=254,email"`
}

// forgotPage shows the form that mails a reset link.
func (h *Handlers) forgotPage(c echo.Context) error {
	if h.NoPasswords {
		return models.ErrNotFound
	}
	v := h.view(c, "forgot.title", false)
	v.Form = forgotForm{}
	return c.Render(http.StatusOK, "forgot", v)
}

// forgot mails a reset link if the address has an account; the answer is
// the same either way.
func (h *Handlers) forgot(c echo.Context) error {
	if h.NoPasswords {
		return models.ErrNotFound
	}
	var in forgotForm
	if err := bind(c, &in); err != nil {
		return h.formFailed(c, err, "forgot", "forgot.title", in, false)
	}
	if err := models.ForgotPassword(c.Request().Context(), h.DB, in.Email, c.RealIP(), h.SignInLimits, h.Now()); err != nil {
		return err
	}
	v := h.view(c, "forgot.title", true)
	v.Form = forgotForm{}
	return c.Render(http.StatusOK, "forgot", v)
}

// changePassword sets a new password after checking the current one and
// ends the person's other sessions.
func (h *Handlers) changePassword(c echo.Context) error {
	var in models.ChangePasswordInput
	err := bind(c, &in)
	if err == nil {
		token, _ := c.Get(keyToken).(string)
		err = models.ChangePassword(c.Request().Context(), h.DB, h.PasswordGate, mustViewer(c), in, token, h.Now())
	}
	if err != nil {
		return h.accountPage(c, 0, "", models.APITokenInput{}, err)
	}
	return h.redirect(c, "/account", "flash.password_changed")
}

// languageForm switches the language and goes back to the page.
type languageForm struct {
	Lang string `form:"lang" validate:"required,oneof=nl en"`
	Back string `form:"back" validate:"max=2000"`
}

// setLanguage stores the language choice: in a cookie and, when signed in,
// as the person's preference. A GET with ?lang= only shows one page in it.
func (h *Handlers) setLanguage(c echo.Context) error {
	var in languageForm
	if err := bind(c, &in); err != nil {
		return err
	}
	h.setCookie(c, langCookie, in.Lang, "/", 365*24*3600)
	if v, ok := viewer(c); ok {
		if err := models.SetLanguage(c.Request().Context(), h.DB, v, in.Lang); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, safeNext(in.Back))
}

// apiForgotBody is the body of POST /api/v1/password/forgot.
type apiForgotBody = forgotForm

// apiForgot is POST /api/v1/password/forgot: 202 whether or not the address exists.
func (h *Handlers) apiForgot(c echo.Context) error {
	if h.NoPasswords {
		return models.ErrNotFound
	}
	var in apiForgotBody
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := models.ForgotPassword(c.Request().Context(), h.DB, in.Email, c.RealIP(), h.SignInLimits, h.Now()); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// apiChangePassword is PUT /api/v1/me/password.
func (h *Handlers) apiChangePassword(c echo.Context) error {
	var in models.ChangePasswordInput
	if err := bind(c, &in); err != nil {
		return err
	}
	token, _ := c.Get(keyToken).(string)
	if err := models.ChangePassword(c.Request().Context(), h.DB, h.PasswordGate, mustViewer(c), in, token, h.Now()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiInvite is POST /api/v1/people/{id}/invitation.
func (h *Handlers) apiInvite(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := models.Invite(c.Request().Context(), h.DB, mustViewer(c), id, h.Now()); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// apiResetAccess is POST /api/v1/people/{id}/reset-access.
func (h *Handlers) apiResetAccess(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := models.ResetAccess(c.Request().Context(), h.DB, mustViewer(c), id, h.Now()); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}
