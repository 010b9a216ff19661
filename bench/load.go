package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"signup/internal/loadgen"
)

// Server load: bounded runs of internal/loadgen against the widget's own
// address (not through the proxy), as a browser asks (Accept-Encoding:
// br, gzip), with the server's peak RSS (VmHWM, reset before each run).
const (
	loadClients  = 64
	loadDuration = 2 * time.Second
	loadRequests = 50_000
)

type loadFigures struct {
	rps, p50, p99, peak []float64
	errors, requests    int
	firstErr            error
}

func serverLoad(s *server, path string, runs int) loadFigures {
	var f loadFigures
	for range runs {
		s.resetPeakRSS()
		res, err := loadgen.Run(context.Background(), loadgen.Config{
			URL:         s.direct() + path,
			Header:      http.Header{"Accept-Encoding": {"br, gzip"}},
			Concurrency: loadClients,
			Requests:    loadRequests,
			Duration:    loadDuration,
		})
		if err != nil {
			f.firstErr = err
			continue
		}
		fmt.Fprintf(os.Stderr, "bench:   GET %s: %s\n", path, res)
		f.rps = append(f.rps, res.RPS())
		f.p50 = append(f.p50, ms(res.Percentile(0.50)))
		f.p99 = append(f.p99, ms(res.Percentile(0.99)))
		f.peak = append(f.peak, s.peakRSS())
		f.errors += res.Errors
		f.requests += res.Requests
		if f.firstErr == nil {
			f.firstErr = res.FirstError
		}
	}
	return f
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// served fetches path once with the given Accept-Encoding and returns the
// body bytes as sent and the Content-Encoding.
func served(s *server, path, accept string) (int64, string, error) {
	req, _ := http.NewRequest(http.MethodGet, s.direct()+path, nil)
	req.Header.Set("Accept-Encoding", accept)
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	return n, resp.Header.Get("Content-Encoding"), err
}
