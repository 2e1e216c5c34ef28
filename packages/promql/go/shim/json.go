package shim

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// writer appends JSON by hand: the AST is small and fixed-shape, and reflection-based
// encoding/json would cost both wasm size and parse throughput.
type writer struct {
	buf []byte
	// nonFinite records that a float was written as a string ("+Inf", "-Inf", "NaN"),
	// which JSON cannot hold as a number; the TypeScript side converts those back.
	nonFinite bool
}

// reset empties the buffer for the next call, keeping its memory unless an unusually large result
// grew it.
func (w *writer) reset() {
	if cap(w.buf) > maxRetained {
		w.buf = nil
	}
	w.buf = w.buf[:0]
	w.nonFinite = false
}

func (w *writer) raw(s string) { w.buf = append(w.buf, s...) }

func (w *writer) key(k string) {
	w.buf = append(w.buf, ',', '"')
	w.buf = append(w.buf, k...)
	w.buf = append(w.buf, '"', ':')
}

func (w *writer) int(v int64) { w.buf = strconv.AppendInt(w.buf, v, 10) }

func (w *writer) bool(v bool) { w.buf = strconv.AppendBool(w.buf, v) }

func (w *writer) float(v float64) {
	switch {
	case math.IsInf(v, 1):
		w.nonFinite = true
		w.raw(`"+Inf"`)
	case math.IsInf(v, -1):
		w.nonFinite = true
		w.raw(`"-Inf"`)
	case math.IsNaN(v):
		w.nonFinite = true
		w.raw(`"NaN"`)
	default:
		w.buf = strconv.AppendFloat(w.buf, v, 'g', -1, 64)
	}
}

const hexDigits = "0123456789abcdef"

// str writes a JSON string; invalid UTF-8 (possible after unquoting "\xff") becomes U+FFFD. Runs of
// bytes that need no escaping are copied at once.
func (w *writer) str(s string) {
	w.buf = append(w.buf, '"')
	run := 0 // start of the bytes not yet copied
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size - 1
				continue
			}
			w.buf = append(w.buf, s[run:i]...)
			w.raw(`\ufffd`)
		case c < 0x20:
			w.buf = append(w.buf, s[run:i]...)
			w.buf = append(w.buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		case c == '"' || c == '\\':
			w.buf = append(w.buf, s[run:i]...)
			w.buf = append(w.buf, '\\', c)
		default:
			continue
		}
		run = i + 1
	}
	w.buf = append(w.buf, s[run:]...)
	w.buf = append(w.buf, '"')
}

func (w *writer) strings(list []string) {
	w.buf = append(w.buf, '[')
	for i, s := range list {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.str(s)
	}
	w.buf = append(w.buf, ']')
}
