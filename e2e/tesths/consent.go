package tesths

// Consent to the policies of the m.login.terms stage
// (spec.matrix.org/v1.16/client-server-api/#terms-of-service-at-registration).

import (
	"encoding/json"
	"maps"
	"slices"
)

// recordConsent records, for the account sess just created, the policies
// of the m.login.terms params with their versions when the session passed
// that stage, as Synapse's RegistrationHandler.post_registration_actions
// (synapse/handlers/register.py) calls _on_user_consented with its
// user_consent_version when LoginType.TERMS is in the auth result; its
// admin API then shows that as the user's consent_version. The caller
// holds s.mu.
func (s *Server) recordConsent(sess *uiaSession) {
	if !slices.Contains(sess.completed, stageTerms) {
		return
	}
	accepted := map[string]string{}
	// The params are whatever the test configured; a JSON round trip
	// reads maps and structs alike, and shapes that are not policies
	// (as the hostile server sends) are skipped.
	var params struct {
		Policies map[string]json.RawMessage `json:"policies"`
	}
	if b, err := json.Marshal(s.cfg.Params[stageTerms]); err == nil {
		_ = json.Unmarshal(b, &params)
	}
	for name, raw := range params.Policies {
		var policy struct {
			Version string `json:"version"`
		}
		if json.Unmarshal(raw, &policy) == nil {
			accepted[name] = policy.Version
		}
	}
	s.consents[sess.userID] = accepted
}

// Consents returns the policies userID accepted at registration, by name,
// with the version of each (such as {"privacy_policy": "1.0"}: Synapse's
// consent_version is the version of its one policy, privacy_policy), and
// nil when the user passed no m.login.terms stage.
func (s *Server) Consents(userID string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.consents[userID]; ok {
		return maps.Clone(c)
	}
	return nil
}
