import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Principal } from '@gatehouse/contracts';
import type { Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit.service';
import { KeyStore } from '../keys/key-store.service';
import { SigningKeyEntity } from '../keys/signing-key.entity';
import { requirePlatform } from './admin-policy';
import { type KeyView, keyView } from './admin-views';

@Injectable()
export class KeysAdmin {
  constructor(
    @InjectRepository(SigningKeyEntity) private readonly keys: Repository<SigningKeyEntity>,
    private readonly store: KeyStore,
    private readonly audit: AuditTrail,
  ) {}

  async list(principal: Principal): Promise<KeyView[]> {
    requirePlatform(principal);
    return (await this.keys.find({ order: { createdAt: 'ASC' } })).map(keyView);
  }

  /** Publishes a new key now; it signs once `KEY_PUBLISH_AHEAD` has passed. */
  async rotate(principal: Principal): Promise<{ kid: string; activatesAt: string }> {
    requirePlatform(principal);
    const { kid, activatesAt } = await this.store.rotate();
    await this.audit.record({
      type: 'admin.key.rotated',
      outcome: 'success',
      actor: principal.subject,
      details: { kid, activatesAt: activatesAt.toISOString() },
    });
    return { kid, activatesAt: activatesAt.toISOString() };
  }
}
