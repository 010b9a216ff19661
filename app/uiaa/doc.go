// Package uiaa decides how the widget walks a User-Interactive
// Authentication session: which of the offered flows to follow, which stage
// comes next, and what auth dict each stage submits. It is pure Go: no
// go-app, no syscall/js.
//
// See https://spec.matrix.org/v1.16/client-server-api/#user-interactive-authentication-api.
package uiaa
