// Command native runs the same shim as the wasm build, natively. It is the parser of @o11y/promql's
// parseAll (lint parses whole projects with it), the oracle of the fidelity test and the native side
// of the benchmark.
//
//	native oracle       reads JSON requests {"expr":…,"flags":…,"prettify":bool,"check":bool} one per
//	                    line on stdin and writes one JSON result per line on stdout: the tree, the
//	                    prettified text, or (check) only whether it parses, with the same errors.
//	native bench        stays up for a whole benchmark run, as the wasm instance does: reads one line
//	                    of JSON naming corpora ({"short":[…],…}), then one request per line
//	                    ({"corpus":"short","milliseconds":1000}): parses that corpus over and over with
//	                    the default options for that long and prints
//	                    {"expressions":…,"nanoseconds":…,"cpuNanoseconds":…} (wall-clock time, and CPU
//	                    time of the process, garbage collector threads included).
//	native inputs FILE  prints, as a JSON array, every string given to an `input:` field in the Go
//	                    test file FILE (upstream's promql/parser/parse_test.go), read with go/parser.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/o11y/promql-wasm/shim"
)

type request struct {
	Expr     string `json:"expr"`
	Flags    int    `json:"flags"`
	Prettify bool   `json:"prettify"`
	Check    bool   `json:"check"`
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: native oracle | native bench | native inputs <file.go>")
	}
	switch os.Args[1] {
	case "oracle":
		oracle()
	case "bench":
		bench()
	case "inputs":
		if len(os.Args) < 3 {
			fail("usage: native inputs <file.go>")
		}
		inputs(os.Args[2])
	default:
		fail("unknown mode " + os.Args[1])
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, message)
	os.Exit(2)
}

func oracle() {
	var renderer shim.Renderer
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fail("bad request: " + err.Error())
		}
		switch {
		case req.Prettify:
			out.Write(renderer.Prettify(req.Expr, req.Flags))
		case req.Check:
			out.Write(renderer.Check(req.Expr, req.Flags))
		default:
			out.Write(renderer.Parse(req.Expr, req.Flags))
		}
		out.WriteByte('\n')
	}
	if err := in.Err(); err != nil {
		fail(err.Error())
	}
}

// defaultFlags matches the TypeScript defaults: what the pinned Prometheus server enables.
const defaultFlags = shim.DurationExpressions

type benchRequest struct {
	Corpus       string `json:"corpus"`
	Milliseconds int    `json:"milliseconds"`
}

func bench() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	var corpora map[string][]string
	if !in.Scan() || json.Unmarshal(in.Bytes(), &corpora) != nil {
		fail("bench: the first line must be a JSON object of corpora")
	}
	var renderer shim.Renderer
	for in.Scan() {
		var req benchRequest
		if err := json.Unmarshal(in.Bytes(), &req); err != nil || len(corpora[req.Corpus]) == 0 || req.Milliseconds < 1 {
			fail("bench: bad request " + in.Text())
		}
		corpus, duration := corpora[req.Corpus], time.Duration(req.Milliseconds)*time.Millisecond
		count := 0
		start, startCPU := time.Now(), cpuTime()
		for time.Since(start) < duration {
			for _, expr := range corpus {
				renderer.Parse(expr, defaultFlags)
			}
			count += len(corpus)
		}
		elapsed, elapsedCPU := time.Since(start), cpuTime()-startCPU
		fmt.Printf("{\"expressions\":%d,\"nanoseconds\":%d,\"cpuNanoseconds\":%d}\n", count, elapsed.Nanoseconds(), elapsedCPU.Nanoseconds())
	}
	if err := in.Err(); err != nil {
		fail(err.Error())
	}
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		fail("getrusage: " + err.Error())
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

func inputs(file string) {
	tree, err := goparser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		fail(err.Error())
	}
	found := []string{}
	ast.Inspect(tree, func(node ast.Node) bool {
		field, ok := node.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		if key, ok := field.Key.(*ast.Ident); !ok || key.Name != "input" {
			return true
		}
		if text, ok := stringConstant(field.Value); ok {
			found = append(found, text)
		}
		return true
	})
	if err := json.NewEncoder(os.Stdout).Encode(found); err != nil {
		fail(err.Error())
	}
}

// stringConstant evaluates a string literal or a `+` concatenation of them.
func stringConstant(expr ast.Expr) (string, bool) {
	switch e := expr.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		text, err := strconv.Unquote(e.Value)
		return text, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		left, okLeft := stringConstant(e.X)
		right, okRight := stringConstant(e.Y)
		return left + right, okLeft && okRight
	case *ast.ParenExpr:
		return stringConstant(e.X)
	}
	return "", false
}
