package ui

import (
	"signup/app/matrix"
	"signup/app/registration"
)

// settings is what the engine needs to know of the deployment.
func (c Config) settings(langs []string) registration.Settings {
	return registration.Settings{
		Homeserver:      matrix.Homeserver{BaseURL: c.HomeserverURL, ServerName: c.ServerName, Auth: c.AuthPath},
		Operator:        c.Operator,
		Languages:       langs,
		RequestTimeout:  c.RequestTimeout,
		DeviceName:      c.DeviceName(),
		RecaptchaScript: c.RecaptchaScript(),
	}
}
