"""Authlib's requests client (OAuth2Session) as a conformance subject (conformance/PROTOCOL.md).

Used as Authlib's docs show for client credentials: ``OAuth2Session(client_id, client_secret,
token_endpoint=…, grant_type="client_credentials", scope=…)``, ``fetch_token()`` once, then the
session's own requests, which renew the token when ``OAuth2Token.is_expired()`` says so
(``OAuth2Client.ensure_active_token``). ``getToken`` returns the session's token after the same
``ensure_active_token`` call the session makes before each request. Per-call scopes or resources
use a new session and one ``fetch_token`` (the session keeps one token). The session's
``proxies`` and ``verify`` (requests options it takes) route to the suite's proxy and trust the
suite's CA; ``default_timeout`` carries a scenario's deadline. Several resource indicators go in
``fetch_token``'s documented ``body`` argument (its keyword arguments take one value each).
``client_secret_jwt`` registers ``ClientSecretJWT(token_endpoint)`` as Authlib's docs show;
auth "none" is Authlib's own ``token_endpoint_auth_method="none"``.
Authlib reads ``time.time()``: it follows the suite's clock (protocol.follow_clock). Not driven:
discovery (OAuth2Session has none), private_key_jwt (every scenario for it needs discovery), DPoP,
an origin policy, invalidation.
"""

import base64

import authlib
import requests
from authlib.integrations.base_client import OAuthError, UnsupportedTokenTypeError
from authlib.common.urls import url_encode
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import ClientSecretJWT

from protocol import Program, follow_clock

HELLO = {
    "protocol": 1,
    "name": "Authlib",
    "version": authlib.__version__,
    "language": "Python",
    "clockSource": "time.time() replaced (one process per instance)",
    "capabilities": [
        "client_secret_post", "client_secret_basic", "client_secret_jwt", "scope", "resource", "clock", "fetch", "timeout",
    ],
}


class ConfigRefused(Exception):
    """A configuration this adapter cannot give the library."""


def _params(resource):
    """fetch_token's arguments for RFC 8707 resource indicators."""
    if not resource:
        return {}
    if len(resource) == 1:
        return {"resource": resource[0]}
    # fetch_token's **kwargs take one value per name (a list fails in url_encode); its documented
    # ``body`` argument takes an encoded form, which Authlib's own url_encode writes.
    return {"body": url_encode([("resource", r) for r in resource])}


class Instance:
    def __init__(self, env, proxy, ca):
        auth = env["auth"]
        method = auth["method"]
        if method not in ("client_secret_post", "client_secret_basic", "client_secret_jwt", "none"):
            raise ConfigRefused("this adapter drives client_secret_post, client_secret_basic, client_secret_jwt and none, not " + method)
        if "tokenEndpoint" not in env:
            raise ConfigRefused("OAuth2Session needs token_endpoint (it has no discovery)")
        self.env = env
        self.options = {
            "client_id": env["clientId"],
            "client_secret": auth.get("clientSecret"),
            "token_endpoint_auth_method": method,
            "token_endpoint": env["tokenEndpoint"],
            "grant_type": "client_credentials",
            "proxies": {"http": proxy, "https": proxy},
            "verify": ca,
        }
        if env.get("timeoutMs") is not None:
            self.options["default_timeout"] = env["timeoutMs"] / 1000.0
        self.extra = _params(env.get("resource"))
        self.session = self._session(env.get("scope"))

    def _session(self, scope):
        session = OAuth2Session(scope=" ".join(scope) if scope else None, **self.options)
        if self.options["token_endpoint_auth_method"] == "client_secret_jwt":
            # As Authlib's docs show it (authlib/oauth2/rfc7523/auth.py): the method is registered
            # on the session, with the token endpoint as the assertion's audience.
            session.register_client_auth_method(ClientSecretJWT(self.options["token_endpoint"]))
        return session

    def _token(self, forced=False):
        session = self.session
        if not session.token or forced:
            session.fetch_token(**self.extra)
        else:
            session.ensure_active_token(session.token)
        return session.token

    def get_token(self, call):
        if "scope" in call or "resource" in call:
            scope = call.get("scope", self.env.get("scope"))
            token = self._session(scope).fetch_token(**_params(call.get("resource", self.env.get("resource"))))
        else:
            token = self._token(call.get("forceRefresh", False))
        if not isinstance(token, dict):
            # The session kept a token response that is not an object (a JSON list, say): report it
            # as the token the library handed out, with nothing in it.
            return {"accessToken": None, "tokenType": None}
        result = {"accessToken": token.get("access_token"), "tokenType": token.get("token_type")}
        if isinstance(token.get("expires_at"), (int, float)):
            result["expiresAt"] = token["expires_at"] * 1000
        if isinstance(token.get("scope"), str):
            result["scope"] = token["scope"]
        return result

    def fetch(self, call):
        if not self.session.token:
            self.session.fetch_token(**self.extra)
        body = base64.b64decode(call["body"]) if call.get("body") is not None else None
        res = self.session.request(call["method"], call["url"], data=body, headers=dict(call["headers"]))
        headers = [[k.lower(), v] for k, v in res.headers.items()]
        return {"status": res.status_code, "headers": headers, "body": base64.b64encode(res.content).decode()}


def classify(exc):
    info = {"kind": "other", "message": str(exc), "code": type(exc).__name__}
    response = getattr(exc, "response", None)
    if isinstance(exc, UnsupportedTokenTypeError):
        info["kind"] = "unsupported_token_type"
    elif isinstance(exc, OAuthError):
        info.update(kind="oauth", error=exc.error)
    elif isinstance(exc, requests.exceptions.Timeout):
        info["kind"] = "timeout"
    elif isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        info["kind"] = "network"
    elif isinstance(exc, requests.exceptions.HTTPError) and response is not None:
        info.update(kind="http", status=response.status_code)
    elif isinstance(exc, ConfigRefused):
        info["kind"] = "config"
    elif isinstance(exc, UnicodeError):
        pass  # raised while encoding the request (encode_client_secret_basic's latin-1): "other"
    elif isinstance(exc, ValueError):
        # resp.json() on a body that is not JSON, int(expires_in) on a bad value: the response.
        info["kind"] = "invalid_response"
    return info


if __name__ == "__main__":
    follow_clock()
    Program(HELLO, Instance, classify).run()
