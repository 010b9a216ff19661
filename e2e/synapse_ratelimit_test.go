package e2e

import (
	"encoding/json"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// Scenario 6, a tight rc_registration on Synapse (one account per 8 s per
// address): right after another registration from the same address the
// widget's first /register gets 429 M_LIMIT_EXCEEDED with retry_after_ms;
// the submit button counts down the seconds Synapse asked for, and once it
// is done a new submit creates the account.
func TestSynapseRateLimit(t *testing.T) {
	sc := startSynapseScene(t, SynapseOptions{RegistrationRate: &SynapseRate{PerSecond: 0.125, BurstCount: 1}}, "rate-limited")
	fill(t, sc.ctx, "rita", synapsePassword)
	sc.hs.RegisterOpen(t, "first", synapsePassword)
	do(t, sc.ctx, clickStable("submit"))
	waitText(t, sc.ctx, "#form-error", "too many requests")

	var limit struct {
		Code    string `json:"errcode"`
		RetryMS int64  `json:"retry_after_ms"`
	}
	ex := sc.rec.Exchanges()
	last := ex[len(ex)-1]
	if last.Status != 429 || json.Unmarshal(last.Response, &limit) != nil || limit.Code != "M_LIMIT_EXCEEDED" || limit.RetryMS <= 0 {
		t.Fatalf("last exchange = %d %s, want 429 M_LIMIT_EXCEEDED with retry_after_ms", last.Status, last.Response)
	}
	want := int((limit.RetryMS + 999) / 1000)
	seconds := regexp.MustCompile(`Try again in (\d+) second`)
	label := eval[string](t, sc.ctx, `document.getElementById("submit").textContent`)
	m := seconds.FindStringSubmatch(label)
	if m == nil {
		t.Fatalf("submit label = %q, want a countdown", label)
	}
	first, _ := strconv.Atoi(m[1])
	if first < want-1 || first > want+1 {
		t.Errorf("countdown starts at %d s, Synapse asked for %d ms", first, limit.RetryMS)
	}
	if !eval[bool](t, sc.ctx, `document.getElementById("submit").disabled`) {
		t.Error("submit is enabled during the wait")
	}
	time.Sleep(2 * time.Second)
	label = eval[string](t, sc.ctx, `document.getElementById("submit").textContent`)
	if m := seconds.FindStringSubmatch(label); m == nil || atoi(m[1]) >= first {
		t.Errorf("the countdown did not go down: %d s, then %q", first, label)
	}
	waitJS(t, sc.ctx, `!document.getElementById("submit").disabled`, "the countdown to end")
	do(t, sc.ctx, clickStable("submit"))
	sc.waitSignedUp(t, "rita", synapsePassword)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
