package app

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"crossmentor/models"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "demo-demo"

// ErrNotEmpty is returned when the demo is asked for on a database in use.
var ErrNotEmpty = errors.New("the database is not empty; the demo organisation is only loaded into an empty one")

// demoPerson is one made-up member of staff.
type demoPerson struct {
	name, email, team, discipline, manager string
	admin                                  bool
}

var demoPeople = []demoPerson{
	{"Femke Willems", "admin@demo.test", "HR-advies", "HR", "", true},
	{"Karin Jansen", "manager@demo.test", "Klantcontact", "Management", "", false},
	{"Marieke de Vries", "mentor@demo.test", "Architectuur", "ICT", "", false},
	{"Sanne Bakker", "mentee@demo.test", "Klantcontact", "ICT", "manager@demo.test", false},
	{"Ahmed El Amrani", "ahmed.elamrani@demo.test", "Data & Analyse", "ICT", "", false},
	{"Lotte Visser", "lotte.visser@demo.test", "Infrastructuur", "ICT", "", false},
	{"Daan Smit", "daan.smit@demo.test", "Software A", "ICT", "", false},
	{"Yara Mulder", "yara.mulder@demo.test", "Software B", "ICT", "", false},
	{"Ruben de Boer", "ruben.deboer@demo.test", "Data & Analyse", "ICT", "", false},
	{"Pieter Hendriks", "pieter.hendriks@demo.test", "Architectuur", "ICT", "", false},
	{"Noor Dekker", "noor.dekker@demo.test", "Klantcontact", "ICT", "manager@demo.test", false},
	{"Thijs van Dijk", "thijs.vandijk@demo.test", "Infrastructuur", "ICT", "", false},
	{"Emma Bos", "emma.bos@demo.test", "Software A", "ICT", "", false},
	{"Jesse Vos", "jesse.vos@demo.test", "Inkoop", "Inkoop", "", false},
	{"Anouk Peters", "anouk.peters@demo.test", "Financiën", "Financiën", "", false},
	{"Bram Meijer", "bram.meijer@demo.test", "Control", "Financiën", "", false},
	{"Fleur de Groot", "fleur.degroot@demo.test", "Salarisadministratie", "Financiën", "", false},
	{"Koen Brouwer", "koen.brouwer@demo.test", "Inkoop", "Financiën", "", false},
	{"Iris van Leeuwen", "iris.vanleeuwen@demo.test", "Financiën", "Financiën", "", false},
	{"Mila Kok", "mila.kok@demo.test", "Control", "Financiën", "", false},
	{"Sem Jacobs", "sem.jacobs@demo.test", "Software B", "ICT", "", false},
}

// LoadDemo fills an empty database with a believable organisation: teams,
// projects, about twenty people, one programme with three mentor groups and
// intakes, and the demo accounts admin@, mentor@, mentee@ and manager@demo.test.
func LoadDemo(ctx context.Context, db *gorm.DB) error {
	empty, err := models.NeedsSetup(ctx, db)
	if err != nil {
		return err
	}
	if n, err := models.CountPeople(ctx, db); err != nil || !empty || n > 0 {
		if err != nil {
			return err
		}
		return ErrNotEmpty
	}
	hash, err := models.HashPassword(DemoPassword)
	if err != nil {
		return err
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		d := demoLoader{tx: tx, ctx: ctx, ids: map[string]uint{}, groupIDs: map[string]uint{}}
		org := models.Organisation{ID: models.OrganisationID, Name: "Gemeente Voorbeeldstad", TimeZone: "Europe/Amsterdam",
			DefaultLanguage: "nl", Demo: true}
		if err := tx.Create(&org).Error; err != nil {
			return err
		}
		d.people(hash)
		d.projects()
		d.groups()
		d.year()
		d.history(hash)
		d.pool(hash)
		d.pastNotices()
		return d.err
	})
}

// demoLoader collects the first error, so the steps read as a script.
type demoLoader struct {
	tx       *gorm.DB
	ctx      context.Context
	ids      map[string]uint
	groupIDs map[string]uint
	err      error
}

func (d *demoLoader) fail(err error) {
	if d.err == nil && err != nil {
		d.err = err
	}
}

func (d *demoLoader) people(hash string) {
	for _, p := range demoPeople {
		team, err := models.TeamByName(d.ctx, d.tx, p.team)
		d.fail(err)
		person := models.Person{Name: p.name, Email: p.email, TeamID: &team.ID, Discipline: p.discipline,
			Admin: p.admin, Language: "nl", PasswordHash: hash}
		if id, ok := d.ids[p.manager]; ok {
			person.ManagerID = &id
		}
		d.fail(d.tx.Create(&person).Error)
		d.ids[p.email] = person.ID
	}
}

func (d *demoLoader) projects() {
	assign := func(project, email, from, to string) {
		p, err := models.ProjectByName(d.ctx, d.tx, project)
		d.fail(err)
		a := models.Assignment{PersonID: d.ids[email], ProjectID: p.ID}
		a.StartsOn, _ = models.ParseDate(from)
		if to != "" {
			a.EndsOn, _ = models.ParseDate(to)
		}
		d.fail(d.tx.Create(&a).Error)
	}
	// Sanne and Ahmed worked on the portal one after the other: no overlap.
	assign("Nieuw klantportaal", "mentee@demo.test", "2026-01-05", "2026-06-30")
	assign("Nieuw klantportaal", "ahmed.elamrani@demo.test", "2026-07-01", "")
	assign("Datamigratie Burgerzaken", "lotte.visser@demo.test", "2026-03-01", "2027-03-01")
	// Ruben is on the same migration now: he cannot join Lotte's group.
	assign("Datamigratie Burgerzaken", "ruben.deboer@demo.test", "2026-05-01", "")
	assign("Begroting 2027", "anouk.peters@demo.test", "2026-06-01", "2026-12-31")
}

func (d *demoLoader) groups() {
	if d.err != nil {
		return
	}
	admin := models.Viewer{PersonID: d.ids["admin@demo.test"], Admin: true}
	prog, err := models.CreateProgramme(d.ctx, d.tx, admin, models.ProgrammeInput{
		Name: "Crossmentoring 2026–2027", StartsOn: "2026-09-01", Status: string(models.ProgrammeRunning)})
	d.fail(err)
	today := models.NewDate(2026, 9, 1)
	group := func(name, mentor, discipline string, status models.GroupStatus, mentees []string, candidates []string, exception map[string]string) uint {
		if d.err != nil {
			return 0
		}
		g, err := models.CreateGroup(d.ctx, d.tx, admin, prog.ID, models.GroupInput{Name: name, MentorID: d.ids[mentor], Discipline: discipline})
		d.fail(err)
		d.groupIDs[name] = g.ID
		for _, e := range mentees {
			_, err := models.AddMember(d.ctx, d.tx, admin, g.ID, models.MemberInput{PersonID: d.ids[e], Status: string(models.StatusActive),
				DisciplineException: exception[e]}, today)
			d.fail(err)
		}
		for _, e := range candidates {
			_, err := models.AddMember(d.ctx, d.tx, admin, g.ID, models.MemberInput{PersonID: d.ids[e]}, today)
			d.fail(err)
		}
		if status != models.GroupForming {
			_, err := models.UpdateGroup(d.ctx, d.tx, admin, g.ID, models.GroupInput{Name: name, MentorID: d.ids[mentor],
				Discipline: discipline, Status: string(status)})
			d.fail(err)
		}
		return g.ID
	}
	group("Groep Noord", "mentor@demo.test", "ICT", models.GroupActive,
		[]string{"ahmed.elamrani@demo.test", "lotte.visser@demo.test", "daan.smit@demo.test", "yara.mulder@demo.test"},
		[]string{"mentee@demo.test", "sem.jacobs@demo.test"}, nil)
	group("Groep Zuid", "pieter.hendriks@demo.test", "ICT", models.GroupActive,
		[]string{"ruben.deboer@demo.test", "noor.dekker@demo.test", "thijs.vandijk@demo.test", "emma.bos@demo.test", "jesse.vos@demo.test"},
		nil, map[string]string{"jesse.vos@demo.test": "Wil de overstap naar ICT-inkoop voorbereiden"})
	group("Groep West", "iris.vanleeuwen@demo.test", "Financiën", models.GroupForming,
		[]string{"anouk.peters@demo.test", "bram.meijer@demo.test", "fleur.degroot@demo.test"},
		[]string{"koen.brouwer@demo.test", "mila.kok@demo.test"}, nil)
	d.intakes()
}

// intakes records the mentor's intake with Sanne, which admits her.
func (d *demoLoader) intakes() {
	if d.err != nil {
		return
	}
	mentor := models.Viewer{PersonID: d.ids["mentor@demo.test"], Mentor: true}
	var m models.Membership
	d.fail(d.tx.Where("person_id = ?", d.ids["mentee@demo.test"]).First(&m).Error)
	_, err := models.SaveIntake(d.ctx, d.tx, mentor, m.ID, models.IntakeInput{HeldOn: "2026-09-08", Click: true, Learnable: true,
		HasGoal: true, CanReflect: true, Kind: string(models.KindShopper), Outcome: string(models.OutcomeAdmit),
		Notes: "Wil steviger staan in overleggen met leveranciers. Noemt zelf dat ze snel ja zegt. Goed gesprek, duidelijke klik."},
		models.NewDate(2026, 9, 8))
	if err != nil {
		d.fail(fmt.Errorf("demo intake: %w", err))
	}
}

// pastNotices: the story's events happened in the past, so their notices
// are in the app but no mail about them is waiting to go out.
func (d *demoLoader) pastNotices() {
	if d.err != nil {
		return
	}
	d.fail(d.tx.Where("kind IN ? AND status = ?", models.NoticeKinds, models.DeliveryPending).Delete(&models.MailDelivery{}).Error)
}
