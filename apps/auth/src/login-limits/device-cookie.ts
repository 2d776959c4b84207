import { cookieValues } from '../sessions/session-cookie';

/**
 * The device cookie of a browser: the device credential a successful login hands out (see
 * LoginDevices). HttpOnly keeps it from scripts, SameSite=Lax from cross-site posts; unlike the
 * session cookie it outlives the browser (Max-Age), as the device it names does. On an https
 * issuer it carries the `__Host-` prefix, so no sibling subdomain can plant one.
 */
export class DeviceCookie {
  readonly name: string;

  constructor(
    private readonly secure: boolean,
    private readonly maxAgeSeconds: number,
  ) {
    this.name = `${secure ? '__Host-' : ''}gh_device`;
  }

  set(credential: string): string {
    return `${this.name}=${credential}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${this.maxAgeSeconds}${this.secure ? '; Secure' : ''}`;
  }

  /** The credential a Cookie header carries; none when absent or given more than once. */
  read(header: string | string[] | undefined): string | undefined {
    const values = typeof header === 'string' ? cookieValues(header, this.name) : [];
    return values.length === 1 ? values[0] : undefined;
  }
}
