//go:build js && wasm

// Command wasm is the WebAssembly side of @o11y/promql. It exports plain functions over linear
// memory (go:wasmexport) instead of syscall/js callbacks, which costs far less per call: JS writes
// the expression's UTF-8 into the buffer promqlInput returns, calls promqlParse or promqlPrettify,
// and decodes the JSON at promqlOutput.
package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"unsafe"

	"github.com/o11y/promql-wasm/shim"
)

var (
	input    []byte
	output   []byte
	renderer shim.Renderer
)

// promqlInput makes room for capacity bytes of UTF-8 and returns where JS must write them. The
// buffer stays where it is (the collector does not move objects) until a larger one is asked for, so
// JS keeps the address and calls this only when an expression needs more room.
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
	collectIfDue()
	output = renderer.Parse(string(input[:length]), int(flags))
	return int32(len(output))
}

//go:wasmexport promqlPrettify
func promqlPrettify(length, flags int32) int32 {
	collectIfDue()
	output = renderer.Prettify(string(input[:length]), int(flags))
	return int32(len(output))
}

// promqlOutput is where the JSON of the last call starts; its length was that call's result.
//
//go:wasmexport promqlOutput
func promqlOutput() unsafe.Pointer {
	return unsafe.Pointer(unsafe.SliceData(output))
}

// The collector runs by hand, between calls, once collectEvery bytes have been allocated since the
// last collection (looked at every checkEvery calls: reading the figure costs about 0.5 µs). Left to itself (any GOGC), Go's collector on wasm, which has one thread, marks
// in allocation assists (gctrace: no background mark time), so each cycle stays open across
// thousands of calls with write barriers on; at GOGC=1000 the heap also overshot its goal on a
// loaded machine (up to 150 MiB) with throughput halved. A whole collection between calls finds
// almost nothing live, since the parser keeps nothing between calls: 5–20 ms per collectEvery
// (roughly 20,000 typical expressions), with linear memory steady near 45 MiB.
const (
	collectEvery = 32 << 20
	checkEvery   = 16
)

var (
	allocatedBytes  = []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	collectedAt     uint64
	callsSinceCheck int
)

func collectIfDue() {
	callsSinceCheck++
	if callsSinceCheck < checkEvery {
		return
	}
	callsSinceCheck = 0
	metrics.Read(allocatedBytes)
	if allocated := allocatedBytes[0].Value.Uint64(); allocated-collectedAt >= collectEvery {
		runtime.GC()
		collectedAt = allocated
	}
}

// main leaves collection to collectIfDue, with a memory limit as the backstop for a single huge
// input, and parks without timers, so an idle instance never keeps Node's event loop alive.
func main() {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(256 << 20)
	select {}
}
