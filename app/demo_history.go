package app

import (
	"time"

	"crossmentor/models"
)

// lastYear is one of last year's mentees: who, in which team and group.
type lastYear struct {
	name, email, team, group string
}

var lastYearMentees = []lastYear{
	{"Wouter Bakker", "wouter.bakker@demo.test", "Vergunningen", "Groep Oost"},
	{"Fatima Ouali", "fatima.ouali@demo.test", "Burgerzaken", "Groep Oost"},
	{"Jeroen Smeets", "jeroen.smeets@demo.test", "Openbare Ruimte", "Groep Oost"},
	{"Nina de Haan", "nina.dehaan@demo.test", "Communicatie", "Groep Oost"},
	{"Rick van den Berg", "rick.vandenberg@demo.test", "Belastingen", "Groep Oost"},
	{"Sara Yilmaz", "sara.yilmaz@demo.test", "Vergunningen", "Groep Haven"},
	{"Gijs Hermans", "gijs.hermans@demo.test", "Burgerzaken", "Groep Haven"},
	{"Esther Wolters", "esther.wolters@demo.test", "Openbare Ruimte", "Groep Haven"},
	{"Kevin Janssens", "kevin.janssens@demo.test", "Communicatie", "Groep Haven"},
	{"Merel Schouten", "merel.schouten@demo.test", "Belastingen", "Groep Haven"},
}

// lastYearOpen are last year's open answers at month 6: ten, so L&D may read them.
var lastYearOpen = []string{
	"De casusbesprekingen helpen me echt om anders naar mijn werk te kijken.",
	"Soms te weinig tijd voor de tweede casus.",
	"Fijn om collega's van andere afdelingen te leren kennen.",
	"Het werkbezoek was een eyeopener.",
	"Ik had graag iets vaker een een-op-eengesprek gehad.",
	"De rollen rouleren goed; notuleren is wel lastig.",
	"Meer structuur in de eerste bijeenkomst zou helpen.",
	"Ik durf nu vaker een vraag te stellen in overleggen.",
	"De locatie was niet altijd goed bereikbaar.",
	"Veilige sfeer, iedereen houdt zich aan de afspraken.",
}

// history adds last year's programme, now closed: two groups with their
// meetings held, attendance, one-on-ones and evaluation answers, so the
// dashboard has a year to show.
func (d *demoLoader) history(hash string) {
	if d.err != nil {
		return
	}
	zone, err := time.LoadLocation("Europe/Amsterdam")
	d.fail(err)
	closed := models.NewDate(2026, 10, 1)
	prog := models.Programme{Name: "Crossmentoring 2025–2026", StartsOn: models.NewDate(2025, 10, 1), EndsOn: closed,
		CadenceWeeks: 6, Status: models.ProgrammeClosed}
	d.fail(d.tx.Create(&prog).Error)
	mentors := map[string]string{"Groep Oost": "mentor@demo.test", "Groep Haven": "pieter.hendriks@demo.test"}
	groups := map[string]models.MentorGroup{}
	for _, name := range []string{"Groep Oost", "Groep Haven"} {
		g := models.MentorGroup{ProgrammeID: prog.ID, MentorID: d.ids[mentors[name]], Name: name, Discipline: "",
			Status: models.GroupClosed, ClosedOn: &closed}
		d.fail(d.tx.Omit("Programme", "Mentor").Create(&g).Error)
		groups[name] = g
	}
	members := map[string][]uint{}
	for _, m := range lastYearMentees {
		team, err := models.TeamByName(d.ctx, d.tx, m.team)
		d.fail(err)
		p := models.Person{Name: m.name, Email: m.email, TeamID: &team.ID, Language: "nl", PasswordHash: hash}
		d.fail(d.tx.Create(&p).Error)
		d.ids[m.email] = p.ID
		d.fail(d.tx.Create(&models.Membership{GroupID: groups[m.group].ID, PersonID: p.ID, Status: models.StatusActive,
			StatusSince: prog.StartsOn}).Error)
		members[m.group] = append(members[m.group], p.ID)
	}
	for gi, name := range []string{"Groep Oost", "Groep Haven"} {
		g := groups[name]
		for i := 0; i < 8; i++ {
			day := time.Date(2025, 10, 14+gi, 14, 0, 0, 0, zone).AddDate(0, 0, 42*i)
			kind := models.KindIntervision
			if i == 0 {
				kind = models.KindFirstMeeting
			}
			m := models.Meeting{GroupID: g.ID, Seq: i + 1, Kind: kind, StartsAt: day.UTC(), EndsAt: day.Add(2 * time.Hour).UTC(),
				Location: "Stadskantoor", Status: models.MeetingHeld}
			d.fail(d.tx.Create(&m).Error)
			for j, p := range members[name] {
				status := models.Present
				if (i+2*j+gi)%9 == 0 {
					status = models.Absent
				}
				d.fail(d.tx.Create(&models.Attendance{MeetingID: m.ID, PersonID: p, Status: status}).Error)
			}
		}
		for j, p := range members[name] {
			for _, month := range []time.Month{12, 5} {
				year := 2025 + map[bool]int{true: 1}[month < 10]
				at := time.Date(year, month, 3+j, 10, 0, 0, 0, zone)
				d.fail(d.tx.Create(&models.OneOnOne{GroupID: g.ID, MentorID: g.MentorID, MenteeID: p, StartsAt: at.UTC(),
					EndsAt: at.Add(45 * time.Minute).UTC(), Theme: models.OneOnOneThemes[j%4], Status: "held"}).Error)
			}
		}
	}
	d.evaluations(groups, members)
}

// evaluations records last year's answers: all ten mentees and both
// mentors at month 6, nine mentees at month 12.
func (d *demoLoader) evaluations(groups map[string]models.MentorGroup, members map[string][]uint) {
	n := 0
	// Answered in the rounds' first weeks (October 2025 start: month 6 in
	// April, month 12 in October), before each round closed.
	month6, month12 := time.Date(2026, 4, 8, 10, 0, 0, 0, time.UTC), time.Date(2026, 10, 8, 10, 0, 0, 0, time.UTC)
	for _, name := range []string{"Groep Oost", "Groep Haven"} {
		g := groups[name]
		for j, p := range members[name] {
			d.fail(d.tx.Create(&models.EvaluationAnswer{GroupID: g.ID, Round: models.RoundMonth6, PersonID: p, Role: models.ApplyAsMentee,
				Score1: 3 + n%2, Score2: 4 + (n+1)%2, Score3: 3 + n%3, Score4: 4, Open: lastYearOpen[n], CreatedAt: month6}).Error)
			if !(name == "Groep Haven" && j == 4) {
				d.fail(d.tx.Create(&models.EvaluationAnswer{GroupID: g.ID, Round: models.RoundMonth12, PersonID: p, Role: models.ApplyAsMentee,
					Score1: 4, Score2: 4 + n%2, Score3: 4, Score4: 4 + (n+1)%2, CreatedAt: month12}).Error)
			}
			n++
		}
		d.fail(d.tx.Create(&models.EvaluationAnswer{GroupID: g.ID, Round: models.RoundMonth6, PersonID: g.MentorID, Role: models.ApplyAsMentor,
			Score1: 4, Score2: 4, Score3: 4, Score4: 3, CreatedAt: month6}).Error)
	}
}
