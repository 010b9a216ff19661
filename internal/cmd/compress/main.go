// Command compress writes FILE.br (brotli) and FILE.gz (gzip, best
// compression) beside each FILE given, so the server can send app.wasm
// precompressed. Usage: go run ./internal/cmd/compress [-q 11] web/app.wasm
//
// -q is brotli's quality, 0 to 11 (default 11, the smallest download).
// Quality 11 takes minutes for the 9 MB WASM on 2 cores; make build and
// make run use a fast quality, make static and make release 11 (see the
// Makefile for the measured times and sizes).
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/andybalholm/brotli"
)

func main() {
	quality := flag.Int("q", brotli.BestCompression, "brotli quality, 0 (fastest) to 11 (smallest)")
	flag.Parse()
	if *quality < 0 || *quality > 11 {
		fmt.Fprintln(os.Stderr, "compress: -q wants 0 to 11")
		os.Exit(2)
	}
	for _, name := range flag.Args() {
		if err := compress(name, *quality); err != nil {
			fmt.Fprintln(os.Stderr, "compress:", err)
			os.Exit(1)
		}
	}
}

func compress(name string, quality int) error {
	raw, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var br, gz bytes.Buffer
	bw := brotli.NewWriterLevel(&br, quality)
	gw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	for _, w := range []io.WriteCloser{bw, gw} {
		if _, err := w.Write(raw); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	if err := os.WriteFile(name+".br", br.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(name+".gz", gz.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d bytes, brotli q%d %d (%.1f%%), gzip %d (%.1f%%)\n", name, len(raw), quality,
		br.Len(), 100*float64(br.Len())/float64(len(raw)), gz.Len(), 100*float64(gz.Len())/float64(len(raw)))
	return nil
}
