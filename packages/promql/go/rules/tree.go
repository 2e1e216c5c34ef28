package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Tree returns a plain rule file's YAML as a positioned node tree, `{"tree":node}`, so that lint
// need not parse it again on its own thread; or `{"fallback":"why"}` for anything outside the
// common subset it encodes exactly, which lint then reads with its own YAML parser.
//
// A node is an array: [0, start, flow, key, value, key, value…] for a mapping, [1, start, flow,
// item…] for a sequence, [2, start, end, style, value] for a scalar, where start and end are byte
// offsets (the file is ASCII, so they are also JavaScript string offsets), style is 0 plain, 1
// single-quoted, 2 double-quoted, 3 literal, 4 folded, and value is the scalar's text as decoded
// (escapes and folding applied; the caller resolves plain scalars to numbers, booleans and null).
// A scalar's end is one past its last character, and for block scalars one past the newline of its
// last line that is not blank, as lint's parser gives it.
func Tree(content []byte) []byte {
	tree, why := encodeTree(content)
	if why != "" {
		out, _ := json.Marshal(map[string]string{"fallback": why})
		return out
	}
	var out bytes.Buffer
	out.WriteString(`{"tree":`)
	out.Write(tree)
	out.WriteByte('}')
	return out.Bytes()
}

type encoder struct {
	content []byte
	// lineStarts[n] is the offset of line n+1.
	lineStarts []int
	out        bytes.Buffer
	why        string
}

func encodeTree(content []byte) ([]byte, string) {
	for _, b := range content {
		// Offsets are bytes here and UTF-16 units in JavaScript: equal only for ASCII. yaml.v3 counts a
		// lone CR as a line break where lint counts lines by LF.
		if b >= 0x80 || b == '\r' {
			return nil, "not ASCII with LF line ends"
		}
	}
	decoder := yaml.NewDecoder(bytes.NewReader(content))
	var document yaml.Node
	if err := decoder.Decode(&document); err != nil {
		return nil, "not one YAML document"
	}
	var second yaml.Node
	if err := decoder.Decode(&second); !errors.Is(err, io.EOF) {
		return nil, "not one YAML document"
	}
	if document.Kind != yaml.DocumentNode || len(document.Content) != 1 {
		return nil, "not one YAML document"
	}
	root := document.Content[0]
	if root.Kind != yaml.MappingNode || !hasKey(root, "groups") {
		return nil, "not a rule file"
	}
	e := &encoder{content: content, lineStarts: []int{0}}
	for i, b := range content {
		if b == '\n' {
			e.lineStarts = append(e.lineStarts, i+1)
		}
	}
	e.node(root)
	return e.out.Bytes(), e.why
}

func hasKey(mapping *yaml.Node, key string) bool {
	for i := 0; i+1 < len(mapping.Content); i += 2 {
		if mapping.Content[i].Kind == yaml.ScalarNode && mapping.Content[i].Value == key {
			return true
		}
	}
	return false
}

func (e *encoder) fail(why string) {
	if e.why == "" {
		e.why = why
	}
}

func (e *encoder) offset(node *yaml.Node) int {
	if node.Line < 1 || node.Line > len(e.lineStarts) {
		e.fail("a node without a position")
		return 0
	}
	return e.lineStarts[node.Line-1] + node.Column - 1
}

func (e *encoder) node(node *yaml.Node) {
	if e.why != "" {
		return
	}
	if node.Anchor != "" || node.Style&yaml.TaggedStyle != 0 {
		e.fail("anchors or tags")
		return
	}
	flow := 0
	if node.Style&yaml.FlowStyle != 0 {
		flow = 1
	}
	start := e.offset(node)
	switch node.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		kind := 0
		if node.Kind == yaml.SequenceNode {
			kind = 1
		}
		e.numbers(kind, start, flow)
		for i, child := range node.Content {
			if kind == 0 && i%2 == 0 && (child.Kind != yaml.ScalarNode || child.Tag == "!!merge") {
				e.fail("complex or merge keys")
				return
			}
			e.out.WriteByte(',')
			e.node(child)
		}
		e.out.WriteByte(']')
	case yaml.ScalarNode:
		style, end := e.scalarEnd(node, start)
		if e.why != "" {
			return
		}
		e.numbers(2, start, end, style)
		e.out.WriteByte(',')
		value, _ := json.Marshal(node.Value)
		e.out.Write(value)
		e.out.WriteByte(']')
	default:
		e.fail("aliases")
	}
}

// numbers opens an array with the given numbers.
func (e *encoder) numbers(values ...int) {
	e.out.WriteByte('[')
	for i, n := range values {
		if i > 0 {
			e.out.WriteByte(',')
		}
		e.out.WriteString(strconv.Itoa(n))
	}
}

// scalarEnd is the style code and end offset of a scalar starting at start.
func (e *encoder) scalarEnd(node *yaml.Node, start int) (int, int) {
	text := e.content
	switch {
	case node.Style&yaml.DoubleQuotedStyle != 0:
		for i := start + 1; i < len(text); i++ {
			switch text[i] {
			case '\\':
				i++
			case '"':
				return 2, i + 1
			}
		}
	case node.Style&yaml.SingleQuotedStyle != 0:
		written := "'" + strings.ReplaceAll(node.Value, "'", "''") + "'"
		if bytes.HasPrefix(text[start:], []byte(written)) {
			return 1, start + len(written)
		}
		e.fail("a single-quoted scalar over several lines")
	case node.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// Without a line of text, the block's first line that is not blank may be the next key.
		if strings.TrimSpace(node.Value) == "" {
			e.fail("an empty block scalar")
			return 0, 0
		}
		if node.Style&yaml.LiteralStyle != 0 {
			return 3, e.blockEnd(start)
		}
		return 4, e.blockEnd(start)
	default:
		// An empty value (`key:`) is a null of no characters; any other plain scalar is written as read.
		if node.Tag == "!!null" && node.Value == "" {
			return 0, start
		}
		if bytes.HasPrefix(text[start:], []byte(node.Value)) {
			return 0, start + len(node.Value)
		}
		e.fail("a plain scalar over several lines")
	}
	e.fail("an unterminated scalar")
	return 0, 0
}

// blockEnd is one past the newline of the last line of the block scalar whose header is at start
// that is not blank: its lines are those after the header indented at least as deep as its first
// line that is not blank, and blank lines between them.
func (e *encoder) blockEnd(start int) int {
	text := e.content
	headerEnd := bytes.IndexByte(text[start:], '\n')
	if headerEnd < 0 {
		return len(text)
	}
	header := text[start : start+headerEnd]
	if bytes.ContainsAny(header, "+123456789") {
		e.fail("a block scalar with an indentation or keep indicator")
		return 0
	}
	end := start + headerEnd + 1
	indent := -1
	for at := end; at < len(text); {
		lineEnd := bytes.IndexByte(text[at:], '\n')
		next := len(text)
		if lineEnd >= 0 {
			next = at + lineEnd + 1
		}
		line := text[at : at+len(bytes.TrimRight(text[at:next], "\n"))]
		spaces := len(line) - len(bytes.TrimLeft(line, " "))
		if spaces == len(line) {
			at = next
			continue
		}
		if indent < 0 {
			indent = spaces
		}
		if spaces < indent {
			break
		}
		end = next
		at = next
	}
	return end
}
