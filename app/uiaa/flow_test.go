package uiaa

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"signup/app/matrix"
)

// testInfo builds an AuthInfo from flows and completed stages.
func testInfo(fl [][]matrix.AuthType, completed ...matrix.AuthType) *matrix.AuthInfo {
	a := &matrix.AuthInfo{Session: "xxxxxx", Completed: completed}
	for _, f := range fl {
		a.Flows = append(a.Flows, matrix.Flow{Stages: f})
	}
	return a
}

// testDraws returns a CanDraw that covers exactly stages.
func testDraws(stages ...matrix.AuthType) func(matrix.AuthType) bool {
	return func(s matrix.AuthType) bool { return slices.Contains(stages, s) }
}

type testFlows = [][]matrix.AuthType

const (
	sDummy     = matrix.AuthDummy
	sTerms     = matrix.AuthTerms
	sToken     = matrix.AuthRegistrationToken
	sEmail     = matrix.AuthEmail
	sMsisdn    = matrix.AuthMSISDN
	sRecaptcha = matrix.AuthRecaptcha
	sCustom    = "org.example.custom"
)

func TestChoose(t *testing.T) {
	everything := testDraws(sTerms, sToken, sEmail, sMsisdn, sRecaptcha)

	cases := []struct {
		name    string
		chooser Chooser
		info    *matrix.AuthInfo
		current []matrix.AuthType
		prefer  matrix.AuthType
		want    Plan
	}{
		{
			name: "a single dummy flow is chosen, step 1 of 1",
			info: testInfo(testFlows{{sDummy}}),
			want: Plan{Stages: []matrix.AuthType{sDummy}, Next: sDummy, Step: 1, Total: 1},
		},
		{
			name:    "dummy wins over email",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sEmail}, {sDummy}}),
			want:    Plan{Stages: []matrix.AuthType{sDummy}, Next: sDummy, Step: 1, Total: 1},
		},
		{
			name: "dummy wins over email even when only dummy is drawable",
			info: testInfo(testFlows{{sEmail}, {sDummy}}),
			want: Plan{Stages: []matrix.AuthType{sDummy}, Next: sDummy, Step: 1, Total: 1},
		},
		{
			name:    "terms then dummy wins over recaptcha when terms is drawable",
			chooser: Chooser{CanDraw: testDraws(sTerms)},
			info:    testInfo(testFlows{{sTerms, sDummy}, {sRecaptcha}}),
			want:    Plan{Stages: []matrix.AuthType{sTerms, sDummy}, Next: sTerms, Step: 1, Total: 2},
		},
		{
			name:    "a drawable recaptcha wins over terms that need the fallback page",
			chooser: Chooser{CanDraw: testDraws(sRecaptcha)},
			info:    testInfo(testFlows{{sTerms, sDummy}, {sRecaptcha}}),
			want:    Plan{Stages: []matrix.AuthType{sRecaptcha}, Next: sRecaptcha, Step: 1, Total: 1},
		},
		{
			name:    "a flow with an unknown stage ranks last even if shorter",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sCustom}, {sToken, sEmail}}),
			want:    Plan{Stages: []matrix.AuthType{sToken, sEmail}, Next: sToken, Step: 1, Total: 2},
		},
		{
			name:    "among equal efforts the server's order decides",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sRecaptcha}, {sToken}}),
			want:    Plan{Stages: []matrix.AuthType{sRecaptcha}, Next: sRecaptcha, Step: 1, Total: 1},
		},
		{
			name:    "completed stages are skipped: step 2 of 3",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sTerms, sToken, sDummy}}, sTerms),
			want:    Plan{Stages: []matrix.AuthType{sTerms, sToken, sDummy}, Next: sToken, Step: 2, Total: 3},
		},
		{
			name:    "after a completed stage the cheapest remaining flow containing it is chosen",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sToken}, {sEmail, sRecaptcha, sDummy}, {sEmail, sMsisdn}}, sEmail),
			want:    Plan{Stages: []matrix.AuthType{sEmail, sRecaptcha, sDummy}, Next: sRecaptcha, Step: 2, Total: 3},
		},
		{
			name:    "flows inconsistent with completed stages are excluded",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sDummy}, {sRecaptcha, sEmail}}, sRecaptcha),
			want:    Plan{Stages: []matrix.AuthType{sRecaptcha, sEmail}, Next: sEmail, Step: 2, Total: 2},
		},
		{
			name:    "a flow whose every stage is completed is done",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sTerms, sDummy}}, sTerms, sDummy),
			want:    Plan{Stages: []matrix.AuthType{sTerms, sDummy}, Next: "", Step: 3, Total: 2},
		},
		{
			name:    "the current flow is kept across 401s even when another is cheaper",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sDummy}, {sToken, sDummy}}, sToken),
			current: []matrix.AuthType{sToken, sDummy},
			want:    Plan{Stages: []matrix.AuthType{sToken, sDummy}, Next: sDummy, Step: 2, Total: 2},
		},
		{
			name:    "the current flow is kept before any stage is completed",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sDummy}, {sEmail}}),
			current: []matrix.AuthType{sEmail},
			want:    Plan{Stages: []matrix.AuthType{sEmail}, Next: sEmail, Step: 1, Total: 1},
		},
		{
			name:    "a current flow the server no longer offers is replaced",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sDummy}, {sToken}}),
			current: []matrix.AuthType{sEmail},
			want:    Plan{Stages: []matrix.AuthType{sDummy}, Next: sDummy, Step: 1, Total: 1},
		},
		{
			name:    "a current flow inconsistent with the completed stages is replaced",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sEmail}, {sRecaptcha, sDummy}}, sRecaptcha),
			current: []matrix.AuthType{sEmail},
			want:    Plan{Stages: []matrix.AuthType{sRecaptcha, sDummy}, Next: sDummy, Step: 2, Total: 2},
		},
		{
			name:    "prefer picks the flow with that stage over a cheaper one",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sDummy}, {sEmail, sDummy}}),
			prefer:  sEmail,
			want:    Plan{Stages: []matrix.AuthType{sEmail, sDummy}, Next: sEmail, Step: 1, Total: 2},
		},
		{
			name:    "prefer switches away from a current flow that lacks it",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sDummy}, {sEmail}}),
			current: []matrix.AuthType{sDummy},
			prefer:  sEmail,
			want:    Plan{Stages: []matrix.AuthType{sEmail}, Next: sEmail, Step: 1, Total: 1},
		},
		{
			name:    "prefer keeps a current flow that has it",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sEmail}, {sEmail, sMsisdn}}),
			current: []matrix.AuthType{sEmail, sMsisdn},
			prefer:  sEmail,
			want:    Plan{Stages: []matrix.AuthType{sEmail, sMsisdn}, Next: sEmail, Step: 1, Total: 2},
		},
		{
			name:    "prefer a stage no flow has is ignored",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sEmail}, {sDummy}}),
			prefer:  sMsisdn,
			want:    Plan{Stages: []matrix.AuthType{sDummy}, Next: sDummy, Step: 1, Total: 1},
		},
		{
			name:    "prefer cannot resurrect a flow inconsistent with completed stages",
			chooser: Chooser{CanDraw: everything},
			info:    testInfo(testFlows{{sEmail}, {sRecaptcha, sDummy}}, sRecaptcha),
			prefer:  sEmail,
			want:    Plan{Stages: []matrix.AuthType{sRecaptcha, sDummy}, Next: sDummy, Step: 2, Total: 2},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.chooser.Choose(tc.info, tc.current, tc.prefer)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if got.Done() != (tc.want.Next == "") {
				t.Errorf("Done() = %v", got.Done())
			}
		})
	}

	t.Run("no flow consistent with the completed stages is ErrNoFlow", func(t *testing.T) {
		_, err := Chooser{}.Choose(testInfo(testFlows{{sDummy}, {sEmail}}, sRecaptcha), nil, "")
		if !errors.Is(err, ErrNoFlow) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("no flows at all is ErrNoFlow", func(t *testing.T) {
		if _, err := (Chooser{}).Choose(testInfo(nil), nil, ""); !errors.Is(err, ErrNoFlow) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a nil info is ErrNoFlow", func(t *testing.T) {
		if _, err := (Chooser{}).Choose(nil, nil, ""); !errors.Is(err, ErrNoFlow) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a step-by-step walk stays on the chosen flow", func(t *testing.T) {
		c := Chooser{CanDraw: everything}
		offered := testFlows{{sDummy}, {sTerms, sToken, sDummy}, {sEmail}}
		p, err := c.Choose(testInfo(offered), nil, sToken)
		if err != nil || p.Next != sTerms || p.Step != 1 || p.Total != 3 {
			t.Fatalf("first: %+v, %v", p, err)
		}
		var completed []matrix.AuthType
		for _, want := range []matrix.AuthType{sToken, sDummy, ""} {
			completed = append(completed, p.Next)
			p, err = c.Choose(testInfo(offered, completed...), p.Stages, "")
			if err != nil || p.Next != want || p.Step != len(completed)+1 {
				t.Fatalf("after %v: %+v, %v", completed, p, err)
			}
		}
		if !p.Done() {
			t.Error("not done")
		}
	})
}

func TestAlternatives(t *testing.T) {
	t.Run("other consistent flows' stages are listed once, in the server's order, without dummy", func(t *testing.T) {
		got := Chooser{}.Alternatives(testInfo(testFlows{{sDummy}, {sEmail}, {sMsisdn, sDummy}, {sEmail, sTerms}}), []matrix.AuthType{sDummy})
		want := []matrix.AuthType{sEmail, sMsisdn, sTerms}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})

	t.Run("stages of the chosen flow, completed stages and inconsistent flows are left out", func(t *testing.T) {
		got := Chooser{}.Alternatives(testInfo(testFlows{{sTerms, sEmail}, {sTerms, sToken}, {sTerms, sMsisdn}, {sRecaptcha}}, sTerms),
			[]matrix.AuthType{sTerms, sEmail})
		want := []matrix.AuthType{sToken, sMsisdn}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})

	t.Run("a single flow has no alternative", func(t *testing.T) {
		if got := (Chooser{}).Alternatives(testInfo(testFlows{{sTerms, sDummy}}), []matrix.AuthType{sTerms, sDummy}); len(got) != 0 {
			t.Errorf("got %v", got)
		}
	})
}

func TestEffort(t *testing.T) {
	t.Run("known stages are ranked by what they cost the user", func(t *testing.T) {
		order := []matrix.AuthType{sDummy, sTerms, sToken, sEmail, sMsisdn}
		for i := 1; i < len(order); i++ {
			if Effort(order[i-1]) >= Effort(order[i]) {
				t.Errorf("Effort(%s)=%d is not below Effort(%s)=%d", order[i-1], Effort(order[i-1]), order[i], Effort(order[i]))
			}
		}
	})

	t.Run("an unknown stage costs more than any known one", func(t *testing.T) {
		for _, s := range []matrix.AuthType{sDummy, sTerms, sToken, sRecaptcha, sEmail, sMsisdn} {
			if Effort(sCustom) <= Effort(s) {
				t.Errorf("Effort(%s) <= Effort(%s)", sCustom, s)
			}
		}
		if Effort(matrix.AuthSSO) != Effort(sCustom) {
			t.Errorf("SSO is not a fallback stage")
		}
	})
}
