package app

import (
	"fmt"
	"time"

	"crossmentor/models"
)

// year fills Groep Noord's year so far: a first meeting chosen by date
// poll, its agenda, the planned series with a work visit and a guest, the
// meetings held until now with roles, attendance and notes, action items,
// one-on-ones and learning goals; and an open date poll for Groep West.
func (d *demoLoader) year() {
	if d.err != nil {
		return
	}
	admin := models.Viewer{PersonID: d.ids["admin@demo.test"], Admin: true}
	mentor := models.Viewer{PersonID: d.ids["mentor@demo.test"], Mentor: true}
	sanne := models.Viewer{PersonID: d.ids["mentee@demo.test"], Mentee: true}
	noord := d.groupIDs["Groep Noord"]
	_, err := models.AddBlackout(d.ctx, d.tx, admin, models.BlackoutInput{Name: "Kerstvakantie", StartsOn: "2026-12-19", EndsOn: "2027-01-03"})
	d.fail(err)
	_, err = models.AddBlackout(d.ctx, d.tx, admin, models.BlackoutInput{Name: "Zomervakantie", StartsOn: "2027-07-17", EndsOn: "2027-08-29"})
	d.fail(err)

	// The first meeting, picked by date poll at the start of September.
	september := models.WithRequest(d.ctx, "", func() time.Time { return time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC) })
	_, err = models.CreatePoll(september, d.tx, mentor, noord, models.PollInput{Options: []string{"2026-09-15T14:00", "2026-09-17T10:00", "2026-09-22T14:00"},
		DurationMin: 120, Location: "Stadskantoor, zaal 3.12"})
	d.fail(err)
	poll, err := models.GetPoll(d.ctx, d.tx, mentor, noord)
	d.fail(err)
	for _, email := range []string{"mentee@demo.test", "ahmed.elamrani@demo.test", "lotte.visser@demo.test", "daan.smit@demo.test", "yara.mulder@demo.test"} {
		answers := map[uint]string{}
		for _, o := range poll.Options {
			answers[o.Option.ID] = "yes"
			if o.Option.StartsAt.Day() == 17 && email == "lotte.visser@demo.test" {
				answers[o.Option.ID] = "no"
			}
		}
		d.fail(models.AnswerPoll(d.ctx, d.tx, models.Viewer{PersonID: d.ids[email], Mentee: true}, noord, answers))
	}
	poll, err = models.GetPoll(d.ctx, d.tx, mentor, noord)
	d.fail(err)
	if d.err != nil || len(poll.Options) == 0 {
		d.fail(fmt.Errorf("demo poll has no options"))
		return
	}
	first, err := models.PickPollDate(d.ctx, d.tx, mentor, noord, poll.Options[0].Option.ID)
	d.fail(err)
	_, err = models.UpdateMeeting(d.ctx, d.tx, mentor, first.ID, models.MeetingInput{Date: "2026-09-15", StartTime: "14:00", DurationMin: 120,
		Location: "Stadskantoor, zaal 3.12", Kind: "first", IntroFormat: "object"})
	d.fail(err)
	entries := map[string]models.EntryInput{
		"mentee@demo.test":         {Goal: "Steviger staan in overleggen met leveranciers.", Needs: "Leren nee zeggen zonder de relatie te schaden.", Questions: "Hoe bereid je een lastig gesprek voor?", ConductAgreed: true},
		"ahmed.elamrani@demo.test": {Goal: "Mijn analyses zo brengen dat de business ermee aan de slag gaat.", Needs: "Presenteren voor een groep.", ConductAgreed: true},
		"lotte.visser@demo.test":   {Goal: "Meer overzicht houden als er veel tegelijk speelt.", Needs: "Prioriteren.", ConductAgreed: true},
		"daan.smit@demo.test":      {Goal: "Invloed hebben zonder formele rol.", Questions: "Hoe werkt besluitvorming hier eigenlijk?", ConductAgreed: true},
		"yara.mulder@demo.test":    {Goal: "Vertrouwen krijgen in mijn eigen oordeel.", ConductAgreed: true},
	}
	for email, in := range entries {
		d.fail(models.SaveEntry(d.ctx, d.tx, mentor, first.ID, d.ids[email], in))
	}
	_, err = models.AddAction(d.ctx, d.tx, mentor, first.ID, models.ActionInput{Text: "Werkbezoek bij het Klant Contact Centrum regelen", HolderID: d.ids["mentee@demo.test"], DueOn: "2026-10-31"})
	d.fail(err)
	seriesAction, err := models.AddAction(d.ctx, d.tx, mentor, first.ID, models.ActionInput{Text: "Reeks bijeenkomsten plannen en rondsturen", HolderID: d.ids["mentor@demo.test"], DueOn: "2026-09-22"})
	d.fail(err)

	// The series the group agreed: every six weeks on Tuesday afternoon.
	planned := time.Date(2026, 9, 16, 9, 0, 0, 0, time.UTC)
	_, err = models.SaveSeries(d.ctx, d.tx, mentor, noord, models.SeriesInput{FirstOn: "2026-10-06", Weekday: "2", StartTime: "14:00",
		DurationMin: 120, CadenceWeeks: 6, Location: "Stadskantoor, zaal 3.12", Policy: "shift", WorkVisits: "3", Guests: "5",
		VisitsWanted: true, VisitsWith: "Klant Contact Centrum, Waterschap"}, planned)
	d.fail(err)
	_, err = models.ToggleAction(d.ctx, d.tx, mentor, seriesAction.ID, planned)
	d.fail(err)
	d.heldMeetings(mentor, noord, first.ID)
	d.visitAndGuest(mentor, noord)

	// One-on-ones and learning goals.
	held, err := models.CreateOneOnOne(d.ctx, d.tx, mentor, noord, models.OneOnOneInput{MenteeID: d.ids["mentee@demo.test"], Date: "2026-10-20",
		StartTime: "12:30", DurationMin: 45, Theme: "assertiveness", Status: "held",
		Notes:     "Gesprek met een leverancier liep vast; samen het gesprek nagelopen. Ze merkt dat ze ja zegt om de sfeer goed te houden.",
		FollowUps: "Volgende keer: een zin voorbereiden om tijd te vragen."})
	d.fail(err)
	_ = held
	_, err = models.CreateOneOnOne(d.ctx, d.tx, mentor, noord, models.OneOnOneInput{MenteeID: d.ids["mentee@demo.test"], Date: "2026-12-08",
		StartTime: "12:30", DurationMin: 45, Theme: "balance", Urgent: true})
	d.fail(err)
	// Sanne asks for a one-on-one as soon as possible: it waits at the top of the mentor's home page.
	_, err = models.AskOneOnOne(d.ctx, d.tx, sanne, noord, models.RequestInput{ASAP: true, DurationMin: 45,
		Theme: "Werkdruk rond de release; ik slaap er slecht van."})
	d.fail(err)
	// A one-on-one tomorrow, whenever the demo is loaded: its reminders show in the mailbox.
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	tomorrow, clock := dueTomorrow(time.Now().In(ams))
	_, err = models.CreateOneOnOne(d.ctx, d.tx, mentor, noord, models.OneOnOneInput{MenteeID: d.ids["mentee@demo.test"], Date: tomorrow,
		StartTime: clock, DurationMin: 45, Theme: "influence"})
	d.fail(err)
	goal, err := models.CreateGoal(d.ctx, d.tx, sanne, noord, models.GoalInput{What: "Nee kunnen zeggen tegen leveranciers zonder de relatie te schaden",
		Why: "Nu zeg ik te snel ja en krijg ik daar later spijt van.", HowNoticed: "Ik vraag in elk overleg minstens één keer bedenktijd.", ByWhen: "2027-03-31", Shared: true})
	d.fail(err)
	_, err = models.AddProgress(d.ctx, d.tx, sanne, goal.ID, models.ProgressInput{WrittenOn: "2026-11-03", Text: "In het overleg van dinsdag om bedenktijd gevraagd. Voelde ongemakkelijk, maar werkte."})
	d.fail(err)
	_, err = models.CreateGoal(d.ctx, d.tx, sanne, noord, models.GoalInput{What: "Beter omgaan met werkdruk in drukke weken",
		Why: "In oktober liep ik vast.", ByWhen: "2027-06-30"})
	d.fail(err)

	// Cases: Ahmed's for the group, on the next meeting's agenda; Sanne's
	// for her mentor only, with take-aways of her own.
	ahmed := models.Viewer{PersonID: d.ids["ahmed.elamrani@demo.test"], Mentee: true}
	caseTime := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	groupCase, err := models.SubmitCase(d.ctx, d.tx, ahmed, noord, models.CaseInput{Title: "Het rapport dat niemand leest",
		Situation: "Elke maand lever ik een rapport op. Uit de statistieken blijkt dat bijna niemand het opent.",
		Question:  "Hoe kom ik erachter wat mijn collega's echt nodig hebben?", Tried: "Een enquête gestuurd; twee reacties.",
		Hope: "Een eerste stap die ik volgende week kan zetten.", Visibility: "group"}, caseTime)
	d.fail(err)
	if groupCase.MeetingID != nil {
		_, err = models.PlaceCase(d.ctx, d.tx, mentor, groupCase.ID, models.PlaceInput{MeetingID: *groupCase.MeetingID})
		d.fail(err)
	}
	own, err := models.SubmitCase(d.ctx, d.tx, sanne, noord, models.CaseInput{Title: "Lastige leverancier",
		Situation: "Een leverancier belt steeds rechtstreeks met extra wensen.", Question: "Hoe zeg ik nee zonder de relatie te schaden?",
		Visibility: "mentor"}, caseTime)
	d.fail(err)
	d.fail(models.SaveTakeAways(d.ctx, d.tx, sanne, own.ID, models.TakeAwaysInput{TakeAways: "Vooraf bedenken wat ik wil; bedenktijd werkt."}))

	// Sanne chose to share one text with her manager, for her review.
	karin := d.ids["manager@demo.test"]
	today := models.DateOf(time.Now())
	_, err = models.GrantConsent(d.ctx, d.tx, sanne, models.ConsentInput{RecipientID: karin, Agreed: true,
		Purpose: "Voorbereiding functioneringsgesprek", Until: today.AddMonths(2).String(),
		Text: "Ik werk eraan om in overleggen met leveranciers eerst tijd te vragen voor ik ja zeg. Dat lukt steeds vaker."},
		"Ik geef Karin Jansen toestemming om deze tekst te lezen, voor: Voorbereiding functioneringsgesprek. Ik kan dit altijd intrekken.", today)
	d.fail(err)

	// Sanne asked Marieke for input for her review with Karin, read the
	// draft and approved it.
	ask, err := models.AskForInput(d.ctx, d.tx, sanne, models.InputAskInput{GroupID: noord, RecipientID: karin,
		Purpose: "Inbreng voor mijn jaargesprek", Until: today.AddMonths(2).String()}, today)
	d.fail(err)
	if d.err == nil {
		d.fail(models.SendInputDraft(d.ctx, d.tx, mentor, ask.ID, models.InputDraftInput{
			Text: "Sanne bereidt lastige gesprekken met leveranciers inmiddels zorgvuldig voor en vraagt vaker bedenktijd."}))
		d.fail(models.ReviewInput(d.ctx, d.tx, sanne, ask.ID, models.StepApprove,
			models.InputReviewInput{Version: 1, Until: today.AddMonths(2).String()}, today))
		// Those mails belong to the past of the story: none is waiting.
		d.fail(d.tx.Where("subject_type = ? AND subject_id = ?", "input", ask.ID).Delete(&models.MailDelivery{}).Error)
	}

	// Groep West is still choosing the date of its first meeting.
	west := d.groupIDs["Groep West"]
	iris := models.Viewer{PersonID: d.ids["iris.vanleeuwen@demo.test"], Mentor: true}
	_, err = models.CreatePoll(d.ctx, d.tx, iris, west, models.PollInput{Options: []string{"2027-01-12T10:00", "2027-01-14T14:00", "2027-01-19T10:00"},
		DurationMin: 120, Location: "Stadhuis, kamer 2.04"})
	d.fail(err)
	westPoll, err := models.GetPoll(d.ctx, d.tx, iris, west)
	d.fail(err)
	for i, email := range []string{"anouk.peters@demo.test", "bram.meijer@demo.test"} {
		answers := map[uint]string{}
		for j, o := range westPoll.Options {
			answers[o.Option.ID] = []string{"yes", "maybe", "no"}[(i+j)%3]
		}
		d.fail(models.AnswerPoll(d.ctx, d.tx, models.Viewer{PersonID: d.ids[email], Mentee: true}, west, answers))
	}
}

// heldMeetings records what happened at the meetings before today's demo
// date: roles by rotation, attendance and group notes.
func (d *demoLoader) heldMeetings(mentor models.Viewer, groupID, firstID uint) {
	if d.err != nil {
		return
	}
	var ids []uint
	d.fail(models.SetAttendanceForAll(d.ctx, d.tx, mentor, firstID))
	cal, err := models.ListMeetings(d.ctx, d.tx, mentor, groupID)
	d.fail(err)
	demoToday := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for _, m := range cal.Meetings {
		if m.Kind != models.KindFirstMeeting && m.StartsAt.Before(demoToday) {
			ids = append(ids, m.ID)
		}
	}
	notes := []string{
		"Casus Ahmed: een dashboard dat niemand gebruikt. Incidentmethode. Advies dat bleef hangen: vraag eerst wat de afdeling met de cijfers wil beslissen.",
		"Casus Lotte: drie projecten met dezelfde deadline. Vijffasenmodel; de echte vraag bleek: wie bepaalt de prioriteit?",
	}
	for i, id := range ids {
		page, err := models.GetMeetingPage(d.ctx, d.tx, mentor, id)
		d.fail(err)
		if d.err != nil {
			return
		}
		roles := models.RolesInput{Facilitator: page.Proposed[models.RoleFacilitator], Timekeeper: page.Proposed[models.RoleTimekeeper],
			NoteTaker: page.Proposed[models.RoleNoteTaker], CaseBringers: []uint{page.Proposed[models.RoleCaseBringer]}}
		d.fail(models.SaveRoles(d.ctx, d.tx, mentor, id, roles))
		d.fail(models.SetAttendanceForAll(d.ctx, d.tx, mentor, id))
		d.fail(models.SaveNotes(d.ctx, d.tx, mentor, id, models.NotesInput{Notes: notes[i%len(notes)]}))
	}
}

// dueTomorrow returns a date and start time within the next 23 hours
// (16:00 when that is still ahead), so that the reminder of a one-on-one
// then, due a day before, is due at once whenever the demo is loaded.
func dueTomorrow(now time.Time) (date, clock string) {
	start := now.Add(23 * time.Hour).Truncate(15 * time.Minute).In(now.Location())
	if four := time.Date(start.Year(), start.Month(), start.Day(), 16, 0, 0, 0, start.Location()); start.After(four) && four.After(now) {
		start = four
	}
	return start.Format("2006-01-02"), start.Format("15:04")
}

// visitAndGuest fills in the series' work visit and guest meeting of a
// group the way a mentor would.
func (d *demoLoader) visitAndGuest(mentor models.Viewer, groupID uint) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	var meetings []models.Meeting
	d.fail(d.tx.Where("group_id = ? AND kind IN ?", groupID, []models.MeetingKind{models.KindWorkVisit, models.KindGuest}).
		Order("starts_at").Find(&meetings).Error)
	for _, m := range meetings {
		in := models.MeetingInput{Date: m.StartsAt.In(ams).Format("2006-01-02"), StartTime: m.StartsAt.In(ams).Format("15:04"),
			DurationMin: m.DurationMin(), Location: m.Location, Kind: string(m.Kind)}
		if m.Kind == models.KindWorkVisit {
			in.Host, in.Address, in.Contact = "Klant Contact Centrum", "Marktplein 4, Voorbeeldstad", "Ingrid Boer, teamleider"
			in.Purpose = "Zien hoe vragen van inwoners binnenkomen en wat er met onze systemen misgaat aan de balie."
			in.Preparation = "Sanne regelt de afspraak; Ahmed zet de cijfers over wachttijden op een rij."
			in.Practical = "Melden bij de receptie; parkeren achter het gebouw. Telefoons op stil tijdens het meeluisteren."
		} else {
			in.GuestName, in.GuestRole = "Hans Vermeulen", "directeur Dienstverlening"
			in.Topic = "Hoe een besluit over een nieuw systeem tot stand komt, en waar je invloed kunt hebben."
		}
		_, err := models.UpdateMeeting(d.ctx, d.tx, mentor, m.ID, in)
		d.fail(err)
		if m.Kind == models.KindWorkVisit {
			// The place as it was planned, so loading the demo sends no change notice.
			d.fail(d.tx.Model(&models.Meeting{}).Where("id = ?", m.ID).Update("location", "Klant Contact Centrum, Marktplein 4").Error)
		}
	}
}
