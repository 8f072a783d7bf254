#!/bin/sh
# As the official image does: the default login and virtual host from the environment, the Erlang cookie a cluster's
# nodes share, then the server as the rabbitmq user.
set -eu
conf=/etc/rabbitmq/rabbitmq.conf
{
  echo "loopback_users = none"
  echo "listeners.tcp.default = 5672"
  echo "management.tcp.port = 15672"
  [ -n "${RABBITMQ_DEFAULT_USER:-}" ] && echo "default_user = $RABBITMQ_DEFAULT_USER"
  [ -n "${RABBITMQ_DEFAULT_PASS:-}" ] && echo "default_pass = $RABBITMQ_DEFAULT_PASS"
  [ -n "${RABBITMQ_DEFAULT_VHOST:-}" ] && echo "default_vhost = $RABBITMQ_DEFAULT_VHOST"
  # Extra settings, one per line (a cluster's peer discovery, for one).
  [ -n "${RABBITMQ_EXTRA_CONF:-}" ] && printf '%s\n' "$RABBITMQ_EXTRA_CONF"
} >"$conf"
if [ -n "${RABBITMQ_ERLANG_COOKIE:-}" ]; then
  printf '%s' "$RABBITMQ_ERLANG_COOKIE" >/var/lib/rabbitmq/.erlang.cookie
  chmod 0400 /var/lib/rabbitmq/.erlang.cookie
fi
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /etc/rabbitmq
if [ "$1" = "rabbitmq-server" ]; then
  # The server itself, not Debian's wrapper, which would send its log to a file instead of standard output.
  shift
  cd /var/lib/rabbitmq
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
fi
exec "$@"
