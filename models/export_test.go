package models

import "gorm.io/gorm"

// CellRaw is the value behind a cell, shown or not: the differencing test
// needs it to know which hidden cells are zero.
func CellRaw(c Cell) float64 { return c.raw }

// CellPeople is the number of distinct people behind a cell.
func CellPeople(c Cell) int { return c.people }

// PointRaw is the value behind a chart point.
func PointRaw(p ChartPoint) float64 { return p.raw }

// RefreshSeries gives a group's meetings their places in its series, as
// saving one group's series does.
func RefreshSeries(tx *gorm.DB, groupID uint) (bool, error) { return refreshSeries(tx, groupID) }
