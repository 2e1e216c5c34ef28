// Package shim parses PromQL with the upstream Prometheus parser and renders the result as the JSON
// the @o11y/promql TypeScript types describe. The wasm program and the native oracle share it, so the
// fidelity test compares byte-identical output.
package shim

import (
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/promql/parser/posrange"
)

// Option bits, mirrored by ParserOptions in src/wasm.ts.
const (
	ExperimentalFunctions  = 1 << 0
	DurationExpressions    = 1 << 1
	ExtendedRangeSelectors = 1 << 2
	BinopFillModifiers     = 1 << 3
	optionCombinations     = 1 << 4
)

var parsers [optionCombinations]parser.Parser

// ParserFor is the upstream parser with the options the bits of flags enable, made once per combination.
func ParserFor(flags int) parser.Parser {
	flags &= optionCombinations - 1
	if parsers[flags] == nil {
		parsers[flags] = parser.NewParser(parser.Options{
			EnableExperimentalFunctions:  flags&ExperimentalFunctions != 0,
			ExperimentalDurationExpr:     flags&DurationExpressions != 0,
			EnableExtendedRangeSelectors: flags&ExtendedRangeSelectors != 0,
			EnableBinopFillModifiers:     flags&BinopFillModifiers != 0,
		})
	}
	return parsers[flags]
}

// Renderer parses and renders JSON into buffers it keeps between calls, so that a call allocates
// nothing beyond what the upstream parser itself does: in wasm every allocated byte brings the next
// stop-the-world collection closer. The JSON a call returns is valid until the next call. Not safe for
// concurrent use; the wasm instance and the native oracle each use one from a single goroutine.
type Renderer struct {
	w   writer
	pos positions
}

// maxRetained bounds the buffers a Renderer keeps after an unusually large input.
const maxRetained = 1 << 20

// Parse returns `{"ok":true,"type":…,"expr":…}` or `{"ok":false,"errors":[…]}`.
func (r *Renderer) Parse(input string, flags int) []byte {
	return r.guarded(input, func(w *writer, pos *positions) {
		expr, err := ParserFor(flags).ParseExpr(input)
		if err != nil {
			writeErrors(w, pos, err)
			return
		}
		w.raw(`{"ok":true,"type":`)
		w.str(string(expr.Type()))
		w.raw(`,"expr":`)
		writeNode(w, pos, expr)
		w.raw("}")
	})
}

// Check returns `{"ok":true}` or the errors Parse would return: validity alone, without rendering the
// tree (a build's check of every rule and query before promtool reads nothing else).
func (r *Renderer) Check(input string, flags int) []byte {
	return r.guarded(input, func(w *writer, pos *positions) {
		if _, err := ParserFor(flags).ParseExpr(input); err != nil {
			writeErrors(w, pos, err)
			return
		}
		w.raw(`{"ok":true}`)
	})
}

// Prettify returns `{"ok":true,"text":…}` with upstream's prettified form, or the parse errors.
func (r *Renderer) Prettify(input string, flags int) []byte {
	return r.guarded(input, func(w *writer, pos *positions) {
		expr, err := ParserFor(flags).ParseExpr(input)
		if err != nil {
			writeErrors(w, pos, err)
			return
		}
		w.raw(`{"ok":true,"text":`)
		w.str(parser.Prettify(expr))
		w.raw("}")
	})
}

// guarded turns a panic anywhere in parsing or rendering into a positioned error, so no input can
// take the wasm instance down. The flag for non-finite numbers is appended last.
func (r *Renderer) guarded(input string, render func(*writer, *positions)) (out []byte) {
	w, pos := &r.w, &r.pos
	w.reset()
	pos.reset(input)
	defer func() {
		if recovered := recover(); recovered != nil {
			w.reset()
			writeErrors(w, pos, fmt.Errorf("internal error in the PromQL binding: %v", recovered))
			out = w.buf
		}
	}()
	render(w, pos)
	if w.nonFinite {
		w.buf = w.buf[:len(w.buf)-1]
		w.raw(`,"nonFinite":true}`)
	}
	return w.buf
}

func writeErrors(w *writer, pos *positions, err error) {
	var list parser.ParseErrors
	if !errors.As(err, &list) {
		var single *parser.ParseErr
		if errors.As(err, &single) {
			list = parser.ParseErrors{*single}
		} else {
			// Not positioned by the parser (e.g. a recovered runtime panic): blame the whole input.
			list = parser.ParseErrors{{PositionRange: posrange.PositionRange{Start: 0, End: posrange.Pos(len(pos.input))}, Err: err}}
		}
	}
	w.raw(`{"ok":false,"errors":[`)
	for i, e := range list {
		if i > 0 {
			w.raw(",")
		}
		line, column := pos.lineColumn(e.PositionRange.Start)
		start, end := pos.at(e.PositionRange.Start), pos.at(e.PositionRange.End)
		if end < start {
			end = start
		}
		w.raw(`{"message":`)
		w.str(e.Err.Error())
		w.key("start")
		w.int(start)
		w.key("end")
		w.int(end)
		w.key("line")
		w.int(line)
		w.key("column")
		w.int(column)
		w.raw("}")
	}
	w.raw("]}")
}

func millis(d time.Duration) int64 { return d.Milliseconds() }

func writeHead(w *writer, pos *positions, kind string, node parser.Expr) {
	r := node.PositionRange()
	w.raw(`{"type":"`)
	w.raw(kind)
	w.raw(`","start":`)
	w.int(pos.at(r.Start))
	w.key("end")
	w.int(pos.at(r.End))
	w.key("valueType")
	w.str(string(node.Type()))
}

func writeNode(w *writer, pos *positions, node parser.Expr) {
	switch n := node.(type) {
	case *parser.AggregateExpr:
		writeHead(w, pos, "Aggregate", n)
		w.key("op")
		w.str(n.Op.String())
		w.key("expr")
		writeNode(w, pos, n.Expr)
		if n.Param != nil {
			w.key("param")
			writeNode(w, pos, n.Param)
		}
		w.key("grouping")
		w.strings(n.Grouping)
		w.key("without")
		w.bool(n.Without)
	case *parser.BinaryExpr:
		writeHead(w, pos, "Binary", n)
		writeOperands(w, pos, n.Op, n.LHS, n.RHS)
		w.key("bool")
		w.bool(n.ReturnBool)
		if m := n.VectorMatching; m != nil {
			writeMatching(w, m)
		}
	case *parser.Call:
		writeHead(w, pos, "Call", n)
		writeCall(w, pos, n.Func.Name, n.Args)
	case *parser.DurationExpr:
		writeDuration(w, pos, n)
	case *parser.MatrixSelector:
		writeHead(w, pos, "MatrixSelector", n)
		w.key("selector")
		writeNode(w, pos, n.VectorSelector)
		writeDurationField(w, pos, "range", "rangeExpr", n.Range, n.RangeExpr)
	case *parser.NumberLiteral:
		writeHead(w, pos, "Number", n)
		w.key("value")
		w.float(n.Val)
		if n.Duration {
			w.raw(`,"duration":true`)
		}
	case *parser.ParenExpr:
		writeHead(w, pos, "Paren", n)
		w.key("expr")
		writeNode(w, pos, n.Expr)
	case *parser.StepInvariantExpr:
		// Only the engine wraps nodes in this; render what it wraps.
		writeNode(w, pos, n.Expr)
		return
	case *parser.StringLiteral:
		writeHead(w, pos, "String", n)
		w.key("value")
		w.str(n.Val)
	case *parser.SubqueryExpr:
		writeHead(w, pos, "Subquery", n)
		w.key("expr")
		writeNode(w, pos, n.Expr)
		writeDurationField(w, pos, "range", "rangeExpr", n.Range, n.RangeExpr)
		if n.Step != 0 || n.StepExpr != nil {
			writeDurationField(w, pos, "step", "stepExpr", n.Step, n.StepExpr)
		}
		writeOffsetAndAt(w, pos, n.OriginalOffset, n.OriginalOffsetExpr, n.Timestamp, n.StartOrEnd)
	case *parser.UnaryExpr:
		writeHead(w, pos, "Unary", n)
		w.key("op")
		w.str(n.Op.String())
		w.key("expr")
		writeNode(w, pos, n.Expr)
	case *parser.VectorSelector:
		writeHead(w, pos, "VectorSelector", n)
		w.key("name")
		w.str(n.Name)
		w.key("matchers")
		writeMatchers(w, n.LabelMatchers)
		writeOffsetAndAt(w, pos, n.OriginalOffset, n.OriginalOffsetExpr, n.Timestamp, n.StartOrEnd)
		if n.Anchored {
			w.raw(`,"anchored":true`)
		}
		if n.Smoothed {
			w.raw(`,"smoothed":true`)
		}
	default:
		panic(fmt.Sprintf("unknown PromQL node %T", node))
	}
	w.raw("}")
}

func writeMatchers(w *writer, matchers []*labels.Matcher) {
	w.raw("[")
	for i, m := range matchers {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"name":`)
		w.str(m.Name)
		w.key("op")
		w.str(m.Type.String())
		w.key("value")
		w.str(m.Value)
		w.raw("}")
	}
	w.raw("]")
}

func writeMatching(w *writer, m *parser.VectorMatching) {
	w.raw(`,"matching":{"cardinality":`)
	w.str(m.Card.String())
	w.key("on")
	w.bool(m.On)
	w.key("labels")
	w.strings(m.MatchingLabels)
	w.key("include")
	w.strings(m.Include)
	if m.FillValues.LHS != nil || m.FillValues.RHS != nil {
		w.raw(`,"fill":{`)
		sep := ""
		if m.FillValues.LHS != nil {
			w.raw(`"lhs":`)
			w.float(*m.FillValues.LHS)
			sep = ","
		}
		if m.FillValues.RHS != nil {
			w.raw(sep + `"rhs":`)
			w.float(*m.FillValues.RHS)
		}
		w.raw("}")
	}
	w.raw("}")
}

// writeDurationField writes `"range":ms` for a literal, `"rangeExpr":{…}` for a duration expression.
func writeDurationField(w *writer, pos *positions, name, exprName string, literal time.Duration, expr *parser.DurationExpr) {
	if expr != nil {
		w.key(exprName)
		writeNode(w, pos, expr)
		return
	}
	w.key(name)
	w.int(millis(literal))
}

func writeOffsetAndAt(w *writer, pos *positions, offset time.Duration, offsetExpr *parser.DurationExpr, at *int64, startOrEnd parser.ItemType) {
	if offset != 0 || offsetExpr != nil {
		writeDurationField(w, pos, "offset", "offsetExpr", offset, offsetExpr)
	}
	switch {
	case at != nil:
		w.key("at")
		w.int(*at)
	case startOrEnd == parser.START:
		w.raw(`,"at":"start"`)
	case startOrEnd == parser.END:
		w.raw(`,"at":"end"`)
	}
}

// writeDuration splits upstream's single DurationExpr into call, unary and binary forms.
func writeDuration(w *writer, pos *positions, n *parser.DurationExpr) {
	switch {
	case n.Op == parser.STEP || n.Op == parser.RANGE || n.Op == parser.MIN_OF || n.Op == parser.MAX_OF:
		writeHead(w, pos, "DurationCall", n)
		var args []parser.Expr
		if n.LHS != nil {
			args = []parser.Expr{n.LHS, n.RHS}
		}
		writeCall(w, pos, n.Op.String(), args)
	case n.LHS == nil:
		writeHead(w, pos, "DurationUnary", n)
		w.key("op")
		w.str(n.Op.String())
		w.key("expr")
		writeNode(w, pos, n.RHS)
	default:
		writeHead(w, pos, "DurationBinary", n)
		writeOperands(w, pos, n.Op, n.LHS, n.RHS)
	}
	w.key("wrapped")
	w.bool(n.Wrapped)
}

func writeOperands(w *writer, pos *positions, op parser.ItemType, lhs, rhs parser.Expr) {
	w.key("op")
	w.str(op.String())
	w.key("lhs")
	writeNode(w, pos, lhs)
	w.key("rhs")
	writeNode(w, pos, rhs)
}

func writeCall(w *writer, pos *positions, name string, args []parser.Expr) {
	w.key("func")
	w.str(name)
	w.key("args")
	w.raw("[")
	for i, arg := range args {
		if i > 0 {
			w.raw(",")
		}
		writeNode(w, pos, arg)
	}
	w.raw("]")
}
