import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { UsersClient } from './users.client';

/** The owner as an order shows it: the profile, or why there is none. */
export type OwnerView =
  | { id: string; username: string; displayName: string; avatarUrl: string | null }
  /** users did not answer; the order is still shown. */
  | { id: string; unavailable: true }
  /** No profile: a client owns the order, or the account has none yet. */
  | { id: string; unknown: true };

const BATCH = 100;

/**
 * Owners' profiles from users over the transport, with orders' service token, one batch per page
 * of orders. Lenient by default: when users cannot answer, the orders are still shown with their
 * owners marked unavailable. Strict (the caller asked for the owner): users' failure is the
 * answer's failure.
 */
@Injectable()
export class OwnerProfiles {
  constructor(private readonly users: UsersClient) {}

  async of(tenantId: string, ownerIds: readonly string[], { strict = false } = {}): Promise<Map<string, OwnerView>> {
    const owners = new Map<string, OwnerView>();
    // A client owns what it ordered with client_credentials: it has no profile to ask for.
    const accounts = [...new Set(ownerIds)].filter((id) => !id.startsWith('client:'));
    try {
      for (let start = 0; start < accounts.length; start += BATCH) {
        const { profiles } = await this.users.profiles(tenantId, accounts.slice(start, start + BATCH));
        for (const { id, username, displayName, avatarUrl } of profiles) owners.set(id, { id, username, displayName, avatarUrl });
      }
    } catch (error) {
      if (strict || !(error instanceof DomainError)) throw error;
      for (const id of accounts) owners.set(id, { id, unavailable: true });
    }
    for (const id of ownerIds) if (!owners.has(id)) owners.set(id, { id, unknown: true });
    return owners;
  }
}
