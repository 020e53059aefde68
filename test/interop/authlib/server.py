"""An Authlib (Flask) authorization server and resource server for tokenkeeper's interop tests.

Reads the clients as one JSON line on stdin, listens on 127.0.0.1 on a free port, prints
"listening <port> <versions>", and serves until stdin closes (so it never outlives the test process).
"""

import json
import logging
from importlib.metadata import version
import os
import secrets
import sys
import threading
import time

# Plain http, which Authlib otherwise refuses; the server only listens on loopback.
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.integrations.flask_oauth2 import current_token
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749 import TokenMixin
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from flask import Flask
from flask import jsonify
from joserfc.jwk import OctKey
from joserfc.jwk import import_key
from werkzeug.serving import make_server

JWT_METHOD = JWTBearerClientAssertion.CLIENT_AUTH_METHOD  # "client_assertion_jwt", for both JWT methods


class Client(ClientMixin):
    def __init__(self, client_id, method, secret=None, jwk=None, scope=""):
        self.client_id = client_id
        self.method = JWT_METHOD if method in ("client_secret_jwt", "private_key_jwt") else method
        self.secret = secret
        self.scope = scope
        self.key = import_key(jwk) if jwk else OctKey.import_key(secret) if method == "client_secret_jwt" else None

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        allowed = set(self.scope.split())
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri):
        return False

    def check_client_secret(self, client_secret):
        return self.secret is not None and secrets.compare_digest(self.secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method, endpoint):
        return endpoint != "token" or method == self.method

    def check_response_type(self, response_type):
        return False

    def check_grant_type(self, grant_type):
        return grant_type == "client_credentials"


class Token(TokenMixin):
    def __init__(self, client, payload):
        self.client = client
        self.access_token = payload["access_token"]
        self.scope = payload.get("scope", "")
        self.expires_in = payload["expires_in"]
        # Whole seconds, as Authlib's own SQLAlchemy token mixin stores it.
        self.issued_at = int(time.time())

    def check_client(self, client):
        return client.get_client_id() == self.client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return self.issued_at + self.expires_in < time.time()

    def is_revoked(self):
        return False


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    # Authlib's default for this grant is client_secret_basic only.
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", JWT_METHOD]


class JWTClientAuth(JWTBearerClientAssertion):
    def __init__(self, audiences):
        super().__init__()
        self.audiences = audiences
        self.used = set()
        self.lock = threading.Lock()

    def get_audiences(self):
        return self.audiences

    def validate_jti(self, claims, jti):
        with self.lock:
            if (claims["sub"], jti) in self.used:
                return False
            self.used.add((claims["sub"], jti))
            return True

    def resolve_client_public_key(self, client):
        return client.key


def create_app(config, token_url):
    clients = {c["client_id"]: Client(c["client_id"], c["method"], c.get("secret"), c.get("jwk"), c.get("scope", "")) for c in config["clients"]}
    tokens = {}
    app = Flask(__name__)
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"client_credentials": config["lifetime"]}
    app.config["OAUTH2_SCOPES_SUPPORTED"] = [config["scope"]]

    def save_token(payload, request):
        tokens[payload["access_token"]] = Token(request.client, payload)

    server = AuthorizationServer(app, query_client=clients.get, save_token=save_token)
    server.register_grant(ClientCredentialsGrant)
    server.register_client_auth_method(JWT_METHOD, JWTClientAuth([token_url]))

    class Validator(BearerTokenValidator):
        def authenticate_token(self, token_string):
            return tokens.get(token_string)

    require_oauth = ResourceProtector()
    require_oauth.register_token_validator(Validator())

    @app.post("/token")
    def token():
        return server.create_token_response()

    def answer():
        return jsonify(client_id=current_token.client.get_client_id(), scope=current_token.scope)

    app.add_url_rule("/resource", "resource", require_oauth()(answer))
    app.add_url_rule("/scoped", "scoped", require_oauth(config["scope"])(answer))
    return app


def main():
    config = json.loads(sys.stdin.readline())
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    # Bind first: the JWT audience names the port.
    http = make_server("127.0.0.1", 0, None, threaded=True)
    http.app = create_app(config, f"http://127.0.0.1:{http.server_port}/token")
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    print(f"listening {http.server_port} Authlib {version('authlib')} (Flask {version('flask')})", flush=True)
    http.serve_forever()


if __name__ == "__main__":
    main()
