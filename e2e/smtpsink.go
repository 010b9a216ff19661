package e2e

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// SMTPSink is an SMTP server on loopback that accepts every message and
// keeps it, for a homeserver's verification emails. It speaks plain SMTP
// (no STARTTLS, no AUTH), as a homeserver configured with TLS off expects.
// It is built on github.com/emersion/go-smtp.
type SMTPSink struct {
	// Host and Port are where it listens: 127.0.0.1 and a free port.
	Host string
	Port int

	mu     sync.Mutex
	msgs   []Mail
	notify chan struct{}
}

// Mail is one message the sink received: the envelope and the raw
// message as sent (headers and body, RFC 5322).
type Mail struct {
	From string
	To   []string
	Raw  []byte
}

// StartSMTPSink starts an SMTPSink on a free loopback port; it stops when
// the test ends.
func StartSMTPSink(t testing.TB) *SMTPSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening for SMTP failed: %v", err)
	}
	sink := &SMTPSink{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, notify: make(chan struct{}, 1)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &sinkSession{sink: sink}, nil
	}))
	srv.Domain = "sink.localhost"
	srv.MaxMessageBytes = 1 << 20
	srv.MaxRecipients = 10
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.ErrorLog = testLogger{t}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return sink
}

// Messages returns the messages received so far, oldest first.
func (s *SMTPSink) Messages() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.msgs...)
}

// Wait returns the first message to address that arrives or has arrived,
// or an error after timeout.
func (s *SMTPSink) Wait(address string, timeout time.Duration) (Mail, error) {
	deadline := time.After(timeout)
	for {
		for _, m := range s.Messages() {
			for _, to := range m.To {
				if strings.EqualFold(to, address) {
					return m, nil
				}
			}
		}
		select {
		case <-s.notify:
		case <-deadline:
			return Mail{}, fmt.Errorf("no mail to %s came within %s", address, timeout)
		}
	}
}

func (s *SMTPSink) add(m Mail) {
	s.mu.Lock()
	s.msgs = append(s.msgs, m)
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// sinkSession is one SMTP conversation: the envelope of the message under
// way.
type sinkSession struct {
	sink *SMTPSink
	from string
	to   []string
}

func (ss *sinkSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *sinkSession) Logout() error { return nil }

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.sink.add(Mail{From: ss.from, To: append([]string(nil), ss.to...), Raw: raw})
	return nil
}

// testLogger sends the SMTP server's errors to the test log.
type testLogger struct{ t testing.TB }

func (l testLogger) Printf(format string, v ...any) { l.t.Logf("smtp sink: "+format, v...) }
func (l testLogger) Println(v ...any)               { l.t.Log(append([]any{"smtp sink:"}, v...)...) }

// MailText is a decoded message: its header and the text of each part
// (text/plain and text/html), with the transfer encoding undone.
type MailText struct {
	Header mail.Header
	Plain  string
	HTML   string
}

// Decode parses the raw message: a single text part or a multipart
// (alternative, mixed, nested) one, each part in base64, quoted-printable
// or plain 7/8 bit.
func (m Mail) Decode() (MailText, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		return MailText{}, fmt.Errorf("reading the mail failed: %w", err)
	}
	out := MailText{Header: msg.Header}
	err = decodePart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &out)
	return out, err
}

// decodePart decodes one MIME entity into out, recursing into multiparts.
func decodePart(contentType, encoding string, body io.Reader, out *MailText) error {
	if contentType == "" {
		contentType = "text/plain"
	}
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("reading the content type %q failed: %w", contentType, err)
	}
	if strings.HasPrefix(media, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("reading a part of the mail failed: %w", err)
			}
			if err := decodePart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, out); err != nil {
				return err
			}
		}
	}
	var rd io.Reader = body
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		rd = quotedprintable.NewReader(body)
	case "base64":
		rd = base64.NewDecoder(base64.StdEncoding, body) // ignores line breaks
	}
	text, err := io.ReadAll(rd)
	if err != nil {
		return fmt.Errorf("decoding a %s part of the mail failed: %w", media, err)
	}
	switch media {
	case "text/plain":
		out.Plain += string(text)
	case "text/html":
		out.HTML += string(text)
	}
	return nil
}

// linkPattern matches an http(s) URL in text, up to white space, a quote
// or an angle bracket.
var linkPattern = regexp.MustCompile(`https?://[^\s"'<>]+`)

// Links returns the URLs in the plain text part (or, without one, in the
// HTML part, with &amp; undone), in order.
func (mt MailText) Links() []string {
	text := mt.Plain
	if text == "" {
		text = strings.ReplaceAll(mt.HTML, "&amp;", "&")
	}
	return linkPattern.FindAllString(text, -1)
}
