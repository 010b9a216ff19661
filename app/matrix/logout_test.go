package matrix_test

import (
	"errors"
	"strings"
	"testing"

	"signup/app/matrix"
)

func TestLogout(t *testing.T) {
	t.Run("it posts {} to /logout with the access token in the Authorization header only", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, `{}`)))
		if err := c.Logout(ctx, "syt_secret"); err != nil {
			t.Fatal(err)
		}
		got := rec.last(t)
		if got.Method != "POST" || got.Path != "/_matrix/client/v3/logout" || got.RawQuery != "" {
			t.Errorf("got %s %s?%s", got.Method, got.Path, got.RawQuery)
		}
		if a := got.Header.Get("Authorization"); a != "Bearer syt_secret" {
			t.Errorf("Authorization %q", a)
		}
		if string(got.Body) != "{}" || strings.Contains(got.RawQuery, "syt_") {
			t.Errorf("body %q, query %q", got.Body, got.RawQuery)
		}
	})

	t.Run("an unknown token is a Matrix error", func(t *testing.T) {
		c, _ := newClient(t, respond(401, `{"errcode":"M_UNKNOWN_TOKEN","error":"Unknown access token"}`))
		err := c.Logout(ctx, "syt_gone")
		me, ok := matrix.AsError(err)
		if !ok || me.Status != 401 || me.Code != "M_UNKNOWN_TOKEN" {
			t.Fatalf("got %T %v", err, err)
		}
	})

	t.Run("an unreachable server is ErrUnreachable", func(t *testing.T) {
		c, srv := newClient(t, respond(200, `{}`))
		srv.Close()
		if err := c.Logout(ctx, "syt_secret"); !errors.Is(err, matrix.ErrUnreachable) {
			t.Fatalf("got %T %v", err, err)
		}
	})
}
