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

  list(tenantId: string, limit: number, offset: number): Promise<[ProfileEntity[], number]> {
    return this.profiles.findAndCount({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit, skip: offset });
  }

  async update(tenantId: string, id: string, changes: Partial<Pick<ProfileEntity, 'displayName' | 'locale' | 'avatarUrl'>>): Promise<void> {
    if (Object.keys(changes).length > 0) await this.profiles.update({ tenantId, id }, changes);
  }

  /** Inserts unless the profile exists (concurrent first requests, a duplicate event); answers the stored one. */
  async insertIfAbsent(profile: Pick<ProfileEntity, 'tenantId' | 'id' | 'username' | 'email' | 'displayName'>): Promise<ProfileEntity> {
    await this.profiles.createQueryBuilder().insert().values(profile).orIgnore().execute();
    const stored = await this.find(profile.tenantId, profile.id);
    if (!stored) throw new Error(`profile ${profile.tenantId}/${profile.id} vanished after insert`);
    return stored;
  }
}
