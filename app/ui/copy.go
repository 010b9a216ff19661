package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// copyButton copies a value to the clipboard and says so ("Copied"), in
// its label and to screen readers (a status region). Its fields are props;
// Copy is nil on the server and where the browser offers no clipboard,
// and then the button is not drawn (the value stays selectable).
type copyButton struct {
	app.Compo

	ID, Value           string
	Label, Done, Failed string
	Copy                func(text string, done func(ok bool))

	state int // 0 idle, 1 copied, 2 failed
}

func (c *copyButton) Render() app.UI {
	// The status region is always drawn (a live region must exist before
	// its text changes to be announced); only a failure shows.
	label, status, cls := c.Label, "", "sr-only"
	switch c.state {
	case 1:
		label, status = c.Done, c.Done
	case 2:
		status, cls = c.Failed, "copy__status"
	}
	return app.Span().Class("copy").Body(
		app.If(c.Copy != nil, func() app.UI {
			return app.Button().Type("button").ID(c.ID).Class("secondary copy__button").Text(label).OnClick(c.onClick)
		}),
		app.Span().ID(c.ID+"-status").Class(cls).Role("status").Text(status),
	)
}

func (c *copyButton) onClick(ctx app.Context, e app.Event) {
	if c.Copy == nil {
		return
	}
	c.Copy(c.Value, func(ok bool) {
		ctx.Dispatch(func(app.Context) {
			if ok {
				c.state = 1
			} else {
				c.state = 2
			}
		})
	})
}
