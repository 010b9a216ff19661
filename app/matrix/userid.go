package matrix

import (
	"errors"
	"strings"
)

// UserID is a parsed Matrix user ID, @localpart:server_name. See
// https://spec.matrix.org/v1.16/appendices/#user-identifiers.
type UserID struct {
	Localpart  string
	ServerName string
}

// String returns the full ID.
func (u UserID) String() string { return "@" + u.Localpart + ":" + u.ServerName }

// MaxUserIDLength is the limit on a full user ID, in bytes.
const MaxUserIDLength = 255

// ParseUserID parses a full user ID as a server returned it. It accepts the
// historical (wider) localpart grammar, but not control characters, and
// bounds the length.
func ParseUserID(s string) (UserID, error) {
	if len(s) > MaxUserIDLength {
		return UserID{}, errors.New("user ID longer than 255 bytes")
	}
	if !strings.HasPrefix(s, "@") {
		return UserID{}, errors.New("user ID does not start with @")
	}
	local, server, ok := strings.Cut(s[1:], ":")
	if !ok || local == "" || server == "" {
		return UserID{}, errors.New("user ID is not @localpart:server")
	}
	for _, r := range s {
		if r < 0x21 || r == 0x7f {
			return UserID{}, errors.New("user ID has a space or control character")
		}
	}
	return UserID{Localpart: local, ServerName: server}, nil
}
