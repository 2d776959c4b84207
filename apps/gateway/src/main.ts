import 'reflect-metadata';
import { runUntilSignal, startApp } from '@gatehouse/app-kit';
import { gatewayApp } from './gateway.app';

void runUntilSignal(async () => [await startApp(gatewayApp)]);
