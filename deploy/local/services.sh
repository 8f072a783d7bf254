#!/usr/bin/env bash
# Starts the five services and the Sandbox from their build output, each with its log under .local/logs/, and starts
# again a service that ended because its bus stayed unhealthy.
# Sourced by run.sh; expects ROOT, CONFIGURATION and GROWTHOS_API_KEY (an admin key named "local"; the gateway is given
# only its salted hash).

SERVICES=(Sandbox IngestSaga Connector Transform KpiAlert ApiGateway)
declare -A SERVICE_PORT=([Sandbox]=8090 [IngestSaga]=8081 [Connector]=8082 [Transform]=8083 [KpiAlert]=8084 [ApiGateway]=8080)
SERVICE_PIDS=()
read -r API_KEY_SALT API_KEY_SHA256 <<<"$("$(dirname "${BASH_SOURCE[0]}")/api-key.sh" hash "$GROWTHOS_API_KEY")"
# The key the gateway signs its calls to the services with: new for each run unless given.
GATEWAY_SECRET="${GROWTHOS_GATEWAY_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"

# The key that seals the connections' credentials in the local database: made once, kept in .local/ (never committed),
# so the connections of an earlier run still open; GROWTHOS_CONNECTIONS_KEY gives another.
if [ -z "${GROWTHOS_CONNECTIONS_KEY:-}" ]; then
  mkdir -p "$ROOT/.local"
  [ -s "$ROOT/.local/connections.key" ] || (umask 077 && head -c 32 /dev/urandom | base64 >"$ROOT/.local/connections.key")
  GROWTHOS_CONNECTIONS_KEY="$(cat "$ROOT/.local/connections.key")"
fi

# Exit code with which a service ends when its bus stays unhealthy (RabbitMq:UnhealthyExitSeconds), for its supervisor
# to start it again with a new connection, as docker-compose's `restart: unless-stopped` does.
RESTART_EXIT_CODE=75

# The Sandbox's address of a shop, unless GROWTHOS_SHOPIFY_BASE_URL names a real one. Kept in a variable: a default
# written inside ${VAR:-...} would end at the first '}' of '{shop}'.
SANDBOX_BASE_URL='http://127.0.0.1:8090/{shop}'

# Where results are downloaded from: Shopify's storage for a real shop, else the Sandbox, over http.
if [ -n "${GROWTHOS_SHOPIFY_BASE_URL:-}" ]; then
  DOWNLOAD_HOST="${GROWTHOS_DOWNLOAD_HOST:-storage.googleapis.com}" ALLOW_HTTP_DOWNLOADS=false
else
  DOWNLOAD_HOST=127.0.0.1:8090 ALLOW_HTTP_DOWNLOADS=true
fi

# Where Shopify sends bulk_operations/finish: the gateway's /webhooks/shopify. With the Sandbox, the local gateway; with a
# real shop, only the public HTTPS address given in GROWTHOS_WEBHOOK_URL (none: runs complete by polling).
if [ -n "${GROWTHOS_SHOPIFY_BASE_URL:-}" ]; then
  WEBHOOK_URL="${GROWTHOS_WEBHOOK_URL:-}"
else
  WEBHOOK_URL="${GROWTHOS_WEBHOOK_URL:-http://127.0.0.1:8080/webhooks/shopify}"
fi

# The shop is connected through the API once the services are up (run.sh): with the Sandbox through Shopify's install
# flow, as the Sandbox's app; with a real shop through the install flow when GROWTHOS_SHOPIFY_CLIENT_ID and
# GROWTHOS_SHOPIFY_APP_SECRET name a public app, else with the custom app's token GROWTHOS_SHOP_TOKEN.
INSTALL_ENV=()
if [ -z "${GROWTHOS_SHOPIFY_BASE_URL:-}" ] || [ -n "${GROWTHOS_SHOPIFY_CLIENT_ID:-}" ]; then
  INSTALL_ENV=(Shopify__ClientId="${GROWTHOS_SHOPIFY_CLIENT_ID:-sandbox-shopify-client-id}"
    Shopify__ClientSecret="${GROWTHOS_SHOPIFY_APP_SECRET:-shpss_sandbox_app_secret}"
    Shopify__InstallRedirectUri="${GROWTHOS_INSTALL_REDIRECT_URI:-http://127.0.0.1:8080/api/connections/shopify/callback}")
fi

# The marketing sources' APIs: the Sandbox's, unless a real shop is named (then the providers' own). No setting names an
# account: run.sh connects them through the connections API (deploy/connect.sh, CONNECT_ENV), as a user connects them.
# The Sandbox demo shop's: its Meta ad account with its token, its Google Ads customer and GA4 property through Google's
# consent page. A real shop's, when given: GROWTHOS_META_AD_ACCOUNT with GROWTHOS_META_TOKEN; GROWTHOS_GOOGLE_ADS_CUSTOMER
# and GROWTHOS_GA4_PROPERTY through Google's consent page, or with GROWTHOS_GOOGLE_ADS_REFRESH_TOKEN and
# GROWTHOS_GA4_REFRESH_TOKEN (refresh tokens of the OAuth client below).
SHOP_DOMAIN="${GROWTHOS_SHOP:-demo-shop.myshopify.com}"
CONNECT_ENV=(CONNECT_SHOP="$SHOP_DOMAIN" CONNECT_SHOP_TOKEN="${GROWTHOS_SHOP_TOKEN:-}")
if [ -z "${GROWTHOS_SHOPIFY_BASE_URL:-}" ]; then
  MARKETING_ENV=(Meta__BaseUrl=http://127.0.0.1:8090/meta Meta__ReportPollSeconds=2 GoogleAds__BaseUrl=http://127.0.0.1:8090/google-ads
    Ga4__BaseUrl=http://127.0.0.1:8090/ga4 Klaviyo__BaseUrl=http://127.0.0.1:8090/klaviyo)
  CONNECT_ENV+=(CONNECT_META_AD_ACCOUNT=1029384756 CONNECT_META_TOKEN=EAAGsandboxDemoMetaToken CONNECT_GOOGLE_ADS_CUSTOMER=4815162342
    CONNECT_GA4_PROPERTY=314159265 CONNECT_KLAVIYO_ACCOUNT=WkShOp CONNECT_KLAVIYO_KEY=pk_sandboxDemoKlaviyoKey)
else
  MARKETING_ENV=(Meta__BaseUrl="${GROWTHOS_META_BASE_URL:-https://graph.facebook.com}"
    GoogleAds__BaseUrl="${GROWTHOS_GOOGLE_ADS_BASE_URL:-https://googleads.googleapis.com}"
    Ga4__BaseUrl="${GROWTHOS_GA4_BASE_URL:-https://analyticsdata.googleapis.com}"
    Klaviyo__BaseUrl="${GROWTHOS_KLAVIYO_BASE_URL:-https://a.klaviyo.com}")
  CONNECT_ENV+=(CONNECT_META_AD_ACCOUNT="${GROWTHOS_META_AD_ACCOUNT:-}" CONNECT_META_TOKEN="${GROWTHOS_META_TOKEN:-}"
    CONNECT_GOOGLE_ADS_CUSTOMER="${GROWTHOS_GOOGLE_ADS_CUSTOMER:-}" CONNECT_GOOGLE_ADS_LOGIN_CUSTOMER="${GROWTHOS_GOOGLE_ADS_LOGIN_CUSTOMER:-}"
    CONNECT_GOOGLE_ADS_REFRESH_TOKEN="${GROWTHOS_GOOGLE_ADS_REFRESH_TOKEN:-}"
    CONNECT_GA4_PROPERTY="${GROWTHOS_GA4_PROPERTY:-}" CONNECT_GA4_REFRESH_TOKEN="${GROWTHOS_GA4_REFRESH_TOKEN:-}"
    CONNECT_KLAVIYO_ACCOUNT="${GROWTHOS_KLAVIYO_ACCOUNT:-}" CONNECT_KLAVIYO_KEY="${GROWTHOS_KLAVIYO_KEY:-}")
fi

# Google's consent flow, for Google Ads customers and GA4 properties connected at run time: the Sandbox's OAuth client
# and consent page, unless a real shop is named; then the OAuth client GROWTHOS_GOOGLE_CLIENT_ID and
# GROWTHOS_GOOGLE_CLIENT_SECRET name (its authorized redirect URI: GROWTHOS_GOOGLE_REDIRECT_URI).
GOOGLE_ENV=()
if [ -z "${GROWTHOS_SHOPIFY_BASE_URL:-}" ]; then
  GOOGLE_ENV=(GoogleOAuth__AuthorizeUrl=http://127.0.0.1:8090/google-oauth/o/oauth2/v2/auth GoogleOAuth__TokenUrl=http://127.0.0.1:8090/google-oauth/token
    GoogleOAuth__ClientId=sandbox-client.apps.googleusercontent.com GoogleOAuth__ClientSecret=GOCSPX-sandbox-client-secret
    Ga4__AdminBaseUrl=http://127.0.0.1:8090/ga4-admin)
elif [ -n "${GROWTHOS_GOOGLE_CLIENT_ID:-}" ]; then
  GOOGLE_ENV=(GoogleOAuth__ClientId="$GROWTHOS_GOOGLE_CLIENT_ID" GoogleOAuth__ClientSecret="${GROWTHOS_GOOGLE_CLIENT_SECRET:-}")
fi
if [ "${#GOOGLE_ENV[@]}" -gt 0 ]; then
  GOOGLE_ENV+=(GoogleOAuth__RedirectUri="${GROWTHOS_GOOGLE_REDIRECT_URI:-http://127.0.0.1:8080/api/connections/google/callback}")
fi

# The local infrastructure (deploy/local/infra.sh) and its logins: no service has a default for them.
LOCAL_INFRASTRUCTURE=(
  "ConnectionStrings__Postgres=Host=127.0.0.1;Port=${GROWTHOS_PG_PORT:-55432};Username=postgres;Database=${GROWTHOS_PG_DATABASE:-growthos}"
  RabbitMq__Host=127.0.0.1 RabbitMq__Port="${GROWTHOS_AMQP_PORT:-55672}" RabbitMq__Username=guest RabbitMq__Password=guest
  S3__ServiceUrl="http://127.0.0.1:${GROWTHOS_S3_PORT:-55690}" S3__AccessKey=S3RVER S3__SecretKey=S3RVER
  Gateway__Secret="$GATEWAY_SECRET"
  Connections__EncryptionKeys__0__Id=local Connections__EncryptionKeys__0__Key="$GROWTHOS_CONNECTIONS_KEY"
  # The staff dashboard the gateway serves at / (web/dashboard/build.sh builds it).
  Dashboard__Directory="$ROOT/web/dashboard/dist"
)

start_service() { # name
  local name=$1 dir="$ROOT/services/$1/bin/$CONFIGURATION/net10.0"
  mkdir -p "$ROOT/.local/logs"
  (
    cd "$dir"
    child=""
    trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" || true; fi; exit 0' TERM
    while true; do
      env \
        ASPNETCORE_ENVIRONMENT=Production \
        "${LOCAL_INFRASTRUCTURE[@]}" \
        Shopify__BaseUrlTemplate="${GROWTHOS_SHOPIFY_BASE_URL:-$SANDBOX_BASE_URL}" \
        Shopify__DownloadHosts__0="$DOWNLOAD_HOST" Shopify__AllowHttpDownloads="$ALLOW_HTTP_DOWNLOADS" \
        "${INSTALL_ENV[@]}" \
        BulkSync__PollIntervalSeconds="${GROWTHOS_POLL_INTERVAL_SECONDS:-16}" \
        ApiKeys__Keys__0__Id=local ApiKeys__Keys__0__Role=admin \
        ApiKeys__Keys__0__Salt="$API_KEY_SALT" ApiKeys__Keys__0__Sha256="$API_KEY_SHA256" \
        Shopify__WebhookCallbackUrl="$WEBHOOK_URL" \
        BulkSync__CompletionWebhooks="$([ -n "$WEBHOOK_URL" ] && echo true || echo false)" \
        ShopifyWebhooks__Secret="${GROWTHOS_SHOPIFY_APP_SECRET:-shpss_sandbox_app_secret}" \
        Sandbox__StateDirectory="${GROWTHOS_SANDBOX_STATE:-$ROOT/.local/sandbox-state}" \
        Sandbox__AllowHttpWebhooks=true \
        Sandbox__ShopifyApp__ComplianceUri="${WEBHOOK_URL:-http://127.0.0.1:8080/webhooks/shopify}" \
        "${MARKETING_ENV[@]}" \
        "${GOOGLE_ENV[@]}" \
        dotnet "GrowthOs.$name.dll" &
      child=$!
      code=0
      wait "$child" || code=$?
      child=""
      [ "$code" -eq "$RESTART_EXIT_CODE" ] || exit "$code"
      echo "[services] $name ended with exit code $code (its bus stayed unhealthy); starting it again in 5 s"
      sleep 5
    done
  ) >"$ROOT/.local/logs/$name.log" 2>&1 &
  SERVICE_PIDS+=($!)
}

wait_ready() { # name seconds
  local name=$1 port=${SERVICE_PORT[$1]} deadline=$((SECONDS + $2))
  until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      echo "$name is not ready after $2 s; last log lines:" >&2
      tail -n 20 "$ROOT/.local/logs/$name.log" >&2
      return 1
    fi
    sleep 0.5
  done
}

stop_services() {
  local pid
  for pid in "${SERVICE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SERVICE_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SERVICE_PIDS=()
}
