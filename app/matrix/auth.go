package matrix

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Limits on what the widget accepts in a UIAA body. A hostile server may
// send thousands of flows; nobody registers through more than these.
const (
	MaxFlows  = 64
	MaxStages = 16
)

// Flow is one list of stages that, completed in order, authenticates the
// request.
type Flow struct {
	Stages []AuthType `json:"stages"`
}

// AuthInfo is the UIAA state a 401 carries: the flows the server offers,
// per-stage params, the stages already completed and the session. When a
// stage failed, Errcode and Error are set too. See
// https://spec.matrix.org/v1.16/client-server-api/#user-interactive-authentication-api.
type AuthInfo struct {
	Flows     []Flow                       `json:"flows"`
	Params    map[AuthType]json.RawMessage `json:"params,omitempty"`
	Session   string                       `json:"session,omitempty"`
	Completed []AuthType                   `json:"completed,omitempty"`
	// Aliases maps a stable stage name to the unstable one the server
	// used instead (see normalize); the flows carry the stable names. It
	// is kept with the saved progress, and recomputed from every answer.
	Aliases map[AuthType]AuthType `json:"signup_aliases,omitempty"`
	Errcode string                `json:"-"`
	Error   string                `json:"-"`
}

// ErrNoSession is reported for a UIAA body without a session.
var ErrNoSession = errors.New("no session in the UIAA response")

// validate checks the shape and trims what exceeds the limits.
func (a *AuthInfo) validate() error {
	if a.Session == "" {
		return ErrNoSession
	}
	if len(a.Session) > 1024 {
		return errors.New("session too long")
	}
	if len(a.Flows) > MaxFlows {
		a.Flows = a.Flows[:MaxFlows]
	}
	flows := a.Flows[:0]
	for _, f := range a.Flows {
		if len(f.Stages) == 0 || len(f.Stages) > MaxStages || slices.Contains(f.Stages, "") {
			continue
		}
		flows = append(flows, f)
	}
	a.Flows = flows
	if len(a.Flows) == 0 {
		return errors.New("no usable flow")
	}
	if len(a.Completed) > MaxStages {
		a.Completed = a.Completed[:MaxStages]
	}
	a.normalize()
	return nil
}

// HasCompleted reports whether stage is in Completed.
func (a *AuthInfo) HasCompleted(stage AuthType) bool {
	for _, s := range a.Completed {
		if s == stage {
			return true
		}
	}
	return false
}

// Param decodes the params of stage into out. It reports false when the
// server sent none.
func (a *AuthInfo) Param(stage AuthType, out any) (bool, error) {
	raw, ok := a.Params[stage]
	if !ok || len(raw) == 0 || string(raw) == "null" {
		return false, nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return true, fmt.Errorf("params of %s: %w", stage, err)
	}
	return true, nil
}
