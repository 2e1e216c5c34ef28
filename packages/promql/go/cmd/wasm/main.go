//go:build js && wasm

// Command wasm is the WebAssembly side of @o11y/promql. It exports plain functions over linear
// memory (go:wasmexport) instead of syscall/js callbacks, which costs far less per call: JS writes
// the expression's UTF-8 into the buffer promqlInput returns, calls promqlParse or promqlPrettify,
// and decodes the JSON at promqlOutput.
package main

import (
	"unsafe"

	"github.com/o11y/promql-wasm/shim"
)

var (
	input  []byte
	output []byte
)

// promqlInput makes room for capacity bytes of UTF-8 and returns where JS must write them.
//
//go:wasmexport promqlInput
func promqlInput(capacity int32) unsafe.Pointer {
	if cap(input) < int(capacity) || cap(input) == 0 {
		input = make([]byte, max(int(capacity), 64))
	}
	input = input[:cap(input)]
	return unsafe.Pointer(&input[0])
}

//go:wasmexport promqlParse
func promqlParse(length, flags int32) int32 {
	output = shim.Parse(string(input[:length]), int(flags))
	return int32(len(output))
}

//go:wasmexport promqlPrettify
func promqlPrettify(length, flags int32) int32 {
	output = shim.Prettify(string(input[:length]), int(flags))
	return int32(len(output))
}

// promqlOutput is where the JSON of the last call starts; its length was that call's result.
//
//go:wasmexport promqlOutput
func promqlOutput() unsafe.Pointer {
	return unsafe.Pointer(unsafe.SliceData(output))
}

// main parks without timers, so an idle instance never keeps Node's event loop alive.
func main() {
	select {}
}
