// Package registration is the widget's conversation with the homeserver,
// as a state machine: the form, the User-Interactive Authentication
// stages that follow it, the email poll, other tabs, rate limits and the
// homeserver picker. It is pure Go (no go-app, no syscall/js), so that
// every path is tested natively at Go speed.
//
// The shape is the Elm architecture's: the UI feeds [Event]s to
// [Engine.Handle], which returns [Effect]s for a runner to carry out
// (requests, timers, storage, tab messages, focus) and whose answers come
// back as events; [Engine.View] is what the UI draws. Time comes in as a
// value with every event, so tests never sleep.
//
// Every request carries a sequence number, and an answer is applied only
// while the request is still the current one: one sent for an older UIAA
// session or another homeserver is dropped where answers come in, in one
// place, never by checks spread over callbacks.
//
// See https://spec.matrix.org/v1.16/client-server-api/#user-interactive-authentication-api
// and https://spec.matrix.org/v1.16/client-server-api/#account-registration.
package registration
