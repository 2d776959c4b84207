import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import type { K8sObject } from './kustomize';

/**
 * Reading rendered manifests: the Kubernetes API schemas that kubernetes-models ships (its
 * validators are generated from the API's OpenAPI definitions; the lock file pins the version),
 * and the few questions the tests ask of pods, ports and network policies.
 */

interface Validatable {
  validate(): void;
}
const MODELS: Record<string, new (data: never) => Validatable> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Service': Service,
};

/** The schema's complaint about an object, or '' when it conforms; an unknown kind is a complaint too. */
export function schemaProblem(object: K8sObject): string {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) return `${object.apiVersion} ${object.kind}: no schema known for this kind`;
  try {
    new Model(object as never).validate();
    return '';
  } catch (error) {
    return `${object.kind} ${object.metadata.name}: ${(error as Error).message}`;
  }
}

export type Labels = Record<string, string>;
export interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
export interface Probe {
  httpGet?: { path: string; port: number | string };
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
export interface DeploymentSpec {
  replicas?: number;
  selector: Selector;
  template: { metadata: { labels: Labels }; spec: { containers: Container[]; terminationGracePeriodSeconds?: number } };
}
export interface PolicyPeer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string };
}
export interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: { protocol?: string; port?: number | string }[];
}
export interface PolicySpec {
  podSelector: Selector;
  policyTypes: ('Ingress' | 'Egress')[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

export function matches(selector: Selector, labels: Labels): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'Exists') return key in labels;
    if (operator === 'DoesNotExist') return !(key in labels);
    const listed = values.includes(labels[key] ?? '');
    return operator === 'In' ? listed : !listed;
  });
  return byLabels && byExpressions;
}

/** A pod of the platform: its labels and its named ports. */
export interface Pod {
  app: string;
  labels: Labels;
  ports: Map<string, number>;
}

/** Where a connection comes from: a pod of the platform, a pod in another namespace, or outside the cluster. */
export type Origin = Pod | { namespaceLabels: Labels } | 'outside';

function portMatches(rule: PolicyRule, port: number, pod: Pod): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((entry) => entry.port === undefined || entry.port === port || (typeof entry.port === 'string' && pod.ports.get(entry.port) === port));
}

function peerMatches(peers: PolicyPeer[] | undefined, origin: Origin): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some((peer) => {
    if (origin === 'outside') return peer.ipBlock !== undefined;
    // A pod selector alone means this namespace; with a namespace selector, the pods of those namespaces.
    if ('namespaceLabels' in origin)
      return peer.namespaceSelector !== undefined && !peer.podSelector && matches(peer.namespaceSelector, origin.namespaceLabels);
    return peer.podSelector !== undefined && !peer.namespaceSelector && matches(peer.podSelector, origin.labels);
  });
}

/** Whether the policies let `origin` open a TCP connection to `target` on `port`, as a cluster enforces them. */
export function ingressAllowed(policies: PolicySpec[], origin: Origin, target: Pod, port: number): boolean {
  const selecting = policies.filter((policy) => policy.policyTypes.includes('Ingress') && matches(policy.podSelector, target.labels));
  if (selecting.length === 0) return true;
  return selecting.some((policy) => (policy.ingress ?? []).some((rule) => peerMatches(rule.from, origin) && portMatches(rule, port, target)));
}

/** Whether the policies let `source` open a TCP connection on `port` to `target` (a pod, or an address outside). */
export function egressAllowed(policies: PolicySpec[], source: Pod, target: Pod | 'outside', port: number): boolean {
  const selecting = policies.filter((policy) => policy.policyTypes.includes('Egress') && matches(policy.podSelector, source.labels));
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    (policy.egress ?? []).some((rule) => {
      const peers = rule.to;
      const toTarget =
        !peers ||
        peers.length === 0 ||
        peers.some((peer) => (target === 'outside' ? peer.ipBlock !== undefined : peer.podSelector !== undefined && matches(peer.podSelector, target.labels)));
      const portOk =
        !rule.ports ||
        rule.ports.length === 0 ||
        rule.ports.some(
          (entry) =>
            entry.protocol !== 'UDP' &&
            (entry.port === port || (typeof entry.port === 'string' && target !== 'outside' && target.ports.get(entry.port) === port)),
        );
      return toTarget && portOk;
    }),
  );
}
