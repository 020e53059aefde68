"""An Authlib (Flask) authorization server and resource server for tokenkeeper's interop tests:
the client credentials grant with every client authentication, and the JWT bearer grant (RFC 7523
§2.1, Authlib's JWTBearerGrant) for clients registered with method "jwt_bearer".

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
from authlib.oauth2.rfc7523 import JWTBearerGrant as AuthlibJWTBearerGrant
from flask import Flask
from flask import jsonify
from joserfc.jwk import OctKey
from joserfc.jwk import import_key
from werkzeug.serving import make_server

JWT_METHOD = JWTBearerClientAssertion.CLIENT_AUTH_METHOD  # "client_assertion_jwt", for both JWT methods
JWT_BEARER = AuthlibJWTBearerGrant.GRANT_TYPE  # "urn:ietf:params:oauth:grant-type:jwt-bearer"


class Client(ClientMixin):
    def __init__(self, client_id, method, secret=None, jwk=None, scope=""):
        self.client_id = client_id
        self.method = JWT_METHOD if method in ("client_secret_jwt", "private_key_jwt") else method
        self.secret = secret
        self.scope = scope
        self.key = import_key(jwk) if jwk else OctKey.import_key(secret) if method == "client_secret_jwt" else None
        # A JWT bearer client signs its own grants: it asks for no other grant, and the other
        # clients never ask for this one.
        self.grant_type = JWT_BEARER if method == "jwt_bearer" else "client_credentials"

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
        return grant_type == self.grant_type


class User:
    """Whom a JWT bearer grant's `sub` names: the client itself (sub = iss), or a user it may act for."""

    def __init__(self, user_id, clients):
        self.user_id = user_id
        self.clients = clients

    def get_user_id(self):
        return self.user_id


class Token(TokenMixin):
    def __init__(self, client, user, payload):
        self.client = client
        self.user = user
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
    # A JWT bearer client is its own user (an assertion with sub = iss), and may act for the users
    # registered for it.
    users = {}
    for c in config["clients"]:
        if c["method"] == "jwt_bearer":
            for user_id in [c["client_id"], *c.get("users", [])]:
                users[user_id] = User(user_id, {c["client_id"]})
    tokens = {}
    app = Flask(__name__)
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"client_credentials": config["lifetime"], JWT_BEARER: config["lifetime"]}
    app.config["OAUTH2_SCOPES_SUPPORTED"] = [config["scope"]]

    def save_token(payload, request):
        tokens[payload["access_token"]] = Token(request.client, request.user, payload)

    class JWTBearerGrant(AuthlibJWTBearerGrant):
        def resolve_issuer_client(self, issuer):
            return clients.get(issuer)

        def resolve_client_public_key(self, client):
            return client.key

        def get_audiences(self):
            return [token_url]

        def authenticate_user(self, subject):
            return users.get(subject)

        def has_granted_permission(self, client, user):
            return client.get_client_id() in user.clients

    server = AuthorizationServer(app, query_client=clients.get, save_token=save_token)
    server.register_grant(ClientCredentialsGrant)
    server.register_grant(JWTBearerGrant)
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
        user = current_token.user
        return jsonify(client_id=current_token.client.get_client_id(), scope=current_token.scope, sub=user.get_user_id() if user else None)

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
