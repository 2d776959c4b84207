import { DomainError, isErrorCode } from '@gatehouse/contracts';
import type { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, TimeoutError, timeout } from 'rxjs';
import { type MessageMeta, withMeta } from './message-meta';

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) return JSON.stringify(error);
  return String(error);
}

/**
 * Sends one request over the transport and maps every failure to a domain error: a typed error
 * from the handler keeps its code; a timeout or a broken connection is `service_unavailable`.
 */
export async function rpcCall<T>(client: ClientProxy, pattern: string, payload: unknown, timeoutMs: number, meta: MessageMeta = {}): Promise<T> {
  try {
    return await firstValueFrom(client.send<T>(pattern, withMeta(client, payload, meta)).pipe(timeout({ first: timeoutMs })));
  } catch (error) {
    if (error instanceof TimeoutError) {
      throw new DomainError('service_unavailable', `${pattern}: no answer within ${timeoutMs} ms`);
    }
    const code: unknown = typeof error === 'object' && error !== null ? (error as { error?: unknown }).error : undefined;
    if (isErrorCode(code)) throw new DomainError(code, `${pattern}: ${describe(error)}`);
    throw new DomainError('service_unavailable', `${pattern}: ${describe(error)}`);
  }
}

/** Publishes an event with its meta; resolves once the transport has taken it. */
export async function emitEvent(client: ClientProxy, pattern: string, payload: unknown, timeoutMs: number, meta: MessageMeta = {}): Promise<void> {
  try {
    await firstValueFrom(client.emit(pattern, withMeta(client, payload, meta)).pipe(timeout({ first: timeoutMs })), { defaultValue: undefined });
  } catch (error) {
    throw new DomainError('service_unavailable', `${pattern}: ${describe(error)}`);
  }
}
