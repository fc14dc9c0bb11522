{{/* The release's base name: the release name, with the chart name appended unless it already holds it. */}}
{{- define "wasmkube.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "wasmkube.operator.name" -}}{{ include "wasmkube.fullname" . }}-operator{{- end -}}
{{- define "wasmkube.nodeAgent.name" -}}{{ include "wasmkube.fullname" . }}-node-agent{{- end -}}
{{- define "wasmkube.uninstall.name" -}}{{ include "wasmkube.fullname" . }}-uninstall{{- end -}}

{{/* Labels every object carries; pass (dict "root" $ "component" "operator"). */}}
{{- define "wasmkube.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{ include "wasmkube.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: wasmkube
{{- end -}}

{{/* The labels a component's pods are selected by; they never change across upgrades. */}}
{{- define "wasmkube.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* repository:tag of a component's image; the tag defaults to the chart's appVersion. */}}
{{- define "wasmkube.image" -}}
{{- printf "%s:%s" .image.repository (.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}


{{/* The Lease the operator replicas elect a leader on (its name is fixed in the operator). */}}
{{- define "wasmkube.operator.lease" -}}wasmkube-operator-leader{{- end -}}

{{/* The label the agent puts on prepared nodes, which the RuntimeClass schedules on. */}}
{{- define "wasmkube.runtimeLabel" -}}wasmkube.io/runtime{{- end -}}

{{/* The agent's flags shared by its DaemonSet and the uninstall hook, so both find the same containerd config. */}}
{{- define "wasmkube.nodeAgent.args" -}}
- --host-root=/host
{{- with .Values.nodeAgent.containerdConfig }}
- --containerd-config={{ . }}
{{- end }}
- --containerd-socket={{ .Values.nodeAgent.containerdSocket }}
{{- if not .Values.nodeAgent.restartContainerd }}
- --no-restart
{{- end }}
{{- end -}}

{{/* Annotations of the uninstall hook objects; the argument is the hook weight. */}}
{{- define "wasmkube.uninstall.hook" -}}
helm.sh/hook: post-delete
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
helm.sh/hook-weight: {{ . | quote }}
{{- end -}}
