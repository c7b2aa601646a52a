{{/* Names */}}
{{- define "siplane.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "siplane.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "siplane.fullname" .)) -}}
{{- end -}}

{{- define "siplane.configName" -}}
{{- printf "%s-config" (include "siplane.fullname" .) -}}
{{- end -}}

{{/* Labels: call with (dict "ctx" $ "component" "proxy") */}}
{{- define "siplane.selectorLabels" -}}
app.kubernetes.io/name: {{ .ctx.Chart.Name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "siplane.labels" -}}
{{ include "siplane.selectorLabels" . }}
app.kubernetes.io/part-of: siplane
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/*
The services the chart runs. key: their section in values.yaml; module: their image name;
sip: whether they listen for SIP; redis: whether they use the location store (Redis).
*/}}
{{- define "siplane.components" -}}
items:
  - {key: location, component: location, module: location-service, sip: false, redis: true}
  - {key: registrar, component: registrar, module: registrar-service, sip: true, redis: true}
  - {key: proxy, component: proxy, module: proxy-service, sip: true, redis: true}
  - {key: redirect, component: redirect, module: redirect-service, sip: true, redis: true}
  - {key: gateway, component: gateway, module: gateway, sip: true, redis: false}
{{- end -}}

{{- define "siplane.image" -}}
{{- $registry := .ctx.Values.image.registry -}}
{{- $repo := printf "%s%s" .ctx.Values.image.repositoryPrefix .module -}}
{{- $tag := .ctx.Values.image.tag | default .ctx.Chart.AppVersion -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) $repo $tag -}}
{{- else -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}
{{- end -}}

{{/* In-cluster DNS names */}}
{{- define "siplane.serviceHost" -}}
{{- printf "%s-%s.%s.svc.cluster.local" (include "siplane.fullname" .ctx) .component .ctx.Release.Namespace -}}
{{- end -}}

{{- define "siplane.redisUrl" -}}
{{- if .Values.redis.enabled -}}
{{- /* the password is expanded by the kubelet from the REDIS_PASSWORD variable defined before REDIS_URL */ -}}
{{- printf "redis://:$(REDIS_PASSWORD)@%s-redis.%s.svc.cluster.local:6379" (include "siplane.fullname" .) .Release.Namespace -}}
{{- else if or .Values.redis.clusterNodes .Values.redis.sentinel.master -}}
{{- .Values.redis.url -}}
{{- else -}}
{{- required "redis.url (or redis.clusterNodes, or redis.sentinel) is required when redis.enabled is false (or provide REDIS_URL in secrets.existingSecret)" .Values.redis.url -}}
{{- end -}}
{{- end -}}

{{/* Probes on the actuator, on the container port named .port (http, or the gateway's management); call with (dict "ctx" $ "port" "http") */}}
{{- define "siplane.probes" -}}
{{- range $kind := list "startup" "liveness" "readiness" }}
{{ $kind }}Probe:
  httpGet:
    path: {{ (index $.ctx.Values.probes $kind).path }}
    port: {{ $.port }}
  periodSeconds: {{ (index $.ctx.Values.probes $kind).periodSeconds }}
  timeoutSeconds: {{ (index $.ctx.Values.probes $kind).timeoutSeconds }}
  failureThreshold: {{ (index $.ctx.Values.probes $kind).failureThreshold }}
{{- end }}
{{- end -}}

{{/* NetworkPolicy peers: the gateway pods (and networkPolicy.gatewayCIDRs); call with (dict "ctx" $) */}}
{{- define "siplane.gatewayPeers" -}}
- podSelector:
    matchLabels:
      {{- include "siplane.selectorLabels" (dict "ctx" .ctx "component" "gateway") | nindent 6 }}
{{- range .ctx.Values.networkPolicy.gatewayCIDRs }}
- ipBlock:
    cidr: {{ . | quote }}
{{- end }}
{{- end -}}
{{/* NetworkPolicy rule: Prometheus to the actuator port; call with (dict "ctx" $ "port" N) */}}
{{- define "siplane.metricsRule" -}}
{{- if and .ctx.Values.serviceMonitor.enabled .ctx.Values.networkPolicy.metricsFrom -}}
# Prometheus (serviceMonitor) scrapes the actuator
- from:
    {{- toYaml .ctx.Values.networkPolicy.metricsFrom | nindent 4 }}
  ports:
    - port: {{ .port }}
      protocol: TCP
{{- end }}
{{- end -}}
