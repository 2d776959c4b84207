import { type DynamicModule, Module } from '@nestjs/common';
import { APP_RUNTIME, type AppRuntime, CommonSettings } from '@gatehouse/config';
import type { MessagingAppName } from '@gatehouse/contracts';
import { ClientsModule } from '@nestjs/microservices';
import { messageClientOptions } from './transport-options';
import { MESSAGE_SERVER, TransportHealth } from './transport.health';

export interface TransportModuleOptions {
  /** The apps this app sends messages to. */
  targets?: readonly MessagingAppName[];
  /** Set when this app also handles messages. */
  serves?: MessagingAppName;
}

/** The injection token of the client that reaches `target`. */
export function messageClientToken(target: MessagingAppName): string {
  return `gatehouse:message-client:${target}`;
}

@Module({})
export class TransportModule {
  /** Message clients for the given targets, plus the transport readiness check. */
  static forApp({ targets = [], serves }: TransportModuleOptions = {}): DynamicModule {
    return {
      module: TransportModule,
      global: true,
      imports: [
        ClientsModule.registerAsync(
          targets.map((target) => ({
            name: messageClientToken(target),
            inject: [CommonSettings, APP_RUNTIME],
            useFactory: (settings: CommonSettings, runtime: AppRuntime) => messageClientOptions(settings, runtime.app, target),
          })),
        ),
      ],
      providers: [TransportHealth, { provide: MESSAGE_SERVER, useValue: serves ?? null }],
      exports: [ClientsModule, TransportHealth],
    };
  }
}
