package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// proposalData is a programme's group proposal in words.
type proposalData struct {
	Programme models.Programme
	Exists    bool
	Groups    []proposedGroupView
	Unplaced  []unplacedView
	Choices   []groupChoice
	Broken    bool // some group breaks a hard rule: accepting is refused
}

type proposedGroupView struct {
	Index   int
	Group   models.ProposedGroup
	Rules   []RuleMessage
	Fits    []string
	GivesUp []string
	Broken  bool
}

type unplacedView struct {
	Applicant models.Applicant
	Reason    string
}

type groupChoice struct {
	Index int
	Label string
}

// proposalView puts a proposal into words in the viewer's language.
func (h *Handlers) proposalView(c echo.Context, id uint) (View, error) {
	ctx, v := c.Request().Context(), mustViewer(c)
	var data proposalData
	var err error
	if data.Programme, err = models.GetProgramme(ctx, h.DB, v, id); err != nil {
		return View{}, err
	}
	view := h.view(c, "proposal.title", &data)
	p, err := models.GetProposal(ctx, h.DB, v, id)
	if errors.Is(err, models.ErrNotFound) {
		return view, nil
	}
	if err != nil {
		return view, err
	}
	data.Exists = true
	l := lang(c)
	for i, g := range p.Groups {
		gv := proposedGroupView{Index: i + 1, Group: g, Rules: h.ruleMessages(l, g.Checklist), Broken: g.Checklist.Worst() == models.Broken}
		for _, f := range g.Fits {
			gv.Fits = append(gv.Fits, h.preference(view, "fits", f))
		}
		for _, f := range g.GivesUp {
			gv.GivesUp = append(gv.GivesUp, h.preference(view, "gives_up", f))
		}
		data.Broken = data.Broken || gv.Broken
		data.Groups = append(data.Groups, gv)
		data.Choices = append(data.Choices, groupChoice{Index: i + 1, Label: view.T("proposal.group_label", "N", i+1, "Mentor", g.Mentor.Name)})
	}
	for _, u := range p.Unplaced {
		subject := u.Subject
		if u.Reason == "conflicts" {
			var titles []string
			for _, r := range strings.Split(u.Subject, ",") {
				if r != "" {
					titles = append(titles, strings.ToLower(view.T("rule."+r+".title")))
				}
			}
			subject = strings.Join(titles, "; ")
		}
		data.Unplaced = append(data.Unplaced, unplacedView{Applicant: u.Applicant,
			Reason: view.T("proposal.reason."+u.Reason, "Subject", subject)})
	}
	return view, nil
}

// preference puts a soft preference into words, naming weekdays.
func (h *Handlers) preference(v View, side string, p models.Preference) string {
	subject := p.Subject
	if p.Kind == "weekday" && side == "fits" {
		if subject == "" {
			return v.T("proposal.fits.any_day")
		}
		var days []string
		for _, d := range strings.Split(subject, ",") {
			if n, err := strconv.Atoi(d); err == nil {
				days = append(days, v.Weekday(time.Weekday(n%7)))
			}
		}
		subject = joinNames(v.catalog, v.Lang, days)
	}
	return v.T("proposal."+side+"."+p.Kind, "Subject", subject)
}

// showProposal shows the programme's group proposal under review.
func (h *Handlers) showProposal(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := h.proposalView(c, id)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "proposal", v)
}

// makeProposal proposes groups from the pool, replacing an earlier proposal.
func (h *Handlers) makeProposal(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := models.ProposeGroups(c.Request().Context(), h.DB, mustViewer(c), id); err != nil {
		return err
	}
	return h.redirect(c, "/programmes/"+itoa(id)+"/proposal", "flash.proposal_made")
}

// moveInProposal moves a mentee to another proposed group; a move that
// breaks a rule is refused and the proposal shown with the reason.
func (h *Handlers) moveInProposal(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.MoveInput
	if err = bind(c, &in); err == nil {
		if err = models.MoveInProposal(c.Request().Context(), h.DB, mustViewer(c), id, in); err == nil {
			return h.redirect(c, "/programmes/"+itoa(id)+"/proposal#person-"+itoa(in.PersonID), "flash.proposal_moved")
		}
	}
	return h.proposalFailed(c, id, err)
}

// acceptProposal creates the proposed groups.
func (h *Handlers) acceptProposal(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	l := lang(c)
	name := func(mentor string) string {
		return h.Catalog.T(l, "proposal.group_name", map[string]any{"Mentor": mentor})
	}
	_, err = models.AcceptProposal(c.Request().Context(), h.DB, mustViewer(c), id, name, h.today(c))
	if err == nil {
		return h.redirect(c, "/programmes/"+itoa(id), "flash.proposal_accepted")
	}
	return h.proposalFailed(c, id, err)
}

func (h *Handlers) proposalFailed(c echo.Context, id uint, err error) error {
	v, verr := h.proposalView(c, id)
	if verr != nil {
		return verr
	}
	return h.formFailed(c, err, "proposal", "proposal.title", nil, v.Data)
}
