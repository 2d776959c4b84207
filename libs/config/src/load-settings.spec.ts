import { CommonSettings } from './common.settings';
import { describeSettings } from './describe-settings';
import { loadSettings, SettingsError } from './load-settings';
import { Setting } from './setting.decorator';

class SecretSettings extends CommonSettings {
  @Setting('secret') API_SECRET?: string;
}

class IssuerSettings extends CommonSettings {
  @Setting() AUTH_ISSUER: string = 'http://127.0.0.1:3000';
}

describe('loadSettings', () => {
  it('refuses to start and lists every bad key at once', () => {
    const attempt = () => loadSettings(CommonSettings, { GATEWAY_PORT: 'eighty', MESSAGE_TRANSPORT: 'carrier-pigeon', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(SettingsError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as SettingsError).problems.join('\n');
      expect(problems).toContain('GATEWAY_PORT');
      expect(problems).toContain('MESSAGE_TRANSPORT');
      expect(problems).toContain('LOG_LEVEL');
    }
  });

  it('converts declared keys to their types and applies defaults', () => {
    const { settings } = loadSettings(CommonSettings, { GATEWAY_PORT: '8080', INSTANCES: '1', UNRELATED: 'x' });
    expect(settings.GATEWAY_PORT).toBe(8080);
    expect(settings.AUTH_PORT).toBe(3001);
    expect(settings.MESSAGE_TRANSPORT).toBe('tcp');
    expect(settings).not.toHaveProperty('UNRELATED');
  });

  it('treats empty values as unset', () => {
    const { settings } = loadSettings(CommonSettings, { DATABASE_URL: '', REDIS_URL: '  ' });
    expect(settings.DATABASE_URL).toBeUndefined();
    expect(settings.REDIS_URL).toBeUndefined();
  });

  it("makes an unset AUTH_ISSUER the gateway's own address, and keeps a set one", () => {
    expect(loadSettings(IssuerSettings, { GATEWAY_PORT: '4100' }).settings.AUTH_ISSUER).toBe('http://127.0.0.1:4100');
    expect(loadSettings(IssuerSettings, { GATEWAY_PORT: '4100', HOST: '0.0.0.0' }).settings.AUTH_ISSUER).toBe('http://127.0.0.1:4100');
    expect(loadSettings(IssuerSettings, { GATEWAY_PORT: '4100', HOST: '::1' }).settings.AUTH_ISSUER).toBe('http://[::1]:4100');
    expect(loadSettings(IssuerSettings, { AUTH_ISSUER: 'https://id.example.test' }).settings.AUTH_ISSUER).toBe('https://id.example.test');
    expect('AUTH_ISSUER' in loadSettings(CommonSettings, {}).settings).toBe(false);
  });

  it('binds to loopback in development and to every interface in production', () => {
    expect(loadSettings(CommonSettings, {}).settings.host).toBe('127.0.0.1');
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/gatehouse' };
    expect(loadSettings(CommonSettings, production).settings.host).toBe('0.0.0.0');
  });

  it('warns in development about in-memory counters with several instances', () => {
    const { warnings } = loadSettings(CommonSettings, { INSTANCES: '3' });
    expect(warnings.map((warning) => warning.key)).toEqual(['REDIS_URL']);
  });

  it('refuses the same insecure settings in production', () => {
    const env = { NODE_ENV: 'production', INSTANCES: '3', DATABASE_URL: 'postgres://db/gatehouse' };
    expect(() => loadSettings(CommonSettings, env)).toThrow(/REDIS_URL/);
    expect(() => loadSettings(CommonSettings, { NODE_ENV: 'production' })).toThrow(/DATABASE_URL/);
  });
});

describe('describeSettings', () => {
  it('hides secrets and the credentials inside URLs', () => {
    const { settings } = loadSettings(SecretSettings, {
      API_SECRET: 'hunter2-hunter2',
      DATABASE_URL: 'postgres://app:s3cret@db:5432/gatehouse',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    const shown = JSON.stringify(describeSettings(settings));
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('s3cret');
    expect(describeSettings(settings)).toMatchObject({
      API_SECRET: '[hidden]',
      DATABASE_URL: 'postgres://%5Bhidden%5D:%5Bhidden%5D@db:5432/gatehouse',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
  });
});
