import { settingKeys } from './setting.decorator';

const HIDDEN = '[hidden]';

function withoutCredentials(value: string): string {
  try {
    const url = new URL(value);
    if (url.username || url.password) {
      url.username = url.username ? HIDDEN : '';
      url.password = url.password ? HIDDEN : '';
    }
    return url.toString();
  } catch {
    return HIDDEN;
  }
}

/** The settings as they may be logged: secrets hidden, credentials removed from URLs. */
export function describeSettings(settings: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const type = settings.constructor as abstract new () => object;
  for (const { key, exposure } of settingKeys(type)) {
    const value: unknown = (settings as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (exposure === 'secret') out[key] = HIDDEN;
    else if (exposure === 'url-with-credentials' && typeof value === 'string') out[key] = withoutCredentials(value);
    else out[key] = value;
  }
  return out;
}
