import { Injectable } from '@nestjs/common';
import { DataSource, In, type Repository } from 'typeorm';
import { ProfileEntity } from './profile.entity';

/** Profiles, always within one tenant: every method takes the tenant id. */
@Injectable()
export class ProfilesRepository {
  private readonly profiles: Repository<ProfileEntity>;

  constructor(dataSource: DataSource) {
    this.profiles = dataSource.getRepository(ProfileEntity);
  }

  find(tenantId: string, id: string): Promise<ProfileEntity | null> {
    return this.profiles.findOneBy({ tenantId, id });
  }

  findMany(tenantId: string, ids: readonly string[]): Promise<ProfileEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.profiles.findBy({ tenantId, id: In([...ids]) });
  }

  /** Inserts unless the profile exists (concurrent first requests, a duplicate event); answers the stored one. */
  async insertIfAbsent(profile: Pick<ProfileEntity, 'tenantId' | 'id' | 'username' | 'email' | 'displayName'>): Promise<ProfileEntity> {
    await this.profiles.createQueryBuilder().insert().values(profile).orIgnore().execute();
    const stored = await this.find(profile.tenantId, profile.id);
    if (!stored) throw new Error(`profile ${profile.tenantId}/${profile.id} vanished after insert`);
    return stored;
  }
}
