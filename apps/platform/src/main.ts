import 'reflect-metadata';
import { runUntilSignal } from '@gatehouse/app-kit';
import { type AuthSettings, demoCredentialsFile } from '../../auth/src/auth.app';
import { platformBanner } from './banner';
import { startPlatform } from './platform';

void runUntilSignal(
  () => startPlatform(),
  (started) => {
    const apps = started as Awaited<ReturnType<typeof startPlatform>>;
    const auth = apps.find((app) => app.name === 'auth');
    const settings = auth?.settings as AuthSettings | undefined;
    const demoCredentials = settings ? demoCredentialsFile(settings, { app: 'auth', layout: 'platform', env: process.env }) : null;
    process.stdout.write(`${platformBanner(apps, { issuer: settings?.AUTH_ISSUER ?? '-', demoCredentials })}\n`);
  },
);
