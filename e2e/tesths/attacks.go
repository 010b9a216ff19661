package tesths

// The attacks a Hostile server can make.

import ()

// Attack names one thing a hostile homeserver does instead of following the
// spec. A Hostile server answers like Server except where an attack says
// otherwise; every hostile answer carries the CORS headers, so that the
// browser hands it to the widget instead of failing the request.
//
// The one-shot attacks (AttackHTMLError, AttackHugeBody, AttackDeepJSON,
// AttackFlowsString, AttackSessionNumber, AttackNoSession) each answer one
// POST /register, in the order given to StartHostile: the first one-shot
// attack answers the first request, the second the second, and so on;
// later requests get the spec's answers. The other attacks apply to every
// matching request.
type Attack string

// The attacks of StartHostile.
const (
	// AttackTermsLinks replaces the m.login.terms params with policies
	// whose URLs are javascript:, data: and vbscript: (and disguised
	// forms of them) and whose names are HTML with <script> tags, plus one
	// honest https policy: HostileTermsParams. Put m.login.terms in a flow.
	AttackTermsLinks Attack = "terms-links"
	// AttackSubmitURL makes msisdn requestToken answer with the submit_url
	// set by SetSubmitURL (javascript:alert(...) by default); the sid is
	// real.
	AttackSubmitURL Attack = "submit-url"
	// AttackHTMLError answers one /register (no auth) with 403
	// M_FORBIDDEN whose error is HostileHTML.
	AttackHTMLError Attack = "html-error"
	// AttackHTMLStageError answers every /register that carries a stage
	// with a UIAA 401 for that session whose errcode is M_UNAUTHORIZED and
	// whose error is HostileHTML: a failed stage.
	AttackHTMLStageError Attack = "html-stage-error"
	// AttackHTMLUserID rewrites the user_id of a successful /register into
	// HostileUserID (an ID the spec's grammar allows: no space, no
	// control character).
	AttackHTMLUserID Attack = "html-user-id"
	// AttackHugeBody answers one /register with a spec-shaped 401
	// padded past 1 MiB (HugeBodyBytes).
	AttackHugeBody Attack = "huge-body"
	// AttackDeepJSON answers one /register with a 401 whose flows
	// are nested DeepJSONLevels arrays deep.
	AttackDeepJSON Attack = "deep-json"
	// AttackFlowsString answers one /register with flows as a
	// string.
	AttackFlowsString Attack = "flows-string"
	// AttackSessionNumber answers one /register with a session that
	// is a number.
	AttackSessionNumber Attack = "session-number"
	// AttackNoSession answers one /register with a 401 without a
	// session.
	AttackNoSession Attack = "no-session"
	// AttackManyFlows appends ManyFlows junk flows (stages no client
	// knows) after the real flows of every UIAA 401.
	AttackManyFlows Attack = "many-flows"
	// AttackFallbackOrigin makes the fallback page of every stage complete
	// the stage, then redirect (302) to a page on the Other origin whose
	// script tries to reach into the widget's window (opener) and finally
	// posts "authDone" to it, as the spec's fallback page does.
	AttackFallbackOrigin Attack = "fallback-origin"
	// AttackRedirect answers every POST /register with a 307 to the same
	// path on the Other origin.
	AttackRedirect Attack = "redirect"
	// AttackNeverEnding answers POST /register with 200 headers and the
	// start of a body that never ends (until the client goes away or the
	// test ends).
	AttackNeverEnding Attack = "never-ending"
	// AttackDropped answers POST /register with 200 headers and the start
	// of a body, then drops the connection.
	AttackDropped Attack = "dropped"
)

// Payloads of the attacks. Each runs alert() and sets window.__pwned when
// it ever executes, so a test sees it either way.
const (
	// HostileHTML is the error text of AttackHTMLError and
	// AttackHTMLStageError.
	HostileHTML = `<img src=x onerror="window.__pwned=1;alert('img')"><script>window.__pwned=1;alert('script')</script>` +
		`<a href="javascript:alert('link')">click</a><b>bold</b>`
	// HostileUserID is the user_id of AttackHTMLUserID.
	HostileUserID = `@<svg/onload=window.__pwned=1;alert('svg')><script>window.__pwned=1;alert('uid')</script>:localhost`
	// HugeBodyBytes is the size of the AttackHugeBody answer.
	HugeBodyBytes = 2 << 20
	// DeepJSONLevels is the nesting of the AttackDeepJSON answer.
	DeepJSONLevels = 100000
	// ManyFlows is how many junk flows AttackManyFlows appends.
	ManyFlows = 5000
	// DefaultHostileSubmitURL is the submit_url of AttackSubmitURL until
	// SetSubmitURL changes it.
	DefaultHostileSubmitURL = "javascript:window.__pwned=1;alert('submit_url')"
)

// oneShot are the attacks that answer one request each.
var oneShot = map[Attack]bool{
	AttackHTMLError: true, AttackHugeBody: true, AttackDeepJSON: true,
	AttackFlowsString: true, AttackSessionNumber: true, AttackNoSession: true,
}
