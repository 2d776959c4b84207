import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, type Repository } from 'typeorm';
import { AuthSettings } from '../auth.settings';
import { LoginDeviceEntity } from './login-device.entity';

// 256 random bits, base64url without padding: anything else names no device, unread.
const CREDENTIAL_SHAPE = /^[A-Za-z0-9_-]{43}$/;

// A client that never sends its credential back gets a new one at each login: the oldest go first.
const DEVICES_PER_ACCOUNT = 50;

const digest = (credential: string): Buffer => createHash('sha256').update(credential, 'utf8').digest();

/** A device recognised for the account a login names. */
export interface KnownDevice {
  id: string;
  /** The credential as presented, handed back unchanged after a successful login. */
  credential: string;
}

/**
 * Device credentials (the OWASP device cookie scheme): a successful login hands the device a
 * credential naming the account; a later attempt that presents it for the same account is counted
 * per device, not toward the account cap (see LoginLimits). Credentials are stored only hashed.
 */
@Injectable()
export class LoginDevices {
  constructor(
    private readonly settings: AuthSettings,
    @InjectRepository(LoginDeviceEntity) private readonly devices: Repository<LoginDeviceEntity>,
  ) {}

  /**
   * The device a credential stands for when it was issued to this tenant's `username` and has not
   * expired; undefined for anything else (malformed, unknown, another account's, forged).
   */
  async recognise(tenantId: string, username: string, credential: string | undefined): Promise<KnownDevice | undefined> {
    if (!credential || !CREDENTIAL_SHAPE.test(credential)) return undefined;
    const hash = digest(credential);
    const row = await this.devices.findOneBy({ id: hash.toString('hex') });
    if (!row || row.expiresAt <= new Date()) return undefined;
    // The lookup already matched the hash; compared again in constant time, then the account it names.
    const stored = Buffer.from(row.id, 'hex');
    if (stored.length !== hash.length || !timingSafeEqual(stored, hash)) return undefined;
    if (row.tenantId !== tenantId || row.usernameKey !== username.toLowerCase()) return undefined;
    return { id: row.id, credential };
  }

  /**
   * After a successful login: the recognised device lives on (its lifetime slides forward), any
   * other gets a new credential. Answers the credential the client keeps.
   */
  async remember(account: { id: string; tenantId: string; username: string }, known: KnownDevice | undefined): Promise<string> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.settings.LOGIN_DEVICE_TTL * 1000);
    if (known) {
      await this.devices.update({ id: known.id, tenantId: account.tenantId }, { lastUsedAt: now, expiresAt });
      return known.credential;
    }
    const credential = randomBytes(32).toString('base64url');
    await this.devices.delete({ tenantId: account.tenantId, accountId: account.id, expiresAt: LessThan(now) });
    await this.devices.insert({
      id: digest(credential).toString('hex'),
      tenantId: account.tenantId,
      accountId: account.id,
      usernameKey: account.username.toLowerCase(),
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
    });
    await this.keepNewest(account.tenantId, account.id);
    return credential;
  }
  /** Forgets the least recently used devices of an account past `DEVICES_PER_ACCOUNT`. */
  private async keepNewest(tenantId: string, accountId: string): Promise<void> {
    const surplus = await this.devices.find({
      select: { id: true },
      where: { tenantId, accountId },
      order: { lastUsedAt: 'DESC', id: 'ASC' },
      skip: DEVICES_PER_ACCOUNT,
    });
    if (surplus.length > 0) await this.devices.delete({ tenantId, id: In(surplus.map((row) => row.id)) });
  }
}
