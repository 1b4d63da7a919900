package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// invitePage lets an invited person choose a password.
func (h *Handlers) invitePage(c echo.Context) error {
	p, err := models.InvitedPerson(c.Request().Context(), h.DB, c.Param("token"), h.Now())
	if err != nil {
		return err
	}
	return h.page(c, "invite", "invite.title", p.Name)
}

// acceptInvite sets the password and signs the person in.
func (h *Handlers) acceptInvite(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	invited, err := models.InvitedPerson(ctx, h.DB, token, h.Now())
	if err != nil {
		return err
	}
	var in models.PasswordInput
	if err := bind(c, &in); err != nil {
		return h.formFailed(c, err, "invite", "invite.title", nil, invited.Name)
	}
	p, err := models.AcceptInvitation(ctx, h.DB, token, in, h.Now())
	if err != nil {
		return h.formFailed(c, err, "invite", "invite.title", nil, invited.Name)
	}
	if err := h.startSession(c, p.ID); err != nil {
		return err
	}
	return h.redirect(c, "/", "flash.welcome")
}

// invite makes a fresh invitation link for a person and shows it to the admin.
func (h *Handlers) invite(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	token, err := models.Invite(c.Request().Context(), h.DB, mustViewer(c), id, h.Now())
	if err != nil {
		return err
	}
	return h.personPage(c, id, h.BaseURL+"/invite/"+token, http.StatusOK)
}
