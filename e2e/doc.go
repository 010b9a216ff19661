// Package e2e is the end-to-end test harness of the signup widget. It starts
// real processes (Dendrite, the widget server, headless Chromium) on
// 127.0.0.1 and stops them when the test ends. Test files in this package use
// the helpers; cmd/dendrite-run reuses the Dendrite configuration for
// `make run`.
package e2e
