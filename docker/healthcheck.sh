#!/bin/bash
# Docker HEALTHCHECK of every Siplane service image, with neither curl nor wget in the image:
# healthy when the actuator readiness group answers 200 on the actuator's port: MANAGEMENT_SERVER_PORT where the
# actuator has its own (the gateway: 127.0.0.1:8090, its public SERVER_PORT serves no actuator), else SERVER_PORT.
port=${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-8080}}
{ exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || exit 1
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 3 status <&3 || exit 1
case "$status" in
    "HTTP/1."[01]" 200"*) exit 0 ;;
    *) exit 1 ;;
esac
