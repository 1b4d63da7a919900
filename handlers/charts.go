package handlers

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"crossmentor/models"
)

// Chart geometry, in SVG user units.
const (
	chartWidth  = 640.0
	chartHeight = 240.0
	chartLeft   = 44.0
	chartRight  = 8.0
	chartTop    = 22.0
	chartBottom = 30.0
)

// chartView is one dashboard chart with its title and table.
type chartView struct {
	Chart      models.Chart
	Title      string
	SVG        template.HTML
	Legend     []string
	Rows       []chartRow // the table under the chart, newest month first
	Suppressed bool       // some cell is hidden ("< 5")
}

// chartRow is one month of a chart's table: a cell per series.
type chartRow struct {
	Month string
	Cells []models.ChartPoint
}

// chartRows turns a chart's series into table rows, newest month first,
// and says whether any cell is hidden.
func chartRows(ch models.Chart, months []string) (rows []chartRow, suppressed bool) {
	for mi := len(months) - 1; mi >= 0; mi-- {
		row := chartRow{Month: months[mi]}
		for _, s := range ch.Series {
			if mi < len(s.Points) {
				row.Cells = append(row.Cells, s.Points[mi])
				suppressed = suppressed || s.Points[mi].Suppressed
			}
		}
		rows = append(rows, row)
	}
	return rows, suppressed
}

// formatValue writes a chart value: a percentage or a whole number.
func formatValue(v float64, percent bool) string {
	if percent {
		return fmt.Sprintf("%.0f%%", v*100)
	}
	return fmt.Sprintf("%.0f", v)
}

// pointText writes a chart point: its band when it is a rate.
func pointText(p models.ChartPoint, percent bool) string {
	if p.Band != "" {
		return p.Band
	}
	return formatValue(p.Value, percent)
}

// monthLabel is a short month name in the page's language.
func monthLabel(v View, d models.Date) string {
	return v.T(fmt.Sprintf("finish.chart.month.%d", d.Month()))
}

// renderChart draws a monthly bar chart as SVG: one bar per series per
// month, each with its value written above it, series told apart by fill
// pattern as well as colour, and suppressed points marked "<5" instead of a bar.
func renderChart(v View, id, title string, c models.Chart, months []models.Date, legend []string) template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	top := 0.0
	for _, s := range c.Series {
		for _, p := range s.Points {
			top = math.Max(top, p.Value)
		}
	}
	if c.Percent {
		top = 1
	}
	if top == 0 {
		top = 1
	}
	switch {
	case c.Percent:
	case top <= 10:
		top = math.Ceil(top/2) * 2 // the half-way line stays a whole number
	default:
		top = math.Ceil(top/10) * 10
	}
	plotW, plotH := chartWidth-chartLeft-chartRight, chartHeight-chartTop-chartBottom
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`,
		chartWidth, chartHeight, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(v.T("dashboard.chart_desc")))
	fmt.Fprintf(&b, `<defs><pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`+
		`<rect width="6" height="6" class="hatch-bg"/><line x1="0" y1="0" x2="0" y2="6" class="hatch-line" stroke-width="3"/></pattern></defs>`, id)
	for _, frac := range []float64{0, 0.5, 1} {
		y := chartTop + plotH*(1-frac)
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, chartLeft, y, chartWidth-chartRight, y)
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, chartLeft-4, y+4, formatValue(top*frac, c.Percent))
	}
	band := plotW / float64(max(len(months), 1))
	barW := band * 0.76 / float64(max(len(c.Series), 1))
	for i, m := range months {
		x0 := chartLeft + band*float64(i) + band*0.12
		for si, s := range c.Series {
			if i >= len(s.Points) {
				continue
			}
			p := s.Points[i]
			x := x0 + barW*float64(si)
			label := legend[si] + ", " + monthLabel(v, m) + " " + fmt.Sprint(m.Year()) + ": "
			if p.Empty {
				continue
			}
			if p.Suppressed {
				fmt.Fprintf(&b, `<text class="suppressed" x="%.1f" y="%.1f" text-anchor="middle"><title>%s</title>&lt;5</text>`,
					x+barW/2, chartTop+plotH-3, esc(label+v.T("dashboard.suppressed")))
				continue
			}
			h := plotH * p.Value / top
			fill := fmt.Sprintf(`class="bar s%d"`, si)
			if si == 1 {
				fill = fmt.Sprintf(`class="bar s1" fill="url(#%s-hatch)"`, id)
			}
			fmt.Fprintf(&b, `<rect %s x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>`,
				fill, x, chartTop+plotH-h, math.Max(barW-1, 1), h, esc(label+pointText(p, c.Percent)))
			fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`,
				x+barW/2, chartTop+plotH-h-3, esc(pointText(p, c.Percent)))
		}
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`,
			chartLeft+band*(float64(i)+0.5), chartHeight-chartBottom+16, esc(monthLabel(v, m)))
	}
	b.WriteString(`</svg>`)
	// #nosec G203 -- every text in the SVG is escaped above; numbers are formatted
	return template.HTML(b.String())
}
