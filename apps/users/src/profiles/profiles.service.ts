import { Injectable } from '@nestjs/common';
import { DomainError, type Principal } from '@gatehouse/contracts';
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
}
