// Package loadgen is a small, bounded HTTP load generator for the widget's
// server on loopback: a fixed number of concurrent clients send GET
// requests to one URL until a request count or a duration is reached,
// whichever comes first, then stop by themselves. It reports requests/s,
// latency percentiles, bytes and errors. The benchmark (make bench) and the
// server's load test use it.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Hard limits, whatever the config says, so that a run always ends.
const (
	MaxConcurrency = 1024
	MaxDuration    = 5 * time.Minute
	MaxRequests    = 10_000_000
)

// Config is one load run against one URL.
type Config struct {
	// URL is the target; it must be on this machine (loopback).
	URL string
	// Header is sent with every request, for example Accept-Encoding.
	// Without an Accept-Encoding the client asks for identity, so that it
	// never decompresses: Bytes are the bytes on the wire.
	Header http.Header
	// Concurrency is the number of clients, each with at most one request
	// in flight. Default 16.
	Concurrency int
	// Requests stops the run after this many requests (0: no count limit).
	Requests int
	// Duration stops the run after this long (0: no time limit). At least
	// one of Requests and Duration must be set.
	Duration time.Duration
	// Timeout bounds each request. Default 30s.
	Timeout time.Duration
	// WantStatus is the status that counts as a success. Default 200.
	WantStatus int
}

// Result is what a run measured.
type Result struct {
	Requests int           // requests completed, errors included
	Errors   int           // transport errors, unexpected statuses, short bodies
	Status   map[int]int   // responses by status code
	Bytes    int64         // body bytes received
	Elapsed  time.Duration // from the first request to the last answer
	// FirstError describes the first error, if any.
	FirstError error
	// Latencies are the durations of the successful requests, from
	// sending to the end of the body, in increasing order.
	Latencies []time.Duration
}

// RPS is the rate of completed requests.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Percentile returns the latency below which a fraction p (0..1) of the
// successful requests fell (nearest rank), or 0 without any.
func (r Result) Percentile(p float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 {
		return 0
	}
	i := int(p*float64(n)+0.999999) - 1
	return r.Latencies[min(max(i, 0), n-1)]
}

// String is a one-line summary.
func (r Result) String() string {
	return fmt.Sprintf("%d requests in %v (%.0f/s), %d errors, p50 %v, p99 %v, %d body bytes",
		r.Requests, r.Elapsed.Round(time.Millisecond), r.RPS(), r.Errors,
		r.Percentile(0.50), r.Percentile(0.99), r.Bytes)
}

// Run sends the load and returns when the request count or the duration is
// reached, or ctx ends, and every client has stopped. Its connections are
// closed when it returns, so it leaves no goroutine behind.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.URL == "" {
		return Result{}, errors.New("loadgen: no URL")
	}
	if cfg.Requests <= 0 && cfg.Duration <= 0 {
		return Result{}, errors.New("loadgen: unbounded run: set Requests or Duration")
	}
	if cfg.Requests <= 0 || cfg.Requests > MaxRequests {
		cfg.Requests = MaxRequests
	}
	if cfg.Duration <= 0 || cfg.Duration > MaxDuration {
		cfg.Duration = MaxDuration
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 16
	}
	cfg.Concurrency = min(cfg.Concurrency, MaxConcurrency, cfg.Requests)
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.WantStatus == 0 {
		cfg.WantStatus = http.StatusOK
	}
	// Check the URL once, so that a typo is an error and not a run of
	// failures.
	if _, err := http.NewRequest(http.MethodGet, cfg.URL, nil); err != nil {
		return Result{}, fmt.Errorf("loadgen: %w", err)
	}

	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        cfg.Concurrency,
		MaxIdleConnsPerHost: cfg.Concurrency,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: cfg.Timeout}

	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()

	var (
		issued atomic.Int64
		mu     sync.Mutex
		res    = Result{Status: map[int]int{}}
		wg     sync.WaitGroup
	)
	start := time.Now()
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 256)
			status := map[int]int{}
			var n, errs int
			var bytes int64
			var firstErr error
			for ctx.Err() == nil && issued.Add(1) <= int64(cfg.Requests) {
				t0 := time.Now()
				code, size, err := get(ctx, client, cfg)
				if ctx.Err() != nil && err != nil {
					break // stopped by the duration: not a server error
				}
				n++
				bytes += size
				if code != 0 {
					status[code]++
				}
				if err == nil && code != cfg.WantStatus {
					err = fmt.Errorf("GET %s: status %d, want %d", cfg.URL, code, cfg.WantStatus)
				}
				if err != nil {
					errs++
					if firstErr == nil {
						firstErr = err
					}
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			defer mu.Unlock()
			res.Requests += n
			res.Errors += errs
			res.Bytes += bytes
			res.Latencies = append(res.Latencies, lat...)
			for k, v := range status {
				res.Status[k] += v
			}
			if res.FirstError == nil {
				res.FirstError = firstErr
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	slices.Sort(res.Latencies)
	return res, nil
}

// get sends one request and reads the whole body.
func get(ctx context.Context, client *http.Client, cfg Config) (int, int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.URL, nil)
	if err != nil {
		return 0, 0, err
	}
	for k, v := range cfg.Header {
		req.Header[k] = v
	}
	if req.Header.Get("Accept-Encoding") == "" {
		req.Header.Set("Accept-Encoding", "identity")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.ContentLength >= 0 && n != resp.ContentLength {
		err = fmt.Errorf("GET %s: body %d bytes, Content-Length %d", cfg.URL, n, resp.ContentLength)
	}
	return resp.StatusCode, n, err
}
