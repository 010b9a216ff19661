package registration

import (
	"context"

	"signup/app/matrix"
)

// Do carries out one request through d and returns what [Answer] carries:
// *matrix.RegisterResponse, *matrix.RequestTokenResponse, bool (code
// accepted, name available), matrix.Homeserver, [Delegation]
// or the login token (string).
func Do(ctx context.Context, d matrix.Doer, req Request) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, req.Timeout())
	defer cancel()
	switch r := req.(type) {
	case Register:
		return matrix.NewClient(r.Base, d).Register(ctx, r.Kind, r.Body)
	case EmailToken:
		return matrix.NewClient(r.Base, d).RequestEmailToken(ctx, r.Body)
	case PhoneToken:
		return matrix.NewClient(r.Base, d).RequestMSISDNToken(ctx, r.Body)
	case SubmitCode:
		return matrix.NewClient(r.Base, d).SubmitToken(ctx, r.URL, r.SID, r.Secret, r.Code)
	case Available:
		return matrix.NewClient(r.Base, d).Available(ctx, r.Name)
	case Discover:
		return matrix.Discover(ctx, d, r.Input)
	case Metadata:
		md, delegated, err := matrix.NewClient(r.Base, d).GetAuthMetadata(ctx, r.Where)
		if err != nil || !delegated {
			return Delegation{}, err
		}
		return Delegation{Delegated: true, Metadata: md}, nil
	case ClientRegistration:
		return matrix.RegisterClient(ctx, d, r.Endpoint, r.Metadata)
	case CodeToken:
		return matrix.ExchangeCode(ctx, d, r.X)
	case WhoAmI:
		return matrix.NewClient(r.Base, d).WhoAmI(ctx, r.AccessToken)
	case Revoke:
		return nil, matrix.RevokeToken(ctx, d, r.Endpoint, r.ClientID, r.Token, r.Hint)
	case LoginFlows:
		return matrix.NewClient(r.Base, d).GetLoginFlows(ctx)
	case TokenLogin:
		return matrix.NewClient(r.Base, d).LoginWithToken(ctx, r.Token, r.Device)
	case Logout:
		return nil, matrix.NewClient(r.Base, d).Logout(ctx, r.AccessToken)
	case Policy:
		p, ok, err := matrix.NewClient(r.Base, d).GetPasswordPolicy(ctx)
		return PolicyAnswer{Policy: p, Supported: ok}, err
	case HandOff:
		c := matrix.NewClient(r.Base, d)
		tok, err := c.LoginTokenWithPassword(ctx, r.AccessToken, r.UserID, r.Password)
		// The widget keeps no device: log it out whatever get_token said.
		_ = c.Logout(ctx, r.AccessToken)
		return tok, err
	}
	return nil, errUnknownRequest
}
