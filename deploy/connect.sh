#!/usr/bin/env bash
# Connects a shop and its ad accounts through the gateway's connections API, as a person does on the Connections page:
# the shop through Shopify's install flow (or with a custom app's Admin API token), a Meta ad account with its token, a
# Google Ads customer and a GA4 property through Google's consent page, a Klaviyo account with its private key. A consent page that approves at once (the
# Sandbox's) is followed back to the gateway's callback; one that waits for a person (Shopify's, Google's) is printed
# for that person to open. What is connected already stays as it is. It needs bash and curl only: run.sh runs it, and
# every service image holds it as /app/connect.sh for docker-compose's `connect` service and deploy/k8s/connect-job.yaml.
#
#   GROWTHOS_GATEWAY                   the gateway (default http://127.0.0.1:8080)
#   GROWTHOS_API_KEY                   an operator's or an admin's key
#   CONNECT_SHOP                       the shop's name.myshopify.com domain
#   CONNECT_SHOP_TOKEN                 a custom app's Admin API token; empty: Shopify's install flow
#   CONNECT_META_AD_ACCOUNT            a Meta ad account's digits, with CONNECT_META_TOKEN (a system user's or long-lived token)
#   CONNECT_GOOGLE_ADS_CUSTOMER        a Google Ads customer, reached through CONNECT_GOOGLE_ADS_LOGIN_CUSTOMER when set
#   CONNECT_GA4_PROPERTY               a GA4 property
#   CONNECT_KLAVIYO_ACCOUNT            a Klaviyo account's public API key, with CONNECT_KLAVIYO_KEY (its private API key)
#   CONNECT_GOOGLE_ADS_REFRESH_TOKEN, CONNECT_GA4_REFRESH_TOKEN   refresh tokens of the deployment's Google OAuth client,
#                                      given instead of Google's consent page
#   CONNECT_WAIT_SECONDS               how long to wait for the gateway to be ready (default 180)
# Exits non-zero when the API refuses a connection, naming what it answered.
set -euo pipefail
GATEWAY="${GROWTHOS_GATEWAY:-http://127.0.0.1:8080}"
GATEWAY="${GATEWAY%/}"
: "${GROWTHOS_API_KEY:?Set GROWTHOS_API_KEY: the key of an operator or an admin}"
: "${CONNECT_SHOP:?Set CONNECT_SHOP: the name.myshopify.com domain of the shop}"
log() { printf '[connect] %s\n' "$*"; }

# One call: "<status> <redirect address>", the body in $BODY_FILE.
BODY_FILE="$(mktemp)"
trap 'rm -f "$BODY_FILE"' EXIT
call() { curl -sS -o "$BODY_FILE" -w '%{http_code} %{redirect_url}' "$@"; }
keyed() { call -H "X-Api-Key: $GROWTHOS_API_KEY" "$@"; }
refused() { log "$1 answered $2: $(head -c 2000 "$BODY_FILE")" >&2; exit 1; }

for ((i = 0; ; i++)); do
  curl -fsS -o /dev/null "$GATEWAY/health/ready" 2>/dev/null && break
  ((i < ${CONNECT_WAIT_SECONDS:-180})) || { log "the gateway at $GATEWAY is not ready after ${CONNECT_WAIT_SECONDS:-180} s" >&2; exit 1; }
  sleep 1
done

# A consent page's address, given by the gateway's redirect: the page is asked once. When it sends the browser back
# at once, its callback is called on the gateway this script reaches (the path and query the provider sent: the
# address a browser would follow may be one this script cannot reach), and the callback's landing says what came of it.
consent() {
  local what="$1" authorize="$2" answer callback landing
  if ! answer="$(call "$authorize" 2>/dev/null)" || [[ "$answer" != 30[23]\ * ]]; then
    log "$what waits for a person's consent: open $authorize"
    return 0
  fi
  callback="${answer#* }"
  callback="/${callback#*://*/}"
  if [[ "$callback" != /api/connections/*/callback\?* ]]; then
    log "$what waits for a person's consent: open $authorize"
    return 0
  fi
  answer="$(call "$GATEWAY$callback")"
  [[ "$answer" == 30[23]\ * ]] || refused "the callback of $what" "${answer%% *}"
  landing="${answer#* }"
  log "connected $what: ${landing#*\?}"
}

# Whether the shop has a connection of this account (not disconnected; whatever its status, which the Connections page
# shows): a consent is then not asked again.
connected_here() {
  local answer
  answer="$(keyed "$GATEWAY/api/connections?shop=$shop")"
  [ "${answer%% *}" = 200 ] || refused "GET /api/connections?shop=$shop" "${answer%% *}"
  grep -q "\"account\":\"$1\"" "$BODY_FILE"
}

# A 409 is fine when what was asked is connected to this shop already; else (another shop holds the account, the shop
# has another account of the provider) it is refused.
already() {
  local conflict
  conflict="$(head -c 2000 "$BODY_FILE")"
  if connected_here "$2"; then log "$1 was connected already"; else log "$1 answered 409: $conflict" >&2; exit 1; fi
}

# POSTs a connection: its JSON body, what it connects, its account.
post() {
  local answer
  answer="$(keyed -H 'Content-Type: application/json' -d "$1" "$GATEWAY/api/connections")"
  case "${answer%% *}" in
    201 | 202) log "connected $2" ;;
    409) already "$2" "$3" ;;
    *) refused "POST /api/connections for $2" "${answer%% *}" ;;
  esac
}

shop="$CONNECT_SHOP"
if [ -n "${CONNECT_SHOP_TOKEN:-}" ]; then
  post "{\"shop\":\"$shop\",\"access_token\":\"$CONNECT_SHOP_TOKEN\"}" "$shop" "$shop"
elif connected_here "$shop"; then
  log "$shop was connected already"
else
  answer="$(keyed "$GATEWAY/api/connections/shopify/install?shop=$shop")"
  [[ "$answer" == 30[23]\ * ]] || refused "the install of $shop" "${answer%% *}"
  consent "$shop through Shopify's install flow" "${answer#* }"
fi

if [ -n "${CONNECT_META_AD_ACCOUNT:-}" ]; then
  : "${CONNECT_META_TOKEN:?Set CONNECT_META_TOKEN: the token of the Meta ad account}"
  post "{\"shop\":\"$shop\",\"provider\":\"meta\",\"account\":\"$CONNECT_META_AD_ACCOUNT\",\"access_token\":\"$CONNECT_META_TOKEN\"}" \
    "Meta ad account act_$CONNECT_META_AD_ACCOUNT" "$CONNECT_META_AD_ACCOUNT"
fi

# A Google Ads customer or GA4 property: with its refresh token, or through Google's consent page.
google() {
  local provider="$1" account="${2//-/}" manager="${3//-/}" refresh_token="$4" query answer
  if [ -n "$refresh_token" ]; then
    post "{\"shop\":\"$shop\",\"provider\":\"$provider\",\"account\":\"$account\"${manager:+,\"login_customer_id\":\"$manager\"},\"refresh_token\":\"$refresh_token\"}" \
      "$provider $account" "$account"
    return
  fi
  if connected_here "$account"; then
    log "$provider $account was connected already"
    return
  fi
  query="shop=$shop&provider=$provider&account=$account${manager:+&login_customer_id=$manager}"
  answer="$(keyed "$GATEWAY/api/connections/google/authorize?$query")"
  case "${answer%% *}" in
    302 | 303) consent "$provider $account through Google's consent" "${answer#* }" ;;
    409) already "$provider $account" "$account" ;;
    *) refused "the consent of $provider $account" "${answer%% *}" ;;
  esac
}
if [ -n "${CONNECT_GOOGLE_ADS_CUSTOMER:-}" ]; then
  google google_ads "$CONNECT_GOOGLE_ADS_CUSTOMER" "${CONNECT_GOOGLE_ADS_LOGIN_CUSTOMER:-}" "${CONNECT_GOOGLE_ADS_REFRESH_TOKEN:-}"
fi
if [ -n "${CONNECT_GA4_PROPERTY:-}" ]; then
  google ga4 "$CONNECT_GA4_PROPERTY" "" "${CONNECT_GA4_REFRESH_TOKEN:-}"
fi
if [ -n "${CONNECT_KLAVIYO_ACCOUNT:-}" ]; then
  : "${CONNECT_KLAVIYO_KEY:?Set CONNECT_KLAVIYO_KEY: the private API key of the Klaviyo account}"
  post "{\"shop\":\"$shop\",\"provider\":\"klaviyo\",\"account\":\"$CONNECT_KLAVIYO_ACCOUNT\",\"private_key\":\"$CONNECT_KLAVIYO_KEY\"}" \
    "Klaviyo account $CONNECT_KLAVIYO_ACCOUNT" "$CONNECT_KLAVIYO_ACCOUNT"
fi
