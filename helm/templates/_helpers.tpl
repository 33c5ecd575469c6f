{{/* FIRST CUT helpers. */}}
{{- define "berbagi.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "berbagi.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "berbagi.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* Environment shared by the web pods and the migration Job. */}}
{{- define "berbagi.env" -}}
env:
- name: DJANGO_SETTINGS_MODULE
  value: saas.settings.base
- name: BASE_DOMAIN
  value: {{ .Values.baseDomain | quote }}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
envFrom:
- secretRef:
    name: {{ .Values.existingSecret }}
{{- end -}}
