import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuthSettings } from '../auth.settings';
import { ExpiringCache } from '../cache/expiring-cache';
import { ClientEntity } from '../clients/client.entity';

/**
 * The browser origins some active client declares (`allowedOrigins`), for CORS at the endpoints a
 * browser app calls. A declared origin is remembered for `CLIENT_CACHE_TTL`; an undeclared one is
 * asked again each time, so a newly declared origin counts at once.
 */
@Injectable()
export class DeclaredOrigins {
  private readonly cache: ExpiringCache<true>;

  constructor(
    @InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>,
    settings: AuthSettings,
  ) {
    this.cache = new ExpiringCache(settings.CLIENT_CACHE_TTL * 1000);
  }

  async declared(origin: string | undefined): Promise<boolean> {
    // An origin is short and exact; anything else (`null`, a path) is no declared one, unread.
    if (!origin || origin.length > 300 || !/^https?:\/\/[^/\s]+$/.test(origin)) return false;
    const found = await this.cache.get(origin, async (key) =>
      (await this.clients.createQueryBuilder('client').where("client.status = 'active' AND :origin = ANY(client.allowed_origins)", { origin: key }).getExists())
        ? true
        : null,
    );
    return found === true;
  }
}
