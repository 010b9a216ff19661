package webdriver

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/coder/websocket"
)

// bidiConn is a WebDriver BiDi connection: commands with ids, their
// results, and events (https://w3c.github.io/webdriver-bidi/#protocol).
type bidiConn struct {
	ws *websocket.Conn

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan bidiMessage
	onEvent func(method string, params json.RawMessage)
	broken  error // set when the read loop ends
	done    chan struct{}
}

// bidiMessage is any message of the remote end: a command's success or
// error, or an event.
type bidiMessage struct {
	Type    string          `json:"type"` // "success", "error" or "event"
	ID      *int            `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

// dialBiDi opens the BiDi WebSocket at url. onEvent, called from the read
// loop, receives every event.
func dialBiDi(ctx context.Context, url string, onEvent func(string, json.RawMessage)) (*bidiConn, error) {
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s failed: %w", url, err)
	}
	ws.SetReadLimit(64 << 20) // screenshots and large values
	c := &bidiConn{ws: ws, waiting: map[int]chan bidiMessage{}, onEvent: onEvent, done: make(chan struct{})}
	go c.readLoop()
	return c, nil
}

// readLoop hands results to their callers and events to onEvent, until
// the connection ends.
func (c *bidiConn) readLoop() {
	defer close(c.done)
	for {
		_, data, err := c.ws.Read(context.Background())
		if err != nil {
			c.mu.Lock()
			c.broken = fmt.Errorf("the BiDi connection ended: %w", err)
			for id, ch := range c.waiting {
				close(ch)
				delete(c.waiting, id)
			}
			c.mu.Unlock()
			return
		}
		var m bidiMessage
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		if m.Type == "event" {
			if c.onEvent != nil {
				c.onEvent(m.Method, m.Params)
			}
			continue
		}
		if m.ID == nil {
			continue
		}
		c.mu.Lock()
		ch := c.waiting[*m.ID]
		delete(c.waiting, *m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	}
}

// call sends a command and decodes its result into out (which may be nil).
func (c *bidiConn) call(ctx context.Context, method string, params any, out any) error {
	if params == nil {
		params = struct{}{}
	}
	c.mu.Lock()
	if c.broken != nil {
		c.mu.Unlock()
		return fmt.Errorf("%s failed: %w", method, c.broken)
	}
	c.nextID++
	id := c.nextID
	ch := make(chan bidiMessage, 1)
	c.waiting[id] = ch
	c.mu.Unlock()
	forget := func() { c.mu.Lock(); delete(c.waiting, id); c.mu.Unlock() }

	data, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		forget()
		return fmt.Errorf("encoding %s failed: %w", method, err)
	}
	if err := c.ws.Write(ctx, websocket.MessageText, data); err != nil {
		forget()
		return fmt.Errorf("sending %s failed: %w", method, err)
	}
	select {
	case <-ctx.Done():
		forget()
		return fmt.Errorf("%s failed: %w", method, ctx.Err())
	case m, ok := <-ch:
		if !ok {
			c.mu.Lock()
			err := c.broken
			c.mu.Unlock()
			return fmt.Errorf("%s failed: %w", method, err)
		}
		if m.Type == "error" {
			return fmt.Errorf("%s failed: %s: %s", method, m.Error, m.Message)
		}
		if out != nil {
			if err := json.Unmarshal(m.Result, out); err != nil {
				return fmt.Errorf("decoding the result of %s failed: %w", method, err)
			}
		}
		return nil
	}
}

// close closes the WebSocket.
func (c *bidiConn) close() {
	c.ws.Close(websocket.StatusNormalClosure, "")
}
