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
sip: whether they listen for SIP.
*/}}
{{- define "siplane.components" -}}
items:
  - {key: location, component: location, module: location-service, sip: false}
  - {key: registrar, component: registrar, module: registrar-service, sip: true}
  - {key: proxy, component: proxy, module: proxy-service, sip: true}
  - {key: redirect, component: redirect, module: redirect-service, sip: true}
  - {key: gateway, component: gateway, module: gateway, sip: true}
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
{{- printf "redis://%s-redis.%s.svc.cluster.local:6379" (include "siplane.fullname" .) .Release.Namespace -}}
{{- else if or .Values.redis.clusterNodes .Values.redis.sentinel.master -}}
{{- .Values.redis.url -}}
{{- else -}}
{{- required "redis.url (or redis.clusterNodes, or redis.sentinel) is required when redis.enabled is false (or provide REDIS_URL in secrets.existingSecret)" .Values.redis.url -}}
{{- end -}}
{{- end -}}

{{/* Probes on the actuator, on the container port named http */}}
{{- define "siplane.probes" -}}
{{- range $kind := list "startup" "liveness" "readiness" }}
{{ $kind }}Probe:
  httpGet:
    path: {{ (index $.Values.probes $kind).path }}
    port: http
  periodSeconds: {{ (index $.Values.probes $kind).periodSeconds }}
  timeoutSeconds: {{ (index $.Values.probes $kind).timeoutSeconds }}
  failureThreshold: {{ (index $.Values.probes $kind).failureThreshold }}
{{- end }}
{{- end -}}
