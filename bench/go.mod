module signup/bench

go 1.26

require github.com/maxence-charriere/go-app/v10 v10.1.11

require (
	github.com/google/uuid v1.6.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

replace (
	signup => ../
	signup/e2e => ../e2e
)
