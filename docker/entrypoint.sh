#!/bin/bash
# Container entrypoint of every Siplane service image: runs the layered Spring Boot application.
# SIP services put SIP_ADVERTISED_ADDRESS in Via/Path/Record-Route; when it is not given, this container's
# own IP is the address the other containers reach it at (Kubernetes sets it from the pod IP instead).
set -euo pipefail

if [ -z "${SIP_ADVERTISED_ADDRESS:-}" ]; then
    for address in $(hostname -i 2>/dev/null); do
        case "$address" in
            *.*.*.*) SIP_ADVERTISED_ADDRESS=$address; break ;;
        esac
    done
    export SIP_ADVERTISED_ADDRESS=${SIP_ADVERTISED_ADDRESS:-127.0.0.1}
fi

# JAVA_OPTS is split on spaces on purpose: it holds several flags
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp /app org.springframework.boot.loader.launch.JarLauncher "$@"
