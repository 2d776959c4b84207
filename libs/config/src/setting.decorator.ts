import 'reflect-metadata';
import { Expose } from 'class-transformer';

/** How a setting's value may appear in logs and diagnostics. */
export type Exposure = 'plain' | 'secret' | 'url-with-credentials';

const SETTING_KEYS = Symbol('gatehouse:setting-keys');

interface SettingMeta {
  key: string;
  exposure: Exposure;
}

/**
 * Declares an environment setting. Only declared keys are read from the environment, and the
 * exposure decides how the value is shown: secrets never, URLs without their credentials.
 */
export function Setting(exposure: Exposure = 'plain'): PropertyDecorator {
  return (target, property) => {
    const key = String(property);
    const own = (Reflect.getOwnMetadata(SETTING_KEYS, target) ?? []) as SettingMeta[];
    Reflect.defineMetadata(SETTING_KEYS, [...own, { key, exposure }], target);
    Expose()(target, property);
  };
}

export function settingKeys(type: abstract new () => object): SettingMeta[] {
  const seen = new Map<string, SettingMeta>();
  let proto: object | null = type.prototype as object;
  while (proto && proto !== Object.prototype) {
    for (const meta of (Reflect.getOwnMetadata(SETTING_KEYS, proto) ?? []) as SettingMeta[]) {
      if (!seen.has(meta.key)) seen.set(meta.key, meta);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return [...seen.values()];
}
