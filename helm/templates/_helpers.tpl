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

{{- define "berbagi.selector" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "berbagi.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "berbagi.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ .Values.serviceAccount.name | default (include "berbagi.fullname" .) }}
{{- else -}}
{{ .Values.serviceAccount.name | default "default" }}
{{- end -}}
{{- end -}}

{{/* Refuse unsafe combinations with the reason (rendered once, from configmap.yaml). */}}
{{- define "berbagi.validate" -}}
{{- $p := .Values.postgresql.pooler -}}
{{- $cnpgPooler := and (eq .Values.postgresql.mode "cloudnativepg") .Values.postgresql.cloudnativepg.pooler.enabled -}}
{{- if and $cnpgPooler (eq $p.mode "none") -}}
{{- fail "postgresql.cloudnativepg.pooler.enabled needs postgresql.pooler.mode session (or transaction, see below)" -}}
{{- end -}}
{{- if eq $p.mode "transaction" -}}
{{- if or (lt (int .Values.postgresql.majorVersion) 18) (not $p.tracksSearchPath) -}}
{{- fail "postgresql.pooler.mode=transaction is refused: each request selects its region with a session-level SET search_path, so a transaction pooler hands one region's search_path to another region's request (a data leak between tenants). Use mode session, or transaction only with postgresql.majorVersion >= 18 and postgresql.pooler.tracksSearchPath=true (PgBouncer track_extra_parameters=search_path)." -}}
{{- end -}}
{{- end -}}
{{- if and (eq .Values.exports.backend "s3") (not .Values.exports.s3.bucket) -}}
{{- fail "exports.backend=s3 needs exports.s3.bucket" -}}
{{- end -}}
{{- if and .Values.postgresql.cloudnativepg.backup.enabled (not .Values.postgresql.cloudnativepg.backup.destinationPath) -}}
{{- fail "postgresql.cloudnativepg.backup.enabled needs postgresql.cloudnativepg.backup.destinationPath" -}}
{{- end -}}
{{- end -}}

{{/* Environment of every pod: the ConfigMap, then the Secret (which wins on a clash). */}}
{{- define "berbagi.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "berbagi.fullname" . }}-config
  - secretRef:
      name: {{ .Values.existingSecret }}
{{- end -}}

{{- define "berbagi.podSecurity" -}}
serviceAccountName: {{ include "berbagi.serviceAccountName" . }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Writable paths under a read-only root filesystem: /tmp, and the exports volume. */}}
{{- define "berbagi.volumes" -}}
volumes:
  - name: tmp
    emptyDir: {sizeLimit: 1Gi}
{{- if and .exports (eq .root.Values.exports.backend "volume") }}
  - name: exports
    persistentVolumeClaim:
      claimName: {{ .root.Values.exports.volume.existingClaim | default (printf "%s-exports" (include "berbagi.fullname" .root)) }}
{{- end }}
{{- end -}}

{{- define "berbagi.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- if and .exports (eq .root.Values.exports.backend "volume") }}
  - name: exports
    mountPath: /var/lib/berbagi/exports
{{- end }}
{{- end -}}

{{- define "berbagi.egressTo" -}}
{{- /* one egress rule: to the given CIDRs (anywhere when empty) on one TCP port */ -}}
- ports:
    - {protocol: TCP, port: {{ .port }}}
  {{- if .cidrs }}
  to:
    {{- range .cidrs }}
    - ipBlock: {cidr: {{ . | quote }}}
    {{- end }}
  {{- end }}
{{- end }}
{{- define "berbagi.egressCommon" -}}
{{- $pg := .Values.postgresql -}}
# DNS
- ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
  to:
    - namespaceSelector: {}
      podSelector:
        matchLabels: {k8s-app: kube-dns}
# PostgreSQL
{{- if eq $pg.mode "cloudnativepg" }}
- ports:
    - {protocol: TCP, port: 5432}
  to:
    - podSelector:
        matchLabels: {cnpg.io/cluster: {{ include "berbagi.fullname" . }}-pg}
    {{- if $pg.cloudnativepg.pooler.enabled }}
    - podSelector:
        matchLabels: {cnpg.io/poolerName: {{ include "berbagi.fullname" . }}-pooler}
    {{- end }}
{{- else }}
{{ include "berbagi.egressTo" $pg.external }}
{{- end }}
{{- end }}
