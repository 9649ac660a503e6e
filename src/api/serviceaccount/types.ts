/**
 * core/v1 ServiceAccount and the names the service-account machinery shares (k8s.io/api/core/v1 types.go,
 * plugin/pkg/admission/serviceaccount/admission.go, pkg/controller/certificates/rootcacertpublisher/publisher.go).
 */
import type { KubeObject } from "../types.js";

/** core/v1 ObjectReference as ServiceAccount.secrets holds it (only the fields k8sim reads). */
export interface ServiceAccountSecretRef {
  name?: string;
  namespace?: string;
  [field: string]: unknown;
}

/** core/v1 ServiceAccount. */
export interface ServiceAccount extends KubeObject {
  kind: "ServiceAccount";
  /** Secrets the account references (legacy token Secrets; the token controller removes deleted ones). */
  secrets?: ServiceAccountSecretRef[];
  /** Copied to a pod that names none by the ServiceAccount admission plugin. */
  imagePullSecrets?: { name?: string }[];
  /** false: pods of this account get no token volume unless the pod says true (admission shouldAutomount). */
  automountServiceAccountToken?: boolean;
}

/** DefaultServiceAccountName: the account the controller keeps in every namespace and pods get when naming none. */
export const DEFAULT_SERVICE_ACCOUNT = "default";
/** ServiceAccountVolumeName: the prefix of the projected token volume (`kube-api-access-` plus 5 characters). */
export const SERVICE_ACCOUNT_VOLUME_PREFIX = "kube-api-access";
/** DefaultAPITokenMountPath: where every container mounts the token volume, read-only. */
export const API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds (pkg/serviceaccount/claims.go): 1h + 7s, in seconds. */
export const BOUND_TOKEN_EXPIRATION_SECONDS = 3607;

/** RootCACertConfigMapName: the ConfigMap the root CA publisher keeps in every namespace. */
export const ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
/** The key of the CA bundle in that ConfigMap and in token Secrets (core/v1 ServiceAccountRootCAKey). */
export const ROOT_CA_KEY = "ca.crt";
/** The publisher's DescriptionAnnotation key. */
export const DESCRIPTION_ANNOTATION = "kubernetes.io/description";
/** The publisher's Description text, as upstream sets it. */
export const ROOT_CA_DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
  "No other usage is guaranteed across distributions of Kubernetes clusters.";

/** core/v1 ServiceAccountNameKey: the annotation naming a token Secret's account. */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = "kubernetes.io/service-account.name";
/** core/v1 ServiceAccountUIDKey: the annotation the token controller sets to the account's uid. */
export const SERVICE_ACCOUNT_UID_ANNOTATION = "kubernetes.io/service-account.uid";
/** core/v1 ServiceAccountTokenKey and ServiceAccountNamespaceKey: the data keys the token controller fills. */
export const TOKEN_KEY = "token";
export const NAMESPACE_KEY = "namespace";
/** core/v1 SecretTypeServiceAccountToken. */
export const SERVICE_ACCOUNT_TOKEN_TYPE = "kubernetes.io/service-account-token";
/** core MirrorPodAnnotationKey: a pod the kubelet mirrors from a static manifest. */
export const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
