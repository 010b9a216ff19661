package config_test

import (
	"errors"
	"testing"

	"signup/app/config"
)

func TestServerNameFields(t *testing.T) {
	const payload = `evil"'x'><plaintext>`
	valid := func() *config.Config {
		return &config.Config{Version: config.CurrentVersion, Homeserver: config.Homeserver{
			URL: "https://matrix.example.org", ServerName: "example.org",
			Choices: []config.Choice{{Name: "Other", URL: "https://matrix.other.example", ServerName: "[2001:db8::1]:8448"}},
		}}
	}

	t.Run("server names in the spec's grammar pass, IPv6 literals too", func(t *testing.T) {
		if err := valid().Validate(); err != nil {
			t.Fatal(err)
		}
	})

	for _, bad := range []string{payload, "example.org:", "example.org:123456", "[::1", "bücher.example"} {
		t.Run("homeserver.server_name "+bad+" is refused", func(t *testing.T) {
			c := valid()
			c.Homeserver.ServerName = bad
			wantField(t, c.Validate(), "homeserver.server_name")
		})
		t.Run("homeserver.choices[0].server_name "+bad+" is refused", func(t *testing.T) {
			c := valid()
			c.Homeserver.Choices[0].ServerName = bad
			wantField(t, c.Validate(), "homeserver.choices[0].server_name")
		})
	}
}

// wantField checks that err names field, and only field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var errs config.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("got %v, want an error for %s", err, field)
	}
	if len(errs) != 1 || errs[0].Field != field {
		t.Errorf("got %v, want one error for %s", err, field)
	}
}
