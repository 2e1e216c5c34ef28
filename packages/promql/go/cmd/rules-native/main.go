// Command rules-native is the other side of @o11y/promql's validateRuleFiles: upstream's rulefmt (what
// `promtool check rules` runs) over a stream of files. Native rather than wasm: the validation decodes
// YAML twice and builds a Go template per annotation, which allocation-heavy code runs about ten times
// slower in a single-threaded wasm instance (12.5 s against 1.25 s for 10,000 rules), and one process
// serves every file of a lint run.
//
// It reads JSON requests {"text":…,"flags":…} one after the other on stdin and writes one JSON
// result {"problems":[…]} per request, in order, on stdout.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/o11y/promql-wasm/rules"
)

type request struct {
	Text  string `json:"text"`
	Flags int    `json:"flags"`
}

func main() {
	decoder := json.NewDecoder(bufio.NewReaderSize(os.Stdin, 1<<20))
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	for {
		var next request
		if err := decoder.Decode(&next); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			fmt.Fprintf(os.Stderr, "rules-native: unreadable request: %v\n", err)
			os.Exit(2)
		}
		out.Write(validate(next))
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
