package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"signup/app/config"
)

func TestResolveHomeserverServerName(t *testing.T) {
	// keyServer answers /versions and the signing-key endpoint with name.
	keyServer := func(name string) *httptest.Server {
		mux := http.NewServeMux()
		mux.HandleFunc("/_matrix/client/versions", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"versions":["v1.11"]}`))
		})
		mux.HandleFunc("/_matrix/key/v2/server", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"server_name":` + name + `}`))
		})
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		return srv
	}

	t.Run("the key endpoint's name is taken when it follows the grammar", func(t *testing.T) {
		srv := keyServer(`"example.org"`)
		hs, err := resolveHomeserver(context.Background(), config.Homeserver{URL: srv.URL})
		if err != nil || hs.ServerName != "example.org" {
			t.Fatalf("got %+v, %v", hs, err)
		}
	})

	t.Run("a key endpoint answering markup as its name leaves the URL's host", func(t *testing.T) {
		srv := keyServer(`"evil\"'x'><plaintext>"`)
		hs, err := resolveHomeserver(context.Background(), config.Homeserver{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.TrimPrefix(srv.URL, "http://"); hs.ServerName != want {
			t.Errorf("server name %q, want the host %q", hs.ServerName, want)
		}
	})
}
