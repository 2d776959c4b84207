import type { KeyObject } from 'node:crypto';
import type { KeyMaterial, PublicJwk } from './key-material';
import type { SigningAlg } from './signing-alg';
import type { SigningKeyStatus } from './signing-key.entity';

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: KeyObject;
}

export interface VerificationKey {
  alg: SigningAlg;
  publicKey: KeyObject;
}

export interface Jwks {
  keys: PublicJwk[];
}

/** The life-cycle columns of a row; what decides whether a key is published, signing or due. */
export interface KeyState {
  status: SigningKeyStatus;
  activatesAt: Date;
  unpublishAt: Date | null;
}

export interface LoadedKey extends KeyState {
  material: KeyMaterial;
}

/** What the hot path reads: built once per table read, answered from memory until `refreshAt`. */
export interface KeySnapshot {
  signing?: SigningKey;
  published: ReadonlyMap<string, VerificationKey>;
  jwks: Jwks;
  /** The latest activation scheduled, for automatic rotation (epoch ms, 0 when none). */
  latestActivation: number;
  loadedAt: number;
  refreshAt: number;
}

const ORDER: Record<SigningKeyStatus, number> = { active: 0, next: 1, retired: 2 };

/** A retired key with no `unpublish_at` is treated as unpublished: when in doubt, publish less. */
export function isPublished(key: KeyState, now: number): boolean {
  return key.status !== 'retired' || (key.unpublishAt !== null && key.unpublishAt.getTime() > now);
}

/** When a key changes state next: a next key activates, a retired one is unpublished (epoch ms). */
function changesAt(key: KeyState): number {
  const when = key.status === 'next' ? key.activatesAt : key.status === 'retired' ? key.unpublishAt : null;
  return when?.getTime() ?? Infinity;
}

/** Whether the table needs a locked transition first: a due promotion or removal, or no active key. */
export function transitionDue(keys: readonly KeyState[], now: number): boolean {
  return !keys.some((key) => key.status === 'active') || keys.some((key) => changesAt(key) <= now);
}

export function buildSnapshot(keys: readonly LoadedKey[], now: number, rereadEvery: number): KeySnapshot {
  const published = keys.filter((key) => isPublished(key, now)).sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const active = published.find((key) => key.status === 'active')?.material;
  // Re-read when a promotion or an unpublication falls due, not only on the periodic beat.
  const upcoming = keys.map(changesAt).filter((when) => when > now);
  return {
    signing: active && Object.freeze({ kid: active.kid, alg: active.alg, privateKey: active.privateKey }),
    published: new Map(published.map(({ material }) => [material.kid, Object.freeze({ alg: material.alg, publicKey: material.publicKey })])),
    jwks: Object.freeze({ keys: published.map(({ material }) => Object.freeze({ ...material.publicJwk })) }),
    latestActivation: Math.max(0, ...keys.map((key) => key.activatesAt.getTime())),
    loadedAt: now,
    refreshAt: Math.min(now + rereadEvery, ...upcoming),
  };
}
