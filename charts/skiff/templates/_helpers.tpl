{{/* Chart name, cut to 63 characters (a DNS label). */}}
{{- define "skiff.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every resource name: the release name, plus the chart name unless it already holds it. */}}
{{- define "skiff.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "skiff.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of the controller's Deployment, Roles and bindings. */}}
{{- define "skiff.controllerName" -}}
{{- printf "%s-site-controller" (include "skiff.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Cluster-scoped objects carry the release namespace so that installs in two namespaces do not collide. */}}
{{- define "skiff.clusterName" -}}
{{- printf "%s-%s" (include "skiff.controllerName" .) .Release.Namespace | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "skiff.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "skiff.controllerName" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the controller pods; never change them after an install (selectors are immutable). */}}
{{- define "skiff.selectorLabels" -}}
app.kubernetes.io/name: {{ include "skiff.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: site-controller
{{- end -}}

{{- define "skiff.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "skiff.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: skiff
{{- end -}}

{{/* repository:tag, the tag defaulting to the chart's appVersion. Call with (list repository tag .). */}}
{{- define "skiff.image" -}}
{{- $repository := index . 0 -}}
{{- $tag := index . 1 -}}
{{- $root := index . 2 -}}
{{- printf "%s:%s" $repository (default $root.Chart.AppVersion $tag) -}}
{{- end -}}

{{/* SKIFF_WATCH_NAMESPACES: "*" for all, a comma list, or empty for the release namespace only. */}}
{{- define "skiff.watchNamespaces" -}}
{{- if .Values.watchAllNamespaces -}}
*
{{- else -}}
{{- join "," .Values.watchNamespaces -}}
{{- end -}}
{{- end -}}

{{/*
The controller's rules. It must hold everything it grants the router's Role (RBAC refuses to
grant more than the granter holds), so this is also the upper bound of what routers get.
*/}}
{{- define "skiff.rules" -}}
- apiGroups: ["skupper.io"]
  resources: [sites, links, accessgrants, accesstokens, routeraccesses, listeners, connectors]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: ["skupper.io"]
  resources: [sites/status, links/status, accessgrants/status, accesstokens/status, routeraccesses/status, listeners/status, connectors/status]
  verbs: [get, update, patch]
- apiGroups: [""]
  resources: [configmaps, secrets, services, serviceaccounts]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [apps]
  resources: [statefulsets]
  verbs: [get, list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [get, list, watch, create, update, patch, delete]
{{- end -}}
