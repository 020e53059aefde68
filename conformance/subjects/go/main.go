// A conformance subject program for golang.org/x/oauth2/clientcredentials, speaking the suite's
// JSON-lines protocol (conformance/PROTOCOL.md) on stdin and stdout. This file is the protocol
// loop; client.go drives the library. One process is one client instance.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sync"
)

// libraryVersion is set at build time (-ldflags "-X main.libraryVersion=…") from the Debian
// package the library came from; GOPATH builds carry no module version.
var libraryVersion = ""

type request struct {
	ID    *int64          `json:"id"`
	Op    string          `json:"op"`
	Env   json.RawMessage `json:"env"`
	Proxy string          `json:"proxy"`
	CA    string          `json:"ca"`
	// getToken
	Scope        []string `json:"scope"`
	Resource     []string `json:"resource"`
	ForceRefresh bool     `json:"forceRefresh"`
	// fetch
	URL     string      `json:"url"`
	Method  string      `json:"method"`
	Headers [][2]string `json:"headers"`
	Body    *string     `json:"body"`
}

// errorInfo is the protocol's error shape (the suite's ErrorInfo).
type errorInfo struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Status  int    `json:"status,omitempty"`
	Error   string `json:"error,omitempty"`
	Code    string `json:"code,omitempty"`
}

var out = struct {
	sync.Mutex
	w *bufio.Writer
}{w: bufio.NewWriter(os.Stdout)}

func send(v interface{}) {
	line, err := json.Marshal(v)
	if err != nil {
		line, _ = json.Marshal(map[string]interface{}{"log": "cannot encode an answer: " + err.Error()})
	}
	out.Lock()
	defer out.Unlock()
	out.w.Write(line)
	out.w.WriteByte('\n')
	out.w.Flush()
}

func answer(id int64, result interface{}, err *errorInfo) {
	if err != nil {
		send(map[string]interface{}{"id": id, "ok": false, "error": err})
		return
	}
	if result == nil {
		result = map[string]interface{}{}
	}
	send(map[string]interface{}{"id": id, "ok": true, "result": result})
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	var c *client
	for in.Scan() {
		var r request
		if err := json.Unmarshal(in.Bytes(), &r); err != nil {
			fmt.Fprintf(os.Stderr, "subject: unreadable line: %v\n", err)
			continue
		}
		if r.ID == nil {
			continue // {"op":"clock"}: x/oauth2 reads time.Now itself, so the program declares no clock
		}
		id := *r.ID
		switch r.Op {
		case "hello":
			answer(id, map[string]interface{}{
				"protocol": 1,
				"name":     "golang.org/x/oauth2",
				"version":  libraryVersion,
				"language": "Go",
				// x/oauth2 reads time.Now (token.go's timeNow, internal/token.go's expiry): no clock.
				"clockSource": "none: time.Now cannot be replaced, so the clock scenarios are n/a",
				"capabilities": []string{
					"client_secret_post", "client_secret_basic", "scope", "resource", "fetch", "timeout",
				},
			}, nil)
		case "create":
			var err *errorInfo
			c, err = newClient(r.Env, r.Proxy, r.CA)
			answer(id, nil, err)
		case "close":
			answer(id, nil, nil)
			return
		default:
			if c == nil {
				answer(id, nil, &errorInfo{Kind: "other", Message: r.Op + " before create"})
				continue
			}
			// Every request runs on its own goroutine: many are in flight at once.
			go func(r request) {
				result, err := c.handle(r)
				answer(id, result, err)
			}(r)
		}
	}
}
