import { Injectable } from '@nestjs/common';
import { DomainError, type Principal, type ProfileBatch, type ProfileBatchLookup, type ProfileLookup, type ProfileSummary, type UserRegistered } from '@gatehouse/contracts';
import type { ProfileEntity } from './profile.entity';
import { ProfilesRepository } from './profiles.repository';

export interface ProfileView {
  id: string;
  tenantId: string;
  username: string;
  email: string | null;
  displayName: string;
  locale: string;
  createdAt: string;
}

export function profileView(profile: ProfileEntity): ProfileView {
  const { id, tenantId, username, email, displayName, locale, createdAt } = profile;
  return { id, tenantId, username, email, displayName, locale, createdAt: createdAt.toISOString() };
}

export function profileSummary(profile: ProfileEntity): ProfileSummary {
  const { id, tenantId, username, displayName, avatarUrl } = profile;
  return { id, tenantId, username, displayName, avatarUrl };
}

@Injectable()
export class ProfilesService {
  constructor(private readonly profiles: ProfilesRepository) {}

  /**
   * The caller's own profile. It is readable on the first request even before the account's
   * registration reaches this service: a missing profile starts from what the token says.
   */
  async me(principal: Principal): Promise<ProfileView> {
    const tenantId = principal.tenantId;
    if (principal.kind !== 'user' || !tenantId) throw new DomainError('forbidden', 'only a user of a tenant has a profile');
    const found = await this.profiles.find(tenantId, principal.subject);
    if (found) return profileView(found);
    const name = principal.email?.split('@')[0] ?? principal.subject;
    return profileView(await this.profiles.insertIfAbsent({ tenantId, id: principal.subject, username: name, email: principal.email ?? null, displayName: name }));
  }

  async summary({ tenantId, id }: ProfileLookup): Promise<ProfileSummary> {
    const found = await this.profiles.find(tenantId, id);
    if (!found) throw new DomainError('not_found', `no profile ${tenantId}/${id}`);
    return profileSummary(found);
  }

  async summaries({ tenantId, ids }: ProfileBatchLookup): Promise<ProfileBatch> {
    return { profiles: (await this.profiles.findMany(tenantId, ids)).map(profileSummary) };
  }

  /** The account exists at auth: its profile starts now. A repeated event changes nothing. */
  async registered(event: UserRegistered): Promise<void> {
    await this.profiles.insertIfAbsent({ tenantId: event.tenantId, id: event.accountId, username: event.username, email: event.email, displayName: event.username });
  }
}
