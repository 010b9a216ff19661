package strength

import "testing"

func TestEstimate(t *testing.T) {
	for _, tc := range []struct {
		name, password, user string
		max, min             int
		advice               Advice
	}{
		{"an empty password is very weak", "", "", 0, 0, TooShort},
		{"a short password is weak whatever its characters", "aB3$x", "", 1, 0, TooShort},
		{"a common password with digits is weak", "password123", "", 1, 0, Common},
		{"the username inside the password is weak", "alice2026!", "alice", 2, 0, HasName},
		{"a keyboard sequence is weak", "abcdefgh12", "", 1, 0, Sequence},
		{"a repeated character is weak", "aaaaaaaaaa", "", 1, 0, Repeated},
		{"one kind of character, short, asks for more kinds", "zebracomet", "", 2, 0, MoreKinds},
		{"a long passphrase is strong", "correct horse battery staple", "", 4, 3, ""},
		{"a long mixed password is strong", "Tr0ub4dor&3-xkcd-Vq9", "", 4, 3, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Estimate(tc.password, tc.user)
			if r.Score > tc.max || r.Score < tc.min {
				t.Errorf("score %d, want %d..%d (%+v)", r.Score, tc.min, tc.max, r)
			}
			if tc.advice != "" && (len(r.Advice) == 0 || r.Advice[0] != tc.advice) {
				t.Errorf("advice %v, want %s first", r.Advice, tc.advice)
			}
			if tc.advice == "" && r.Score >= 3 && len(r.Advice) != 0 {
				t.Errorf("a strong password got advice %v", r.Advice)
			}
		})
	}
	t.Run("a password under MinLength never scores above 1, as the server would refuse it", func(t *testing.T) {
		if r := Estimate("Zq9!x7%", ""); r.Score > 1 {
			t.Errorf("score %d", r.Score)
		}
	})
}
