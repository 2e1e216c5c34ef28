package shim

import (
	"slices"
	"unicode/utf8"

	"github.com/prometheus/prometheus/promql/parser/posrange"
)

// positions converts the parser's UTF-8 byte offsets into UTF-16 code unit offsets, which is
// what JavaScript string indices are. ASCII input (the common case) needs no table.
type positions struct {
	input string
	ascii bool
	utf16 []int32 // utf16[byteOffset] unless ascii; its memory is reused from input to input
}

// reset prepares the conversion for input, in one pass over it (two if it is not ASCII).
func (p *positions) reset(input string) {
	p.input = input
	p.ascii = true
	for i := 0; i < len(input); i++ {
		if input[i] >= utf8.RuneSelf {
			p.ascii = false
			p.buildTable()
			return
		}
	}
}

func (p *positions) buildTable() {
	if cap(p.utf16) > maxRetained {
		p.utf16 = nil
	}
	input := p.input
	table := slices.Grow(p.utf16[:0], len(input)+1)[:len(input)+1]
	var unit int32
	for i := 0; i < len(input); {
		r, size := utf8.DecodeRuneInString(input[i:])
		for k := 0; k < size; k++ {
			table[i+k] = unit
		}
		if r >= 0x10000 {
			unit += 2
		} else {
			unit++
		}
		i += size
	}
	table[len(input)] = unit
	p.utf16 = table
}

// at clamps a byte offset into the input (error ranges can point past the end) and converts it.
func (p *positions) at(pos posrange.Pos) int64 {
	b := int(pos)
	if b < 0 {
		b = 0
	}
	if b > len(p.input) {
		b = len(p.input)
	}
	if p.ascii {
		return int64(b)
	}
	return int64(p.utf16[b])
}

// lineColumn gives the 1-based line and the 1-based column, counted in UTF-16 code units.
func (p *positions) lineColumn(pos posrange.Pos) (line, column int64) {
	b := int(pos)
	if b < 0 {
		b = 0
	}
	if b > len(p.input) {
		b = len(p.input)
	}
	line = 1
	lineStart := 0
	for i := 0; i < b; i++ {
		if p.input[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, p.at(posrange.Pos(b)) - p.at(posrange.Pos(lineStart)) + 1
}
