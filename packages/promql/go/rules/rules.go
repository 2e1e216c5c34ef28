// Package rules validates a Prometheus rule file with upstream's own rulefmt.Parse, exactly as the
// pinned `promtool check rules` does (strict fields, durations, PromQL, label names, Go templates),
// and renders the errors as JSON with the line and column each one names.
package rules

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"go.yaml.in/yaml/v3"

	"github.com/o11y/promql-wasm/shim"
)

// Problem is one error promtool would print, with the position it names (0 when it names none).
type Problem struct {
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	// Group and Rule (1-based) locate errors about one rule that name no position.
	Group string `json:"group,omitempty"`
	Rule  int    `json:"rule,omitempty"`
}

// promtool's second-document warning goes to its logger; a linter reports documents itself.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// SkipExpressions, a bit above the parser's options, validates everything but the PromQL of each
// `expr`, for callers that parse every expression with the same parser themselves (lint does): the
// expressions are about a tenth of the validation.
const SkipExpressions = 1 << 8

// acceptingParser accepts every expression; rulefmt only reads ParseExpr's error.
type acceptingParser struct{ parser.Parser }

func (acceptingParser) ParseExpr(string) (parser.Expr, error) { return nil, nil }

// Validate returns `{"problems":[…]}` for the rule file `content`.
func Validate(content []byte, flags int) []byte {
	// The parser options are the PromQL shim's bits (src/wasm.ts, optionFlags).
	var p parser.Parser = shim.ParserFor(flags)
	if flags&SkipExpressions != 0 {
		p = acceptingParser{p}
	}
	_, errs := rulefmt.Parse(content, false, model.UTF8Validation, p, quiet)
	// rulefmt decodes the file twice (values, then nodes for positions), so a YAML error comes twice,
	// once per target type: keep the first of each line (or of each message, when it names no line).
	problems := []Problem{}
	seen := map[string]bool{}
	for _, err := range errs {
		for _, problem := range describe(err) {
			key := problem.Message
			if problem.Line > 0 && problem.Group == "" {
				key = strconv.Itoa(problem.Line)
			}
			if !seen[key] {
				seen[key] = true
				problems = append(problems, problem)
			}
		}
	}
	out, _ := json.Marshal(struct {
		Problems []Problem `json:"problems"`
	}{problems})
	return out
}

func describe(err error) []Problem {
	var ruleErr *rulefmt.Error
	if errors.As(err, &ruleErr) {
		line, column, message := position(ruleErr.Err.Error())
		return []Problem{{Message: message, Line: line, Column: column, Group: ruleErr.Group, Rule: ruleErr.Rule}}
	}
	var typeErr *yaml.TypeError
	if errors.As(err, &typeErr) {
		problems := make([]Problem, 0, len(typeErr.Errors))
		for _, text := range typeErr.Errors {
			problems = append(problems, yamlProblem(text))
		}
		return problems
	}
	if text, ok := strings.CutPrefix(err.Error(), "yaml: "); ok {
		return []Problem{yamlProblem(text)}
	}
	line, column, message := position(err.Error())
	return []Problem{{Message: message, Line: line, Column: column}}
}

// yamlProblem reads yaml.v3's "line N: message".
func yamlProblem(text string) Problem {
	if rest, ok := strings.CutPrefix(text, "line "); ok {
		if number, message, ok := strings.Cut(rest, ": "); ok {
			if line, err := strconv.Atoi(number); err == nil {
				return Problem{Message: message, Line: line, Column: 1}
			}
		}
	}
	return Problem{Message: text}
}

// position reads the "line:column: " prefix rulefmt writes before an error that has a YAML node;
// with two nodes ("record" and "alert"), the first is kept.
func position(text string) (int, int, string) {
	line, column, rest, ok := prefix(text)
	if !ok {
		return 0, 0, text
	}
	if _, _, after, twice := prefix(rest); twice {
		rest = after
	}
	return line, column, rest
}

func prefix(text string) (int, int, string, bool) {
	first, rest, ok := strings.Cut(text, ":")
	if !ok {
		return 0, 0, text, false
	}
	second, rest, ok := strings.Cut(rest, ": ")
	if !ok {
		return 0, 0, text, false
	}
	line, errLine := strconv.Atoi(first)
	column, errColumn := strconv.Atoi(second)
	if errLine != nil || errColumn != nil {
		return 0, 0, text, false
	}
	return line, column, rest, true
}
