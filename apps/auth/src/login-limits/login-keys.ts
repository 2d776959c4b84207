import { isIPv6 } from 'node:net';

/** Who tries to log in, from where: the account is named, not looked up, so unknown ones count alike. */
export interface LoginAttempt {
  /** The client's address, as the trusted proxies tell it. */
  ip: string;
  tenantId: string;
  username: string;
  /** The id of a device credential recognised for this account (see LoginDevices), if one was presented. */
  deviceId?: string;
}

/** The counters and blocks of one attempt, under the keys every instance uses. */
export interface LoginKeys {
  ipRate: string;
  pairRate: string;
  ipFailures: string;
  pairFailures: string;
  accountFailures: string;
  pairBlock: string;
  accountBlock: string;
  deviceFailures: string;
  deviceBlock: string;
  /** Marks a refusal already audited for this address and account in the current minute. */
  refusalAudited: string;
}

/**
 * One IPv6 holder gets a whole /64 (RFC 6177), so a limit per address would be a limit per
 * attacker's choice: IPv6 addresses are counted per /64, IPv4 ones as they are.
 */
export function addressKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::', 2);
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Keys per address, per account (tenant and username as the database compares it: case
 * folded), and per pair. Each part is URI-encoded, so no value can run into the next one.
 */
export function loginKeys(attempt: LoginAttempt): LoginKeys {
  const ip = encodeURIComponent(addressKey(attempt.ip));
  const account = `${encodeURIComponent(attempt.tenantId)}:${encodeURIComponent(attempt.username.toLowerCase())}`;
  return {
    ipRate: `login:rate:ip:${ip}`,
    pairRate: `login:rate:pair:${ip}:${account}`,
    ipFailures: `login:fail:ip:${ip}`,
    pairFailures: `login:fail:pair:${ip}:${account}`,
    accountFailures: `login:fail:account:${account}`,
    pairBlock: `login:block:pair:${ip}:${account}`,
    accountBlock: `login:block:account:${account}`,
    deviceFailures: `login:fail:device:${encodeURIComponent(attempt.deviceId ?? '')}`,
    deviceBlock: `login:block:device:${encodeURIComponent(attempt.deviceId ?? '')}`,
    refusalAudited: `login:refused:${ip}:${account}`,
  };
}
