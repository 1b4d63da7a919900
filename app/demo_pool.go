package app

import (
	"crossmentor/models"
)

// demoApplicant is someone who applied for the next cohort.
type demoApplicant struct {
	name, email, team, discipline, manager string
	role, need, themes, weekdays, years    string
}

var demoApplicants = []demoApplicant{
	{"Hanneke Smits", "hanneke.smits@demo.test", "HR-advies", "HR", "", "mentor", "", "leidinggeven zonder mandaat, feedback", "", ""},
	{"Lars Willemsen", "lars.willemsen@demo.test", "Software A", "ICT", "", "mentee", "Beter nee zeggen tegen losse verzoeken", "grenzen stellen, overzicht houden", "2,4", "2"},
	{"Eva de Wit", "eva.dewit@demo.test", "Infrastructuur", "ICT", "", "mentee", "Mijn werk zichtbaar maken voor andere teams", "presenteren, samenwerken", "2", "6"},
	{"Tim Hoekstra", "tim.hoekstra@demo.test", "Data & Analyse", "ICT", "", "mentee", "Rustig blijven als plannen wijzigen", "overzicht houden", "2,3", "1"},
	{"Julia Verbeek", "julia.verbeek@demo.test", "Klantcontact", "ICT", "manager@demo.test", "mentee", "Feedback geven aan ervaren collega's", "feedback", "2,4", "4"},
	{"Milan Koster", "milan.koster@demo.test", "Architectuur", "ICT", "", "mentee", "Keuzes uitleggen aan niet-technische mensen", "presenteren", "4", "8"},
	{"Sophie Prins", "sophie.prins@demo.test", "Software B", "ICT", "", "mentee", "Mijn eigen ontwikkeling sturen", "loopbaan, feedback", "2,4", ""},
	{"Niels Post", "niels.post@demo.test", "Software A", "ICT", "", "mentee", "Overleg leiden zonder de baas te zijn", "leidinggeven zonder mandaat", "2", "3"},
	{"Roos van der Linden", "roos.vanderlinden@demo.test", "Control", "Financiën", "", "mentee", "Met meer overtuiging adviseren", "presenteren, feedback", "1,3", "5"},
	{"Thomas Huisman", "thomas.huisman@demo.test", "Salarisadministratie", "Financiën", "", "mentee", "Prioriteiten stellen in drukke maanden", "overzicht houden, grenzen stellen", "3", "2"},
	{"Lisa Kuiper", "lisa.kuiper@demo.test", "Inkoop", "Financiën", "", "mentee", "Onderhandelen met leveranciers", "onderhandelen", "1,3", "7"},
	{"Max Dijkstra", "max.dijkstra@demo.test", "Financiën", "Financiën", "", "mentee", "Vragen durven stellen in grote overleggen", "presenteren", "3", "1"},
	{"Zoë Blom", "zoe.blom@demo.test", "Control", "Financiën", "", "mentee", "Werk en privé beter scheiden", "grenzen stellen", "1", "3"},
	{"Lieke Maas", "lieke.maas@demo.test", "HR-advies", "HR", "", "mentee", "Lastige gesprekken met leidinggevenden voeren", "feedback, leidinggeven zonder mandaat", "2,3,4", "4"},
}

// pool opens applications for next year's cohort and fills its pool: two
// of this year's mentors, a new one, and thirteen mentees.
func (d *demoLoader) pool(hash string) {
	if d.err != nil {
		return
	}
	admin := models.Viewer{PersonID: d.ids["admin@demo.test"], Admin: true}
	prog, err := models.CreateProgramme(d.ctx, d.tx, admin, models.ProgrammeInput{
		Name: "Crossmentoring 2027–2028", StartsOn: "2027-09-01", Status: string(models.ProgrammePlanned)})
	d.fail(err)
	for _, a := range demoApplicants {
		team, err := models.TeamByName(d.ctx, d.tx, a.team)
		d.fail(err)
		p := models.Person{Name: a.name, Email: a.email, TeamID: &team.ID, Discipline: a.discipline, Language: "nl", PasswordHash: hash}
		if id, ok := d.ids[a.manager]; ok {
			p.ManagerID = &id
		}
		d.fail(d.tx.Create(&p).Error)
		d.ids[a.email] = p.ID
	}
	apply := func(email string, in models.ApplicationInput) {
		if d.err != nil {
			return
		}
		in.ProgrammeID = prog.ID
		_, err := models.Apply(d.ctx, d.tx, models.Viewer{PersonID: d.ids[email]}, in)
		d.fail(err)
	}
	apply("pieter.hendriks@demo.test", models.ApplicationInput{Role: models.ApplyAsMentor, Discipline: "ICT", Capacity: 1,
		Themes: "presenteren, samenwerken", Weekdays: []string{"2", "4"}})
	apply("iris.vanleeuwen@demo.test", models.ApplicationInput{Role: models.ApplyAsMentor, Discipline: "Financiën", Capacity: 1,
		Themes: "onderhandelen, overzicht houden", Weekdays: []string{"1", "3"}})
	for _, a := range demoApplicants {
		in := models.ApplicationInput{Role: a.role, Discipline: a.discipline, LearningNeed: a.need, Themes: a.themes,
			ExperienceYears: a.years, Capacity: 1}
		if a.weekdays != "" {
			for _, day := range a.weekdays {
				if day != ',' {
					in.Weekdays = append(in.Weekdays, string(day))
				}
			}
		}
		apply(a.email, in)
	}
}
