import { BlockList, isIP } from 'node:net';

/**
 * The proxies in front of an app (addresses or CIDR blocks), and the client address of a request
 * that came through them. Only a trusted peer's `X-Forwarded-For` is believed, and only up to the
 * first address it did not add itself: anyone else could pick their own address, and with it their
 * own rate-limit bucket.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address, bits] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(bits), family);
    }
    this.empty = entries.length === 0;
  }

  /** Whether `address` is one of the configured proxies. */
  trusts(address: string | undefined): boolean {
    if (!address || this.empty) return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && this.list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The client: the peer itself, or, walking `X-Forwarded-For` from the right while each hop is a
   * trusted proxy, the first address that is not one.
   */
  clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined): string {
    let client = unmapped(peer ?? 'unknown');
    if (!this.trusts(client) || forwardedFor === undefined) return client;
    const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
    for (let index = chain.length - 1; index >= 0; index -= 1) {
      const hop = unmapped(chain[index].trim());
      if (isIP(hop) === 0) break;
      client = hop;
      if (!this.trusts(hop)) break;
    }
    return client;
  }
}

function unmapped(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
