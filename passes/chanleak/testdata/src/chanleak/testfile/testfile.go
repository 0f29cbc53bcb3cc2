// Package testfile checks -chanleak.tests: test files are reported too.
package testfile
