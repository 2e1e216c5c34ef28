// Command rules-native is the other side of @o11y/promql's validateRuleFiles: upstream's rulefmt (what
// `promtool check rules` runs) over a stream of files. Native rather than wasm: the validation decodes
// YAML twice and builds a Go template per annotation, which allocation-heavy code runs about ten times
// slower in a single-threaded wasm instance (12.5 s against 1.25 s for 10,000 rules), and one process
// serves every file of a lint run.
//
// It reads JSON requests {"text":…,"flags":…} on stdin and writes one JSON result {"problems":[…]}
// per request, in order, on stdout.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/o11y/promql-wasm/rules"
)

type request struct {
	Text  string `json:"text"`
	Flags int    `json:"flags"`
}

func main() {
	// `rules-native tree` answers each request with the file's positioned YAML tree (rules.Tree)
	// instead of its validation: on every core, as lint waits for the trees with nothing else to do.
	// The validation runs beside lint's own work, on one.
	// Short-lived and small (tens of MiB): fewer collections cost less CPU than the memory they save.
	debug.SetGCPercent(400)
	answer, workers := validate, 1
	if len(os.Args) > 1 && os.Args[1] == "tree" {
		answer, workers = tree, runtime.NumCPU()
	}
	var requests []request
	decoder := json.NewDecoder(bufio.NewReaderSize(os.Stdin, 1<<20))
	for {
		var next request
		if err := decoder.Decode(&next); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			fmt.Fprintf(os.Stderr, "rules-native: unreadable request: %v\n", err)
			os.Exit(2)
		}
		requests = append(requests, next)
	}
	results := make([][]byte, len(requests))
	var next atomic.Int64
	var done sync.WaitGroup
	for range workers {
		done.Go(func() {
			for i := int(next.Add(1) - 1); i < len(requests); i = int(next.Add(1) - 1) {
				results[i] = answer(requests[i])
			}
		})
	}
	done.Wait()
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	for _, result := range results {
		out.Write(result)
		out.WriteByte('\n')
	}
	if err := out.Flush(); err != nil {
		os.Exit(2)
	}
}

// validate never lets one file's panic end the run: it becomes that file's only problem.
func validate(next request) (result []byte) {
	defer func() {
		if recovered := recover(); recovered != nil {
			result, _ = json.Marshal(map[string]any{"problems": []rules.Problem{{
				Message: fmt.Sprintf("internal error in the rule file validator: %v", recovered),
			}}})
		}
	}()
	return rules.Validate([]byte(next.Text), next.Flags)
}

func tree(next request) (result []byte) {
	defer func() {
		if recovered := recover(); recovered != nil {
			result, _ = json.Marshal(map[string]string{"fallback": fmt.Sprintf("internal error: %v", recovered)})
		}
	}()
	return rules.Tree([]byte(next.Text))
}
