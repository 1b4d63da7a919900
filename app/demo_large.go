package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"crossmentor/models"
)

// LargeSize is the shape of the generated large organisation.
type LargeSize struct {
	People, Teams, Programmes, GroupsPerProgramme, MenteesPerGroup int
	MeetingsPerGroup, OneOnOnesPerGroup, CasesPerGroup             int
	SentMails, AuditRows                                           int
}

// LargeOrganisation is the size of the benchmark organisation: 20,000
// people, 40 programmes over five years with 3,000 groups, about 126,000
// meetings with 630,000 attendance rows, 100,000 one-on-ones and 60,000 cases.
func LargeOrganisation() LargeSize {
	return LargeSize{People: 20000, Teams: 500, Programmes: 40, GroupsPerProgramme: 75, MenteesPerGroup: 5,
		MeetingsPerGroup: 42, OneOnOnesPerGroup: 34, CasesPerGroup: 20, SentMails: 50000, AuditRows: 100000}
}

// LargeToday is the day the large organisation is generated for.
func LargeToday() models.Date { return models.NewDate(2026, 11, 23) }

// LoadLargeDemo fills an empty database with a large organisation,
// deterministically from seed, in batches. Everyone's password is
// DemoPassword; admin@groot.test is the admin, and mentor00001@groot.test,
// mentee00001@groot.test and so on sign in as their roles.
func LoadLargeDemo(ctx context.Context, db *gorm.DB, size LargeSize, seed uint64) error {
	empty, err := models.NeedsSetup(ctx, db)
	if err != nil {
		return err
	}
	if !empty {
		return ErrNotEmpty
	}
	hash, err := models.HashPassword(DemoPassword)
	if err != nil {
		return err
	}
	g := largeGen{ctx: ctx, db: db.WithContext(ctx),
		rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), size: size, hash: hash} // #nosec G404 -- made-up data must repeat from its seed; nothing secret comes from it
	if err := db.WithContext(ctx).Create(&models.Organisation{ID: models.OrganisationID, Name: "Gemeente Groot",
		TimeZone: "Europe/Amsterdam", DefaultLanguage: "nl", Demo: true}).Error; err != nil {
		return err
	}
	for _, step := range []func() error{g.makePeople, g.makeProgrammes, g.makeMeetings, g.makeTalks, g.makeCases, g.makeMails, g.makeAudit} {
		if err := step(); err != nil {
			return err
		}
	}
	// Fresh statistics, as autovacuum would gather after a while: without
	// them the planner takes the new tables for empty ones.
	return db.WithContext(ctx).Exec("ANALYZE").Error
}

type largeGen struct {
	ctx    context.Context
	db     *gorm.DB
	rnd    *rand.Rand
	size   LargeSize
	hash   string
	people []models.Person
	groups []largeGroup
	zone   *time.Location
}

// largeGroup is a generated group with its mentor, mentees and meetings.
type largeGroup struct {
	models.MentorGroup
	mentees  []uint
	meetings []uint
	start    time.Time
}

// create inserts rows (a pointer to a slice) with db in batches: of 1,000
// rows on PostgreSQL, of as many as suit the embedded database's driver
// (models.BatchRows) on SQLite.
func (g *largeGen) create(db *gorm.DB, rows any) error {
	return db.CreateInBatches(rows, models.BatchRows(db, rows, 1000)).Error
}

var largeDisciplines = []string{"ICT", "Financiën", "HR", "Juridisch", "Communicatie", "Ruimte", "Sociaal Domein", "Dienstverlening"}

func (g *largeGen) makePeople() error {
	teams := make([]models.Team, g.size.Teams)
	for i := range teams {
		teams[i] = models.Team{Name: fmt.Sprintf("Afdeling %03d", i+1)}
	}
	if err := g.create(g.db, &teams); err != nil {
		return err
	}
	g.people = make([]models.Person, g.size.People)
	for i := range g.people {
		team := teams[i%len(teams)].ID
		p := models.Person{Name: fmt.Sprintf("Medewerker %05d", i+1), Email: fmt.Sprintf("persoon%05d@groot.test", i+1),
			TeamID: &team, Discipline: largeDisciplines[(i/len(teams))%len(largeDisciplines)], Language: "nl", PasswordHash: g.hash}
		if i == 0 {
			p.Email, p.Admin = "admin@groot.test", true
		}
		g.people[i] = p
	}
	if err := g.create(g.db, &g.people); err != nil {
		return err
	}
	// The first person of each team manages the others.
	for t := range teams {
		if err := g.db.Model(&models.Person{}).Where("team_id = ? AND id <> ?", teams[t].ID, g.people[t].ID).
			Update("manager_id", g.people[t].ID).Error; err != nil {
			return err
		}
	}
	return nil
}

// programmes makes 40 programmes over five years, each with its groups:
// a mentor from one team and mentees from five other teams.
func (g *largeGen) makeProgrammes() error {
	var err error
	if g.zone, err = time.LoadLocation("Europe/Amsterdam"); err != nil {
		return err
	}
	n := 0
	for p := 0; p < g.size.Programmes; p++ {
		start := models.NewDate(2021, time.Month(12+p*3/2), 1)
		prog := models.Programme{Name: fmt.Sprintf("Crossmentoring %02d (%d)", p+1, start.Year()), StartsOn: start,
			EndsOn: start.AddMonths(12), CadenceWeeks: 1, Status: models.ProgrammeClosed}
		if !prog.EndsOn.Before(LargeToday()) {
			prog.Status = models.ProgrammeRunning
		}
		if err := g.db.Create(&prog).Error; err != nil {
			return err
		}
		groups := make([]models.MentorGroup, g.size.GroupsPerProgramme)
		for i := range groups {
			mentor := g.people[(n*7+3)%len(g.people)]
			groups[i] = models.MentorGroup{ProgrammeID: prog.ID, MentorID: mentor.ID, Name: fmt.Sprintf("Groep %04d", n+1),
				Discipline: mentor.Discipline, Status: models.GroupActive}
			if prog.Status == models.ProgrammeClosed {
				closed := prog.EndsOn
				groups[i].Status, groups[i].ClosedOn = models.GroupClosed, &closed
			}
			n++
		}
		if err := g.create(g.db.Omit("Programme", "Mentor"), &groups); err != nil {
			return err
		}
		var members []models.Membership
		for i, grp := range groups {
			lg := largeGroup{MentorGroup: grp, start: time.Date(start.Year(), start.Month(), 8+i%20, 14, 0, 0, 0, g.zone)}
			for m := 0; m < g.size.MenteesPerGroup; m++ {
				// Mentees from teams other than the mentor's, and from each other's.
				person := g.people[(int(grp.ID)*131+m*997+g.size.Teams)%len(g.people)]
				if person.ID == grp.MentorID {
					person = g.people[(int(person.ID)+1)%len(g.people)]
				}
				lg.mentees = append(lg.mentees, person.ID)
				members = append(members, models.Membership{GroupID: grp.ID, PersonID: person.ID, Status: models.StatusActive, StatusSince: start})
			}
			g.groups = append(g.groups, lg)
		}
		if err := g.create(g.db, &members); err != nil {
			return err
		}
	}
	return nil
}

// meetings writes each group's series, weekly, held when past, with the
// attendance of its mentees.
func (g *largeGen) makeMeetings() error {
	today := LargeToday().Time
	for gi := range g.groups {
		grp := &g.groups[gi]
		meetings := make([]models.Meeting, g.size.MeetingsPerGroup)
		for i := range meetings {
			at := grp.start.AddDate(0, 0, 7*i)
			kind := models.KindIntervision
			switch {
			case i == 0:
				kind = models.KindFirstMeeting
			case i%10 == 5:
				kind = models.KindWorkVisit
			}
			status := models.MeetingPlanned
			if at.Before(today) {
				status = models.MeetingHeld
			}
			meetings[i] = models.Meeting{GroupID: grp.ID, Seq: i + 1, Kind: kind, StartsAt: at.UTC(), EndsAt: at.Add(2 * time.Hour).UTC(),
				Location: "Stadhuis, zaal " + fmt.Sprint(1+gi%30), Status: status}
		}
		if err := g.create(g.db, &meetings); err != nil {
			return err
		}
		var attendance []models.Attendance
		for _, m := range meetings {
			grp.meetings = append(grp.meetings, m.ID)
			if m.Status != models.MeetingHeld {
				continue
			}
			for _, p := range grp.mentees {
				status := models.Present
				if g.rnd.IntN(10) == 0 {
					status = models.Absent
				}
				attendance = append(attendance, models.Attendance{MeetingID: m.ID, PersonID: p, Status: status})
			}
		}
		if len(attendance) > 0 {
			if err := g.create(g.db, &attendance); err != nil {
				return err
			}
		}
	}
	return nil
}

// talks writes one-on-ones, most of them held, without notes.
func (g *largeGen) makeTalks() error {
	rows := make([]models.OneOnOne, 0, len(g.groups)*g.size.OneOnOnesPerGroup)
	for _, grp := range g.groups {
		for i := 0; i < g.size.OneOnOnesPerGroup; i++ {
			at := grp.start.AddDate(0, 0, 10*i+g.rnd.IntN(5)).Add(-4 * time.Hour)
			status := "planned"
			if at.Before(LargeToday().Time) {
				status = "held"
			}
			rows = append(rows, models.OneOnOne{GroupID: grp.ID, MentorID: grp.MentorID, MenteeID: grp.mentees[i%len(grp.mentees)],
				StartsAt: at.UTC(), EndsAt: at.Add(45 * time.Minute).UTC(), Theme: models.OneOnOneThemes[i%4], Status: status})
		}
	}
	return g.create(g.db, &rows)
}

// cases writes case questions; their text is sealed like any other.
func (g *largeGen) makeCases() error {
	rows := make([]models.CaseQuestion, 0, len(g.groups)*g.size.CasesPerGroup)
	for _, grp := range g.groups {
		for i := 0; i < g.size.CasesPerGroup; i++ {
			c := models.CaseQuestion{GroupID: grp.ID, AuthorID: grp.mentees[i%len(grp.mentees)], Visibility: "group",
				Status: models.CaseDiscussed, Title: fmt.Sprintf("Casus %d", i+1), Question: "Hoe pak ik dit aan?"}
			if i%4 == 0 {
				c.Visibility = "mentor"
			}
			if m := grp.meetings[(i*2+1)%len(grp.meetings)]; m != 0 {
				c.MeetingID = &m
			}
			rows = append(rows, c)
		}
	}
	return g.create(g.db, &rows)
}

// mails writes the history of sent reminders.
func (g *largeGen) makeMails() error {
	rows := make([]models.MailDelivery, 0, g.size.SentMails)
	for i := 0; i < g.size.SentMails; i++ {
		grp := g.groups[i%len(g.groups)]
		m := grp.meetings[i%len(grp.meetings)]
		sent := LargeToday().AddDate(0, 0, -1-i%700)
		rows = append(rows, models.MailDelivery{Key: fmt.Sprintf("history:%d", i), Kind: models.MailMeeting7d,
			RecipientID: grp.mentees[i%len(grp.mentees)], SubjectType: "meeting", SubjectID: m, Occurrence: sent,
			Status: models.DeliverySent, NextAttemptAt: sent, SentAt: &sent})
	}
	return g.create(g.db, &rows)
}

// audit writes sign-ins and reads to match.
func (g *largeGen) makeAudit() error {
	rows := make([]models.AuditEvent, 0, g.size.AuditRows)
	for i := 0; i < g.size.AuditRows; i++ {
		actor := g.people[i%len(g.people)].ID
		action := models.AuditSignIn
		if i%5 == 0 {
			action = models.AuditRead
		}
		rows = append(rows, models.AuditEvent{At: LargeToday().Time.Add(-time.Duration(i) * time.Minute), ActorID: &actor,
			Action: action, Subject: "person", SubjectID: actor, Address: "10.0.0.1"})
	}
	return g.create(g.db, &rows)
}
