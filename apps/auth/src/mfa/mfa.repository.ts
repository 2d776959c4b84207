import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, IsNull, Not } from 'typeorm';
import { RecoveryCodeEntity, TotpEnrolmentEntity } from './mfa.entities';

/**
 * The rows of second factors. Spending a code is one conditional `UPDATE` each, so two requests
 * (or two instances) presenting the same code cannot both succeed.
 */
@Injectable()
export class MfaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get totp() {
    return this.dataSource.getRepository(TotpEnrolmentEntity);
  }

  async confirmed(accountId: string): Promise<boolean> {
    return (await this.totp.countBy({ accountId, confirmedAt: Not(IsNull()) })) > 0;
  }

  enrolment(accountId: string): Promise<TotpEnrolmentEntity | null> {
    return this.totp.findOneBy({ accountId });
  }

  /** A new pending enrolment, replacing an unconfirmed one. */
  async savePending(accountId: string, tenantId: string, secretSealed: string): Promise<void> {
    await this.totp.save({ accountId, tenantId, secretSealed, confirmedAt: null, lastUsedStep: null, createdAt: new Date() });
  }

  /**
   * Records `step` as used when it is later than the last one (and, `confirming`, confirms the
   * pending enrolment of that very secret); answers whether this call did it.
   */
  async spendStep(row: TotpEnrolmentEntity, step: number, confirming: boolean): Promise<boolean> {
    const result = await this.totp
      .createQueryBuilder()
      .update()
      .set({ lastUsedStep: String(step), ...(confirming ? { confirmedAt: new Date() } : {}) })
      .where('account_id = :id AND secret_sealed = :sealed', { id: row.accountId, sealed: row.secretSealed })
      .andWhere('(last_used_step IS NULL OR last_used_step < :step)', { step })
      .andWhere(confirming ? 'confirmed_at IS NULL' : 'confirmed_at IS NOT NULL')
      .execute();
    return result.affected === 1;
  }

  /** Marks an unused recovery code used; answers whether this call did it. */
  async spendRecoveryCode(accountId: string, codeHash: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(RecoveryCodeEntity)
      .createQueryBuilder()
      .update()
      .set({ usedAt: new Date() })
      .where('code_hash = :codeHash AND account_id = :accountId AND used_at IS NULL', { codeHash, accountId })
      .execute();
    return result.affected === 1;
  }

  /** The account's recovery codes become exactly these (hashed). */
  async replaceRecoveryCodes(accountId: string, tenantId: string, codeHashes: readonly string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(RecoveryCodeEntity, { accountId });
      await manager.insert(
        RecoveryCodeEntity,
        codeHashes.map((codeHash) => ({ codeHash, accountId, tenantId, usedAt: null })),
      );
    });
  }

  /** Removes the enrolment and the recovery codes; true when there was an enrolment. */
  remove(accountId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.delete(RecoveryCodeEntity, { accountId });
      const result = await manager.delete(TotpEnrolmentEntity, { accountId });
      return (result.affected ?? 0) > 0;
    });
  }
}
