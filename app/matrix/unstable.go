package matrix

import "slices"

// AuthRegistrationTokenUnstable is the registration token stage's name
// before it was stable (MSC3231), which servers from before it entered the
// spec (v1.2) still send. The widget treats it as [AuthRegistrationToken]
// and answers under the server's own name. See
// https://github.com/matrix-org/matrix-spec-proposals/pull/3231.
const AuthRegistrationTokenUnstable AuthType = "org.matrix.msc3231.login.registration_token"

// unstableStages maps the unstable stage names the widget understands to
// their stable ones.
var unstableStages = map[AuthType]AuthType{
	AuthRegistrationTokenUnstable: AuthRegistrationToken,
}

// normalize renames unstable stages to their stable names in the flows,
// the completed stages and the params, and remembers in Aliases which name
// the server used, so that the answer goes back under it. A server that
// uses both names is answered under the stable one.
func (a *AuthInfo) normalize() {
	a.Aliases = nil
	for unstable, stable := range unstableStages {
		if !a.names(unstable) {
			continue
		}
		if !a.names(stable) {
			if a.Aliases == nil {
				a.Aliases = map[AuthType]AuthType{}
			}
			a.Aliases[stable] = unstable
		}
		for _, f := range a.Flows {
			for i, s := range f.Stages {
				if s == unstable {
					f.Stages[i] = stable
				}
			}
		}
		for i, s := range a.Completed {
			if s == unstable {
				a.Completed[i] = stable
			}
		}
		if raw, ok := a.Params[unstable]; ok {
			if _, both := a.Params[stable]; !both {
				a.Params[stable] = raw
			}
			delete(a.Params, unstable)
		}
	}
}

// names reports whether stage appears in a flow or among the completed
// stages.
func (a *AuthInfo) names(stage AuthType) bool {
	for _, f := range a.Flows {
		if slices.Contains(f.Stages, stage) {
			return true
		}
	}
	return slices.Contains(a.Completed, stage)
}

// ServerName returns the name the server uses for stage: its unstable name
// when the server spoke only that one.
func (a *AuthInfo) ServerName(stage AuthType) AuthType {
	if a != nil {
		if u, ok := a.Aliases[stage]; ok {
			return u
		}
	}
	return stage
}

// Wire returns d as the server expects it: under the stage name the server
// used. d itself is not changed.
func (a *AuthInfo) Wire(d *AuthDict) *AuthDict {
	if d == nil || a == nil || d.Type == "" {
		return d
	}
	name := a.ServerName(d.Type)
	if name == d.Type {
		return d
	}
	c := *d
	c.Type = name
	return &c
}
