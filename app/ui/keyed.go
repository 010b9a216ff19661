package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// keyed wraps a subtree so that go-app replaces it, instead of patching it
// in place, when Key changes. go-app patches elements of the same tag, and
// a patched <input> keeps its typed value (go-app drops an empty value
// attribute instead of clearing the property): without a key, the token
// typed on one stage would reappear in the email field of the next.
type keyed struct {
	app.Compo
	Key   string
	Child app.UI
}

// CompoID makes go-app remount the component when Key changes.
func (k *keyed) CompoID() string { return k.Key }

// Render draws the child.
func (k *keyed) Render() app.UI { return k.Child }
