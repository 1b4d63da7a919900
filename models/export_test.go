package models

// CellRaw is the value behind a cell, shown or not: the differencing test
// needs it to know which hidden cells are zero.
func CellRaw(c Cell) float64 { return c.raw }

// CellPeople is the number of distinct people behind a cell.
func CellPeople(c Cell) int { return c.people }

// PointRaw is the value behind a chart point.
func PointRaw(p ChartPoint) float64 { return p.raw }
