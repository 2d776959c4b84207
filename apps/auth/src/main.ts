import 'reflect-metadata';
import { runUntilSignal, startApp } from '@gatehouse/app-kit';
import { authApp } from './auth.app';

void runUntilSignal(async () => [await startApp(authApp)]);
