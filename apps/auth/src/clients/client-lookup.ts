import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuthSettings } from '../auth.settings';
import { ExpiringCache } from '../cache/expiring-cache';
import { ClientEntity } from './client.entity';

/**
 * The client every grant, introspection and revocation authenticates, remembered for
 * `CLIENT_CACHE_TTL` seconds. ClientsAdmin forgets a client it changes, so a disabled client or a
 * rotated secret is refused at once by this instance; another instance sees it within the TTL.
 * The entity it answers is shared by concurrent requests: read only.
 */
@Injectable()
export class ClientLookup {
  private readonly cache: ExpiringCache<ClientEntity>;

  constructor(
    @InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>,
    settings: AuthSettings,
  ) {
    this.cache = new ExpiringCache(settings.CLIENT_CACHE_TTL * 1000);
  }

  /** The client, whatever its status (callers refuse a disabled one); null when unknown. */
  find(id: string): Promise<ClientEntity | null> {
    return this.cache.get(id, (key) => this.clients.findOneBy({ id: key }));
  }

  /** After any change to the client, once the change is written. */
  forget(id: string): void {
    this.cache.forget(id);
  }
}
