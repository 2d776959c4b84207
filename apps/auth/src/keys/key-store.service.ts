import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { AuthSettings } from '../auth.settings';
import { KeyEncryption } from './key-encryption';
import { generateSigningKey, type KeyMaterial, materialFromPrivateKey, privateKeyFromDer, privateKeyToDer } from './key-material';
import { buildSnapshot, type Jwks, type KeySnapshot, type SigningKey, transitionDue, type VerificationKey } from './key-snapshot';
import { KeyTransitions } from './key-transitions';
import { KeysClock } from './keys-clock';
import { SigningKeyEntity, type SigningKeyStatus } from './signing-key.entity';

/**
 * How often the table is re-read. Another instance may promote a key meanwhile; this one keeps
 * signing with the old key for at most this long, well inside the 60 s leeway a retired key stays
 * published past the longest token it signed.
 */
const REREAD_MS = 5_000;
/** An unknown kid re-reads the table at most this often, so forged kids cannot turn into queries. */
const MISS_REREAD_MS = 1_000;
const RETRY_MS = 1_000;
const RETIRED_LEEWAY_MS = 60_000;

export interface Rotation {
  kid: string;
  activatesAt: Date;
}

/**
 * The auth server's signing keys: the active one to sign with, the published ones (next, active,
 * retired until their tokens have expired) for the JWKS and introspection. Answers from memory;
 * the table is re-read every few seconds, or at once when a promotion or an unpublication is due.
 */
@Injectable()
export class KeyStore implements OnModuleInit {
  private snapshot?: KeySnapshot;
  private reading?: Promise<KeySnapshot>;
  /** Decrypted keys by kid, kept across re-reads: a key is decrypted and parsed once. */
  private readonly opened = new Map<string, KeyMaterial>();

  constructor(
    private readonly settings: AuthSettings,
    private readonly transitions: KeyTransitions,
    private readonly encryption: KeyEncryption,
    private readonly clock: KeysClock,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  /** Before the listener opens: an active key exists, committed, and every stored key decrypts. */
  async onModuleInit(): Promise<void> {
    await this.reread();
  }

  /** The key to sign with; always one already published in the JWKS. */
  async signingKey(): Promise<SigningKey> {
    const { signing } = await this.current();
    if (!signing) throw new Error('No active signing key');
    return signing;
  }

  /** The JWK Set: public members only, of the next, active and still-published retired keys. */
  async jwks(): Promise<Jwks> {
    return (await this.current()).jwks;
  }

  /** A published key by kid, for checking tokens this server issued; undefined when unknown. */
  async verificationKey(kid: string): Promise<VerificationKey | undefined> {
    let snapshot = await this.current();
    if (!snapshot.published.has(kid) && this.clock.now().getTime() - snapshot.loadedAt >= MISS_REREAD_MS) {
      snapshot = await this.reread();
    }
    return snapshot.published.get(kid);
  }

  /** Publishes a new key at once; it starts signing after KEY_PUBLISH_AHEAD seconds. */
  async rotate(): Promise<Rotation> {
    const rotation = await this.publishNext(() => true);
    if (!rotation) throw new Error('The new signing key was not stored');
    return rotation;
  }

  /**
   * Automatic rotation (KEY_ROTATION_INTERVAL): a new key when the latest scheduled activation is
   * an interval old. Re-checked under the table lock, so of several instances only one rotates.
   */
  async rotateIfDue(): Promise<Rotation | undefined> {
    const { KEY_ROTATION_INTERVAL: every, KEY_PUBLISH_AHEAD: ahead } = this.settings;
    const due = (latest: number) => latest + every * 1000 <= this.clock.now().getTime() + ahead * 1000;
    if (every <= 0 || !due((await this.current()).latestActivation)) return undefined;
    return this.publishNext((rows) => due(Math.max(0, ...rows.map((row) => row.activatesAt.getTime()))));
  }

  private async publishNext(wanted: (rows: SigningKeyEntity[]) => boolean): Promise<Rotation | undefined> {
    const material = await generateSigningKey(this.settings.SIGNING_ALG);
    const activatesAt = new Date(this.clock.now().getTime() + this.settings.KEY_PUBLISH_AHEAD * 1000);
    if (!(await this.transitions.insertIf(this.row(material, 'next', activatesAt), wanted))) return undefined;
    this.logger.info({ kid: material.kid, alg: material.alg, activatesAt }, 'signing key published, not yet signing');
    // A read already under way may predate the insert: let it finish, then read again.
    await this.reading?.catch(() => undefined);
    await this.reread();
    return { kid: material.kid, activatesAt };
  }

  private async current(): Promise<KeySnapshot> {
    const snapshot = this.snapshot;
    const now = this.clock.now().getTime();
    // A clock stepped backwards would otherwise leave `refreshAt` far ahead: re-read then too.
    return snapshot && now < snapshot.refreshAt && now >= snapshot.loadedAt ? snapshot : this.reread();
  }

  /** One read at a time; concurrent callers share it. */
  private reread(): Promise<KeySnapshot> {
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async read(): Promise<KeySnapshot> {
    try {
      let rows = await this.transitions.list();
      if (transitionDue(rows, this.clock.now().getTime())) {
        await this.advance();
        rows = await this.transitions.list();
      }
      if (!rows.some((row) => row.status === 'active')) rows = await this.createActive();
      const keys = rows.map((row) => ({ ...row, material: this.open(row) }));
      for (const kid of this.opened.keys()) if (!rows.some((row) => row.kid === kid)) this.opened.delete(kid);
      this.snapshot = buildSnapshot(keys, this.clock.now().getTime(), REREAD_MS);
      return this.snapshot;
    } catch (error) {
      // Without keys nothing may be signed; with them, a failed re-read keeps serving what is known.
      if (!this.snapshot) throw error;
      this.logger.warn({ err: error }, 'signing keys could not be re-read; serving the keys already loaded');
      this.snapshot = { ...this.snapshot, refreshAt: this.clock.now().getTime() + RETRY_MS };
      return this.snapshot;
    }
  }

  private async advance(): Promise<void> {
    const retiredFor = this.settings.ACCESS_TOKEN_TTL * 1000 + RETIRED_LEEWAY_MS;
    const { activated, retired, removed } = await this.transitions.advance(this.clock.now(), retiredFor);
    if (activated) this.logger.info({ kid: activated, retired }, 'signing key activated');
    if (removed > 0) this.logger.info({ removed }, 'retired signing keys unpublished and deleted');
  }

  /** First start (or no active key left): a key that signs at once, committed before any use. */
  private async createActive(): Promise<SigningKeyEntity[]> {
    const material = await generateSigningKey(this.settings.SIGNING_ALG);
    const created = await this.transitions.insertIf(
      this.row(material, 'active', this.clock.now()),
      (current) => !current.some((row) => row.status === 'active'),
    );
    if (created) this.logger.info({ kid: material.kid, alg: material.alg }, 'signing key created and active');
    return this.transitions.list();
  }

  private open(row: SigningKeyEntity): KeyMaterial {
    let material = this.opened.get(row.kid);
    if (!material) {
      const der = this.encryption.decrypt(row.kid, row.privateKey);
      material = materialFromPrivateKey(row.alg, privateKeyFromDer(der), row.kid);
      this.opened.set(row.kid, material);
    }
    return material;
  }

  private row(material: KeyMaterial, status: SigningKeyStatus, activatesAt: Date): SigningKeyEntity {
    return Object.assign(new SigningKeyEntity(), {
      kid: material.kid,
      alg: material.alg,
      publicJwk: Object.fromEntries(Object.entries(material.publicJwk).filter(([, value]) => value !== undefined)),
      privateKey: this.encryption.encrypt(material.kid, privateKeyToDer(material.privateKey)),
      status,
      activatesAt,
      retiredAt: null,
      unpublishAt: null,
    });
  }
}
