package tesths

// The UIAA stages of /register: which auth types the server checks, how it
// checks each, and the answer to a type it does not know.

import (
	"fmt"
	"net/http"
	"slices"
)

// checksStage reports whether the server checks auth of type stage itself,
// as Synapse's AuthHandler.checkers (synapse/handlers/auth.py) holds the
// enabled UserInteractiveAuthChecker of each type: m.login.dummy and
// m.login.terms always (synapse/handlers/ui_auth/checkers.py: their
// is_enabled is True, so they complete even outside the flows), any other
// type when a flow offers it (Synapse enables reCAPTCHA, email, msisdn and
// the registration token only when configured, and then offers them). The
// caller holds s.mu.
func (s *Server) checksStage(stage string) bool {
	return stage == stageDummy || stage == stageTerms || s.inFlows(stage)
}

// unknownStage answers auth of a type the server does not check. Synapse's
// _check_auth_dict falls back to the /login checks (validate_login, then
// convert_client_dict_legacy_fields_to_identifier, in
// synapse/handlers/auth.py), whose SynapseError ends the request with a
// plain 400 and no UIAA body: an auth dict without identifier, user, or
// medium and address answers 400 M_INVALID_PARAM "Invalid login
// submission"; one with an identifier gets as far as "Unknown login type".
// The spec asks for a 401 when the flows are not followed
// (spec.matrix.org/v1.16/client-server-api/#user-interactive-authentication-api);
// the server answers as Synapse.
func unknownStage(stage string, auth map[string]any) reply {
	identifier, _ := auth["identifier"].(map[string]any)
	if user, _ := auth["user"].(string); user != "" {
		identifier = map[string]any{"type": "m.id.user", "user": user}
	}
	medium, _ := auth["medium"].(string)
	address, _ := auth["address"].(string)
	if medium != "" && address != "" {
		identifier = map[string]any{"type": "m.id.thirdparty", "medium": medium, "address": address}
	}
	if len(identifier) == 0 {
		return errReply(http.StatusBadRequest, "M_INVALID_PARAM", "Invalid login submission")
	}
	if _, ok := identifier["type"]; !ok {
		return errReply(http.StatusBadRequest, "M_MISSING_PARAM", "'identifier' dict has no key 'type'")
	}
	return errReply(http.StatusBadRequest, "M_UNKNOWN", "Unknown login type "+stage)
}

// applyStage checks the auth dict of one stage the server checks
// (checksStage) and marks it completed. A failure comes back as errcode and
// message, sent with the UIAA body in a 401, as Synapse merges a LoginError
// into it. The caller holds s.mu.
func (s *Server) applyStage(sess *uiaSession, stage string, auth map[string]any) (errcode, msg string) {
	if stage == stageToken {
		// Synapse runs the token checker again on a session that passed
		// it, which compares the token with the one it stored.
		return s.applyToken(sess, auth)
	}
	if slices.Contains(sess.completed, stage) {
		// Completed stages cannot be retried: answer with the completed
		// stages (or the result), as the spec asks.
		return "", ""
	}
	switch stage {
	case stageDummy, stageTerms:
	case stageCaptcha:
		resp, ok := auth["response"]
		if !ok {
			return "M_CAPTCHA_NEEDED", "Captcha response is required"
		}
		if str, _ := resp.(string); str != s.cfg.RecaptchaResponse {
			return "M_UNAUTHORIZED", "Captcha authentication failed"
		}
	case stageEmail, stageMsisdn:
		creds, ok := auth["threepid_creds"].(map[string]any)
		if !ok {
			return "M_MISSING_PARAM", "Missing threepid_creds"
		}
		sid, _ := creds["sid"].(string)
		secret, _ := creds["client_secret"].(string)
		medium := "email"
		if stage == stageMsisdn {
			medium = "msisdn"
		}
		tp := s.threepids[sid]
		if tp == nil || tp.clientSecret != secret || !tp.validated || tp.used {
			return "M_UNAUTHORIZED", "Unable to get validated threepid"
		}
		if tp.medium != medium {
			return "M_UNAUTHORIZED", fmt.Sprintf("Expecting threepid of type '%s', got '%s'", medium, tp.medium)
		}
		// Synapse deletes the validation session once it served a stage.
		tp.used = true
		sess.addresses = append(sess.addresses, tp.key())
	default:
		return "M_UNRECOGNIZED", fmt.Sprintf("Auth type %s can only be completed through its fallback page", stage)
	}
	sess.completed = append(sess.completed, stage)
	return "", ""
}
