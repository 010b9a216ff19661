package uiaa

import (
	"errors"
	"slices"
	"sort"

	"signup/app/matrix"
)

// effort estimates what a stage costs the user, so that the widget can pick
// the flow the user finishes with the least effort.
var effort = map[matrix.AuthType]int{
	matrix.AuthDummy:             0,
	matrix.AuthTerms:             1,
	matrix.AuthRegistrationToken: 3,
	matrix.AuthRecaptcha:         3,
	matrix.AuthEmail:             6,
	matrix.AuthMSISDN:            8,
}

// fallbackEffort is the cost of a stage done on the homeserver's fallback
// page; flows that need one rank after every flow the widget can draw.
const fallbackEffort = 20

// Effort returns the estimated cost of a stage for the user.
func Effort(stage matrix.AuthType) int {
	if e, ok := effort[stage]; ok {
		return e
	}
	return fallbackEffort
}

// Plan is the flow the widget follows and where it stands in it.
type Plan struct {
	// Stages of the chosen flow, in order.
	Stages []matrix.AuthType
	// Next is the first stage not completed yet, or "" when all are.
	Next matrix.AuthType
	// Step is the 1-based position of Next among Stages (Total+1 when
	// done); Total is len(Stages).
	Step, Total int
}

// Done reports whether every stage of the flow is completed.
func (p Plan) Done() bool { return p.Next == "" }

// ErrNoFlow is returned when no offered flow is consistent with the
// completed stages.
var ErrNoFlow = errors.New("the homeserver offers no flow the widget can follow")

// Draws reports whether the widget draws stage s itself: every stage in
// the spec's list but SSO. Any other stage goes through the homeserver's
// fallback page. See
// https://spec.matrix.org/v1.16/client-server-api/#authentication-types.
func Draws(s matrix.AuthType) bool {
	switch s {
	case matrix.AuthDummy, matrix.AuthTerms, matrix.AuthRegistrationToken,
		matrix.AuthEmail, matrix.AuthMSISDN, matrix.AuthRecaptcha:
		return true
	}
	return false
}

// Widget is the widget's chooser: it prefers flows whose stages it draws.
var Widget = Chooser{CanDraw: Draws}

// Chooser picks flows. CanDraw reports whether the widget draws a stage
// itself (others go through the fallback page); nil means only dummy.
type Chooser struct {
	CanDraw func(matrix.AuthType) bool
}

func (c Chooser) drawable(s matrix.AuthType) bool {
	if s == matrix.AuthDummy {
		return true
	}
	return c.CanDraw != nil && c.CanDraw(s)
}

type candidate struct {
	stages   []matrix.AuthType
	fallback int // stages that need the fallback page
	effort   int
	index    int
}

// Choose picks the flow of info to follow. When current (the flow chosen
// before) is still offered and consistent with info.Completed, it is kept,
// so that a new 401 never switches the user to another path. Otherwise,
// among the consistent flows (every completed stage belongs to them), flows
// containing prefer come first (the user asked for, say, email), then flows
// without fallback stages, then the least remaining effort, then the
// server's order.
func (c Chooser) Choose(info *matrix.AuthInfo, current []matrix.AuthType, prefer matrix.AuthType) (Plan, error) {
	if info == nil {
		return Plan{}, ErrNoFlow
	}
	if len(current) > 0 && offered(info, current) && consistent(info, current) && (prefer == "" || slices.Contains(current, prefer)) {
		return plan(current, info), nil
	}
	var cands []candidate
	for i, f := range info.Flows {
		if !consistent(info, f.Stages) {
			continue
		}
		cd := candidate{stages: f.Stages, index: i}
		for _, s := range f.Stages {
			if info.HasCompleted(s) {
				continue
			}
			cd.effort += Effort(s)
			if !c.drawable(s) {
				cd.fallback++
			}
		}
		cands = append(cands, cd)
	}
	if len(cands) == 0 {
		return Plan{}, ErrNoFlow
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if pa, pb := slices.Contains(a.stages, prefer), slices.Contains(b.stages, prefer); prefer != "" && pa != pb {
			return pa
		}
		if (a.fallback > 0) != (b.fallback > 0) {
			return a.fallback == 0
		}
		if a.effort != b.effort {
			return a.effort < b.effort
		}
		return a.index < b.index
	})
	return plan(cands[0].stages, info), nil
}

// Alternatives lists the stages that some other consistent flow offers
// and the chosen one lacks: what the user may switch to ("Use an email
// address instead").
func (c Chooser) Alternatives(info *matrix.AuthInfo, chosen []matrix.AuthType) []matrix.AuthType {
	var out []matrix.AuthType
	if info == nil {
		return nil
	}
	for _, f := range info.Flows {
		if !consistent(info, f.Stages) {
			continue
		}
		for _, s := range f.Stages {
			if s == matrix.AuthDummy || slices.Contains(chosen, s) || slices.Contains(out, s) || info.HasCompleted(s) {
				continue
			}
			out = append(out, s)
		}
	}
	return out
}

func plan(stages []matrix.AuthType, info *matrix.AuthInfo) Plan {
	p := Plan{Stages: stages, Total: len(stages), Step: len(stages) + 1}
	for i, s := range stages {
		if !info.HasCompleted(s) {
			p.Next, p.Step = s, i+1
			break
		}
	}
	return p
}

func offered(info *matrix.AuthInfo, stages []matrix.AuthType) bool {
	for _, f := range info.Flows {
		if slices.Equal(f.Stages, stages) {
			return true
		}
	}
	return false
}

func consistent(info *matrix.AuthInfo, stages []matrix.AuthType) bool {
	for _, s := range info.Completed {
		if !slices.Contains(stages, s) {
			return false
		}
	}
	return true
}
