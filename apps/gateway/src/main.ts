import 'reflect-metadata';
import { availableParallelism } from 'node:os';
import { runClustered } from '@gatehouse/app-kit';
import { gatewayApp } from './gateway.app';

void runClustered(gatewayApp, (settings) => settings.gatewayWorkers(availableParallelism()));
