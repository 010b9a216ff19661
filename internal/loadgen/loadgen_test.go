package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunStopsAtTheRequestCount(t *testing.T) {
	var served atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		if got := r.Header.Get("Accept-Encoding"); got != "identity" {
			t.Errorf("Accept-Encoding %q, want identity by default", got)
		}
		w.Write([]byte("hello"))
	}))
	defer ts.Close()
	res, err := Run(context.Background(), Config{URL: ts.URL, Concurrency: 8, Requests: 100, Duration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 100 || served.Load() != 100 || res.Errors != 0 || res.Status[200] != 100 || res.Bytes != 500 {
		t.Errorf("result %s, status %v; server saw %d", res, res.Status, served.Load())
	}
	if len(res.Latencies) != 100 || res.Percentile(0.5) <= 0 || res.Percentile(0.99) < res.Percentile(0.5) {
		t.Errorf("latencies: %d, p50 %v, p99 %v", len(res.Latencies), res.Percentile(0.5), res.Percentile(0.99))
	}
}

func TestRunStopsAtTheDuration(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond)
	}))
	defer ts.Close()
	res, err := Run(context.Background(), Config{URL: ts.URL, Concurrency: 4, Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors != 0 {
		t.Errorf("result %s (%v)", res, res.FirstError)
	}
	if res.Requests >= MaxRequests {
		t.Errorf("the duration did not stop the run: %s", res)
	}
}

func TestRunCountsErrors(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusServiceUnavailable)
	}))
	defer ts.Close()
	res, err := Run(context.Background(), Config{URL: ts.URL, Concurrency: 2, Requests: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 10 || res.Errors != 10 || res.Status[503] != 10 || res.FirstError == nil || !strings.Contains(res.FirstError.Error(), "503") {
		t.Errorf("result %s, status %v, first error %v", res, res.Status, res.FirstError)
	}
}

func TestRunRefusesAnUnboundedRun(t *testing.T) {
	if _, err := Run(context.Background(), Config{URL: "http://127.0.0.1:1/"}); err == nil {
		t.Error("a run without Requests nor Duration was accepted")
	}
}
