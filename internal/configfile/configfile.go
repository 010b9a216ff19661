// Package configfile reads the operator's config file, JSON or YAML, for
// the server. It reports problems with the file name and each field's path.
package configfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"signup/app/config"
)

// Load reads and checks the config at path: YAML for .yaml/.yml, JSON
// otherwise.
func Load(path string) (*config.Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, config.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c, err := Parse(data, filepath.Ext(path))
	if err != nil {
		return nil, prefix(path, err)
	}
	return c, nil
}

// Parse checks config data; ext (".yaml", ".yml" or anything else for
// JSON) picks the syntax.
func Parse(data []byte, ext string) (*config.Config, error) {
	switch strings.ToLower(ext) {
	case ".yaml", ".yml":
		if len(data) > config.MaxSize {
			return nil, config.Errors{{Problem: "the file is larger than 1 MiB"}}
		}
		var raw any
		dec := yaml.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(&raw); err != nil {
			return nil, config.Errors{{Problem: "not valid YAML: " + err.Error()}}
		}
		v, err := normalize(raw, 0)
		if err != nil {
			return nil, config.Errors{{Problem: err.Error()}}
		}
		return config.FromValue(v)
	}
	return config.Parse(data)
}

// normalize turns YAML's values into JSON's (string keys only).
func normalize(v any, depth int) (any, error) {
	if depth > 32 {
		return nil, errors.New("the config is nested too deeply")
	}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			n, err := normalize(e, depth+1)
			if err != nil {
				return nil, err
			}
			v[k] = n
		}
		return v, nil
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			ks, ok := k.(string)
			if !ok {
				return nil, fmt.Errorf("the key %v is not a string", k)
			}
			n, err := normalize(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[ks] = n
		}
		return out, nil
	case []any:
		for i, e := range v {
			n, err := normalize(e, depth+1)
			if err != nil {
				return nil, err
			}
			v[i] = n
		}
		return v, nil
	}
	return v, nil
}

// prefix puts the file name before each problem.
func prefix(path string, err error) error {
	var es config.Errors
	if errors.As(err, &es) {
		lines := make([]string, len(es))
		for i, e := range es {
			lines[i] = path + ": " + e.Error()
		}
		return errors.New(strings.Join(lines, "\n"))
	}
	return fmt.Errorf("%s: %w", path, err)
}
