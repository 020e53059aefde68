// What the test steps need from the machine beyond node_modules, one entry per need. A step names
// its needs (`needs` in scripts/test-steps.mjs); scripts/test.mjs checks the needs of the steps it
// is about to run and provisions the missing ones itself (scripts/provision.mjs) before any step
// runs: Debian packages through apt-get when it runs as root (otherwise it stops and prints the
// command to run), then the `make` commands, which need no root.
//
// An entry:
//   name    what steps and other needs refer to it by
//   why     what needs it, for the message when it is missing
//   check   a command (argv, run from the repository root) that exits 0 when the need is met
//   debian  the Debian packages that meet it (or that `make` needs)
//   make    a command that meets it without root, run after the packages are installed
//   needs   other needs that must be met first (their packages, then their `make`)
// A Debian package a test subject needs is one more entry, and its step names it in `stepNeeds`
// (scripts/test-steps.mjs):
//   { name: "go", why: "the Go conformance subject", check: ["go", "version"], debian: ["golang-go"] }

/** @type {import("./needs.d.mts").Need[]} */
export const needs = [
  {
    name: "redis-server",
    why: "the Redis store tests and the shared-store example start a throwaway redis-server",
    // REDIS_SERVER names another binary (test/stores/redis-server.ts).
    check: ["sh", "-c", 'command -v "${REDIS_SERVER:-redis-server}"'],
    debian: ["redis-server"],
  },
  {
    name: "openssl",
    why: "the conformance suite's TLS token servers, oidc-provider and the command's tests run on a throwaway CA it makes",
    check: ["sh", "-c", "command -v openssl"],
    debian: ["openssl"],
  },
  {
    name: "python3-venv",
    why: "the Authlib interop tests run Authlib in a Python virtual environment",
    check: ["python3", "-c", "import venv, ensurepip"],
    debian: ["python3", "python3-venv"],
  },
  {
    name: "authlib-venv",
    why: "the Authlib interop tests run test/interop/authlib/server.py in .venv/",
    // interop-python.sh copies the requirements it installed into the venv once pip is done: a
    // venv from other requirements, or one a failed pip left half made, is made again.
    check: ["sh", "-c", '"${INTEROP_VENV:-.venv}/bin/python" -c "import authlib, flask" && cmp -s test/interop/authlib/requirements.txt "${INTEROP_VENV:-.venv}/requirements.txt"'],
    make: ["bash", "scripts/interop-python.sh"],
    needs: ["python3-venv"],
  },
  {
    name: "go-x-oauth2",
    why: "the conformance suite grades Go's golang.org/x/oauth2/clientcredentials, built offline in GOPATH mode",
    check: ["sh", "-c", "command -v go && test -d /usr/share/gocode/src/golang.org/x/oauth2/clientcredentials"],
    debian: ["golang-go", "golang-golang-x-oauth2-dev"],
  },
  {
    name: "python3",
    why: "the conformance package's forking tests run a program on subjects/python/protocol.py with /usr/bin/python3",
    check: ["/usr/bin/python3", "-c", "import os; os.fork"],
    debian: ["python3"],
  },
  {
    name: "ruby",
    why: "the conformance package's forking tests run a program on subjects/ruby/protocol.rb with /usr/bin/ruby",
    check: ["/usr/bin/ruby", "-rsocket", "-e", "Process.fork {}"],
    debian: ["ruby"],
  },
  {
    name: "python3-authlib",
    why: "the conformance suite grades Python's Authlib (Debian's, run by /usr/bin/python3)",
    check: ["/usr/bin/python3", "-c", "import authlib, requests"],
    debian: ["python3-authlib", "python3-requests"],
  },
  {
    name: "ruby-oauth2",
    why: "the conformance suite grades Ruby's oauth2 gem",
    check: ["/usr/bin/ruby", "-e", "require 'oauth2'"],
    debian: ["ruby", "ruby-oauth2"],
  },
];
