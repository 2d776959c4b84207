import { SettingsError } from '@gatehouse/config';
import { resourceSettingsOf } from './resource-options';

describe("resourceSettingsOf: a team's service options as the platform's resource settings", () => {
  it('defaults to a platform started with npm start on this host', () => {
    const settings = resourceSettingsOf({ service: 'billing' });
    expect({
      identity: settings.IDENTITY_PROPAGATION,
      jwks: settings.internalJwksUrl,
      issuer: settings.GATEWAY_INTERNAL_ISSUER,
      auth: settings.authUrl,
      authIssuer: settings.AUTH_ISSUER,
    }).toEqual({
      identity: 'internal-token',
      jwks: 'http://127.0.0.1:3000/.well-known/internal-jwks.json',
      issuer: 'gatehouse-gateway',
      auth: 'http://127.0.0.1:3001',
      authIssuer: 'http://127.0.0.1:3000',
    });
  });

  it('takes every option it is given', () => {
    const settings = resourceSettingsOf({
      service: 'billing',
      identityPropagation: 'pass-through',
      gatewayJwksUrl: 'http://gw:3000/.well-known/internal-jwks.json',
      authUrl: 'http://auth:3001/',
      authIssuer: 'https://id.example.test',
      clockLeewaySeconds: 5,
    });
    expect([settings.IDENTITY_PROPAGATION, settings.internalJwksUrl, settings.authUrl, settings.AUTH_ISSUER, settings.JWT_CLOCK_LEEWAY]).toEqual([
      'pass-through',
      'http://gw:3000/.well-known/internal-jwks.json',
      'http://auth:3001',
      'https://id.example.test',
      5,
    ]);
  });

  it('refuses a malformed option, naming the setting, and a service name that cannot be an audience', () => {
    expect(() => resourceSettingsOf({ service: 'billing', gatewayJwksUrl: 'gateway:3000' })).toThrow(SettingsError);
    expect(() => resourceSettingsOf({ service: 'billing', gatewayJwksUrl: 'gateway:3000' })).toThrow(/GATEWAY_INTERNAL_JWKS_URL must be an http\(s\) URL/);
    expect(() => resourceSettingsOf({ service: 'billing', identityPropagation: 'trust-me' as never })).toThrow(/IDENTITY_PROPAGATION/);
    expect(() => resourceSettingsOf({ service: 'billing', clockLeewaySeconds: 3600 })).toThrow(/JWT_CLOCK_LEEWAY/);
    expect(() => resourceSettingsOf({ service: 'Billing Service' })).toThrow(/service "Billing Service" must be lower-case/);
    expect(() => resourceSettingsOf({ service: 'users' })).toThrow(/service users is a platform app's name/);
  });
});
