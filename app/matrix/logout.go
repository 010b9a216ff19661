package matrix

import "context"

// Logout invalidates accessToken and deletes its device, with POST
// /_matrix/client/v3/logout. The widget calls it once it no longer needs
// the login that /register made, so that no device of its own remains.
// See https://spec.matrix.org/v1.16/client-server-api/#post_matrixclientv3logout.
func (c *Client) Logout(ctx context.Context, accessToken string) error {
	req := &Request{Method: "POST", URL: c.URL("/_matrix/client/v3/logout", nil),
		Header: Header{"authorization": "Bearer " + accessToken, "content-type": "application/json", "accept": "application/json"},
		Body:   []byte("{}")}
	r, err := c.Doer.Do(ctx, req)
	if err != nil {
		return &NetworkError{Op: "logout", Err: err}
	}
	if r.Status != 200 {
		return c.parseError("logout", r)
	}
	return nil
}
