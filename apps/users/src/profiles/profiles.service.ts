import { Injectable } from '@nestjs/common';
import {
  DomainError,
  type Principal,
  type ProfileBatch,
  type ProfileBatchLookup,
  type ProfileLookup,
  type ProfileSummary,
  type UserRegistered,
} from '@gatehouse/contracts';
import { tenantOf } from '@gatehouse/security';
import type { ListProfilesQuery, UpdateProfileDto } from './profile.dto';
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

export interface ProfilePage {
  items: ProfileView[];
  total: number;
  limit: number;
  offset: number;
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
    return profileView(await this.own(principal));
  }

  async updateMe(principal: Principal, changes: UpdateProfileDto): Promise<ProfileView> {
    const profile = await this.own(principal);
    await this.profiles.update(profile.tenantId, profile.id, changes);
    return this.me(principal);
  }

  /** Within the caller's tenant only: another tenant's id is simply not found. */
  async byId(principal: Principal, id: string): Promise<ProfileView> {
    const found = await this.profiles.find(tenantOf(principal), id);
    if (!found) throw new DomainError('not_found', `no profile ${id} in the caller's tenant`);
    return profileView(found);
  }

  async list(principal: Principal, { limit, offset }: ListProfilesQuery): Promise<ProfilePage> {
    const [profiles, total] = await this.profiles.list(tenantOf(principal), limit, offset);
    return { items: profiles.map(profileView), total, limit, offset };
  }

  private async own(principal: Principal): Promise<ProfileEntity> {
    const tenantId = tenantOf(principal);
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'a client has no profile');
    const found = await this.profiles.find(tenantId, principal.subject);
    if (found) return found;
    const name = principal.username ?? principal.email?.split('@')[0] ?? principal.subject;
    return this.profiles.insertIfAbsent({ tenantId, id: principal.subject, username: name, email: principal.email ?? null, displayName: name });
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
    await this.profiles.insertIfAbsent({
      tenantId: event.tenantId,
      id: event.accountId,
      username: event.username,
      email: event.email,
      displayName: event.username,
    });
  }
}
