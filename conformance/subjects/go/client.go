// The library as its docs show it: a clientcredentials.Config, one TokenSource (it caches and
// renews the token: oauth2.ReuseTokenSource), and oauth2.NewClient on that source for resource
// requests. The HTTP client the library uses comes through the context (oauth2.HTTPClient, the
// documented hook); it only routes to the suite's proxy, trusts the suite's CA and, when the
// scenario sets one, carries the deadline (http.Client.Timeout). Per-call scopes or resources
// use a copy of the Config and Config.Token (a fresh request: the library keeps one token per
// TokenSource). x/oauth2 has no private_key_jwt, discovery, origin policy, DPoP, invalidation
// or injectable clock; those capabilities are not declared.
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

type wireEnv struct {
	TokenEndpoint string   `json:"tokenEndpoint"`
	ClientID      string   `json:"clientId"`
	Scope         []string `json:"scope"`
	Resource      []string `json:"resource"`
	TimeoutMs     int64    `json:"timeoutMs"`
	Auth          struct {
		Method       string `json:"method"`
		ClientSecret string `json:"clientSecret"`
	} `json:"auth"`
}

type client struct {
	conf   *clientcredentials.Config
	ctx    context.Context
	source oauth2.TokenSource
	http   *http.Client
}

func newClient(raw json.RawMessage, proxy, caFile string) (*client, *errorInfo) {
	var env wireEnv
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, &errorInfo{Kind: "other", Message: "create: " + err.Error()}
	}
	if env.TokenEndpoint == "" {
		return nil, &errorInfo{Kind: "config", Message: "x/oauth2 needs a token URL (it has no discovery)"}
	}
	conf := &clientcredentials.Config{ClientID: env.ClientID, TokenURL: env.TokenEndpoint, Scopes: env.Scope}
	switch env.Auth.Method {
	case "client_secret_post":
		conf.ClientSecret, conf.AuthStyle = env.Auth.ClientSecret, oauth2.AuthStyleInParams
	case "client_secret_basic":
		conf.ClientSecret, conf.AuthStyle = env.Auth.ClientSecret, oauth2.AuthStyleInHeader
	case "none":
		// No secret: what a user without one would configure (AuthStyleAutoDetect, the zero value).
	default:
		return nil, &errorInfo{Kind: "config", Message: "x/oauth2 has no client authentication " + env.Auth.Method}
	}
	if len(env.Resource) > 0 {
		conf.EndpointParams = url.Values{"resource": env.Resource}
	}
	transport, err := suiteTransport(proxy, caFile)
	if err != nil {
		return nil, &errorInfo{Kind: "other", Message: err.Error()}
	}
	base := &http.Client{Transport: transport, Timeout: time.Duration(env.TimeoutMs) * time.Millisecond}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, base)
	source := conf.TokenSource(ctx)
	return &client{conf: conf, ctx: ctx, source: source, http: oauth2.NewClient(ctx, source)}, nil
}

// suiteTransport sends every request, loopback included, to the suite's proxy and trusts only
// the suite's CA.
func suiteTransport(proxy, caFile string) (*http.Transport, error) {
	proxyURL, err := url.Parse(proxy)
	if err != nil {
		return nil, err
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = http.ProxyURL(proxyURL)
	transport.TLSClientConfig = &tls.Config{RootCAs: roots}
	return transport, nil
}

func (c *client) handle(r request) (interface{}, *errorInfo) {
	switch r.Op {
	case "getToken":
		return c.getToken(r)
	case "fetch":
		return c.fetch(r)
	default:
		return nil, &errorInfo{Kind: "other", Message: "unsupported operation " + r.Op}
	}
}

func (c *client) getToken(r request) (interface{}, *errorInfo) {
	var tok *oauth2.Token
	var err error
	if r.Scope != nil || r.Resource != nil || r.ForceRefresh {
		conf := *c.conf
		if r.Scope != nil {
			conf.Scopes = r.Scope
		}
		if r.Resource != nil {
			conf.EndpointParams = url.Values{"resource": r.Resource}
		}
		tok, err = conf.Token(c.ctx)
	} else {
		tok, err = c.source.Token()
	}
	if err != nil {
		return nil, classify(err)
	}
	result := map[string]interface{}{"accessToken": tok.AccessToken, "tokenType": tok.Type()}
	if !tok.Expiry.IsZero() {
		result["expiresAt"] = tok.Expiry.UnixMilli()
	}
	if scope, ok := tok.Extra("scope").(string); ok {
		result["scope"] = scope
	}
	return result, nil
}

func (c *client) fetch(r request) (interface{}, *errorInfo) {
	var body io.Reader
	if r.Body != nil {
		raw, err := base64.StdEncoding.DecodeString(*r.Body)
		if err != nil {
			return nil, &errorInfo{Kind: "other", Message: "fetch: body is not base64"}
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(r.Method, r.URL, body)
	if err != nil {
		return nil, &errorInfo{Kind: "other", Message: err.Error()}
	}
	for _, h := range r.Headers {
		req.Header.Add(h[0], h[1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, classify(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, classify(err)
	}
	headers := [][2]string{}
	for name, values := range res.Header {
		for _, v := range values {
			headers = append(headers, [2]string{strings.ToLower(name), v})
		}
	}
	return map[string]interface{}{"status": res.StatusCode, "headers": headers, "body": base64.StdEncoding.EncodeToString(raw)}, nil
}

// classify maps the library's errors to the suite's vocabulary.
func classify(err error) *errorInfo {
	info := &errorInfo{Kind: "other", Message: err.Error(), Code: strings.TrimPrefix(fmt.Sprintf("%T", err), "*")}
	var retrieve *oauth2.RetrieveError
	var syntax *json.SyntaxError
	var unmarshal *json.UnmarshalTypeError
	var netErr net.Error
	switch {
	case errors.As(err, &retrieve):
		info.Kind, info.Status = "http", retrieve.Response.StatusCode
		// v0.3.0's RetrieveError keeps the body, not the OAuth error code: read it from there.
		var body struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(retrieve.Body, &body) == nil && body.Error != "" {
			info.Kind, info.Error = "oauth", body.Error
		}
	case errors.As(err, &syntax), errors.As(err, &unmarshal), strings.Contains(err.Error(), "missing access_token"):
		info.Kind = "invalid_response"
	case errors.As(err, &netErr) && netErr.Timeout(), strings.Contains(err.Error(), "Client.Timeout"):
		info.Kind = "timeout"
	// RetrieveToken flattens a body read error with %v ("oauth2: cannot fetch token: unexpected
	// EOF", internal/token.go), so only its text says what happened.
	case errors.As(err, &netErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		strings.Contains(err.Error(), "unexpected EOF"), strings.Contains(err.Error(), "connection reset"):
		info.Kind = "network"
	}
	return info
}
