// Package jsonlite parses JSON (RFC 8259) into generic values, without
// reflection. It is on the WASM's start-up path (the operator's config and
// the message catalogue are read before the form takes over): in the
// browser every function runs compiled lazily on its first call, and
// encoding/json's first call costs about 25 ms there, this package's under
// one. It accepts and rejects exactly what encoding/json does, and gives the
// same strings (a differential fuzz test checks both).
package jsonlite

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Number is a JSON number, kept as its text (like encoding/json's Number
// with UseNumber).
type Number string

// String returns the number's text.
func (n Number) String() string { return string(n) }

// Int64 returns the number as a whole number.
func (n Number) Int64() (int64, error) { return strconv.ParseInt(string(n), 10, 64) }

// maxDepth bounds the nesting of arrays and objects, as encoding/json does.
const maxDepth = 10000

// SyntaxError is a JSON syntax error with its place in the input.
type SyntaxError struct {
	// Offset is the byte offset of the problem.
	Offset int
	// Line and Column (1-based, column in bytes) locate it for a person.
	Line, Column int
	msg          string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return "line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Column) + ": " + e.msg
}

// Parse parses one JSON value, surrounded by optional white space, into
// map[string]any (objects; of duplicate keys the last wins), []any,
// string, Number, bool or nil.
func Parse(data []byte) (any, error) {
	p := &parser{data: data}
	p.space()
	v := p.value(0)
	if p.err == nil {
		p.space()
		if p.i < len(p.data) {
			p.fail("data after the value")
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	return v, nil
}

// StringMap parses a JSON object of strings (a message catalogue); another
// shape is a plain error, not a SyntaxError.
func StringMap(data []byte) (map[string]string, error) {
	v, err := Parse(data)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("want an object")
	}
	out := make(map[string]string, len(m))
	for k, e := range m {
		s, ok := e.(string)
		if !ok {
			return nil, errors.New(strconv.Quote(k) + ": want a string")
		}
		out[k] = s
	}
	return out, nil
}

type parser struct {
	data []byte
	i    int
	err  *SyntaxError
}

func (p *parser) fail(msg string) {
	if p.err != nil {
		return
	}
	line, col := 1, 1
	for _, b := range p.data[:min(p.i, len(p.data))] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	p.err = &SyntaxError{Offset: p.i, Line: line, Column: col, msg: msg}
}

// unexpected reports the byte at the current offset, or the end.
func (p *parser) unexpected(in string) {
	if p.i >= len(p.data) {
		p.fail("unexpected end of input" + in)
		return
	}
	p.fail("unexpected character " + strconv.QuoteRune(rune(p.data[p.i])) + in)
}

func (p *parser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) any {
	if p.i >= len(p.data) {
		p.unexpected("")
		return nil
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.str()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return p.literal("true", true)
	case c == 'f':
		return p.literal("false", false)
	case c == 'n':
		return p.literal("null", nil)
	}
	p.unexpected(" looking for a value")
	return nil
}

func (p *parser) literal(word string, v any) any {
	for j := 0; j < len(word); j++ {
		if p.i >= len(p.data) || p.data[p.i] != word[j] {
			p.unexpected(" in literal " + word)
			return nil
		}
		p.i++
	}
	return v
}

func (p *parser) object(depth int) any {
	if depth > maxDepth {
		p.fail("nested too deeply")
		return nil
	}
	p.i++ // {
	m := map[string]any{}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return m
	}
	for {
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			p.unexpected(" looking for the beginning of an object key")
			return nil
		}
		k := p.str()
		p.space()
		if p.err != nil || p.i >= len(p.data) || p.data[p.i] != ':' {
			p.unexpected(" after an object key")
			return nil
		}
		p.i++
		p.space()
		v := p.value(depth)
		if p.err != nil {
			return nil
		}
		m[k] = v
		p.space()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			p.space()
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			return m
		}
		p.unexpected(" after an object value")
		return nil
	}
}

func (p *parser) array(depth int) any {
	if depth > maxDepth {
		p.fail("nested too deeply")
		return nil
	}
	p.i++ // [
	a := []any{}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return a
	}
	for {
		v := p.value(depth)
		if p.err != nil {
			return nil
		}
		a = append(a, v)
		p.space()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			p.space()
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			return a
		}
		p.unexpected(" after an array element")
		return nil
	}
}

func (p *parser) digits() int {
	n := 0
	for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

func (p *parser) number() any {
	start := p.i
	if p.data[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.data) && p.data[p.i] == '0':
		p.i++
	case p.digits() == 0:
		p.unexpected(" in a number")
		return nil
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			p.unexpected(" after a decimal point")
			return nil
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			p.unexpected(" in an exponent")
			return nil
		}
	}
	return Number(p.data[start:p.i])
}

// str reads a string. Like encoding/json, it replaces invalid UTF-8 and
// unpaired surrogates (\ud800) with U+FFFD.
func (p *parser) str() string {
	p.i++ // "
	start := p.i
	// Fast path: no escapes, no control characters, valid UTF-8.
	for p.i < len(p.data) {
		c := p.data[p.i]
		if c == '"' {
			s := p.data[start:p.i]
			if utf8.Valid(s) {
				p.i++
				return string(s)
			}
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	p.i = start
	var b []byte
	for {
		if p.i >= len(p.data) {
			p.unexpected(" in a string")
			return ""
		}
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b)
		case c < 0x20:
			p.unexpected(" in a string")
			return ""
		case c == '\\':
			p.i++
			if p.i >= len(p.data) {
				p.unexpected(" in a string escape")
				return ""
			}
			e := p.data[p.i]
			p.i++
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return ""
				}
				if utf16.IsSurrogate(r) {
					if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
						save := p.i
						p.i += 2
						r2, ok := p.hex4()
						if !ok {
							return ""
						}
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							b = utf8.AppendRune(b, d)
							continue
						}
						p.i = save
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
			default:
				p.i--
				p.unexpected(" in a string escape")
				return ""
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.i++
		default:
			r, n := utf8.DecodeRune(p.data[p.i:])
			p.i += n
			b = utf8.AppendRune(b, r)
		}
	}
}

// hex4 reads the 4 hex digits of a \u escape.
func (p *parser) hex4() (rune, bool) {
	var r rune
	for j := 0; j < 4; j++ {
		if p.i >= len(p.data) {
			p.unexpected(" in a \\u escape")
			return 0, false
		}
		c := p.data[p.i]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			p.unexpected(" in a \\u escape")
			return 0, false
		}
		r = r<<4 | rune(c)
		p.i++
	}
	return r, true
}
