{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "esign.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: <release>-<chart>, or the release name when it already contains the chart name. */}}
{{- define "esign.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "esign.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "esign.labels" -}}
helm.sh/chart: {{ include "esign.chart" . }}
app.kubernetes.io/name: {{ include "esign.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: esign
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of every pod of the release. */}}
{{- define "esign.selectorLabels" -}}
app.kubernetes.io/name: {{ include "esign.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Selector labels of one component: (dict "root" $ "component" "gateway"). */}}
{{- define "esign.componentSelectorLabels" -}}
{{ include "esign.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "esign.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "esign.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "esign.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The components: values key, resource/service name, container port (HTTP services: their listen port; workers:
their health port), the operator port of the gateway and the portal (/healthz, /readyz, /metrics and the
gateway's diagnostics: never behind the Service or the Ingress), and whether it is an HTTP service. The identity
service answers /healthz and /readyz on its one port.
*/}}
{{- define "esign.componentTable" -}}
- key: gateway
  name: gateway
  port: 8080
  operatorPort: 9105
  http: true
- key: signingPortal
  name: signing-portal
  port: 8081
  operatorPort: 9106
  http: true
- key: identity
  name: identity
  port: 8090
  http: true
- key: orchestrator
  name: orchestrator
  port: 9101
  http: false
- key: documentStorage
  name: document-storage
  port: 9102
  http: false
- key: sealing
  name: sealing
  port: 9107
  http: false
- key: notification
  name: notification
  port: 9103
  http: false
- key: archive
  name: archive
  port: 9104
  http: false
{{- end }}

{{/* The components as a list of dicts (fromYamlArray). */}}
{{- define "esign.components" -}}
{{- include "esign.componentTable" . | fromYamlArray | toJson }}
{{- end }}

{{/* Secret names: each is the existingSecret when set, else the chart's own. */}}
{{- define "esign.redisSecretName" -}}
{{- default (printf "%s-redis" (include "esign.fullname" .)) .Values.redis.existingSecret }}
{{- end }}
{{- define "esign.s3SecretName" -}}
{{- default (printf "%s-s3" (include "esign.fullname" .)) .Values.s3.existingSecret }}
{{- end }}
{{- define "esign.smtpSecretName" -}}
{{- default (printf "%s-smtp" (include "esign.fullname" .)) .Values.smtp.auth.existingSecret }}
{{- end }}
{{- define "esign.twilioSecretName" -}}
{{- default (printf "%s-twilio" (include "esign.fullname" .)) .Values.twilio.existingSecret }}
{{- end }}
{{- define "esign.identityProvidersSecretName" -}}
{{- default (printf "%s-identity-providers" (include "esign.fullname" .)) .Values.identityProviders.existingSecret }}
{{- end }}
{{- define "esign.appSecretName" -}}
{{- default (printf "%s-app" (include "esign.fullname" .)) .Values.appSecrets.existingSecret }}
{{- end }}
{{- define "esign.payloadKeysSecretName" -}}
{{- default (printf "%s-payload-keys" (include "esign.fullname" .)) .Values.payloadEncryption.existingSecret }}
{{- end }}
{{- define "esign.signingSecretName" -}}
{{- default (printf "%s-signing" (include "esign.fullname" .)) .Values.signing.existingSecret }}
{{- end }}
{{- define "esign.temporalApiKeySecretName" -}}
{{- default (printf "%s-temporal-api-key" (include "esign.fullname" .)) .Values.temporal.apiKey.existingSecret }}
{{- end }}
{{- define "esign.merchantClientsSecretName" -}}
{{- default (printf "%s-merchant-clients" (include "esign.fullname" .)) .Values.identity.merchantClientsExistingSecret }}
{{- end }}

{{/* Whether a sealing key is supplied (otherwise the services create a throwaway dev CA). */}}
{{- define "esign.signingEnabled" -}}
{{- if or .Values.signing.p12Base64 .Values.signing.existingSecret }}true{{ end }}
{{- end }}

{{/* Whether a merchant clients file is supplied to the identity service. */}}
{{- define "esign.merchantClientsEnabled" -}}
{{- if or .Values.identity.merchantClients .Values.identity.merchantClientsExistingSecret }}true{{ end }}
{{- end }}

{{/* AUTH_ISSUER: the configured issuer, else the bundled identity service behind the gateway. */}}
{{- define "esign.authIssuer" -}}
{{- if .Values.oidc.issuer }}
{{- .Values.oidc.issuer }}
{{- else if .Values.identity.enabled }}
{{- printf "%s/auth/open" (trimSuffix "/" .Values.config.publicUrl) }}
{{- else }}
{{- fail "oidc.issuer is required when identity.enabled is false (production uses an external OIDC issuer)" }}
{{- end }}
{{- end }}

{{/* The Temporal TLS flags/env, shared by the services and the search-attribute Job. */}}
{{- define "esign.temporalTlsEnabled" -}}
{{- if or .Values.temporal.tls.enabled .Values.temporal.apiKey.enabled }}true{{ end }}
{{- end }}

{{/* envFrom and env of the application containers. */}}
{{- define "esign.envFrom" -}}
- configMapRef:
    name: {{ include "esign.fullname" . }}-config
- secretRef:
    name: {{ include "esign.redisSecretName" . }}
- secretRef:
    name: {{ include "esign.s3SecretName" . }}
- secretRef:
    name: {{ include "esign.twilioSecretName" . }}
{{- if and .portalPod (or .Values.identityProviders.secrets .Values.identityProviders.existingSecret) }}
- secretRef:
    name: {{ include "esign.identityProvidersSecretName" . }}
{{- end }}
- secretRef:
    name: {{ include "esign.appSecretName" . }}
- secretRef:
    name: {{ include "esign.payloadKeysSecretName" . }}
{{- if .Values.smtp.auth.enabled }}
- secretRef:
    name: {{ include "esign.smtpSecretName" . }}
{{- end }}
{{- end }}

{{- define "esign.env" -}}
{{- if .Values.temporal.apiKey.enabled }}
- name: TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "esign.temporalApiKeySecretName" . }}
      key: {{ .Values.temporal.apiKey.secretKey }}
{{- end }}
{{- if and .sealingPod (include "esign.signingEnabled" .) }}
- name: SIGNING_P12_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "esign.signingSecretName" . }}
      key: SIGNING_P12_PASSWORD
{{- end }}
{{- if and .sealingPod .Values.signing.pkcs11.enabled }}
- name: SIGNING_PKCS11_PIN
  valueFrom:
    secretKeyRef:
      name: {{ required "signing.pkcs11.pinSecret (an existing Secret with the PIN) is required" .Values.signing.pkcs11.pinSecret }}
      key: {{ .Values.signing.pkcs11.pinKey }}
{{- end }}
{{- end }}

{{/* Volumes shared by every pod: /tmp, the sealing key, the Temporal TLS material. */}}
{{- define "esign.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- if and .sealingPod (include "esign.signingEnabled" .) }}
- name: signing
  secret:
    secretName: {{ include "esign.signingSecretName" . }}
    defaultMode: 0440
    items:
      - key: signing.p12
        path: signing.p12
      {{- if or .Values.signing.caChain .Values.signing.caChainInSecret }}
      - key: ca-chain.pem
        path: ca-chain.pem
      {{- end }}
{{- end }}
{{- if and .sealingPod .Values.signing.pkcs11.enabled .Values.signing.caChain }}
- name: signing-ca
  configMap:
    name: {{ include "esign.fullname" . }}-signing-ca
{{- end }}
{{- if and .portalPod .Values.identityProviders.keysSecret }}
- name: identity-provider-keys
  secret:
    secretName: {{ .Values.identityProviders.keysSecret }}
    defaultMode: 0440
{{- end }}
{{- if .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporal.tls.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- end }}

{{- define "esign.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if and .sealingPod (include "esign.signingEnabled" .) }}
- name: signing
  mountPath: /etc/esign/signing
  readOnly: true
{{- end }}
{{- if and .sealingPod .Values.signing.pkcs11.enabled .Values.signing.caChain }}
- name: signing-ca
  mountPath: /etc/esign/signing-ca
  readOnly: true
{{- end }}
{{- if and .portalPod .Values.identityProviders.keysSecret }}
- name: identity-provider-keys
  mountPath: /etc/esign/identity-providers
  readOnly: true
{{- end }}
{{- if .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  mountPath: /etc/esign/temporal-tls
  readOnly: true
{{- end }}
{{- end }}
