// Package notime does not import time, but calls a helper that abandons
// a timer: the pass must not take its quick exit here.
package notime

import "example.com/timeafter/helper"

func drain(c *helper.Conn) {
	for c.WaitAck() { // want `WaitAck abandons a time.After timer`
	}
}
