package i18n

// PluralCategory returns the CLDR plural category of n in lang, for the
// catalogue languages: English and German (one, other), French (one for 0
// and 1, many for large round numbers, other), Arabic (zero, one, two, few,
// many, other). See https://cldr.unicode.org/index/cldr-spec/plural-rules.
func PluralCategory(lang string, n int) string {
	if n < 0 {
		n = -n
	}
	switch Primary(lang) {
	case "fr":
		switch {
		case n == 0 || n == 1:
			return "one"
		case n != 0 && n%1000000 == 0:
			return "many"
		}
		return "other"
	case "ar":
		switch m := n % 100; {
		case n == 0:
			return "zero"
		case n == 1:
			return "one"
		case n == 2:
			return "two"
		case m >= 3 && m <= 10:
			return "few"
		case m >= 11 && m <= 99:
			return "many"
		}
		return "other"
	}
	if n == 1 {
		return "one"
	}
	return "other"
}
