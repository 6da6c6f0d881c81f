/**
 * Offline manifest tooling for the k8s suite: renders kustomizations and validates
 * every document, without a cluster and without network beyond package registries.
 *
 * - kustomize and kubeconform are built from the Go module proxy and the strict
 *   Kubernetes JSON schemas come from the PyPI package kubernetes-validate, all by
 *   deploy/tools/install-k8s-tools.sh into $TASKSTREAM_CACHE (once, then cached).
 * - KEDA kinds have no schema there: @kubernetes-models/keda (npm) checks them
 *   against the KEDA CRD's schema, and a short key list below catches typos that
 *   schema lets through (it does not forbid unknown keys).
 * - A few rules the API server enforces but the OpenAPI schemas do not (a container
 *   without an image) are checked here too, so "valid" means "would be accepted".
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { parseAllDocuments, stringify } from 'yaml';

export const ROOT = join(__dirname, '..', '..');

export interface K8sTools {
  kustomize: string;
  kubeconform: string;
  schemaDir: string;
}

/** A rendered Kubernetes object, loosely typed: tests walk it by path. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; [k: string]: any }; [k: string]: any };

/** Installs (or finds in the cache) the pinned tools; prints build progress on stderr. */
export function installTools(): K8sTools {
  const out = execFileSync('bash', [join(ROOT, 'deploy', 'tools', 'install-k8s-tools.sh'), '--print-env'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const vars = Object.fromEntries(out.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
  return { kustomize: vars.KUSTOMIZE_BIN!, kubeconform: vars.KUBECONFORM_BIN!, schemaDir: vars.K8S_SCHEMA_DIR! };
}

/** `kustomize build DIR` as YAML text; throws with kustomize's message when it fails. */
export function render(tools: K8sTools, dir: string): string {
  return execFileSync(tools.kustomize, ['build', join(ROOT, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function parseManifests(yamlText: string): Manifest[] {
  return parseAllDocuments(yamlText)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((doc): doc is Manifest => doc !== null);
}

const KEDA_KINDS = ['ScaledObject', 'TriggerAuthentication'];

/** Every problem found in a multi-document YAML text; empty means all documents are valid. */
export function validateManifests(tools: K8sTools, yamlText: string): string[] {
  const docs = parseManifests(yamlText);
  return [...kubeconform(tools, yamlText), ...docs.flatMap(validateKeda), ...docs.flatMap(apiServerRules)];
}

/** Built-in kinds against the strict schemas: wrong types, missing required fields, unknown fields. */
function kubeconform(tools: K8sTools, yamlText: string): string[] {
  const result = spawnSync(
    tools.kubeconform,
    ['-strict', '-output', 'json', '-skip', KEDA_KINDS.join(','), '-schema-location', join(tools.schemaDir, '{{.ResourceKind}}{{.KindSuffix}}.json')],
    { input: yamlText, encoding: 'utf8' },
  );
  if (result.error) throw result.error;
  const report = JSON.parse(result.stdout || '{"resources":[]}') as { resources: { kind: string; name: string; status: string; msg: string }[] };
  const problems = report.resources.filter((r) => r.status !== 'statusValid' && r.status !== 'statusSkipped').map((r) => `${r.kind} ${r.name}: ${r.msg}`);
  // A non-zero exit with nothing reported (bad flags, unreadable schemas) must not pass.
  if (result.status !== 0 && problems.length === 0) problems.push(`kubeconform exited ${result.status}: ${result.stderr}`);
  return problems;
}

/** ScaledObject fields (KEDA 2.12+ docs): the CRD schema accepts any key, these do not. */
const SCALED_OBJECT_KEYS: Record<string, string[]> = {
  spec: ['scaleTargetRef', 'pollingInterval', 'cooldownPeriod', 'initialCooldownPeriod', 'idleReplicaCount', 'minReplicaCount', 'maxReplicaCount', 'fallback', 'advanced', 'triggers'],
  advanced: ['restoreToOriginalReplicaCount', 'horizontalPodAutoscalerConfig', 'scalingModifiers'],
  horizontalPodAutoscalerConfig: ['name', 'behavior'],
  trigger: ['type', 'name', 'metadata', 'authenticationRef', 'metricType', 'useCachedMetrics'],
};

function unknownKeys(where: string, value: object | undefined, allowed: string[]): string[] {
  return Object.keys(value ?? {}).filter((k) => !allowed.includes(k)).map((k) => `${where}: unknown field "${k}"`);
}

function validateKeda(doc: Manifest): string[] {
  if (!KEDA_KINDS.includes(doc.kind)) return [];
  const id = `${doc.kind} ${doc.metadata.name}`;
  if (doc.apiVersion !== 'keda.sh/v1alpha1') return [`${id}: apiVersion ${doc.apiVersion} is not keda.sh/v1alpha1`];
  const problems: string[] = [];
  try {
    (doc.kind === 'ScaledObject' ? new ScaledObject(doc as never) : new TriggerAuthentication(doc as never)).validate();
  } catch (err) {
    problems.push(`${id}: ${(err as Error).message}`);
  }
  if (doc.kind === 'ScaledObject') {
    const spec = doc.spec ?? {};
    problems.push(...unknownKeys(`${id} spec`, spec, SCALED_OBJECT_KEYS.spec!));
    problems.push(...unknownKeys(`${id} spec.advanced`, spec.advanced, SCALED_OBJECT_KEYS.advanced!));
    problems.push(...unknownKeys(`${id} spec.advanced.horizontalPodAutoscalerConfig`, spec.advanced?.horizontalPodAutoscalerConfig, SCALED_OBJECT_KEYS.horizontalPodAutoscalerConfig!));
    for (const [i, trigger] of (spec.triggers ?? []).entries()) problems.push(...unknownKeys(`${id} spec.triggers[${i}]`, trigger, SCALED_OBJECT_KEYS.trigger!));
  }
  return problems;
}

/** Pod templates of the workload kinds we ship. */
export function podSpecOf(doc: Manifest): Manifest['spec'] | undefined {
  return ['Deployment', 'StatefulSet', 'Job', 'DaemonSet'].includes(doc.kind) ? doc.spec?.template?.spec : undefined;
}

/** What the API server rejects although the OpenAPI schema allows it. */
function apiServerRules(doc: Manifest): string[] {
  const pod = podSpecOf(doc);
  if (!pod) return [];
  const containers = [...(pod.containers ?? []), ...(pod.initContainers ?? [])] as { name: string; image?: string }[];
  return containers.filter((c) => !c.image).map((c) => `${doc.kind} ${doc.metadata.name}: container ${c.name} has no image`);
}

/** YAML text of documents, for feeding edited copies back through the validator. */
export function toYaml(docs: Manifest[]): string {
  return docs.map((d) => stringify(d)).join('---\n');
}
