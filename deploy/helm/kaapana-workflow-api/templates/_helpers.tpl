{{/* Names: the release's full name, bounded to 63 characters for DNS labels. */}}
{{- define "kwa.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kwa.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kaapana
{{- end -}}

{{/* The API pods. */}}
{{- define "kwa.apiSelector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: api
{{- end -}}

{{/* The pods of one adapter; call with (dict "root" $ "kind" "airflow"). */}}
{{- define "kwa.adapterSelector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: adapter-{{ .kind }}
{{- end -}}

{{/* An image reference: repository, then @digest or :tag (the chart's appVersion by default). */}}
{{- define "kwa.image" -}}
{{- if .image.digest -}}
{{- printf "%s@%s" .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" .image.repository (.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}
{{- end -}}

{{/* The API's URL inside the cluster, as the adapters call it. */}}
{{- define "kwa.apiUrl" -}}
{{- printf "http://%s.%s.svc:%v" (include "kwa.fullname" .) .Release.Namespace .Values.service.port -}}
{{- end -}}
