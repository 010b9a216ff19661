// Command compress writes FILE.br (brotli, best quality) and FILE.gz (gzip,
// best compression) beside each FILE given, so the server can send
// app.wasm precompressed. Usage: go run ./internal/cmd/compress web/app.wasm
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"

	"github.com/andybalholm/brotli"
)

func main() {
	for _, name := range os.Args[1:] {
		if err := compress(name); err != nil {
			fmt.Fprintln(os.Stderr, "compress:", err)
			os.Exit(1)
		}
	}
}

func compress(name string) error {
	raw, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var br, gz bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
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
	fmt.Printf("%s: %d bytes, brotli %d (%.1f%%), gzip %d (%.1f%%)\n", name, len(raw),
		br.Len(), 100*float64(br.Len())/float64(len(raw)), gz.Len(), 100*float64(gz.Len())/float64(len(raw)))
	return nil
}
