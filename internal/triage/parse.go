package triage

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/pprof/profile"
)

// Parse reads a goroutine dump or profile in any of the formats the
// package doc lists and returns its goroutines. Anything else is an
// error that says what the input looks like instead.
func Parse(r io.Reader) (*Dump, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the input is empty")
	}
	if isBinary(data) {
		return parseProto(data)
	}
	head := strings.ToLower(string(data[:min(len(data), 512)]))
	if strings.Contains(head, "<html") || strings.Contains(head, "<!doctype") {
		return nil, errors.New("the input is an HTML page, not a goroutine dump: fetch /debug/pprof/goroutine?debug=2 (or ?debug=1, or the binary profile), not the /debug/pprof/ index")
	}
	first := firstLine(data)
	if m := profileHeader.FindStringSubmatch(first); m != nil {
		if m[1] != "goroutine" && m[1] != "goroutineleak" {
			return nil, fmt.Errorf("the input is a %s profile, not a goroutine profile: fetch /debug/pprof/goroutine", m[1])
		}
		return parseDebug1(data, m[1])
	}
	if strings.HasPrefix(first, "heap profile:") {
		return nil, errors.New("the input is a heap profile, not a goroutine profile: fetch /debug/pprof/goroutine")
	}
	return parseDebug2(data)
}

// isBinary reports whether data is a gzip stream or otherwise not text:
// a protobuf profile.
func isBinary(data []byte) bool {
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		return true
	}
	return !utf8.Valid(data[:min(len(data), 4096)]) || bytes.IndexByte(data[:min(len(data), 4096)], 0) >= 0
}

func firstLine(data []byte) string {
	for _, line := range strings.SplitN(string(data[:min(len(data), 4096)]), "\n", 50) {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}

var (
	// profileHeader is the first line of a debug=1 profile.
	profileHeader = regexp.MustCompile(`^(\w+) profile: total \d+`)
	// goroutineHeader is a goroutine's first line in a debug=2 dump or a
	// traceback: "goroutine 7 [chan send, 3 minutes]:", with gp=/m=
	// fields under GOTRACEBACK=system.
	goroutineHeader = regexp.MustCompile(`^goroutine (\d+)(?: gp=\S+)?(?: m=\S+)?(?: mp=\S+)? \[(.*)\]:\s*$`)
	// debug1Count starts a stack in a debug=1 profile: "3 @ 0x1 0x2".
	debug1Count = regexp.MustCompile(`^(\d+) @(?: 0x[0-9a-f]+)*\s*$`)
)

// parseDebug2 reads a debug=2 dump or a traceback.
func parseDebug2(data []byte) (*Dump, error) {
	d := &Dump{Format: "debug=2", Profile: "goroutine"}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	var g *Goroutine
	var stack *[]Frame // where frames go: the stack, or an ancestor's
	lineNo := 0
	// pending is a function line waiting for its file line.
	var pending *Frame
	pendingLine := 0
	createdBy := false
	flush := func() error {
		if pending != nil {
			return fmt.Errorf("line %d: the dump is truncated: %s has no file:line after it", pendingLine, pending.Func)
		}
		return nil
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimRight(sc.Text(), "\r")
		if m := goroutineHeader.FindStringSubmatch(line); m != nil {
			if err := flush(); err != nil {
				return nil, err
			}
			id, _ := strconv.Atoi(m[1])
			g = &Goroutine{ID: id, Count: 1}
			parseState(g, m[2])
			d.Goroutines = append(d.Goroutines, g)
			stack = &g.Stack
			createdBy = false
			continue
		}
		if g == nil {
			continue // panic message, fatal error text and the like
		}
		switch {
		case strings.TrimSpace(line) == "":
			if err := flush(); err != nil {
				return nil, err
			}
			g, stack = nil, nil
		case strings.HasPrefix(line, "\t"):
			if pending == nil {
				continue // a file line with no function: ignore
			}
			pending.File, pending.Line = parseFileLine(strings.TrimSpace(line))
			if createdBy {
				g.CreatedBy = pending
				createdBy = false
			} else {
				*stack = append(*stack, *pending)
			}
			pending = nil
		case strings.HasPrefix(line, "created by "):
			if err := flush(); err != nil {
				return nil, err
			}
			name := strings.TrimPrefix(line, "created by ")
			if i := strings.Index(name, " in goroutine "); i >= 0 {
				name = name[:i]
			}
			pending, pendingLine, createdBy = &Frame{Func: name}, lineNo, true
		case strings.HasPrefix(line, "[originating from goroutine "):
			if err := flush(); err != nil {
				return nil, err
			}
			g.Ancestors = append(g.Ancestors, nil)
			stack = &g.Ancestors[len(g.Ancestors)-1]
		case strings.HasPrefix(line, "...") || strings.HasPrefix(line, "goroutine ") && strings.Contains(line, "frames elided"):
			// "...additional frames elided...", "...N frames elided..."
		default:
			if err := flush(); err != nil {
				return nil, err
			}
			pending, pendingLine = &Frame{Func: funcName(line)}, lineNo
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(d.Goroutines) == 0 {
		return nil, fmt.Errorf("no goroutine found: the input is not a goroutine dump or profile (it starts with %q)", truncate(firstLine(data), 60))
	}
	return d, nil
}

// parseState reads the bracketed state of a goroutine header: "chan
// send", "chan send, 42 minutes, locked to thread", "select (no cases)
// (leaked)".
func parseState(g *Goroutine, state string) {
	parts := strings.Split(state, ", ")
	reason := parts[0]
	if r, ok := strings.CutSuffix(reason, " (leaked)"); ok {
		reason, g.Leaked = r, true
	}
	g.Reason = reason
	for _, p := range parts[1:] {
		switch {
		case p == "locked to thread":
			g.Locked = true
		case strings.HasSuffix(p, " minutes"):
			g.Minutes, _ = strconv.Atoi(strings.TrimSuffix(p, " minutes"))
		case p == "(leaked)" || strings.HasSuffix(p, " (leaked)"):
			g.Leaked = true
		}
	}
}

// funcName returns the function of a traceback's function line,
// without its arguments: "main.(*T).M(0xc000010000, ...)" is
// "main.(*T).M".
func funcName(line string) string {
	line = strings.TrimSpace(line)
	if strings.HasSuffix(line, ")") {
		if i := strings.LastIndexByte(line, '('); i > 0 {
			line = line[:i]
		}
	}
	return line
}

// parseFileLine reads "/path/file.go:88 +0x25" (the offset is optional).
func parseFileLine(s string) (string, int) {
	if i := strings.Index(s, " +0x"); i >= 0 {
		s = s[:i]
	}
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, 0
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil {
		return s, 0
	}
	return s[:i], n
}

// parseDebug1 reads a debug=1 profile: stacks with counts, no wait
// reasons, no creation sites.
func parseDebug1(data []byte, name string) (*Dump, error) {
	d := &Dump{Format: "debug=1", Profile: name}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	var g *Goroutine
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if m := debug1Count.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			g = &Goroutine{Count: n, Leaked: name == "goroutineleak"}
			d.Goroutines = append(d.Goroutines, g)
			continue
		}
		if g == nil || !strings.HasPrefix(line, "#\t") {
			continue // the header, blank lines, "# labels:"
		}
		fields := strings.Fields(strings.TrimPrefix(line, "#"))
		if len(fields) < 3 || !strings.HasPrefix(fields[0], "0x") {
			continue
		}
		fn := fields[1]
		if i := strings.LastIndex(fn, "+0x"); i > 0 {
			fn = fn[:i]
		}
		file, ln := parseFileLine(strings.Join(fields[2:], " "))
		g.Stack = append(g.Stack, Frame{Func: fn, File: file, Line: ln})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, g := range d.Goroutines {
		if len(g.Stack) == 0 {
			return nil, errors.New("the profile is truncated: a stack has no frames")
		}
		g.Reason = InferReason(g.Stack)
	}
	return d, nil
}

// parseProto reads a protobuf goroutine or goroutine leak profile.
func parseProto(data []byte) (*Dump, error) {
	p, err := profile.ParseData(data)
	if err != nil {
		return nil, fmt.Errorf("the input is binary but not a readable profile (truncated, or not pprof's format): %v", err)
	}
	if len(p.SampleType) == 0 || p.SampleType[0].Type != "goroutine" && p.SampleType[0].Type != "goroutineleak" {
		var types []string
		for _, st := range p.SampleType {
			types = append(types, st.Type)
		}
		return nil, fmt.Errorf("the input is a profile of %s, not a goroutine profile: fetch /debug/pprof/goroutine", strings.Join(types, ", "))
	}
	d := &Dump{Format: "proto", Profile: p.SampleType[0].Type}
	for _, s := range p.Sample {
		g := &Goroutine{Leaked: d.Profile == "goroutineleak"}
		if len(s.Value) > 0 {
			g.Count = int(s.Value[0])
		}
		for _, loc := range s.Location {
			for _, ln := range loc.Line {
				f := Frame{Line: int(ln.Line)}
				if ln.Function != nil {
					f.Func, f.File = ln.Function.Name, ln.Function.Filename
				}
				g.Stack = append(g.Stack, f)
			}
		}
		g.Reason = InferReason(g.Stack)
		d.Goroutines = append(d.Goroutines, g)
	}
	return d, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
