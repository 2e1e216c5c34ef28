//go:build js && wasm

// Command rules-wasm is the WebAssembly side of @o11y/promql's validateRuleFile: upstream's rulefmt
// (what `promtool check rules` runs) over linear memory, like the parser's program in cmd/wasm. It is
// a program of its own because rulefmt brings in the PromQL engine and the template package, which
// would double the size of the parser every lint and build loads.
package main

import (
	"unsafe"

	"github.com/o11y/promql-wasm/rules"
)

var input, output []byte

//go:wasmexport rulesInput
func rulesInput(capacity int32) unsafe.Pointer {
	if cap(input) < int(capacity) || cap(input) == 0 {
		input = make([]byte, max(int(capacity), 64))
	}
	input = input[:cap(input)]
	return unsafe.Pointer(&input[0])
}

//go:wasmexport rulesValidate
func rulesValidate(length, flags int32) int32 {
	output = rules.Validate(input[:length], int(flags))
	return int32(len(output))
}

//go:wasmexport rulesOutput
func rulesOutput() unsafe.Pointer {
	return unsafe.Pointer(unsafe.SliceData(output))
}

func main() { select {} }
