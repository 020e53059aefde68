# frozen_string_literal: true

# Ruby's oauth2 gem as a conformance subject (conformance/PROTOCOL.md).
#
# Used as its README shows for client credentials: OAuth2::Client.new(id, secret, site:,
# token_url:, auth_scheme:) and client.client_credentials.get_token(params); the AccessToken
# makes the resource requests (token.request). The gem keeps no token of its own: like the
# simple-oauth2 adapter, the adapter holds the AccessToken until the gem's own expired? says it
# has expired. Per-call scopes or resources make one get_token call that is not kept. Faraday's
# connection options (proxy, ssl ca_file, request timeout) route to the suite's proxy, trust the
# suite's CA and carry a scenario's deadline; resource requests pass raise_errors: false so that
# a 4xx comes back as a response. The gem reads Time.now: it follows the suite's clock. Not
# driven: discovery, private_key_jwt (every scenario for it needs discovery), DPoP, an origin
# policy, invalidation.
$LOAD_PATH.unshift(__dir__)
require 'base64'
require 'uri'
require 'oauth2'
require 'oauth2/version'
require 'protocol'

HELLO = {
  protocol: 1,
  name: 'oauth2',
  version: OAuth2::Version.to_s,
  language: 'Ruby',
  clockSource: 'Time.now replaced (one process per instance)',
  capabilities: %w[client_secret_post client_secret_basic scope resource clock fetch timeout]
}.freeze

class ConfigRefused < StandardError; end

def token_params(scope, resource)
  params = {}
  params['scope'] = scope.join(' ') if scope && !scope.empty?
  # One value as a string; several as an array, which is all get_token's params can take.
  params['resource'] = resource.length == 1 ? resource[0] : resource if resource && !resource.empty?
  params
end

# One client instance.
class Instance
  def initialize(env, proxy, ca)
    auth = env['auth']
    schemes = { 'client_secret_post' => :request_body, 'client_secret_basic' => :basic_auth, 'none' => :request_body }
    raise ConfigRefused, "this adapter drives #{schemes.keys.join(', ')}, not #{auth['method']}" unless schemes.key?(auth['method'])
    raise ConfigRefused, 'the gem needs a token URL (it has no discovery)' unless env['tokenEndpoint']

    @env = env
    endpoint = URI(env['tokenEndpoint'])
    connection = { proxy: proxy, ssl: { ca_file: ca } }
    if env['timeoutMs']
      seconds = env['timeoutMs'] / 1000.0
      connection[:request] = { timeout: seconds, open_timeout: seconds }
    end
    @client = OAuth2::Client.new(env['clientId'], auth['clientSecret'],
                                 site: "#{endpoint.scheme}://#{endpoint.host}:#{endpoint.port}",
                                 token_url: env['tokenEndpoint'],
                                 auth_scheme: schemes[auth['method']],
                                 connection_opts: connection)
    @token = nil
  end

  def current_token(force = false)
    token = @token
    if token.nil? || token.expired? || force
      token = @client.client_credentials.get_token(token_params(@env['scope'], @env['resource']))
      @token = token
    end
    token
  end

  def get_token(call)
    token = if call.key?('scope') || call.key?('resource')
              @client.client_credentials.get_token(token_params(call.fetch('scope', @env['scope']), call.fetch('resource', @env['resource'])))
            else
              current_token(call['forceRefresh'])
            end
    result = { accessToken: token.token, tokenType: token.params['token_type'] }
    result[:expiresAt] = token.expires_at * 1000 if token.expires_at
    result[:scope] = token.params['scope'] if token.params['scope'].is_a?(String)
    result
  end

  def fetch(call)
    body = call['body'] && Base64.strict_decode64(call['body'])
    response = current_token.request(call['method'].downcase.to_sym, call['url'],
                                     headers: call['headers'].to_h, body: body, raise_errors: false)
    headers = response.headers.map { |k, v| [k.downcase, v.to_s] }
    { status: response.status, headers: headers, body: Base64.strict_encode64(response.body.to_s) }
  end
end

CLASSIFY = lambda do |e|
  info = { kind: 'other', message: e.message.to_s, code: e.class.name }
  case e
  when ConfigRefused then info[:kind] = 'config'
  when OAuth2::Error
    status = e.response&.status
    info[:status] = status if status
    if e.code.is_a?(String) && !e.code.empty? then info.update(kind: 'oauth', error: e.code)
    elsif status && status >= 400 then info[:kind] = 'http'
    else info[:kind] = 'invalid_response'
    end
  when Faraday::TimeoutError, Net::OpenTimeout, Net::ReadTimeout then info[:kind] = 'timeout'
  when Faraday::ConnectionFailed, Faraday::SSLError, EOFError, Errno::ECONNRESET, Errno::ECONNREFUSED then info[:kind] = 'network'
  when JSON::ParserError then info[:kind] = 'invalid_response'
  end
  info
end

if $PROGRAM_NAME == __FILE__
  Conformance.follow_clock
  Conformance::Program.new(HELLO, ->(env, proxy, ca) { Instance.new(env, proxy, ca) }, CLASSIFY).run
end
