import 'reflect-metadata';
import { runUntilSignal, startApp } from '@gatehouse/app-kit';
import { usersApp } from './users.app';

void runUntilSignal(async () => [await startApp(usersApp)]);
