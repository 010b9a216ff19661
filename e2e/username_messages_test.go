package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// What the username field says, as the user sees it: the space named,
// the capitals mentioned and the fixed form offered; a full Matrix ID
// pasted in is understood.
func TestUsernameMessages(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	ctx, _ := startWidget(t, hs.URL)
	typeInto(t, ctx, "username", "Bad Name!")
	waitText(t, ctx, "#username-error", "Spaces are not allowed in a username, nor these characters: “!”")
	waitText(t, ctx, "#username-error", "Capital letters are not allowed either.")
	waitText(t, ctx, "#username-lower", "Use badname")
	do(t, ctx, chromedp.Click(chromedp.ID("username-lower")))
	waitJS(t, ctx, `document.getElementById("username").value === "badname"`, "the fixed name in the field")
	waitText(t, ctx, "#username-hint", "@badname:localhost")

	// A paste replaces the field's text at once, as the browser does.
	eval[bool](t, ctx, `(() => { const u = document.getElementById("username"); u.value = "@erin:localhost";
		u.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertFromPaste"})); return true; })()`)
	waitJS(t, ctx, `document.getElementById("username").value === "erin"`, "the pasted ID's localpart in the field")
	waitText(t, ctx, "#username-hint", "@erin:localhost")
}
