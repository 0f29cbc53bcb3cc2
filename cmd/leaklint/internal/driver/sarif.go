package driver

import (
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/doc"
)

// The SARIF 2.1.0 output: one run, one rule per pass (id = the pass's
// name, which is also its //leaklint:ignore name), one result per
// finding with its exact region, related locations and fixes. Regions are
// given in the default SARIF column unit, UTF-16 code units, converted
// from Go's byte columns; paths are relative to the working directory
// (the %SRCROOT% base), as code-scanning upload expects.

type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Results            []sarifResult               `json:"results"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                      `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifMessage      `json:"shortDescription"`
	FullDescription      sarifMessage      `json:"fullDescription"`
	Help                 sarifMessage      `json:"help"`
	HelpURI              string            `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleDefaults `json:"defaultConfiguration"`
}

type sarifRuleDefaults struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           sarifRegion      `json:"region"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion   `json:"deletedRegion"`
	InsertedContent *sarifMessage `json:"insertedContent,omitempty"`
}

// columns converts Go byte positions into SARIF regions, reading each
// file once.
type columns struct {
	lines map[string][]string
}

// col returns the 1-based UTF-16 column of a position.
func (c *columns) col(p token.Position) int {
	if c.lines == nil {
		c.lines = make(map[string][]string)
	}
	lines, ok := c.lines[p.Filename]
	if !ok {
		data, err := os.ReadFile(p.Filename)
		if err == nil {
			lines = strings.Split(string(data), "\n")
		}
		c.lines[p.Filename] = lines
	}
	if p.Line < 1 || p.Line > len(lines) || p.Column < 1 {
		return max(p.Column, 1)
	}
	line := lines[p.Line-1]
	prefix := line[:min(p.Column-1, len(line))]
	n := 0
	for _, r := range prefix {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	if !utf8.ValidString(prefix) {
		return p.Column
	}
	return n + 1
}

func (c *columns) region(start, end token.Position) sarifRegion {
	if !end.IsValid() || end.Line < start.Line {
		end = start
	}
	return sarifRegion{
		StartLine:   start.Line,
		StartColumn: c.col(start),
		EndLine:     end.Line,
		EndColumn:   c.col(end),
	}
}

// artifact returns the location of a file: relative to the working
// directory (under %SRCROOT%) when it is below it, else an absolute URI.
func artifact(filename string) sarifArtifactLoc {
	if rel := relative(filename); rel != filename {
		return sarifArtifactLoc{URI: filepath.ToSlash(rel), URIBaseID: "%SRCROOT%"}
	}
	return sarifArtifactLoc{URI: "file://" + filepath.ToSlash(filename)}
}

// printSARIF writes findings as a SARIF 2.1.0 log.
func printSARIF(w io.Writer, analyzers []*analysis.Analyzer, findings []finding) error {
	run := sarifRun{ColumnKind: "utf16CodeUnits", Results: []sarifResult{}}
	v, _ := moduleVersion()
	run.Tool.Driver = sarifDriver{
		Name:           "leaklint",
		Version:        strings.TrimPrefix(v, "v"),
		InformationURI: "https://github.com/leaklint/leaklint",
	}
	index := make(map[string]int)
	for i, a := range analyzers {
		index[a.Name] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   a.Name,
			Name:                 a.Name,
			ShortDescription:     sarifMessage{doc.Title(a.Doc)},
			FullDescription:      sarifMessage{a.Doc},
			Help:                 sarifMessage{a.Doc},
			HelpURI:              a.URL,
			DefaultConfiguration: sarifRuleDefaults{Level: "warning"},
		})
	}
	if wd, err := os.Getwd(); err == nil {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{
			"%SRCROOT%": {URI: "file://" + filepath.ToSlash(wd) + "/"},
		}
	}
	var cols columns
	for _, f := range findings {
		res := sarifResult{
			RuleID:    f.analyzer,
			RuleIndex: index[f.analyzer],
			Level:     "warning",
			Message:   sarifMessage{f.diag.Message},
			Locations: []sarifLocation{{
				PhysicalLocation: sarifPhysicalLocation{
					ArtifactLocation: artifact(f.diag.Posn.Filename),
					Region:           cols.region(f.diag.Posn, f.diag.End),
				},
			}},
		}
		for i, r := range f.diag.Related {
			id := i + 1
			start, end := r.Posn, orPosn(r.End, r.Posn)
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID: &id,
				PhysicalLocation: sarifPhysicalLocation{
					ArtifactLocation: artifact(start.Filename),
					Region:           cols.region(start, end),
				},
				Message: &sarifMessage{r.Message},
			})
		}
		for _, fix := range f.diag.Fixes {
			byFile := make(map[string][]sarifReplacement)
			var order []string
			for _, e := range fix.Edits {
				start, end := e.Start, orPosn(e.End, e.Start)
				if _, ok := byFile[start.Filename]; !ok {
					order = append(order, start.Filename)
				}
				rep := sarifReplacement{DeletedRegion: cols.region(start, end)}
				if len(e.New) > 0 {
					rep.InsertedContent = &sarifMessage{e.New}
				}
				byFile[start.Filename] = append(byFile[start.Filename], rep)
			}
			sf := sarifFix{Description: sarifMessage{fix.Message}}
			for _, name := range order {
				sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{
					ArtifactLocation: artifact(name),
					Replacements:     byFile[name],
				})
			}
			res.Fixes = append(res.Fixes, sf)
		}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{
		Version: "2.1.0",
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Runs:    []sarifRun{run},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// printGitHub writes findings as GitHub Actions workflow commands, which
// the Actions runner turns into annotations on the pull request.
func printGitHub(w io.Writer, findings []finding) error {
	for _, f := range findings {
		props := []string{
			"file=" + escapeProperty(filepath.ToSlash(relative(f.diag.Posn.Filename))),
			fmt.Sprintf("line=%d", f.diag.Posn.Line),
			fmt.Sprintf("col=%d", f.diag.Posn.Column),
		}
		if end := f.diag.End; end.IsValid() && end.Line >= f.diag.Posn.Line {
			props = append(props, fmt.Sprintf("endLine=%d", end.Line))
			if end.Line == f.diag.Posn.Line {
				props = append(props, fmt.Sprintf("endColumn=%d", end.Column))
			}
		}
		props = append(props, "title="+escapeProperty("leaklint "+f.analyzer))
		msg := f.diag.Message
		for _, r := range f.diag.Related {
			msg += "\n" + relativePosition(r.Posn) + ": " + r.Message
		}
		if _, err := fmt.Fprintf(w, "::error %s::%s\n", strings.Join(props, ","), escapeData(msg)); err != nil {
			return err
		}
	}
	return nil
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	s = strings.ReplaceAll(s, "%", "%25")
	s = strings.ReplaceAll(s, "\r", "%0D")
	return strings.ReplaceAll(s, "\n", "%0A")
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	s = escapeData(s)
	s = strings.ReplaceAll(s, ":", "%3A")
	return strings.ReplaceAll(s, ",", "%2C")
}
