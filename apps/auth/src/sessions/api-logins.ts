import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RefreshTokenEntity } from '../tokens/refresh-token.entity';

/** A login of an API client (the password grant): its refresh-token family, named by its sid. */
export interface ApiLogin {
  sid: string;
  clientId: string;
  createdAt: Date;
  lastSeenAt: Date;
}

// The password grant names its logins with a UUID; a browser session's families carry the session's hex id.
const API_LOGIN_SID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Row {
  sid: string;
  client_id: string;
  created_at: Date | string;
  last_seen_at: Date | string;
}

/** The live API logins of an account: families with a token still unrevoked, unreplaced and unexpired. */
@Injectable()
export class ApiLogins {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async live(tenantId: string, accountId: string, now: Date): Promise<ApiLogin[]> {
    const rows = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .createQueryBuilder('token')
      .select('token.sid', 'sid')
      .addSelect('token.client_id', 'client_id')
      .addSelect('MIN(token.created_at)', 'created_at')
      .addSelect('MAX(COALESCE(token.last_used_at, token.created_at))', 'last_seen_at')
      .where('token.tenant_id = :tenantId AND token.account_id = :accountId', { tenantId, accountId })
      .groupBy('token.sid')
      .addGroupBy('token.client_id')
      .having('bool_or(token.revoked_at IS NULL AND token.replaced_by IS NULL AND token.expires_at > :now AND token.idle_expires_at > :now)', { now })
      .orderBy('last_seen_at', 'DESC')
      .getRawMany<Row>();
    return rows
      .filter((row) => API_LOGIN_SID.test(row.sid))
      .map((row) => ({ sid: row.sid, clientId: row.client_id, createdAt: new Date(row.created_at), lastSeenAt: new Date(row.last_seen_at) }));
  }
}
