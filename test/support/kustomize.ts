import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The part of `kubectl kustomize` the manifests under deploy/k8s use, so that tests can render
 * them where no kubectl exists: resources (files and folders), configMapGenerator (files,
 * literals, `behavior: merge`), strategic-merge patches, namespace, commonLabels and images. A
 * field outside that subset is refused rather than ignored, so a manifest can never rely on
 * something this renderer silently drops.
 */

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

interface ConfigMapGenerator {
  name: string;
  behavior?: 'create' | 'merge';
  files?: string[];
  literals?: string[];
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  commonLabels?: Record<string, string>;
  resources?: string[];
  configMapGenerator?: ConfigMapGenerator[];
  patches?: { path: string }[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'commonLabels', 'resources', 'configMapGenerator', 'patches', 'images']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'PriorityClass']);
// Generated ConfigMaps get a content hash in their name once the whole build is done.
const GENERATED = Symbol('generated');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Generated = K8sObject & { [GENERATED]?: true };

/** Renders the kustomization in `dir` as `kubectl kustomize dir` would, for the subset above. */
export function renderKustomization(dir: string): K8sObject[] {
  const objects = build(dir);
  const renamed = new Map<string, string>();
  for (const object of objects) {
    if (!object[GENERATED]) continue;
    const hash = createHash('sha256')
      .update(JSON.stringify(object.data ?? {}))
      .digest('hex')
      .slice(0, 10);
    renamed.set(object.metadata.name, `${object.metadata.name}-${hash}`);
    object.metadata.name = `${object.metadata.name}-${hash}`;
  }
  for (const spec of podSpecs(objects)) renameConfigMapReferences(spec, renamed);
  return objects.map((object) => JSON.parse(JSON.stringify(object)) as K8sObject);
}

function build(dir: string): Generated[] {
  const file = join(dir, 'kustomization.yaml');
  const kustomization = parse(readFileSync(file, 'utf8')) as Kustomization;
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${file}: not rendered by this renderer: ${unsupported.join(', ')}`);

  const objects: Generated[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = join(dir, resource);
    objects.push(...(statSync(path).isDirectory() ? build(path) : readObjects(path)));
  }
  for (const generator of kustomization.configMapGenerator ?? []) generate(dir, generator, objects);
  for (const patch of kustomization.patches ?? []) {
    for (const doc of readObjects(join(dir, patch.path))) {
      const target = objects.find((object) => object.kind === doc.kind && object.metadata.name === doc.metadata.name);
      if (!target) throw new Error(`${patch.path}: no ${doc.kind} ${doc.metadata.name} to patch`);
      Object.assign(target, mergePatch(target as unknown as Json, doc as unknown as Json));
    }
  }
  if (kustomization.namespace) {
    for (const object of objects) if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = kustomization.namespace;
  }
  if (kustomization.commonLabels) for (const object of objects) addLabels(object, kustomization.commonLabels);
  for (const image of kustomization.images ?? []) {
    for (const spec of podSpecs(objects)) {
      for (const container of spec.containers ?? []) {
        if (container.image?.split(':')[0] !== image.name) continue;
        const tag = image.newTag ?? container.image.split(':')[1];
        container.image = `${image.newName ?? image.name}${tag ? `:${tag}` : ''}`;
      }
    }
  }
  return objects;
}

function readObjects(path: string): Generated[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
      return doc.toJS() as Generated | null;
    })
    .filter((object): object is Generated => object !== null);
}

function generate(dir: string, generator: ConfigMapGenerator, objects: Generated[]): void {
  const data: Record<string, string> = {};
  for (const file of generator.files ?? []) {
    const [key, path] = file.includes('=') ? file.split('=', 2) : [basename(file), file];
    data[key] = readFileSync(join(dir, path), 'utf8');
  }
  for (const literal of generator.literals ?? []) {
    const at = literal.indexOf('=');
    data[literal.slice(0, at)] = literal.slice(at + 1);
  }
  const existing = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === generator.name);
  if (generator.behavior === 'merge') {
    if (!existing) throw new Error(`configMapGenerator ${generator.name}: nothing to merge into`);
    existing.data = { ...(existing.data as Record<string, string>), ...data };
    return;
  }
  if (existing) throw new Error(`configMapGenerator ${generator.name}: already defined`);
  objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data, [GENERATED]: true });
}

/**
 * A strategic merge patch, for what the manifests patch: maps merge, lists of named items
 * (containers, env, volumes) merge by name, other lists are replaced, null removes a key.
 */
function mergePatch(target: Json, patch: Json): Json {
  if (Array.isArray(patch)) {
    const named = (list: Json[]): list is { name: string }[] =>
      list.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item) && typeof item.name === 'string');
    if (!Array.isArray(target) || !named(target) || !named(patch)) return patch;
    const merged: Json[] = [...(target as unknown as Json[])];
    for (const item of patch) {
      const at = merged.findIndex((existing) => (existing as { name: string }).name === item.name);
      if (at < 0) merged.push(item);
      else merged[at] = mergePatch(merged[at], item);
    }
    return merged;
  }
  if (typeof patch !== 'object' || patch === null || typeof target !== 'object' || target === null || Array.isArray(target)) return patch;
  const merged: { [key: string]: Json } = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = key in merged ? mergePatch(merged[key], value) : value;
  }
  return merged;
}

type Selector = { matchLabels?: Record<string, string> };
interface PodSpec {
  containers?: { image?: string; env?: { valueFrom?: { configMapKeyRef?: { name: string } } }[]; envFrom?: { configMapRef?: { name: string } }[] }[];
  volumes?: { configMap?: { name: string } }[];
}

/**
 * Where kustomize's commonLabels go: every object's labels, and the selectors that must match
 * them. Workload selectors and templates get them always; the selectors of a disruption budget or
 * a network policy only where they already list labels (an empty `podSelector` stays empty).
 */
function addLabels(object: K8sObject, labels: Record<string, string>): void {
  object.metadata.labels = { ...object.metadata.labels, ...labels };
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return;
  const withLabels = (selector: Selector | undefined): Selector => ({ ...selector, matchLabels: { ...selector?.matchLabels, ...labels } });
  const ifListed = (selector: Selector | undefined): Selector | undefined => (selector?.matchLabels ? withLabels(selector) : selector);
  switch (object.kind) {
    case 'Service':
      spec.selector = { ...(spec.selector as Record<string, string> | undefined), ...labels };
      break;
    case 'Deployment': {
      spec.selector = withLabels(spec.selector as Selector);
      const template = spec.template as { metadata?: { labels?: Record<string, string> } };
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...labels } };
      break;
    }
    case 'PodDisruptionBudget':
      spec.selector = ifListed(spec.selector as Selector);
      break;
    case 'NetworkPolicy': {
      spec.podSelector = ifListed(spec.podSelector as Selector);
      const peers = [
        ...((spec.ingress as { from?: { podSelector?: Selector }[] }[] | undefined) ?? []).flatMap((rule) => rule.from ?? []),
        ...((spec.egress as { to?: { podSelector?: Selector }[] }[] | undefined) ?? []).flatMap((rule) => rule.to ?? []),
      ];
      for (const peer of peers) peer.podSelector = ifListed(peer.podSelector);
      break;
    }
  }
}

function podSpecs(objects: K8sObject[]): PodSpec[] {
  return objects.filter((object) => object.kind === 'Deployment').map((object) => (object.spec as { template: { spec: PodSpec } }).template.spec);
}

function renameConfigMapReferences(spec: PodSpec, renamed: Map<string, string>): void {
  const rename = (ref: { name: string } | undefined) => {
    if (ref && renamed.has(ref.name)) ref.name = renamed.get(ref.name) as string;
  };
  for (const volume of spec.volumes ?? []) rename(volume.configMap);
  for (const container of spec.containers ?? []) {
    for (const source of container.envFrom ?? []) rename(source.configMapRef);
    for (const variable of container.env ?? []) rename(variable.valueFrom?.configMapKeyRef);
  }
}
