// Command icons draws the widget's PNG icons (192, 512 and a maskable 512)
// from the same design as web/icon.svg: a rounded indigo square with the
// Matrix brackets and a plus. Run from the repo root: go run ./internal/cmd/icons
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
)

var (
	indigo = color.RGBA{0x4f, 0x46, 0xe5, 0xff}
	white  = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

func main() {
	for _, ic := range []struct {
		name     string
		size     int
		maskable bool
	}{{"web/icon-192.png", 192, false}, {"web/icon-512.png", 512, false}, {"web/icon-maskable.png", 512, true}} {
		if err := write(ic.name, draw(ic.size, ic.maskable)); err != nil {
			log.Fatal(err)
		}
	}
}

// draw renders the 64-unit design at size pixels. A maskable icon fills the
// whole square and keeps the glyph in the central safe zone.
func draw(size int, maskable bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	u := float64(size) / 64
	radius := 14.0
	glyph := func(x, y float64) (float64, float64) { return x, y }
	if maskable {
		radius = 0
		// Shrink the glyph to 70 % around the centre.
		glyph = func(x, y float64) (float64, float64) { return 32 + (x-32)/0.7, 32 + (y-32)/0.7 }
	}
	rects := [][4]float64{{14, 16, 20, 48}, {44, 16, 50, 48}, {29, 24, 35, 40}, {24, 29, 40, 35}}
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			x, y := (float64(px)+.5)/u, (float64(py)+.5)/u
			if !inRounded(x, y, radius) {
				continue
			}
			c := indigo
			gx, gy := glyph(x, y)
			for _, r := range rects {
				if gx >= r[0] && gx < r[2] && gy >= r[1] && gy < r[3] {
					c = white
				}
			}
			img.SetRGBA(px, py, c)
		}
	}
	return img
}

func inRounded(x, y, r float64) bool {
	cx, cy := x, y
	switch {
	case x < r:
		cx = r
	case x > 64-r:
		cx = 64 - r
	}
	switch {
	case y < r:
		cy = r
	case y > 64-r:
		cy = 64 - r
	}
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r*r
}

func write(name string, img image.Image) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
