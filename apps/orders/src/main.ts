import 'reflect-metadata';
import { runUntilSignal, startApp } from '@gatehouse/app-kit';
import { ordersApp } from './orders.app';

void runUntilSignal(async () => [await startApp(ordersApp)]);
