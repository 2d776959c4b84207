import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { OAuthError, type RevocationPage } from '@gatehouse/contracts';
import { MoreThan, type Repository } from 'typeorm';
import { authenticateClient, type ClientCredentials } from '../clients/authenticate-client';
import { ClientLookup } from '../clients/client-lookup';
import { mayIntrospectAny } from '../clients/introspection-privilege';
import { RevocationEventEntity } from './revocation-event.entity';
import { toEvent } from './revocation-events.service';

const PAGE_SIZE = 1000;

/** The feed as the gateways read it: for the gateway's client only, as the tenant registry is. */
@Injectable()
export class RevocationFeed {
  constructor(
    private readonly clients: ClientLookup,
    @InjectRepository(RevocationEventEntity) private readonly events: Repository<RevocationEventEntity>,
  ) {}

  /**
   * The events after `after` that still cover a live token. `last` accounts for expired ones too,
   * and is below `after` when the feed was started afresh, so a gateway that knew another
   * feed starts over.
   */
  async after(credentials: ClientCredentials, after: number): Promise<RevocationPage> {
    const caller = await authenticateClient(this.clients, credentials);
    if (!mayIntrospectAny(caller)) throw new OAuthError('invalid_client', 'This client may not read the revocation feed.', `${caller.id} lacks introspect`);
    const rows = await this.events.find({ where: { seq: MoreThan(after) }, order: { seq: 'ASC' }, take: PAGE_SIZE + 1 });
    const page = rows.slice(0, PAGE_SIZE);
    const now = Date.now();
    const last = page.at(-1)?.seq ?? (await this.lastSeq());
    return { events: page.filter((row) => row.expiresAt.getTime() > now).map(toEvent), last, more: rows.length > PAGE_SIZE };
  }

  private async lastSeq(): Promise<number> {
    const { max } = (await this.events.createQueryBuilder('event').select('MAX(event.seq)', 'max').getRawOne<{ max: string | null }>()) ?? { max: null };
    return max === null ? 0 : Number(max);
  }
}
