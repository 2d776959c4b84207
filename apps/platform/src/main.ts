import 'reflect-metadata';
import { runUntilSignal } from '@gatehouse/app-kit';
import { platformBanner, startPlatform } from './platform';

void runUntilSignal(
  () => startPlatform(),
  (apps) => process.stdout.write(`${platformBanner(apps as Parameters<typeof platformBanner>[0])}\n`),
);
