package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// stat is the median, min and max of the runs of one figure.
type stat struct {
	med, min, max float64
	n             int
}

func statOf(xs []float64) stat {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return stat{med: math.NaN(), min: math.NaN(), max: math.NaN()}
	}
	slices.Sort(v)
	med := v[len(v)/2]
	if len(v)%2 == 0 {
		med = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return stat{med: med, min: v[0], max: v[len(v)-1], n: len(v)}
}

// unit says how a figure prints.
type unit int

const (
	unitBytes unit = iota
	unitMs
	unitCount
	unitRate
	unitRatio
)

func (u unit) format(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	switch u {
	case unitBytes:
		switch {
		case math.Abs(x) >= 1e6:
			return fmt.Sprintf("%.2f MB", x/1e6)
		case math.Abs(x) >= 1e3:
			return fmt.Sprintf("%.1f kB", x/1e3)
		}
		return fmt.Sprintf("%.0f B", x)
	case unitMs:
		if math.Abs(x) >= 10000 {
			return fmt.Sprintf("%.2f s", x/1000)
		}
		if math.Abs(x) < 10 {
			return fmt.Sprintf("%.1f ms", x)
		}
		return fmt.Sprintf("%.0f ms", x)
	case unitRate:
		return fmt.Sprintf("%.0f/s", x)
	case unitRatio:
		return fmt.Sprintf("%.2f×", x)
	}
	return fmt.Sprintf("%.0f", x)
}

// cell prints "median (min–max)", or the value alone when all runs agree.
func (u unit) cell(s stat) string {
	if s.n == 0 {
		return "n/a"
	}
	m := u.format(s.med)
	lo, hi := u.format(s.min), u.format(s.max)
	if lo == hi {
		return m
	}
	return fmt.Sprintf("%s (%s–%s)", m, lo, hi)
}

// budget is a limit on a figure: on the widget's median (abs), or on the
// median of the widget/floor ratios computed run by run (ratio).
type budget struct {
	ratio bool
	limit float64
	text  string
}

// row is one line of the table.
type row struct {
	group, name string
	unit        unit
	w, f        []float64 // per run; f nil when the floor has no such figure
	budget      *budget
	// verdict overrides the computed one (for budgets that are not a
	// number, such as the request counts).
	verdict string
	note    string
}

func (r row) ratios() []float64 {
	if r.f == nil {
		return nil
	}
	out := make([]float64, 0, len(r.w))
	for i := range min(len(r.w), len(r.f)) {
		if r.f[i] > 0 && !math.IsNaN(r.w[i]) && !math.IsNaN(r.f[i]) {
			out = append(out, r.w[i]/r.f[i])
		}
	}
	return out
}

// check returns PASS/FAIL with the margin, or "".
func (r row) check() string {
	if r.verdict != "" {
		return r.verdict
	}
	if r.budget == nil {
		return ""
	}
	var got float64
	if r.budget.ratio {
		got = statOf(r.ratios()).med
	} else {
		got = statOf(r.w).med
	}
	if math.IsNaN(got) {
		return "n/a"
	}
	over := (got/r.budget.limit - 1) * 100
	if got <= r.budget.limit {
		return fmt.Sprintf("PASS (%.0f%% under)", -over)
	}
	return fmt.Sprintf("FAIL (%.0f%% over)", over)
}

// table renders rows as a Markdown table.
func table(rows []row) string {
	var b strings.Builder
	b.WriteString("| | Figure | Widget | Floor | Widget/Floor (per run) | Budget | Verdict |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	group := ""
	for _, r := range rows {
		g := ""
		if r.group != group {
			g, group = "**"+r.group+"**", r.group
		}
		floor, ratio := "", ""
		if r.f != nil {
			floor = r.unit.cell(statOf(r.f))
			ratio = unitRatio.cell(statOf(r.ratios()))
		}
		bud := ""
		if r.budget != nil {
			bud = r.budget.text
		}
		name := r.name
		if r.note != "" {
			name += " — " + r.note
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", g, name, r.unit.cell(statOf(r.w)), floor, ratio, bud, r.check())
	}
	return b.String()
}

// nan is a missing figure.
var nan = math.NaN()

func one(x float64) []float64 { return []float64{x} }
