// Package configured gives http.DefaultClient a timeout: its uses are
// left alone.
package configured

import (
	"net/http"
	"time"
)

func init() {
	http.DefaultClient.Timeout = 30 * time.Second
}

func get(u string) {
	http.Get(u)               // ok: this package sets the default client's Timeout
	http.DefaultClient.Get(u) // ok: likewise
}
