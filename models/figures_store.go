package models

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// FigureCell is one counted figure of one closed period: what a programme,
// a department or the whole organisation counted, with the number of
// distinct people behind it. It holds no person and is never changed.
type FigureCell struct {
	ID          uint   `gorm:"primaryKey"`
	Period      string `gorm:"size:10;not null;uniqueIndex:idx_figure_cell"`
	Figure      string `gorm:"size:20;not null;uniqueIndex:idx_figure_cell"`
	Breakdown   string `gorm:"size:12;not null;uniqueIndex:idx_figure_cell"`
	RowName     string `gorm:"size:200;not null;uniqueIndex:idx_figure_cell"`
	Value       int    `gorm:"not null"`
	Denominator int    `gorm:"not null"` // rates: the records the value is a share of
	People      int    `gorm:"not null"`
	// Decided: suppression has been worked out for the period; Hidden is
	// then what is published, for good.
	Decided   bool `gorm:"not null;default:false"`
	Hidden    bool `gorm:"not null;default:false"`
	CreatedAt time.Time
}

// figValue is a stored figure.
type figValue struct {
	id                         uint
	value, denominator, people int
	decided, hidden            bool
}

// storedFigures reads the stored figures of the periods.
func storedFigures(tx *gorm.DB, periods []Period) (map[figKey]figValue, error) {
	byName := map[string]Period{}
	names := make([]string, 0, len(periods))
	for _, p := range periods {
		byName[p.String()] = p
		names = append(names, p.String())
	}
	var rows []FigureCell
	if err := tx.Where("period IN ?", names).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[figKey]figValue, len(rows))
	for _, r := range rows {
		by := r.Breakdown
		if by == "total" {
			by = byTotal
		}
		out[figKey{r.Figure, by, r.RowName, byName[r.Period]}] = figValue{r.ID, r.Value, r.Denominator, r.People, r.Decided, r.Hidden}
	}
	return out, nil
}

// freezePeriods counts the missing periods from the data as it is now and
// stores them, each period in its own transaction. The period's total row
// is stored first: a replica that finds it already there (the unique index
// decides) leaves the period to whoever stored it.
func freezePeriods(db *gorm.DB, first, end Date, missing []Period) error {
	var months []Date
	for m := first; m.Before(end); m = m.AddMonths(1) {
		months = append(months, m)
	}
	facts, err := loadFigureFacts(db, first.Time, end.Time)
	if err != nil {
		return err
	}
	aggs := aggregateMonths(facts, months)
	monthIdx := map[Date]int{}
	for i, m := range months {
		monthIdx[m] = i
	}
	rows := map[figRow]bool{{byTotal, ""}: true}
	for k := range aggs {
		rows[figRow{k.by, k.row}] = true
	}
	for _, p := range missing {
		var cells []FigureCell
		var marker FigureCell
		for r := range rows {
			s := periodSum(aggs, r, p, monthIdx)
			by := r.by
			if by == byTotal {
				by = "total"
			}
			add := func(fig string, value, denominator, people int) {
				c := FigureCell{Period: p.String(), Figure: fig, Breakdown: by, RowName: r.row, Value: value, Denominator: denominator, People: people}
				switch {
				case r.by == byTotal && fig == FigParticipants:
					marker = c
				case value != 0 || denominator != 0 || people != 0:
					cells = append(cells, c)
				}
			}
			add(FigParticipants, len(s.participants), 0, len(s.participants))
			add(FigGroups, len(s.groups), 0, len(s.participants))
			add(FigMeetingsHeld, s.held, 0, len(s.meetPeople))
			add(FigMeetingsPlanned, s.planned, 0, len(s.meetPeople))
			add(FigOneOnOnes, s.talks, 0, len(s.talkPeople))
			add(FigAttendance, s.present, s.recorded, len(s.attPeople))
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&marker)
			if res.Error != nil || res.RowsAffected == 0 || len(cells) == 0 {
				return res.Error
			}
			return tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(cells, 200).Error
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// periodSum adds up one row's months of a period, with the union of the
// people behind each figure.
func periodSum(aggs map[rowMonth]*monthAgg, r figRow, p Period, monthIdx map[Date]int) *monthAgg {
	s := newMonthAgg()
	union := func(dst, src map[uint]bool) {
		for k := range src {
			dst[k] = true
		}
	}
	for _, m := range p.Months() {
		i, ok := monthIdx[m]
		a := aggs[rowMonth{r.by, r.row, i}]
		if !ok || a == nil {
			continue
		}
		union(s.participants, a.participants)
		union(s.groups, a.groups)
		union(s.meetPeople, a.meetPeople)
		union(s.talkPeople, a.talkPeople)
		union(s.attPeople, a.attPeople)
		s.held += a.held
		s.planned += a.planned
		s.talks += a.talks
		s.present += a.present
		s.recorded += a.recorded
	}
	return s
}

// storeDecisions records, for good, which stored figures of the newly
// decided periods are hidden. Replicas deciding at once write the same.
func storeDecisions(db *gorm.DB, periods []Period, hidden []uint) error {
	if len(periods) == 0 {
		return nil
	}
	names := make([]string, 0, len(periods))
	for _, p := range periods {
		names = append(names, p.String())
	}
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&FigureCell{}).Where("period IN ? AND NOT decided", names).
			Updates(map[string]any{"decided": true, "hidden": false}).Error; err != nil {
			return err
		}
		for i := 0; i < len(hidden); i += 500 {
			end := min(i+500, len(hidden))
			if err := tx.Model(&FigureCell{}).Where("id IN ?", hidden[i:end]).Update("hidden", true).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
